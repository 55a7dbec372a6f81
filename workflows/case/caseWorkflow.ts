import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';
import { completionRefusal } from '../../domain/case/authority.ts';
import {
  DEADLINE_LABELS,
  SIDE_TASK_KINDS,
  type Assignment,
  type CaseStartInput,
  type CaseState,
  type CaseStatus,
  type Decision,
  type TaskKind,
  type TaskRef,
} from '../../domain/case/model.ts';
import { nextInChain } from '../../domain/case/reviewChain.ts';
import { localDeadlineAt } from '../../domain/program/calendar.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { ReviewStep } from '../../domain/program/types.ts';
import { compressedReminderSchedule, reminderSchedule, type Reminder } from '../../domain/notifications/reminders.ts';
import { CASE_DISTRICT, CASE_OVERDUE, CASE_STAGE, CASE_TRACK, PROGRAM_YEAR } from '../searchAttributes.ts';
import {
  assignConsultantUpdate,
  caseSettledUpdate,
  caseStateQuery,
  completeTaskUpdate,
  extendDeadlineUpdate,
  resumeDeadlineUpdate,
  suspendDeadlineUpdate,
} from './messages.ts';

const acts = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Mail: a short timeout, so a worker that died mid-send is noticed soon and the mail log settles. */
const mail = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const DAY_MS = 86_400_000;
const ACCEPTANCE_DEADLINE = 'acceptanceMaterials';

type ChainResult = { result: 'passed' | 'rejected'; decision: Decision } | { result: 'lapsed' };

/** The innermost message of an activity's failure: the cause says what was refused. */
function failureMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(error);
}

/**
 * One standard-compliance (贯标) case, from submission to certificate:
 * application review chain (district review, district batch forwarding, city review, with
 * return-and-correct loops) → self-compliance checklist and acceptance submission before the
 * acceptance deadline → acceptance chain (district check, city acceptance with score
 * adjustments, prefecture review issuing the certificate). A missed deadline lapses the case.
 * People act through updates; reads come from the PostgreSQL projection the activities write.
 */
