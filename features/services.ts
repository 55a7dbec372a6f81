import type { Client } from '@temporalio/client';
import type { Orm } from '../infra/db/orm.ts';
import { createAuthService } from './auth/authService.ts';
import { createBatchService } from './batches/batchService.ts';
import { createCaseService } from './cases/caseService.ts';
import { createDocumentService } from './documents/documentService.ts';
import { createEnterpriseService } from './enterprises/enterpriseService.ts';
import { createIdentityNumbers } from './enterprises/identityNumbers.ts';
import { createFileService } from './files/fileService.ts';
import { createMeService } from './me/meService.ts';
import { createNotificationService } from './notifications/notificationService.ts';
import { createProgramService } from './programs/programService.ts';
import { createAgencyService } from './registers/agencyService.ts';
import { createCertificateService } from './registers/certificateService.ts';
import { createTaskService } from './tasks/taskService.ts';
import { createTaskDrafts } from './tasks/taskDrafts.ts';
import { createInboxService } from './tasks/inboxService.ts';
import { createDemonstrationService } from './demonstration/demonstrationService.ts';
import { createSummaryListService } from './documents/summaryListService.ts';
import { createDashboardService } from './dashboard/dashboardService.ts';
import { createAdminService } from './admin/adminService.ts';

export interface ServiceDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  sessionTtlHours: number;
  /** how long a print request waits for its document (0: answers at once, the page follows the printing) */
  documentWaitSeconds: number;
  /** base of links in feeds: known once the server listens */
  publicUrl: () => string;
}

/** The use cases of every feature, shared by the JSON API and the pages. */
export function createServices(deps: ServiceDeps) {
  const { orm, temporal } = deps;
  const programs = createProgramService(orm);
  const auth = createAuthService(orm, deps.sessionTtlHours);
  const files = createFileService(orm);
  const identities = createIdentityNumbers(orm);
  // the registers the demonstration tracks read: certificates (prerequisites) and credit service agencies
  const registers = { certificates: createCertificateService(orm), agencies: createAgencyService(orm) };
  const cases = createCaseService({ orm, temporal, taskQueue: deps.taskQueue, programs, files, identities, certificates: registers.certificates, agencies: registers.agencies });
  const demonstration = createDemonstrationService({ orm, temporal, taskQueue: deps.taskQueue, programs });
  const tasks = createTaskService({ orm, temporal, cases, programs, files, identities, agencies: registers.agencies, demonstration });
  const taskDrafts = createTaskDrafts({ orm, tasks, files, programs });
  const inbox = createInboxService({ orm, programs, tasks });
  const batches = createBatchService({ orm, temporal, taskQueue: deps.taskQueue, programs });
  const enterprises = createEnterpriseService(orm, identities);
  const me = createMeService({ orm, programs, publicUrl: () => deps.publicUrl() });
  const notifications = createNotificationService({ orm, temporal, taskQueue: deps.taskQueue, cases });
  const documents = createDocumentService({ orm, temporal, taskQueue: deps.taskQueue, cases, files, waitMs: deps.documentWaitSeconds * 1000 });
  const summaryLists = createSummaryListService({ temporal, taskQueue: deps.taskQueue, programs });
  const dashboards = createDashboardService({ orm, programs });
  const admin = createAdminService({ orm, temporal, taskQueue: deps.taskQueue, programs, agencies: registers.agencies, certificates: registers.certificates });
  return { programs, auth, files, cases, tasks, taskDrafts, inbox, batches, enterprises, me, notifications, registers, demonstration, documents, summaryLists, dashboards, admin };
}
export type Services = ReturnType<typeof createServices>;
