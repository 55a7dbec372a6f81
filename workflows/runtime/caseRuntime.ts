import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { completionRefusal } from '../../domain/case/authority.ts';
import { TASK_KIND_RULES, runsBeside, type CompletionContext } from '../../domain/tasks/index.ts';
import { DEADLINE_LABELS, type Assignment, type CasePlan, type CaseStartInput, type CaseState, type CaseStatus, type Decision, type TaskKind, type TaskRef } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { compressedReminderSchedule, reminderSchedule, type Reminder } from '../../domain/notifications/reminders.ts';
import { dueAfterDays, formatLocal, localDeadlineAt } from '../../domain/program/calendar.ts';
import type { ReviewStep } from '../../domain/program/types.ts';
import { assignConsultantUpdate, caseSettledUpdate, caseStateQuery, completeTaskUpdate, extendDeadlineUpdate, fileObjectionUpdate, resumeDeadlineUpdate, scheduleAcceptanceUpdate, suspendDeadlineUpdate } from '../case/messages.ts';
import { CASE_DISTRICT, CASE_OVERDUE, CASE_STAGE, CASE_TRACK, PROGRAM_YEAR } from '../searchAttributes.ts';
import { acts, failureMessage, mail, projection } from './activities.ts';

const DAY_MS = 86_400_000;

const refuse = (code: string, message: string): never => {
  throw ApplicationFailure.nonRetryable(message, code);
};

/**
 * What every case has, whatever its track: its state, the updates and queries people use, its
 * tasks (each with its reminder loop), its deadlines (extended, held, resumed) and its closure.
 * Stages act through it; a stage waits for a person with `awaitDecision`, which first answers the
 * updates the case has acted on (they "settle" once the case has moved on), then waits.
 */
export class CaseRuntime {
  readonly state: CaseState;
  readonly plan: CasePlan;
  readonly caseRef: { caseId: string };
  /** the enterprise and district fixed at submission: a correction cannot move the case */
  readonly submittedBy: { uscc: string; district: string };
  /** called when a consultant is engaged (the track decides what the consultant is asked to do) */
  onConsultantEngaged: (() => Promise<void>) | null = null;
  /** what the track's stages know that a completion must respect (the self-compliance checklist, the package) */
  completionContext: () => Omit<CompletionContext, 'submittedBy'> = () => ({ missingChecklist: [] });
  /** the acceptance date was set: the track tells everyone involved */
  onAcceptanceScheduled: (() => Promise<void>) | null = null;
  /** an objection filed in publicity: the track opens the acceptor's task (null: the track has no publicity) */
  onObjection: ((objectionId: string) => Promise<void>) | null = null;

  private taskSequence = 0;
  /** decisions on tasks that move the case, waiting for the flow */
  private readonly inbox: Decision[] = [];
  /** decisions the case has acted on: their updates may answer */
  private readonly settled = new Set<string>();
  private unsettled: string[] = [];
  private hasSettled = false;
  /** bumped by every extension, so a wait on a deadline starts again with the new date */
  private deadlineRevision = 0;
  private readonly notifications: Promise<void>[] = [];
  private readonly watchers = new Map<string, CancellationScope>();
  /** mails waiting for their moment (appointment reminders), cancelled when the case closes */
  private readonly laterMails = new Set<CancellationScope>();
  private overdue = false;

  constructor(input: CaseStartInput) {
    this.plan = input.plan;
    this.state = {
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
      deadlines: { ...input.plan.deadlines },
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
      materials: {},
      agency: null,
      contractFiling: null,
      survey: null,
      acceptanceAppointment: null,
      publicity: null,
      objections: [],
    };
    this.caseRef = { caseId: input.caseId };
    this.submittedBy = { uscc: input.application.uscc, district: input.application.district };
    this.installHandlers();
  }

  // ---- submission and the end ----

