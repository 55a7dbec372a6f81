import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESENDABLE, isStored, type ResendOutcome, type ResendRequest } from '../../domain/notifications/delivery.ts';
import { CREDIT_OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { NotificationRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import type { CaseService } from '../cases/caseService.ts';
import { AppError } from '../errors.ts';

export interface NotificationDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  cases: CaseService;
}

/** One mail of the delivery log as the office sees it after a resend. */
export interface NotificationView {
  key: string;
  caseId: string | null;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  smtpResponse: string | null;
  resentByName: string | null;
  resentAt: Date | null;
  /** false: the resend is still under way (the answer is 202); the log will say how it ended */
  settled: boolean;
}

/** How long a resend request waits for its one attempt (which SMTP's timeouts keep under 10 s). */
const RESULT_WAIT_MS = 20_000;

const CONFLICT_BY_STATUS: Record<string, string> = {
  sent: '该邮件已发出，无需重新发送 (the mail was sent)',
  queued: '该邮件尚未发送，系统正在处理 (the mail is queued to be sent)',
  sending: '该邮件正在发送中 (the mail is being sent right now)',
  bounced: '收件地址被对方服务器拒收，重新发送也不会送达；请先更正地址 (the mailbox was refused; resending cannot deliver it)',
};

export function createNotificationService({ orm, temporal, taskQueue, cases }: NotificationDeps) {
  const view = (row: NotificationRecord, settled: boolean): NotificationView => ({
    key: row.key,
    caseId: row.caseId ?? null,
    recipient: row.recipient,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    smtpResponse: row.smtpResponse ?? null,
    resentByName: row.resentByName ?? null,
    resentAt: row.resentAt ?? null,
    settled,
  });

  /** The mail, if this office may see its case; 404 for everyone else, so nobody learns that it exists. */
  const visibleMail = async (actor: Actor, key: string, caseId?: string): Promise<NotificationRecord> => {
    const row = await orm.em.fork().findOne(NotificationRecord, { key });
    const missing = () => new AppError('not_found', `没有此邮件 (no mail ${key})`);
    if (!row || !row.caseId || !CREDIT_OFFICE_ROLES.has(actor.role) || (caseId !== undefined && row.caseId !== caseId)) throw missing();
    try {
      await cases.caseRecord(actor, row.caseId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') throw missing();
      throw error;
    }
    return row;
  };

  return {
    /**
     * Sends a failed or uncertain mail again, exactly as stored, at most once per request: the resend
     * is the workflow `resend-<key>-<attempts seen>` (run by the worker, which has the mailer), so
     * the same request repeated, or two offices at once, start it once. Its activity sends only if
     * the mail is still as the office saw it, and records who asked and when.
     */
    async resend(actor: Actor, key: string, caseId?: string): Promise<NotificationView> {
      const row = await visibleMail(actor, key, caseId);
      if (!RESENDABLE.has(row.status)) throw new AppError('conflict', CONFLICT_BY_STATUS[row.status] ?? `该邮件状态为 ${row.status}，不能重新发送 (cannot resend a mail in state ${row.status})`);
      if (!isStored(row)) {
        throw new AppError('conflict', '该邮件记录于保存邮件正文之前，无法原样重新发送 (the mail was logged before mails were stored; it cannot be sent again as it was)');
      }
      const request: ResendRequest = { key, expectedAttempts: row.attempts, by: { userId: actor.userId, name: actor.name } };
      let outcome: ResendOutcome | null;
      try {
        const handle = await temporal.workflow.start('resendNotificationWorkflow', {
          workflowId: `resend-${key}-${row.attempts}`,
          taskQueue,
          args: [request],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        const waited = new AbortController();
        try {
          outcome = await Promise.race([handle.result() as Promise<ResendOutcome>, sleep(RESULT_WAIT_MS, null, { signal: waited.signal })]);
        } finally {
          waited.abort(); // the wait must not outlive the answer
        }
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          throw new AppError('conflict', '该邮件已按此请求重新发送过，请刷新页面查看结果 (this resend has already been made; reload to see its result)');
        }
        if (error instanceof WorkflowFailedError) {
          console.error(`[mail] resend of ${key} failed:`, error.cause ?? error);
          throw new AppError('unavailable', '重新发送未能完成，请稍后再试 (the resend could not be completed; try again later)');
        }
        throw error;
      }
      const after = await orm.em.fork().findOneOrFail(NotificationRecord, { key });
      if (outcome && !outcome.resent) {
        throw new AppError('conflict', `该邮件已由系统自动重试处理，当前状态 ${after.status} (the system's own retry took the mail first)`);
      }
      return view(after, outcome !== null);
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
