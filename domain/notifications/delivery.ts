/** Where one logged mail stands: queued, being sent, sent, failed for now, refused by the mailbox, or not known. */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'uncertain';

/** What an office may send again: a mail that did not go out, or may not have. */
export const RESENDABLE: ReadonlySet<string> = new Set<DeliveryStatus>(['failed', 'uncertain']);

/** An office's resend of one logged mail. */
export interface ResendRequest {
  key: string;
  /** the attempt count the office saw: the resend is attempt expectedAttempts + 1, or nothing */
  expectedAttempts: number;
  by: { userId: string; name: string };
}

export interface ResendOutcome {
  /** whether this resend made the attempt (false: the mail had moved on before it could); the row says how it went */
  resent: boolean;
}

/** Whether the mail as first rendered was kept with its row, so it can be sent again as it was. */
export function isStored(row: { bodyHtml?: string | null; bodyText?: string | null }): boolean {
  return row.bodyHtml != null && row.bodyText != null;
}
