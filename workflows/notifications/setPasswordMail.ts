import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';

/**
 * A failing SMTP server is retried for about a day; the link expires long before the last try
 * matters. A bounced mailbox is not retried (the admin sees it on the user's line).
 */
const { sendSetPasswordLink } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', maximumAttempts: 30, nonRetryableErrorTypes: ['MailBounced'] },
});

/** The mail with a user's set-password link; its id `set-password-mail-<link id>` starts it once per link. */
export async function setPasswordMail(request: { tokenId: string }): Promise<{ sent: boolean }> {
  return sendSetPasswordLink(request);
}
