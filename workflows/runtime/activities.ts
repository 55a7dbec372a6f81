import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';

/** Projection writes: retried until the database answers; a data error is non-retryable (see the worker's interceptor). */
export const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Mail: a short timeout, so a worker that died mid-send is noticed soon and the mail log settles. */
export const mail = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The innermost message of an activity's failure: the cause says what was refused. */
export function failureMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(error);
}
