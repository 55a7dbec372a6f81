import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';
import type { ResendOutcome, ResendRequest } from '../../domain/notifications/delivery.ts';

/**
 * Retries here only cover a worker that died or a database that was away: an SMTP failure is not
 * an error of the activity (it is recorded, and the office may resend again). A retry finds its own
 * attempt on the row and does not send a second time.
 */
const { resendNotification } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/** One office's request to send a failed or uncertain mail again; its id `resend-<key>-<attempts seen>` makes a repeated request a no-op. */
export async function resendNotificationWorkflow(request: ResendRequest): Promise<ResendOutcome> {
  return resendNotification(request);
}
