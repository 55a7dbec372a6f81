import { ApplicationFailure, allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import type { CompletionPayload } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { acts } from '../runtime/activities.ts';

export interface RoundInput {
  roundId: string;
  programId: string;
  track: TrackId;
  /** the recommendation step (district_recommendation, city_recommendation) */
  stage: string;
  /** the district code, or 'city' */
  scope: string;
  quota: number;
  /** how to name the scope in messages (沙溪镇, 太仓市) */
  scopeName: string;
}

export interface RecommendRequest {
  caseId: string;
  taskId: string;
  actor: Actor;
  payload: CompletionPayload;
}

export interface RoundState {
  quota: number;
  recommended: string[];
}

/** An office recommends a case within the round's quota; answers once the case has taken the recommendation. */
export const recommendUpdate = defineUpdate<RoundState, [RecommendRequest]>('recommend');
export const roundStateQuery = defineQuery<RoundState>('roundState');

/** A round lives as long as offices keep recommending; after this long without one it ends (a later one reloads its count). */
const IDLE_BEFORE_ENDING = '30 days';

/**
 * One round of 择优推荐 per (program, track, step, scope): the one place a quota is enforced. Temporal
 * runs a workflow's handlers one at a time up to their first wait, so a slot is claimed before the
 * next request is even looked at; concurrent requests cannot overrun the quota. A slot whose case
 * refuses the recommendation is given back.
 */
export async function recommendationRound(input: RoundInput): Promise<RoundState> {
  const state: RoundState = { quota: input.quota, recommended: [] };
  let loaded = false;
  let requests = 0;
  const full = (caseId: string) => !state.recommended.includes(caseId) && state.recommended.length >= state.quota;
  const quotaRefusal = () =>
    ApplicationFailure.nonRetryable(
      `推荐名额已满：${input.scopeName}本年度名额 ${state.quota} 个，已推荐 ${state.recommended.length} 个 (the quota of ${state.quota} is used up)`,
      'invalid_payload',
      { path: 'outcome', rule: `quota ${state.quota}: ${state.recommended.length} recommended` },
    );

  setHandler(roundStateQuery, () => state);
  setHandler(
    recommendUpdate,
    async ({ caseId, taskId, actor, payload }) => {
      requests += 1;
      await condition(() => loaded);
      if (full(caseId)) throw quotaRefusal();
      const claimed = !state.recommended.includes(caseId);
      if (claimed) state.recommended.push(caseId);
      try {
        await acts.completeCaseTask({ caseId, taskId, actor, payload: { ...payload, quotaRound: input.roundId } });
      } catch (error) {
        if (claimed) state.recommended = state.recommended.filter((id) => id !== caseId);
        throw error;
      }
      return state;
    },
    {
      validator: ({ caseId }) => {
        if (loaded && full(caseId)) throw quotaRefusal();
      },
    },
  );

  state.recommended = await acts.recommendationsCounted({ programId: input.programId, track: input.track, stage: input.stage, scope: input.scope });
  loaded = true;
  for (;;) {
    const seen = requests;
    const active = await condition(() => requests !== seen, IDLE_BEFORE_ENDING);
    if (!active && allHandlersFinished()) break;
  }
  return state;
}

export function roundIdFor(programId: string, track: TrackId, stage: string, scope: string): string {
  return `round-${programId}-${track}-${stage}-${scope}`;
}