  /** The case exists: its search attributes and its projection. If the projection refuses it, the case fails cleanly. */
  async recordSubmission(input: CaseStartInput): Promise<void> {
    upsertSearchAttributes([
      { key: CASE_TRACK, value: input.track },
      { key: CASE_DISTRICT, value: input.application.district },
      { key: PROGRAM_YEAR, value: this.plan.programYear },
    ]);
    try {
      await projection().recordCaseSubmitted(input);
    } catch (error) {
      // The case never came to exist: answer the waiting application, then fail, so the enterprise may apply again.
      this.state.status = 'failed';
      this.state.closure = { reason: `申报无法保存 (the application could not be recorded): ${failureMessage(error)}`, at: new Date().toISOString() };
      this.settle();
      await condition(allHandlersFinished);
      throw ApplicationFailure.nonRetryable(this.state.closure.reason, 'CaseNotRecorded');
    }
  }

  async close(status: Exclude<CaseStatus, 'active'>, stage: string, reason: string | null): Promise<void> {
    const { state } = this;
    // decisions that arrived too late to matter still get their answer: the closed case
    this.unsettled.push(...this.inbox.splice(0).map((d) => d.taskId));
    await this.cancelTasks(state.openTasks, reason ?? status);
    for (const scope of this.laterMails) scope.cancel();
    state.status = status;
    state.closure = reason ? { reason, at: new Date().toISOString() } : null;
    this.setStage(stage);
    await projection().recordCaseClosed({ caseId: state.caseId, status, stage, closure: state.closure, certificate: state.certificate });
    this.settle();
    // rejections and failures reach the enterprise as decisions; a certificate and a lapse have mails of their own
    // from 0.1.0 on: cases certified since print their certificate (running cases replay without it)
    if (status === 'certified' && state.certificate && patched('certificate-document')) {
      this.notify(acts.generateDocument({ caseId: state.caseId, kind: 'certificate' }));
    }
    if (status === 'certified' || status === 'lapsed') {
      const lapsed = state.lapsedDeadline ? { name: state.lapsedDeadline, dueAt: state.deadlines[state.lapsedDeadline]! } : null;
      this.notify(mail.notifyEnterpriseOfClosure({ ...this.caseRef, uscc: state.application.uscc, status, lapsed }));
    }
  }

  /** The named deadline passed: the case lapses, with the date in its reason. */
  async lapse(deadline: string): Promise<void> {
    const dueAt = new Date(this.state.deadlines[deadline]!);
    const due = localDeadlineAt(dueAt, this.plan.timeZone);
    // after 0.1.0 the date reads as every other date on the pages (2026年7月31日 23:59); running cases replay as they were
    const when = patched('lapse-local-date') ? formatLocal(dueAt, this.plan.timeZone) : `${due.date} ${due.time.slice(0, 5)}`;
    this.state.lapsedDeadline = deadline;
    await this.close('lapsed', 'lapsed', `逾期未办理：${DEADLINE_LABELS[deadline] ?? deadline}（${deadline}）期限 ${when} 已过`);
  }

  /** The workflow's last act: every mail sent and every update answered. */
  async finish(): Promise<CaseState> {
    await Promise.all(this.notifications);
    await condition(allHandlersFinished);
    return this.state;
  }

  // ---- tasks ----

  setStage(stage: string): void {
    this.state.stage = stage;
    upsertSearchAttributes([{ key: CASE_STAGE, value: stage }]);
  }

  async openTask(kind: TaskKind, stage: string, assignment: Assignment, dueAt: string | null, extra: Pick<TaskRef, 'subject' | 'adjustsScores' | 'issuesCertificate' | 'quota'> = {}): Promise<TaskRef> {
    const { state } = this;
    this.taskSequence += 1;
    const task: TaskRef = {
      // the subject names the task where it is a word (a checklist item); an id (an objection's) does not
      id: `${state.caseId}:${this.taskSequence}:${extra.subject && /^[a-z_]{1,64}$/.test(extra.subject) ? extra.subject : stage}`,
      kind,
      stage,
      assignment,
      openedAt: new Date().toISOString(),
      dueAt,
      ...extra,
    };
    // a side task (a consultant's) runs beside the case; any other moves the case to its stage
    const movesCase = !runsBeside(kind);
    if (movesCase) this.setStage(stage);
    // open in the workflow before the row exists, so the inbox never shows a task the workflow would refuse
    state.openTasks.push(task);
    await projection().openTask({ caseId: state.caseId, task, caseStage: movesCase ? stage : null });
    this.notify(mail.notifyTaskOpened({ caseId: state.caseId, task }));
    this.watch(task);
    return task;
  }

