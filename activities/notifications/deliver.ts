import { ApplicationFailure } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationRecord } from '../../infra/db/entities.ts';
import type { Mailer } from '../../infra/mail/mailer.ts';
import type { RenderedMail } from './templates.ts';

export interface Notification {
  /** (case, task, event, recipient[, occurrence]): the same key never produces a second e-mail */
  key: string;
  caseId: string | null;
  taskId: string | null;
  to: string;
  template: string;
  mail: RenderedMail;
}

/**
 * queued → sending → sent; a refused mailbox (SMTP 5xx) → bounced, never retried; any other failure
 * → failed, retried by the activity's policy. A row found still `sending` means an earlier attempt
 * died after it may have handed the mail to SMTP: it becomes `uncertain` and is not sent again —
 * at most once, and the office is shown the doubt rather than the enterprise a duplicate.
 */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'uncertain';
export type DeliveryResult = 'sent' | 'already-sent' | 'uncertain' | 'bounced';

const TERMINAL = new Set<string>(['sent', 'bounced', 'uncertain']);

function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export async function deliverOnce(em: EntityManager, mailer: Mailer, n: Notification): Promise<DeliveryResult> {
  await em.upsert(
    NotificationRecord,
    { key: n.key, caseId: n.caseId, taskId: n.taskId, recipient: n.to, template: n.template, subject: n.mail.subject, status: 'queued', attempts: 0, createdAt: new Date() },
    { onConflictAction: 'ignore' },
  );
  const row = await em.findOneOrFail(NotificationRecord, { key: n.key }, { refresh: true });
  if (TERMINAL.has(row.status)) return row.status === 'sent' ? 'already-sent' : (row.status as DeliveryResult);
  if (row.status === 'sending') {
    row.status = 'uncertain';
    row.smtpResponse = `an earlier attempt stopped during delivery (attempt ${row.attempts}); not sent again, to avoid a duplicate`;
    await em.flush();
    return 'uncertain';
  }

  // the durable mark comes before SMTP hears anything
  row.status = 'sending';
  row.attempts += 1;
  await em.flush();
  const messageId = `<${createHash('sha256').update(n.key).digest('hex').slice(0, 32)}@credcase>`;
  try {
    const info = await mailer.send({ to: n.to, messageId, ...n.mail });
    row.status = 'sent';
    row.smtpResponse = info.response;
    row.messageId = messageId;
    row.sentAt = new Date();
    await em.flush();
    return 'sent';
  } catch (error) {
    const permanent = isPermanent(error);
    row.status = permanent ? 'bounced' : 'failed';
    row.smtpResponse = error instanceof Error ? error.message : String(error);
    await em.flush();
    if (permanent) throw ApplicationFailure.nonRetryable(`mail to ${n.to} bounced: ${row.smtpResponse}`, 'MailBounced');
    throw error;
  }
}