export async function caseWorkflow(input: CaseStartInput): Promise<CaseState> {
  const { plan } = input;
  const state: CaseState = {
    caseId: input.caseId,
    programId: input.programId,
    programVersion: input.programVersion,
    track: input.track,
    stage: 'submitted',
    status: 'active',
    application: input.application,
    applicationVersion: 1,
    openTasks: [],
    decisions: [],
    deadlines: { ...plan.deadlines },
    extensions: [],
    checklist: {},
    consultant: null,
    acceptance: null,
    acceptanceVersion: 0,
    reviewerScores: {},
    certificate: null,
    closure: null,
    lapsedDeadline: null,
    suspensions: {},
  };
  const caseRef = { caseId: state.caseId };
  const submittedEnterprise = { uscc: input.application.uscc, district: input.application.district };
  let taskSequence = 0;
  /** decisions on tasks that move the case, waiting for the main flow */
  const inbox: Decision[] = [];
  /** decisions the case has acted on: their updates may answer */
  const settled = new Set<string>();
  let unsettled: string[] = [];
  let hasSettled = false;
  /** bumped by every extension, so a wait on a deadline starts again with the new date */
  let deadlineRevision = 0;

  const settle = () => {
    for (const taskId of unsettled) settled.add(taskId);
    unsettled = [];
    hasSettled = true;
  };

  // Mail goes out beside the case, never in its way: an SMTP outage must not hold up decisions.
  const notifications: Promise<void>[] = [];
  const notify = (sending: Promise<unknown>) => {
    notifications.push(sending.then(() => undefined, (error: unknown) => log.warn('notification failed', { error: String(error) })));
  };

  // Reminders: each open task has a timer loop of its own, cancelled the moment the task closes.
  const watchers = new Map<string, CancellationScope>();
  let overdue = false;
  const refreshOverdue = () => {
    const nowOverdue = state.openTasks.some((t) => Date.parse(t.dueAt) < Date.now());
    if (nowOverdue !== overdue) {
      overdue = nowOverdue;
      upsertSearchAttributes([{ key: CASE_OVERDUE, value: overdue }]);
    }
  };
  const scheduleFor = (task: TaskRef): Reminder[] =>
    plan.compressedDayMs
      ? compressedReminderSchedule({ openedAt: task.openedAt, dueAt: task.dueAt, policy: plan.reminders, dayMs: plan.compressedDayMs })
      : reminderSchedule({ openedAt: task.openedAt, dueAt: task.dueAt, policy: plan.reminders, timeZone: plan.timeZone, calendar: plan.calendar });
  const watch = (task: TaskRef) => {
    // the checklist items share the acceptance deadline: its submission task reminds once for all of them
    if (task.kind === 'self_compliance_item') return;
    const scope = new CancellationScope();
    watchers.set(task.id, scope);
    scope
      .run(async () => {
        for (const reminder of scheduleFor(task)) {
          const wait = Date.parse(reminder.at) - Date.now();
          if (wait > 0) await sleep(wait);
          if (reminder.kind === 'overdue' && !overdue) {
            overdue = true;
            upsertSearchAttributes([{ key: CASE_OVERDUE, value: true }]);
          }
          await mail.sendReminder({ ...caseRef, task, reminder }).catch((error: unknown) => {
            if (isCancellation(error)) throw error;
            log.warn('reminder not sent', { task: task.id, reminder: reminder.occurrence, error: String(error) });
          });
        }
      })
      .catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      });
  };
  const unwatch = (taskId: string) => {
    watchers.get(taskId)?.cancel();
    watchers.delete(taskId);
  };

  const setStage = (stage: string) => {
    state.stage = stage;
    upsertSearchAttributes([{ key: CASE_STAGE, value: stage }]);
  };

  const openTask = async (
    kind: TaskKind,
    stage: string,
    assignment: Assignment,
    dueAt: string,
    extra: Pick<TaskRef, 'subject' | 'adjustsScores' | 'issuesCertificate'> = {},
  ): Promise<TaskRef> => {
    taskSequence += 1;
    const task: TaskRef = {
      id: `${state.caseId}:${taskSequence}:${extra.subject ?? stage}`,
      kind,
      stage,
      assignment,
      openedAt: new Date().toISOString(),
      dueAt,
      ...extra,
    };
    if (!SIDE_TASK_KINDS.includes(kind)) setStage(stage);
    // open in the workflow before the row exists, so the inbox never shows a task the workflow would refuse
    state.openTasks.push(task);
    await acts.openTask({ caseId: state.caseId, task });
    notify(mail.notifyTaskOpened({ caseId: state.caseId, task }));
    watch(task);
    return task;
  };

  const cancelTasks = async (tasks: TaskRef[], reason: string) => {
    if (!tasks.length) return;
    const ids = new Set(tasks.map((t) => t.id));
    state.openTasks = state.openTasks.filter((t) => !ids.has(t.id));
    for (const id of ids) unwatch(id);
    refreshOverdue();
    await acts.cancelTasks({ caseId: state.caseId, taskIds: [...ids], reason });
  };

  const close = async (status: Exclude<CaseStatus, 'active'>, stage: string, reason: string | null) => {
    // decisions that arrived too late to matter still get their answer: the closed case
    unsettled.push(...inbox.splice(0).map((d) => d.taskId));
    await cancelTasks(state.openTasks, reason ?? status);
    state.status = status;
    state.closure = reason ? { reason, at: new Date().toISOString() } : null;
    setStage(stage);
    await acts.recordCaseClosed({ caseId: state.caseId, status, stage, closure: state.closure, certificate: state.certificate });
    settle();
    // rejections and failures reach the enterprise as decisions; a certificate and a lapse have mails of their own
    if (status === 'certified' || status === 'lapsed') {
      const lapsed = state.lapsedDeadline ? { name: state.lapsedDeadline, dueAt: state.deadlines[state.lapsedDeadline]! } : null;
      notify(mail.notifyEnterpriseOfClosure({ ...caseRef, uscc: state.application.uscc, status, lapsed }));
    }
  };

  const openConsultantTask = (kind: 'guidance' | 'consultant_review') =>
    openTask(kind, state.stage, { role: 'consultant', jurisdiction: null, userId: state.consultant!.userId }, state.deadlines[ACCEPTANCE_DEADLINE]!, {
      subject: kind === 'consultant_review' ? 'internal_evaluation' : 'guidance',
    });

  setHandler(caseStateQuery, () => state);

  setHandler(caseSettledUpdate, async () => {
    await condition(() => hasSettled);
    return state;
  });

  setHandler(
    completeTaskUpdate,
    async ({ taskId, actor, payload }) => {
      const task = state.openTasks.find((t) => t.id === taskId)!;
      const before = snapshotForDecision(task);
      // Closing synchronously means a second completion of the same task fails validation.
      state.openTasks = state.openTasks.filter((t) => t.id !== taskId);
      unwatch(taskId);
      refreshOverdue();
      const decision: Decision = {
        taskId,
        kind: task.kind,
        stage: task.stage,
        subject: task.subject ?? null,
        outcome: payload.outcome,
        comment: payload.comment?.trim() || null,
        actor,
        decidedAt: new Date().toISOString(),
        payload,
      };
      state.decisions.push(decision);
      if (payload.outcome === 'resubmit' && payload.application) {
        state.application = payload.application;
        state.applicationVersion += 1;
      }
      if (payload.outcome === 'submit' && payload.acceptance) {
        state.acceptance = payload.acceptance;
        state.acceptanceVersion += 1;
      }
      for (const adjustment of payload.scoreAdjustments ?? []) state.reviewerScores[adjustment.itemId] = { ...adjustment, actor };
      try {
        await acts.recordDecision({
          caseId: state.caseId,
          decision,
          applicationVersion: state.applicationVersion,
          acceptanceVersion: state.acceptanceVersion,
        });
      } catch (error) {
        // the decision could not be recorded (its data was refused): the task stays open, as if never sent
        restoreBefore(decision, before);
        throw ApplicationFailure.nonRetryable(`办理结果无法保存 (the decision could not be recorded): ${failureMessage(error)}`, 'invalid_payload');
      }
      if (SIDE_TASK_KINDS.includes(task.kind)) return state;
      inbox.push(decision);
      await condition(() => settled.has(taskId));
      return state;
    },
    {
      validator: ({ taskId, actor, payload }) => {
        const missingChecklist = plan.selfCompliance.filter((item) => !state.checklist[item.key]).map((item) => item.title);
        const refusal = completionRefusal(state.openTasks, taskId, actor, payload, { missingChecklist, submittedBy: submittedEnterprise });
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code, refusal);
      },
    },
  );

  /** What a decision changes in the state, kept until the decision is on record. */
  const snapshotForDecision = (task: TaskRef) => ({
    task,
    taskIndex: state.openTasks.indexOf(task),
    application: state.application,
    applicationVersion: state.applicationVersion,
    acceptance: state.acceptance,
    acceptanceVersion: state.acceptanceVersion,
    reviewerScores: { ...state.reviewerScores },
  });
  const restoreBefore = (decision: Decision, before: ReturnType<typeof snapshotForDecision>) => {
    state.decisions = state.decisions.filter((d) => d !== decision);
    state.openTasks.splice(before.taskIndex, 0, before.task);
    state.application = before.application;
    state.applicationVersion = before.applicationVersion;
    state.acceptance = before.acceptance;
    state.acceptanceVersion = before.acceptanceVersion;
    state.reviewerScores = before.reviewerScores;
    watch(before.task);
    refreshOverdue();
  };

  /** Tasks that run against a case deadline: the enterprise's and the consultant's. */
  const tasksOnDeadline = () => state.openTasks.filter((t) => t.assignment.role === 'enterprise' || SIDE_TASK_KINDS.includes(t.kind));

  /** A deadline moves: the case's record, its tasks' due dates, their reminders, and any wait on it. */
  const moveDeadline = (deadline: string, dueAt: string): TaskRef[] => {
    state.deadlines[deadline] = dueAt;
    deadlineRevision += 1;
    const affected = tasksOnDeadline();
    for (const task of affected) {
      task.dueAt = dueAt;
      unwatch(task.id);
      if (!state.suspensions[deadline]) watch(task);
    }
    refreshOverdue();
    return affected;
  };

  const refuse = (code: string, message: string): never => {
    throw ApplicationFailure.nonRetryable(message, code);
  };
  const validateDeadlineChange = (deadline: string, actor: Actor) => {
    if (actor.role !== 'city_officer') refuse('wrong_actor', 'only the city office moves deadlines');
    if (state.status !== 'active') refuse('task_closed', `the case is ${state.status}`);
    if (!(deadline in state.deadlines)) refuse('invalid_payload', `the case has no deadline ${deadline}; it has ${Object.keys(state.deadlines).join(', ')}`);
  };

  setHandler(
    extendDeadlineUpdate,
    async ({ deadline, dueAt, reason, actor }) => {
      const extension = { deadline, dueAt, reason: reason.trim(), actor, grantedAt: new Date().toISOString() };
      state.extensions.push(extension);
      const affected = moveDeadline(deadline, dueAt);
      await acts.recordExtension({ caseId: state.caseId, extension, taskIds: affected.map((t) => t.id) });
      return state;
    },
    {
      validator: ({ deadline, dueAt, reason, actor }) => {
        validateDeadlineChange(deadline, actor);
        if (state.suspensions[deadline]) refuse('invalid_payload', `${deadline} is on hold; resume it first`);
        if (!(Date.parse(dueAt) > Date.now())) refuse('invalid_payload', 'the new due date must lie in the future');
        if (!reason?.trim()) refuse('invalid_payload', 'a reason is required');
      },
    },
  );

  setHandler(
    suspendDeadlineUpdate,
    async ({ deadline, reason, actor }) => {
      const since = new Date().toISOString();
      state.suspensions[deadline] = { since, reason: reason.trim(), actor };
      const affected = moveDeadline(deadline, state.deadlines[deadline]!);
      await acts.recordDeadlineHold({ caseId: state.caseId, deadline, event: 'suspended', at: since, dueAt: state.deadlines[deadline]!, reason: reason.trim(), actor, taskIds: affected.map((t) => t.id) });
      return state;
    },
    {
      validator: ({ deadline, reason, actor }) => {
        validateDeadlineChange(deadline, actor);
        if (state.suspensions[deadline]) refuse('invalid_payload', `${deadline} is already on hold`);
        if (!reason?.trim()) refuse('invalid_payload', 'a reason is required');
      },
    },
  );

  setHandler(
    resumeDeadlineUpdate,
    async ({ deadline, actor }) => {
      const hold = state.suspensions[deadline]!;
      delete state.suspensions[deadline];
      const now = new Date().toISOString();
      const heldMs = Date.parse(now) - Date.parse(hold.since);
      const dueAt = new Date(Date.parse(state.deadlines[deadline]!) + heldMs).toISOString();
      const affected = moveDeadline(deadline, dueAt);
      await acts.recordDeadlineHold({ caseId: state.caseId, deadline, event: 'resumed', at: now, dueAt, reason: hold.reason, actor, taskIds: affected.map((t) => t.id) });
      return state;
    },
    {
      validator: ({ deadline, actor }) => {
        validateDeadlineChange(deadline, actor);
        if (!state.suspensions[deadline]) refuse('invalid_payload', `${deadline} is not on hold`);
      },
    },
  );

  setHandler(
    assignConsultantUpdate,
    async ({ consultant }) => {
      const previous = state.openTasks.filter((t) => SIDE_TASK_KINDS.includes(t.kind));
      state.consultant = consultant;
      await acts.recordConsultant({ caseId: state.caseId, consultant });
      await cancelTasks(previous, 'consultant changed');
      if (state.stage === 'self_compliance') {
        await openConsultantTask('guidance');
        if (state.checklist.internal_evaluation) await openConsultantTask('consultant_review');
      }
      return state;
    },
    {
      validator: ({ consultant, actor }) => {
        if (consultant.role !== 'consultant') refuse('invalid_payload', 'the person engaged must be a consultant of a credit service agency');
        const mayEngage = (actor.role === 'enterprise' && actor.scopeId === state.application.uscc) || actor.role === 'city_officer';
        if (!mayEngage) refuse('wrong_actor', 'the enterprise itself or the city office engages a consultant');
        if (state.status !== 'active' || state.acceptance) refuse('task_closed', 'consultants are engaged for self-compliance, before acceptance');
      },
    },
  );

  /** The next decision the flow is waiting for, or 'lapsed' once the named deadline has passed. */
  const decisionBefore = async (wanted: (d: Decision) => boolean, deadline: string | null): Promise<Decision | 'lapsed'> => {
    const arrived = () => inbox.findIndex(wanted);
    for (;;) {
      const revision = deadlineRevision;
      const running = deadline !== null && !state.suspensions[deadline];
      const remaining = running ? Date.parse(state.deadlines[deadline]!) - Date.now() : null;
      if (remaining !== null && remaining <= 0 && arrived() < 0) return 'lapsed';
      const moved = () => arrived() >= 0 || deadlineRevision !== revision;
      if (remaining === null) await condition(moved);
      else await condition(moved, remaining);
      const index = arrived();
      if (index >= 0) {
        const [decision] = inbox.splice(index, 1);
        unsettled.push(decision!.taskId);
        return decision!;
      }
    }
  };

  const lapse = async (deadline: string) => {
    const due = localDeadlineAt(new Date(state.deadlines[deadline]!), plan.timeZone);
    state.lapsedDeadline = deadline;
    await close('lapsed', 'lapsed', `逾期未办理：${DEADLINE_LABELS[deadline] ?? deadline}（${deadline}）期限 ${due.date} ${due.time.slice(0, 5)} 已过`);
  };

  // the district is fixed at submission: a correction cannot move the case to another office
  const jurisdictionFor = (step: ReviewStep): string | null => (step.role === 'district_officer' ? submittedEnterprise.district : null);
  // on a compressed calendar (demos, tests) every period of the plan shrinks alike
  const dayMs = plan.compressedDayMs ?? DAY_MS;
  const dueIn = (days: number) => new Date(Date.now() + days * dayMs).toISOString();

  /** The enterprise corrects what was returned; 'lapsed' when it does not in time. */
  const correct = async (phase: 'application' | 'acceptance'): Promise<boolean> => {
    const deadline = 'correction';
    const byCorrectionDays = dueIn(plan.correctionDays);
    const acceptanceDue = state.deadlines[ACCEPTANCE_DEADLINE];
    state.deadlines[deadline] = phase === 'acceptance' && acceptanceDue && acceptanceDue > byCorrectionDays ? acceptanceDue : byCorrectionDays;
    await acts.recordDeadlines({ ...caseRef, deadlines: state.deadlines });
    const enterprise = { role: 'enterprise' as const, jurisdiction: state.application.uscc };
    const task =
      phase === 'application'
        ? await openTask('correct_application', 'correction', enterprise, state.deadlines[deadline]!)
        : await openTask('acceptance_submission', 'acceptance_correction', enterprise, state.deadlines[deadline]!);
    settle();
    const decision = await decisionBefore((d) => d.taskId === task.id, deadline);
    if (decision === 'lapsed') {
      await lapse(deadline);
      return false;
    }
    return true;
  };

  const runChain = async (chain: ReviewStep[], phase: 'application' | 'acceptance'): Promise<ChainResult> => {
    let index = 0;
    for (;;) {
      const step = chain[index]!;
      const task = await openTask(step.kind === 'forward' ? 'forward' : 'review', step.stage, { role: step.role, jurisdiction: jurisdictionFor(step) }, dueIn(step.reviewDays), {
        adjustsScores: step.adjustsScores ?? false,
        issuesCertificate: step.issuesCertificate ?? false,
      });
      settle();
      const decision = await decisionBefore((d) => d.taskId === task.id, null);
      if (decision === 'lapsed') throw new Error('unreachable: reviews have no lapsing deadline');
      notify(mail.notifyEnterpriseOfDecision({ ...caseRef, uscc: state.application.uscc, decision }));
      const next = nextInChain(chain, index, decision.outcome);
      if (next.kind === 'passed' || next.kind === 'rejected') return { result: next.kind, decision };
      if (next.kind === 'step') {
        index = next.index;
        continue;
      }
      if (!(await correct(phase))) return { result: 'lapsed' };
      index = 0;
    }
  };

  /** 自主贯标: the checklist, done in any order, and the acceptance materials before the deadline. */
  const selfCompliance = async (): Promise<boolean> => {
    const enterprise = { role: 'enterprise' as const, jurisdiction: state.application.uscc };
    const due = state.deadlines[ACCEPTANCE_DEADLINE]!;
    setStage('self_compliance');
    await acts.recordCaseStage({ ...caseRef, stage: 'self_compliance', status: 'active' });
    for (const item of plan.selfCompliance) await openTask('self_compliance_item', 'self_compliance', enterprise, due, { subject: item.key });
    const submission = await openTask('acceptance_submission', 'self_compliance', enterprise, due, { subject: 'acceptance' });
    if (state.consultant) await openConsultantTask('guidance');
    settle();
    const isSelfComplianceStep = (d: Decision) => d.kind === 'self_compliance_item' || d.taskId === submission.id;
    for (;;) {
      const decision = await decisionBefore(isSelfComplianceStep, ACCEPTANCE_DEADLINE);
      if (decision === 'lapsed') {
        await lapse(ACCEPTANCE_DEADLINE);
        return false;
      }
      if (decision.taskId === submission.id) {
        await cancelTasks(state.openTasks.filter((t) => SIDE_TASK_KINDS.includes(t.kind)), 'acceptance materials submitted');
        return true;
      }
      state.checklist[decision.subject!] = decision.decidedAt;
      if (decision.subject === 'internal_evaluation' && state.consultant) await openConsultantTask('consultant_review');
      settle();
    }
  };

  upsertSearchAttributes([
    { key: CASE_TRACK, value: input.track },
    { key: CASE_DISTRICT, value: input.application.district },
    { key: PROGRAM_YEAR, value: plan.programYear },
  ]);
  try {
    await acts.recordCaseSubmitted(input);
  } catch (error) {
    // The case never came to exist: answer the waiting application, then fail, so the enterprise may apply again.
    state.status = 'failed';
    state.closure = { reason: `申报无法保存 (the application could not be recorded): ${failureMessage(error)}`, at: new Date().toISOString() };
    settle();
    await condition(allHandlersFinished);
    throw ApplicationFailure.nonRetryable(state.closure.reason, 'CaseNotRecorded');
  }

  const application = await runChain(plan.applicationReview, 'application');
  if (application.result === 'rejected') {
    await close('rejected', 'rejected', application.decision.comment);
  } else if (application.result === 'passed' && (await selfCompliance())) {
    const acceptance = await runChain(plan.acceptanceReview, 'acceptance');
    if (acceptance.result === 'passed') {
      state.certificate = acceptance.decision.payload.certificate ?? null;
      await close('certified', 'certified', null);
    } else if (acceptance.result === 'rejected') {
      await close('failed', 'failed', acceptance.decision.comment);
    }
  }

  await Promise.all(notifications);
  await condition(allHandlersFinished);
  return state;
}