  async cancelTasks(tasks: TaskRef[], reason: string): Promise<void> {
    if (!tasks.length) return;
    const ids = new Set(tasks.map((t) => t.id));
    this.state.openTasks = this.state.openTasks.filter((t) => !ids.has(t.id));
    for (const id of ids) this.unwatch(id);
    this.refreshOverdue();
    await projection().cancelTasks({ caseId: this.state.caseId, taskIds: [...ids], reason });
  }

  /** Where a review step's task goes: the district's office for district steps (the district fixed at submission). */
  jurisdictionFor(step: Pick<ReviewStep, 'role'>): string | null {
    return step.role === 'district_officer' ? this.submittedBy.district : null;
  }

  /** The enterprise's tasks go to the enterprise that applied. */
  get enterprise(): Assignment {
    return { role: 'enterprise', jurisdiction: this.state.application.uscc };
  }

  /** The consultant's tasks go to the named person (the lead consultant of the contract). */
  get consultant(): Assignment {
    const consultant = this.state.consultant!;
    return { role: 'consultant', jurisdiction: consultant.scopeId, userId: consultant.userId };
  }

  /** The decisions on tasks that run side by side, in whatever order they come (each answered as it comes). */
  async decisionsOn(tasks: TaskRef[]): Promise<Decision[]> {
    const pending = new Set(tasks.map((t) => t.id));
    const decisions: Decision[] = [];
    while (pending.size) {
      const decision = await this.awaitDecision((d) => pending.has(d.taskId), null);
      if (decision === 'lapsed') throw new Error('unreachable: a wait without a deadline does not lapse');
      pending.delete(decision.taskId);
      decisions.push(decision);
    }
    return decisions;
  }

  /** The decision on one task; for waits no deadline can end. */
  async decisionOn(task: TaskRef): Promise<Decision> {
    const decision = await this.awaitDecision((d) => d.taskId === task.id, null);
    if (decision === 'lapsed') throw new Error('unreachable: a wait without a deadline does not lapse');
    return decision;
  }

  /**
   * When a period of `days` plan days from now ends: at the end of a working day (23:59 local), for
   * periods started after 0.1.0 (patched: running cases replay with the clock time they started at).
   * On a compressed calendar (demos, tests) every period shrinks alike and ends where it ends.
   */
  dueIn(days: number): string {
    const { compressedDayMs, timeZone, calendar } = this.plan;
    if (!compressedDayMs && patched('due-end-of-day')) return dueAfterDays(new Date(), days, timeZone, calendar).toISOString();
    return new Date(Date.now() + days * (compressedDayMs ?? DAY_MS)).toISOString();
  }

  /** Mail goes out beside the case, never in its way: an SMTP outage must not hold up decisions. */
  notify(sending: Promise<unknown>): void {
    this.notifications.push(sending.then(() => undefined, (error: unknown) => log.warn('notification failed', { error: String(error) })));
  }

  // ---- waiting for people ----

  /**
   * The next decision the flow wants, or 'lapsed' once the named deadline has passed (null: no
   * deadline). Decisions the case has acted on so far are answered first: the case has moved on.
   */
  async awaitDecision(wanted: (d: Decision) => boolean, deadline: string | null): Promise<Decision | 'lapsed'> {
    this.settle();
    const arrived = () => this.inbox.findIndex(wanted);
    for (;;) {
      const revision = this.deadlineRevision;
      const running = deadline !== null && !this.state.suspensions[deadline];
      const remaining = running ? Date.parse(this.state.deadlines[deadline]!) - Date.now() : null;
      if (remaining !== null && remaining <= 0 && arrived() < 0) return 'lapsed';
      const moved = () => arrived() >= 0 || this.deadlineRevision !== revision;
      if (remaining === null) await condition(moved);
      else await condition(moved, remaining);
      const index = arrived();
      if (index >= 0) {
        const [decision] = this.inbox.splice(index, 1);
        this.unsettled.push(decision!.taskId);
        return decision!;
      }
    }
  }

