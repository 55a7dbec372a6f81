import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { AcceptanceAppointment, CompletionPayload } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { recommendedCases } from '../../infra/db/queries.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { caseStateQuery, completeTaskUpdate, scheduleAcceptanceUpdate } from '../../workflows/case/messages.ts';

/** A case's refusal, passed on as the round's own (same type and details, so the API answers alike). */
function passOnRefusal(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    throw ApplicationFailure.nonRetryable(error.cause.message, error.cause.type, ...(error.cause.details ?? []));
  }
  throw error;
}

/** Work that spans cases: rounds and groups act on each case through the case's own updates. */
export function createRoundActivities({ orm, temporal }: { orm: Orm; temporal: Client }) {
  return {
    /** The cases a scope has recommended at a step so far (a round's count when it starts again). */
    async recommendationsCounted(round: { programId: string; track: string; stage: string; scope: string }): Promise<string[]> {
      return recommendedCases(orm.em.fork(), round);
    },

    /** The round's recommendation reaches the case; a retry after the case took it is not an error. */
    async completeCaseTask({ caseId, taskId, actor, payload }: { caseId: string; taskId: string; actor: Actor; payload: CompletionPayload }): Promise<void> {
      const handle = temporal.workflow.getHandle(caseId);
      try {
        await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor, payload }] });
      } catch (error) {
        const state = await handle.query(caseStateQuery).catch(() => null);
        if (state?.decisions.some((d) => d.taskId === taskId && d.payload.quotaRound === payload.quotaRound)) return;
        passOnRefusal(error);
      }
    },

    /** One case of a group takes the acceptance date (the same date twice changes nothing). */
    async scheduleCaseAcceptance({ caseId, appointment, at, actor }: { caseId: string; appointment: AcceptanceAppointment; at: string; actor: Actor }): Promise<void> {
      await temporal.workflow
        .getHandle(caseId)
        .executeUpdate(scheduleAcceptanceUpdate, { args: [{ appointment, at, actor }] })
        .catch(passOnRefusal);
    },
  };
}
