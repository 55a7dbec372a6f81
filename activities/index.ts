import type { Client } from '@temporalio/client';
import type { Orm } from '../infra/db/orm.ts';
import type { PdfRenderer } from '../infra/documents/pdf.ts';
import { createDocumentActivities } from './documents/documentActivities.ts';
import { createSummaryListActivities } from './documents/summaryListActivities.ts';
import type { Mailer } from '../infra/mail/mailer.ts';
import { createBatchActivities } from './batches/batchActivities.ts';
import { createCaseActivities } from './case/caseActivities.ts';
import { createFileActivities } from './case/caseFiles.ts';
import { createNotificationActivities } from './notifications/notificationActivities.ts';
import { createSetPasswordMailActivities } from './notifications/setPasswordMail.ts';
import { loadMailTemplates } from './notifications/templates.ts';
import { createRoundActivities } from './rounds/roundActivities.ts';

export interface ActivityDeps {
  orm: Orm;
  mailer: Mailer;
  /** base URL for links in e-mails */
  publicUrl: string;
  /** work across cases (rounds, groups) acts on each case through its updates */
  temporal: Client;
  /** prints documents (certificates, forms) to PDF */
  pdf: PdfRenderer;
}

/** Every activity the worker registers; workflows import only this type. */
export function createActivities(deps: ActivityDeps) {
  const render = loadMailTemplates();
  return {
    ...createCaseActivities(deps),
    ...createFileActivities(deps),
    ...createRoundActivities(deps),
    ...createDocumentActivities(deps),
    ...createSummaryListActivities(deps),
    ...createBatchActivities(deps),
    ...createNotificationActivities({ ...deps, render }),
    ...createSetPasswordMailActivities({ ...deps, render }),
  };
}