  /** A task's due date set or moved (an acceptance date announced later): its reminders start over. */
  async rescheduleTask(task: TaskRef, dueAt: string, reason: string, actor: Actor): Promise<void> {
    task.dueAt = dueAt;
    this.unwatch(task.id);
    this.watch(task);
    this.refreshOverdue();
    await projection().recordTaskDue({ caseId: this.state.caseId, taskId: task.id, dueAt, reason, actor });
  }

  /**
   * Mail at a later instant (the day before an appointment), beside the case like every mail; one
   * whose moment has passed is not sent, and a case that closes first sends none of them.
   */
  notifyAt(at: number, send: () => Promise<unknown>): void {
    if (at <= Date.now()) return;
    const scope = new CancellationScope();
    this.laterMails.add(scope);
    this.notify(
      scope
        .run(async () => {
          await sleep(at - Date.now());
          await send();
        })
        .catch((error: unknown) => {
          if (!isCancellation(error)) throw error;
        })
        .finally(() => this.laterMails.delete(scope)),
    );
  }

  /** A deadline of the case's own (a correction period): on record with the others. */
  async setDeadline(name: string, dueAt: string): Promise<void> {
    this.state.deadlines[name] = dueAt;
    await projection().recordDeadlines({ ...this.caseRef, deadlines: this.state.deadlines });
  }

  private settle(): void {
    for (const taskId of this.unsettled) this.settled.add(taskId);
    this.unsettled = [];
    this.hasSettled = true;
  }

  // ---- reminders: each open task has a timer loop of its own, cancelled the moment the task closes ----

  private refreshOverdue(): void {
    const nowOverdue = this.state.openTasks.some((t) => t.dueAt !== null && Date.parse(t.dueAt) < Date.now());
    if (nowOverdue !== this.overdue) {
      this.overdue = nowOverdue;
      upsertSearchAttributes([{ key: CASE_OVERDUE, value: this.overdue }]);
    }
  }

  private scheduleFor(task: TaskRef & { dueAt: string }): Reminder[] {
    const { plan } = this;
    return plan.compressedDayMs
      ? compressedReminderSchedule({ openedAt: task.openedAt, dueAt: task.dueAt, policy: plan.reminders, dayMs: plan.compressedDayMs })
      : reminderSchedule({ openedAt: task.openedAt, dueAt: task.dueAt, policy: plan.reminders, timeZone: plan.timeZone, calendar: plan.calendar });
  }

