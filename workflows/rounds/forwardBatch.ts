import type { BatchRef } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { patched } from '@temporalio/workflow';
import { acts, forwarding } from '../runtime/activities.ts';

/** Forward tasks completed at once (batches started before 0.2): enough to keep a large batch quick, few enough to spare Temporal. */
const FORWARD_LANES = 4;
/** Cases one activity forwards (from 0.2): a batch of 400 is four activities working side by side. */
const FORWARD_SHARE = 100;

export interface ForwardBatchInput {
  batchId: string;
  /** the district officer who forwards: each case's forward task is completed as them */
  actor: Actor;
}

/** One case's claimed forward task. */
export interface ForwardClaim {
  taskId: string;
  caseId: string;
}

/** The batch as its claim transaction stored it: cases in the order the office listed them. */
export interface ClaimedBatch {
  ref: BatchRef;
  claims: ForwardClaim[];
}

/**
 * Why a case did not take the batch, as its workflow said it (the API words it): a refusal of the
 * update (its type and details), or a case that is not running.
 */
export type CaseRefusal = { kind: 'refused'; type: string | null; message: string; details: unknown[] } | { kind: 'not_running'; message: string };

export interface CaseOutcome extends ForwardClaim {
  forwarded: boolean;
  refusal?: CaseRefusal;
}

export interface ForwardBatchResult {
  /** false: the claim's transaction never committed, so there was nothing to forward */
  claimed: boolean;
  outcomes: CaseOutcome[];
  /** the cases the batch holds once settled; null: none was forwarded and the batch is gone */
  kept: string[] | null;
}

/** One workflow per batch: a batch is forwarded once, whoever asks again. */
export function forwardBatchWorkflowId(batchId: string): string {
  return `batch-${batchId}`;
}

/**
 * The lock the claim's transaction holds until it commits (or rolls back). The request starts this
 * workflow inside that transaction, so the workflow reads the batch only once the lock is free:
 * either the claim is stored, or it never will be. No window where a claim exists without its workflow.
 */
export function batchClaimLock(batchId: string): string {
  return `batch-claim:${batchId}`;
}

/**
 * 汇总报送 as its own workflow: each claimed case's forward task is completed (FORWARD_LANES at a
 * time), then the batch is settled to exactly the cases forwarded. Started by the request, it goes on
 * if the API process dies; every step is idempotent (a case's update has one id per batch and task;
 * settling a settled batch changes nothing), so retries and replays do no harm. A case that refuses
 * is an outcome, not a failure: the batch still settles.
 */
export async function forwardBatch({ batchId, actor }: ForwardBatchInput): Promise<ForwardBatchResult> {
  const batch = await acts.claimedBatch({ batchId });
  if (!batch) return { claimed: false, outcomes: [], kept: null };
  // from 0.2 on, shares of the batch each forward many cases in one activity (batches started before replay case by case)
  const outcomes = patched('forward-in-shares')
    ? (await Promise.all(sharesOf(batch.claims, FORWARD_SHARE).map((claims) => forwarding.forwardCases({ batch: batch.ref, claims, actor })))).flat()
    : await inLanes(batch.claims, FORWARD_LANES, (claim) => acts.forwardCase({ batch: batch.ref, claim, actor }));
  const kept = await acts.settleBatch({ batchId, outcomes });
  return { claimed: true, outcomes, kept };
}

/** Runs work over items with at most `lanes` at a time; results in the items' order (deterministic: workflow promises run in a fixed order). */
async function inLanes<T, R>(items: T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}

/** The items in consecutive shares of at most `size`, in order. */
function sharesOf<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
