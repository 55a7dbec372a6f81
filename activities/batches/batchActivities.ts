import { LockMode } from '@mikro-orm/core';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { BatchRef } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { BatchCaseRecord, BatchRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { caseStateQuery, completeTaskUpdate } from '../../workflows/case/messages.ts';
import { batchClaimLock, type CaseOutcome, type CaseRefusal, type ClaimedBatch, type ForwardClaim } from '../../workflows/rounds/forwardBatch.ts';

/** Updates one share of a batch keeps in flight: the cases' workflows run on the same workers, the machine is shared. */
const FORWARDS_IN_FLIGHT = 8;

/** The case's answer when it is one (a refusal, or no such running case); null when Temporal did not answer. */
function refusalOf(error: unknown): CaseRefusal | null {
  if (error instanceof WorkflowNotFoundError) return { kind: 'not_running', message: error.message };
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause instanceof ApplicationFailure ? error.cause : null;
    return { kind: 'refused', type: cause?.type ?? null, message: cause?.message ?? error.message, details: cause?.details ? [...cause.details] : [] };
  }
  return null;
}

/** 汇总报送's steps (see workflows/rounds/forwardBatch.ts): the batch's record and each case's forward task. */
export function createBatchActivities({ orm, temporal }: { orm: Orm; temporal: Client }) {
  const activities = {
    /**
     * The batch and its claims once the claim's transaction has ended (it holds the batch's lock
     * until then); null when it rolled back. Claims in the order the office listed the cases.
     */
    async claimedBatch({ batchId }: { batchId: string }): Promise<ClaimedBatch | null> {
      return orm.em.fork().transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [batchClaimLock(batchId)]);
        const batch = await tx.findOne(BatchRecord, { id: batchId });
        if (!batch) return null;
        const claims = await tx.find(BatchCaseRecord, { batchId });
        const taskOf = new Map(claims.map((c) => [c.caseId, c.taskId]));
        return {
          ref: { id: batch.id, number: batch.number, forwardedAt: batch.forwardedAt.toISOString() },
          claims: batch.caseIds.filter((caseId) => taskOf.has(caseId)).map((caseId) => ({ caseId, taskId: taskOf.get(caseId)! })),
        };
      });
    },

    /**
     * Completes the forward tasks of a share of the batch, FORWARDS_IN_FLIGHT at a time, each as
     * forwardCase does (one update id per batch and task, so a retried share changes nothing it
     * already did); the heartbeat says how far it got. Outcomes in the claims' order.
     */
    async forwardCases({ batch, claims, actor }: { batch: BatchRef; claims: ForwardClaim[]; actor: Actor }): Promise<CaseOutcome[]> {
      const outcomes = new Array<CaseOutcome>(claims.length);
      let next = 0;
      let done = 0;
      const lane = async () => {
        while (next < claims.length) {
          const i = next++;
          outcomes[i] = await activities.forwardCase({ batch, claim: claims[i]!, actor });
          Context.current().heartbeat(++done);
        }
      };
      await Promise.all(Array.from({ length: Math.min(FORWARDS_IN_FLIGHT, claims.length) }, lane));
      return outcomes;
    },

    /**
     * Completes one case's forward task in its workflow. One updateId per (batch, task): a retry is
     * the same update, applied once. A refusal is an outcome; no answer at all is thrown, and Temporal
     * retries the activity. When the case refuses, its own record says whether it took this batch
     * already (a retry after its answer was lost, once the update is no longer remembered).
     */
    async forwardCase({ batch, claim, actor }: { batch: BatchRef; claim: ForwardClaim; actor: Actor }): Promise<CaseOutcome> {
      const handle = temporal.workflow.getHandle(claim.caseId);
      const request = { taskId: claim.taskId, actor, payload: { outcome: 'forward' as const, batch, comment: `汇总报送：${batch.number}` } };
      try {
        await handle.executeUpdate(completeTaskUpdate, { args: [request], updateId: `batch-${batch.id}-${claim.taskId}` });
        return { ...claim, forwarded: true };
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        const took = await handle
          .query(caseStateQuery)
          .then((state) => state.decisions.some((d) => d.taskId === claim.taskId && d.payload.batch?.id === batch.id))
          .catch(() => false);
        return took ? { ...claim, forwarded: true } : { ...claim, forwarded: false, refusal };
      }
    },

    /**
     * The batch keeps exactly the cases forwarded: the others lose their claim (they can be forwarded
     * again); a batch with none is deleted; the rest is listed from now on. Settling happens once: a
     * settled (or deleted) batch is answered as it stands, whatever outcomes a retry brings.
     */
    async settleBatch({ batchId, outcomes }: { batchId: string; outcomes: CaseOutcome[] }): Promise<string[] | null> {
      return orm.em.fork().transactional(async (tx) => {
        const batch = await tx.findOne(BatchRecord, { id: batchId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!batch) return null;
        if (batch.status === 'forwarded') return batch.caseIds;
        const forwarded = outcomes.filter((o) => o.forwarded).map((o) => o.caseId);
        const failed = outcomes.filter((o) => !o.forwarded).map((o) => o.taskId);
        if (failed.length) await tx.nativeDelete(BatchCaseRecord, { batchId, taskId: { $in: failed } });
        if (!forwarded.length) {
          await tx.nativeDelete(BatchRecord, { id: batchId });
          return null;
        }
        await tx.nativeUpdate(BatchRecord, { id: batchId }, { status: 'forwarded', caseIds: forwarded });
        return forwarded;
      });
    },
  };
  return activities;
}