  private watch(task: TaskRef): void {
    // the checklist items share the acceptance deadline: its submission task reminds once for all of them
    if (task.kind === 'self_compliance_item') return;
    // a task waiting for a date has nothing to remind of yet
    if (task.dueAt === null) return;
    const dated = { ...task, dueAt: task.dueAt };
    const scope = new CancellationScope();
    this.watchers.set(task.id, scope);
    scope
      .run(async () => {
        for (const reminder of this.scheduleFor(dated)) {
          const wait = Date.parse(reminder.at) - Date.now();
          if (wait > 0) await sleep(wait);
          if (reminder.kind === 'overdue' && !this.overdue) {
            this.overdue = true;
            upsertSearchAttributes([{ key: CASE_OVERDUE, value: true }]);
          }
          await mail.sendReminder({ ...this.caseRef, task, reminder }).catch((error: unknown) => {
            if (isCancellation(error)) throw error;
            log.warn('reminder not sent', { task: task.id, reminder: reminder.occurrence, error: String(error) });
          });
        }
      })
      .catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      });
  }

  private unwatch(taskId: string): void {
    this.watchers.get(taskId)?.cancel();
    this.watchers.delete(taskId);
  }

  // ---- deadlines ----

  /** Tasks that run against a case deadline: the enterprise's and the consultant's. */
  private tasksOnDeadline(): TaskRef[] {
    return this.state.openTasks.filter((t) => t.assignment.role === 'enterprise' || runsBeside(t.kind));
  }

  /** A deadline moves: the case's record, its tasks' due dates, their reminders, and any wait on it. */
  private moveDeadline(deadline: string, dueAt: string): TaskRef[] {
    this.state.deadlines[deadline] = dueAt;
    this.deadlineRevision += 1;
    const affected = this.tasksOnDeadline();
    for (const task of affected) {
      task.dueAt = dueAt;
      this.unwatch(task.id);
      if (!this.state.suspensions[deadline]) this.watch(task);
    }
    this.refreshOverdue();
    return affected;
  }

  private validateDeadlineChange(deadline: string, actor: Actor): void {
    if (actor.role !== 'city_officer') refuse('wrong_actor', 'only the city office moves deadlines');
    if (this.state.status !== 'active') refuse('task_closed', `the case is ${this.state.status}`);
    if (!(deadline in this.state.deadlines)) refuse('invalid_payload', `the case has no deadline ${deadline}; it has ${Object.keys(this.state.deadlines).join(', ')}`);
  }

  // ---- decisions: a task completed, rolled back if it cannot be recorded ----

  /** What a decision may change in the state (a kind's effect), kept until the decision is on record. */
  private snapshotForDecision(task: TaskRef) {
    const { openTasks: _restoredApart, decisions: _removedApart, ...changeable } = this.state;
    // the state is plain data (it travels as JSON), so a JSON copy is a deep copy; the sandbox has no structuredClone
    return { task, taskIndex: this.state.openTasks.indexOf(task), changeable: JSON.parse(JSON.stringify(changeable)) as typeof changeable };
  }

  private restoreBefore(decision: Decision, before: ReturnType<CaseRuntime['snapshotForDecision']>): void {
    const { state } = this;
    Object.assign(state, before.changeable);
    state.decisions = state.decisions.filter((d) => d !== decision);
    state.openTasks.splice(before.taskIndex, 0, before.task);
    this.watch(before.task);
    this.refreshOverdue();
  }

  private installHandlers(): void {
    const { state } = this;
    setHandler(caseStateQuery, () => state);

    setHandler(caseSettledUpdate, async () => {
      await condition(() => this.hasSettled);
      return state;
    });

    setHandler(
      completeTaskUpdate,
      async ({ taskId, actor, payload }) => {
        const task = state.openTasks.find((t) => t.id === taskId)!;
        const before = this.snapshotForDecision(task);
        // Closing synchronously means a second completion of the same task fails validation.
        state.openTasks = state.openTasks.filter((t) => t.id !== taskId);
        this.unwatch(taskId);
        this.refreshOverdue();
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
        TASK_KIND_RULES[task.kind].effect?.(state, decision);
        try {
          await projection().recordDecision({ caseId: state.caseId, decision, applicationVersion: state.applicationVersion, acceptanceVersion: state.acceptanceVersion });
        } catch (error) {
          // the decision could not be recorded (its data was refused): the task stays open, as if never sent
          this.restoreBefore(decision, before);
          throw ApplicationFailure.nonRetryable(`办理结果无法保存 (the decision could not be recorded): ${failureMessage(error)}`, 'invalid_payload');
        }
        if (runsBeside(task.kind)) return state;
        this.inbox.push(decision);
        await condition(() => this.settled.has(taskId));
        return state;
      },
      {
        validator: ({ taskId, actor, payload }) => {
          const refusal = completionRefusal(state.openTasks, taskId, actor, payload, { ...this.completionContext(), submittedBy: this.submittedBy });
          if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code, refusal);
        },
      },
    );

    setHandler(
      extendDeadlineUpdate,
      async ({ deadline, dueAt, reason, actor }) => {
        const extension = { deadline, dueAt, reason: reason.trim(), actor, grantedAt: new Date().toISOString() };
        const previousDueAt = state.deadlines[deadline] ?? null;
        state.extensions.push(extension);
        const affected = this.moveDeadline(deadline, dueAt);
        await projection().recordExtension({ caseId: state.caseId, extension, taskIds: affected.map((t) => t.id) });
        // after 0.1.0 the enterprise and its district office hear of it (running cases replay without the mail)
        if (patched('extension-mail')) this.notify(mail.notifyExtension({ ...this.caseRef, uscc: state.application.uscc, extension, previousDueAt }));
        return state;
      },
      {
        validator: ({ deadline, dueAt, reason, actor }) => {
          this.validateDeadlineChange(deadline, actor);
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
        const affected = this.moveDeadline(deadline, state.deadlines[deadline]!);
        await projection().recordDeadlineHold({ caseId: state.caseId, deadline, event: 'suspended', at: since, dueAt: state.deadlines[deadline]!, reason: reason.trim(), actor, taskIds: affected.map((t) => t.id) });
        return state;
      },
      {
        validator: ({ deadline, reason, actor }) => {
          this.validateDeadlineChange(deadline, actor);
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
        const affected = this.moveDeadline(deadline, dueAt);
        await projection().recordDeadlineHold({ caseId: state.caseId, deadline, event: 'resumed', at: now, dueAt, reason: hold.reason, actor, taskIds: affected.map((t) => t.id) });
        return state;
      },
      {
        validator: ({ deadline, actor }) => {
          this.validateDeadlineChange(deadline, actor);
          if (!state.suspensions[deadline]) refuse('invalid_payload', `${deadline} is not on hold`);
        },
      },
    );

    setHandler(
      scheduleAcceptanceUpdate,
      async ({ appointment, at, actor }) => {
        const unchanged = state.acceptanceAppointment?.at === appointment.at && state.acceptanceAppointment.place === appointment.place;
        if (unchanged) return state;
        state.acceptanceAppointment = appointment;
        const task = state.openTasks.find((t) => t.kind === 'acceptance');
        if (task) await this.rescheduleTask(task, at, `验收时间：${appointment.at.replace('T', ' ')}，地点：${appointment.place}`, actor);
        await this.onAcceptanceScheduled?.();
        return state;
      },
      {
        validator: ({ actor, at }) => {
          const acceptor = this.plan.demonstration?.acceptor;
          if (!acceptor) refuse('task_closed', 'this track has no acceptance to schedule');
          if (actor.role !== acceptor) refuse('wrong_actor', `the acceptance is scheduled by ${acceptor}`);
          if (state.status !== 'active' || !state.openTasks.some((t) => t.kind === 'acceptance')) refuse('task_closed', 'the case is not waiting for its acceptance');
          if (!(Date.parse(at) > Date.now())) refuse('invalid_payload', 'the acceptance date must lie in the future');
        },
      },
    );

    setHandler(
      fileObjectionUpdate,
      async ({ objectionId }) => {
        if (state.objections.some((o) => o.id === objectionId)) return state;
        state.objections.push({ id: objectionId, status: 'open' });
        await this.onObjection!(objectionId);
        return state;
      },
      {
        validator: (_objection) => {
          const period = state.publicity;
          if (!this.onObjection || state.status !== 'active' || state.stage !== 'publicity' || !period) refuse('task_closed', 'the case is not in publicity');
          if (Date.now() >= Date.parse(period!.until)) refuse('task_closed', 'the publicity period has ended');
        },
      },
    );

    setHandler(
      assignConsultantUpdate,
      async ({ consultant }) => {
        const previous = state.openTasks.filter((t) => runsBeside(t.kind));
        state.consultant = consultant;
        await projection().recordConsultant({ caseId: state.caseId, consultant });
        await this.cancelTasks(previous, 'consultant changed');
        await this.onConsultantEngaged?.();
        return state;
      },
      {
        validator: ({ consultant, actor }) => {
          if (consultant.role !== 'consultant') refuse('invalid_payload', 'the person engaged must be a consultant of a credit service agency');
          const mayEngage = (actor.role === 'enterprise' && actor.scopeId === state.application.uscc) || actor.role === 'city_officer';
          if (!mayEngage) refuse('wrong_actor', 'the enterprise itself or the city office engages a consultant');
          if (state.status !== 'active' || state.acceptance) refuse('task_closed', 'consultants are engaged for self-compliance, before acceptance');
          if (this.plan.demonstration) refuse('task_closed', 'a demonstration case’s consultant is named in its contract');
        },
      },
    );
  }
}
