import { ApplicationFailure, Context } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationRecord } from '../../infra/db/entities.ts';
import { insertOnce } from '../../infra/db/queries.ts';
import type { Mailer } from '../../infra/mail/mailer.ts';
import type { RenderedMail } from './templates.ts';
import { RESENDABLE, isStored, type DeliveryStatus, type ResendOutcome, type ResendRequest } from '../../domain/notifications/delivery.ts';

export type { DeliveryStatus, ResendOutcome, ResendRequest };

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
 * The delivery log only moves forward:
 *
 *     queued → sending → sent | failed | bounced | uncertain
 *     failed → sending            (the next attempt: the activity's retry, or an office's resend)
 *     uncertain → sending         (an office's resend only: the office chose to risk a duplicate)
 *
 * A refused mailbox (SMTP 5xx) is `bounced`, never retried. Any other failure is `failed`: the
 * activity throws and its retry policy tries again. A row found still `sending` by a retry of the
 * attempt that claimed it means that attempt stopped after it may have handed the mail to SMTP: it
 * becomes `uncertain` and is not sent again by the system. `sent`, `bounced` and `uncertain` are
 * never overwritten by a delivery attempt.
 *
 * Every move is a compare-and-set on (key, status, attempts[, sender]): of two senders only one wins
 * an attempt, and the verdict of attempt n is written only while attempt n still holds the row — an
 * attempt that finishes late cannot overwrite what a later attempt decided.
 */
/** `in-flight`: another sender (an office's resend) holds the mail right now; its verdict stands */
export type DeliveryResult = 'sent' | 'already-sent' | 'uncertain' | 'bounced' | 'in-flight';


/** One mail never takes longer than this, whatever the server does (a trickle of replies included). */
const SEND_LIMIT_MS = 8_000;
/** Time an attempt keeps back before its activity's timeout, to write its verdict. */
const VERDICT_MARGIN_MS = 1_000;
/** Below this, an attempt does not start another mail: its retry will. */
const MIN_SEND_WINDOW_MS = 1_000;
/** A `sending` row this old belongs to an attempt that died, whoever made it (far above SEND_LIMIT_MS). */
const ABANDONED_AFTER_MS = 10 * 60_000;

/** Who is sending, until when it may, and what stops it early (the activity's cancellation). */
export interface Attempt {
  /** the activity (workflow id / activity id), the same across its retries */
  sender: string;
  /** epoch ms by which the attempt must have written its verdict */
  deadline: number;
  signal?: AbortSignal;
}

/** The running activity as a sender; called once when the activity starts. Outside an activity (tests): `direct`, no deadline. */
export function currentAttempt(): Attempt {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { sender: 'direct', deadline: Number.POSITIVE_INFINITY };
  }
  const { workflowExecution, activityId, startToCloseTimeoutMs } = context.info;
  return {
    sender: `${workflowExecution?.workflowId ?? 'standalone'}/${activityId}`,
    deadline: startToCloseTimeoutMs ? Date.now() + startToCloseTimeoutMs - VERDICT_MARGIN_MS : Number.POSITIVE_INFINITY,
    signal: context.cancellationSignal,
  };
}

