import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';
import { completionRefusal } from '../../domain/case/authority.ts';
import type { Assignment, CaseState, CaseStartInput, Decision, TaskKind, TaskRef } from '../../domain/case/model.ts';
import { nextAfterReview } from '../../domain/case/reviewChain.ts';
import type { ReviewStep } from '../../domain/program/types.ts';
import { caseSettledUpdate, caseStateQuery, completeTaskUpdate } from './messages.ts';
import { CASE_DISTRICT, CASE_STAGE, CASE_TRACK, PROGRAM_YEAR } from '../searchAttributes.ts';

const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The rules of the program the case pinned when it started, as far as this workflow needs them. */
export interface CasePlan {
  programYear: number;
  reviewChain: ReviewStep[];
  correctionDays: number;
}

export interface CaseWorkflowInput extends CaseStartInput {
  plan: CasePlan;
}

const DAY_MS = 86_400_000;

/**
 * One certification case. This first part runs the application through its review chain:
 * each reviewer approves (next reviewer), returns (the enterprise corrects, then the first
 * reviewer again) or rejects. People act through the completeTask update.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState> {
  const state: CaseState = {
    caseId: input.caseId,
    programId: input.programId,
    programVersion: input.programVersion,
    track: input.track,
    stage: 'submitted',
    status: 'active',
    application: input.application,
    applicationVersion: 1,
    openTask: null,
    decisions: [],
  };
  let taskSequence = 0;
  let arrived: Decision | null = null;
  // How far the case has moved on: -1 until its first task is open, then the number of decisions
  // fully handled (next task open, or the case finished). Updates answer only once settled.
  let settledDecisions = -1;
  const settle = () => {
    settledDecisions = state.decisions.length;
  };

  setHandler(caseStateQuery, () => state);
  setHandler(caseSettledUpdate, async () => {
    await condition(() => settledDecisions >= 0);
    return state;
  });
  setHandler(
    completeTaskUpdate,
    async ({ taskId, actor, payload }) => {
      const decision: Decision = {
        taskId,
        stage: state.openTask!.stage,
        outcome: payload.outcome,
        comment: payload.comment?.trim() || null,
        actor,
        decidedAt: new Date().toISOString(),
      };
      // Closing synchronously means a second completion of the same task fails validation.
      state.openTask = null;
      if (payload.outcome === 'resubmit') {
        state.application = payload.application;
        state.applicationVersion += 1;
      }
      const position = state.decisions.push(decision);
      arrived = decision;
      await condition(() => settledDecisions >= position);
      return state;
    },
    {
      validator: ({ taskId, actor, payload }) => {
        const refusal = completionRefusal(state.openTask, taskId, actor, payload);
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code, refusal);
      },
    },
  );

  upsertSearchAttributes([
    { key: CASE_TRACK, value: input.track },
    { key: CASE_DISTRICT, value: input.application.district },
    { key: PROGRAM_YEAR, value: input.plan.programYear },
  ]);

  await acts.recordCaseSubmitted(input);

  // Mail goes out beside the case, never in its way: an SMTP outage must not hold up decisions.
  const notifications: Promise<void>[] = [];
  const notify = (sending: Promise<unknown>) => {
    notifications.push(sending.then(() => undefined, (error: unknown) => log.warn('notification failed', { error: String(error) })));
  };

  const openTask = async (kind: TaskKind, stage: string, assignment: Assignment, days: number): Promise<void> => {
    taskSequence += 1;
    const now = Date.now();
    const task: TaskRef = {
      id: `${state.caseId}:${taskSequence}:${stage}`,
      kind,
      stage,
      assignment,
      openedAt: new Date(now).toISOString(),
      dueAt: new Date(now + days * DAY_MS).toISOString(),
    };
    state.stage = stage;
    // open in the workflow before the row exists, so the inbox never shows a task the workflow would refuse
    state.openTask = task;
    upsertSearchAttributes([{ key: CASE_STAGE, value: stage }]);
    await acts.openTask({ caseId: state.caseId, task });
    settle();
    notify(acts.notifyTaskOpened({ caseId: state.caseId, task }));
  };

  const awaitDecision = async (): Promise<Decision> => {
    await condition(() => arrived !== null);
    const decision = arrived!;
    arrived = null;
    return decision;
  };

  const jurisdictionFor = (step: ReviewStep): string | null =>
    step.role === 'district_officer' ? state.application.district : null;

  let reviewIndex = 0;
  for (;;) {
    const step = input.plan.reviewChain[reviewIndex]!;
    await openTask('review', step.stage, { role: step.role, jurisdiction: jurisdictionFor(step) }, step.reviewDays);
    const decision = await awaitDecision();
    if (decision.outcome === 'resubmit') throw new Error('unreachable: a review task takes a review outcome');
    await acts.recordDecision({ caseId: state.caseId, decision });
    notify(acts.notifyEnterpriseOfDecision({ caseId: state.caseId, uscc: state.application.uscc, decision }));

    const next = nextAfterReview(input.plan.reviewChain, reviewIndex, decision.outcome);
    if (next.kind === 'finished') {
      state.stage = next.stage;
      state.status = next.status;
      upsertSearchAttributes([{ key: CASE_STAGE, value: next.stage }]);
      await acts.recordCaseStage({ caseId: state.caseId, stage: next.stage, status: next.status });
      settle();
      break;
    }
    if (next.kind === 'review') {
      reviewIndex = next.index;
      continue;
    }
    await openTask('correct_application', 'correction', { role: 'enterprise', jurisdiction: state.application.uscc }, input.plan.correctionDays);
    const resubmission = await awaitDecision();
    await acts.recordDecision({
      caseId: state.caseId,
      decision: resubmission,
      resubmitted: { application: state.application, version: state.applicationVersion },
    });
    reviewIndex = 0;
  }

  await Promise.all(notifications);
  await condition(allHandlersFinished);
  return state;
}
