import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';

type Activities = ReturnType<typeof createActivities>;

const PROJECTION_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

/** Projection writes: retried until the database answers; a data error is non-retryable (see the worker's interceptor). */
export const acts = proxyActivities<Activities>(PROJECTION_OPTIONS);

/**
 * The same writes as local activities: the worker that runs the workflow task writes the row within
 * that task, so a case's step (its decision recorded, its next task opened, the waiting request
 * answered) is one workflow task instead of a round trip through the task queue per write.
 */
const localActs = proxyLocalActivities<Activities>(PROJECTION_OPTIONS);

/**
 * Where a case's projection writes go: local activities from 0.2 on; cases started before keep
 * replaying their scheduled activities (patched: the switch happens after what they recorded).
 */
export function projection(): Activities {
  return patched('local-projection') ? localActs : acts;
}

/** Mail: a short timeout, so a worker that died mid-send is noticed soon and the mail log settles. */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A share of a batch forwards its cases a few at a time: it may take minutes on a busy day, and its heartbeat tells it lives. */
export const forwarding = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The innermost message of an activity's failure: the cause says what was refused. */
export function failureMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(error);
}
