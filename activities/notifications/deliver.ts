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
 * Sends one e-mail at most once per key: the log row is written first, a row already marked
 * sent is not sent again, and a failure is recorded before it is rethrown for the activity's
 * retry policy. (A crash between the SMTP answer and the "sent" update is the remaining gap.)
 */
export async function deliverOnce(em: EntityManager, mailer: Mailer, n: Notification): Promise<'sent' | 'already-sent'> {
  await em.upsert(
    NotificationRecord,
    {
      key: n.key,
      caseId: n.caseId,
      taskId: n.taskId,
      recipient: n.to,
      template: n.template,
      subject: n.mail.subject,
      status: 'queued',
      attempts: 0,
      createdAt: new Date(),
    },
    { onConflictAction: 'ignore' },
  );
  const row = await em.findOneOrFail(NotificationRecord, { key: n.key }, { refresh: true });
  if (row.status === 'sent') return 'already-sent';

  row.attempts += 1;
  const messageId = `<${createHash('sha256').update(n.key).digest('hex').slice(0, 32)}@credcase>`;
  try {
    const info = await mailer.send({ to: n.to, messageId, ...n.mail });
    row.status = 'sent';
    row.smtpResponse = info.response;
    row.messageId = messageId;
    row.sentAt = new Date();
  } catch (error) {
    row.status = 'failed';
    row.smtpResponse = error instanceof Error ? error.message : String(error);
    await em.flush();
    throw error;
  }
  await em.flush();
  return 'sent';
}