function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describeFailure(error: unknown, windowMs: number): string {
  if ((error as { code?: string }).code === 'EABORT') {
    return `${Math.ceil(windowMs / 1000)} 秒内未完成，已放弃此次发送 (gave up: no answer within ${Math.ceil(windowMs / 1000)} s)`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Puts the mail on record, as rendered, unless it already is: the first rendering is the one sent. */
export async function recordQueued(em: EntityManager, n: Notification): Promise<void> {
  await insertOnce(em, NotificationRecord, {
    key: n.key,
    caseId: n.caseId,
    taskId: n.taskId,
    recipient: n.to,
    template: n.template,
    subject: n.mail.subject,
    bodyHtml: n.mail.html,
    bodyText: n.mail.text,
    status: 'queued',
    attempts: 0,
    createdAt: new Date(),
  });
}

const current = (em: EntityManager, key: string) => em.findOneOrFail(NotificationRecord, { key }, { refresh: true });

/** status → sending, as attempt n+1, if nobody moved the row since it was read. */
async function claim(em: EntityManager, row: NotificationRecord, attempt: Attempt, extra: Partial<NotificationRecord> = {}): Promise<boolean> {
  const claimed = await em.nativeUpdate(
    NotificationRecord,
    { key: row.key, status: row.status, attempts: row.attempts },
    { status: 'sending', attempts: row.attempts + 1, sender: attempt.sender, attemptedAt: new Date(), ...extra },
  );
  return claimed === 1;
}

/** The verdict of one attempt, written only while that attempt still holds the row. */
async function settle(em: EntityManager, held: { key: string; attempts: number; sender: string | null }, verdict: Partial<NotificationRecord>): Promise<boolean> {
  const settled = await em.nativeUpdate(NotificationRecord, { key: held.key, status: 'sending', attempts: held.attempts, sender: held.sender }, verdict);
  return settled === 1;
}

/** Has the sender of this `sending` row stopped? Its own activity retrying says so, and so does age. */
function abandoned(row: NotificationRecord, attempt: Attempt): boolean {
  if (row.sender === null || row.sender === undefined || row.sender === attempt.sender) return true;
  return !row.attemptedAt || Date.now() - row.attemptedAt.getTime() > ABANDONED_AFTER_MS;
}

async function markUncertain(em: EntityManager, row: NotificationRecord): Promise<boolean> {
  return settle(em, { key: row.key, attempts: row.attempts, sender: row.sender ?? null }, {
    status: 'uncertain',
    smtpResponse: `第 ${row.attempts} 次发送中途中断，可能已送达，系统不再自动重发 (attempt ${row.attempts} stopped during delivery; not sent again automatically, to avoid a duplicate)`,
  });
}

/** How long the next mail may take within this attempt; null when too little is left to start one. */
function sendWindow(attempt: Attempt): number | null {
  const window = Math.min(SEND_LIMIT_MS, attempt.deadline - Date.now());
  return window >= MIN_SEND_WINDOW_MS ? window : null;
}

function outOfTime(): ApplicationFailure {
  return ApplicationFailure.retryable('此次尝试时间已用完，余下邮件由重试发送 (no time left in this attempt; its retry sends the rest)', 'MailAttemptOutOfTime');
}

type Transmitted = { status: 'sent' } | { status: 'failed' | 'bounced'; error: unknown; response: string };

/** Hands a claimed mail to SMTP and records the verdict of this attempt (if it still holds the row). */
async function transmit(em: EntityManager, mailer: Mailer, row: NotificationRecord, fallback: RenderedMail | null, attempt: Attempt, windowMs: number): Promise<Transmitted> {
  const held = { key: row.key, attempts: row.attempts + 1, sender: attempt.sender };
  const messageId = `<${createHash('sha256').update(row.key).digest('hex').slice(0, 32)}@credcase>`;
  const mail = {
    subject: row.subject,
    html: row.bodyHtml ?? fallback?.html ?? '',
    text: row.bodyText ?? fallback?.text ?? '',
  };
  const signal = AbortSignal.any([AbortSignal.timeout(windowMs), ...(attempt.signal ? [attempt.signal] : [])]);
  let verdict: Partial<NotificationRecord>;
  let result: Transmitted;
  try {
    const info = await mailer.send({ to: row.recipient, messageId, ...mail }, { signal });
    verdict = { status: 'sent', smtpResponse: info.response, messageId, sentAt: new Date() };
    result = { status: 'sent' };
  } catch (error) {
    const response = describeFailure(error, windowMs);
    const status = isPermanent(error) ? 'bounced' : 'failed';
    verdict = { status, smtpResponse: response };
    result = { status, error, response };
  }
  if (!(await settle(em, held, verdict))) {
    // a later attempt decided already (this one ran past its timeout): its verdict stands
    console.warn(`[mail] attempt ${held.attempts} of ${row.key} finished late (${verdict.status}); the log had moved on, left as it is`);
  }
  return result;
}

/**
 * Sends a mail at most once per attempt, and never again once it went out (or may have). Called by
 * each attempt of an activity; `attempt` is that activity's, taken when it started.
 */
export async function deliverOnce(em: EntityManager, mailer: Mailer, n: Notification, attempt: Attempt = currentAttempt()): Promise<DeliveryResult> {
  await recordQueued(em, n);
  // a lost compare-and-set means someone moved the row: read it again and decide anew
  for (let round = 0; round < 3; round++) {
    const row = await current(em, n.key);
    if (row.status === 'sent') return 'already-sent';
    if (row.status === 'bounced' || row.status === 'uncertain') return row.status;
    if (row.status === 'sending') {
      if (!abandoned(row, attempt)) return 'in-flight';
      if (await markUncertain(em, row)) return 'uncertain';
      continue;
    }
    // queued, or failed: this attempt tries (again)
    const windowMs = sendWindow(attempt);
    if (windowMs === null) throw outOfTime();
    if (!(await claim(em, row, attempt))) continue;
    const outcome = await transmit(em, mailer, row, n.mail, attempt, windowMs);
    if (outcome.status === 'sent') return 'sent';
    if (outcome.status === 'bounced') throw ApplicationFailure.nonRetryable(`mail to ${n.to} bounced: ${outcome.response}`, 'MailBounced');
    throw outcome.error;
  }
  return 'in-flight';
}


/**
 * An office's resend of the stored mail: exactly one attempt, made only if the row is still what the
 * office saw (failed or uncertain, after `expectedAttempts` attempts). A retry of the same resend
 * finds its own attempt and does not send again. SMTP failures are recorded, not thrown: the office
 * sees the new verdict and may resend again.
 */
export async function resendStored(em: EntityManager, mailer: Mailer, request: ResendRequest, attempt: Attempt = currentAttempt()): Promise<ResendOutcome> {
  const row = await em.findOne(NotificationRecord, { key: request.key }, { refresh: true });
  if (!row) throw ApplicationFailure.nonRetryable(`no mail ${request.key}`, 'MailNotFound');
  const ownAttempt = row.attempts === request.expectedAttempts + 1 && row.sender === attempt.sender;
  if (ownAttempt && row.status === 'sending') {
    // an earlier try of this very resend stopped mid-delivery
    await markUncertain(em, row);
    return { resent: true };
  }
  if (!RESENDABLE.has(row.status) || row.attempts !== request.expectedAttempts) return { resent: ownAttempt };
  if (!isStored(row)) {
    throw ApplicationFailure.nonRetryable(`mail ${row.key} was logged before mails were stored; it cannot be sent again as it was`, 'MailNotStored');
  }
  const windowMs = sendWindow(attempt);
  if (windowMs === null) throw outOfTime();
  if (!(await claim(em, row, attempt, { resentBy: request.by.userId, resentByName: request.by.name, resentAt: new Date() }))) return { resent: false };
  await transmit(em, mailer, row, null, attempt, windowMs);
  return { resent: true };
}
