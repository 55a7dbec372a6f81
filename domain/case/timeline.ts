import { demonstrationStages } from '../program/program.ts';
import type { TrackDefinition } from '../program/types.ts';

/**
 * A case's stages as its page shows them at the top: what is done, where it stands, what comes
 * next, each with the date it runs against. Read from the track's definition (the program the
 * case pinned), the case's stage and status, its deadlines and its tasks.
 */

/** The corrections: shown only once a case has been sent to one. */
const CORRECTIONS: ReadonlySet<string> = new Set(['correction', 'acceptance_correction', 'package_correction']);

/** Which of a case's deadlines a stage runs against (the others have their tasks' own due dates). */
export const STAGE_DEADLINES: Readonly<Record<string, string>> = {
  correction: 'correction',
  acceptance_correction: 'correction',
  package_correction: 'correction',
  self_compliance: 'acceptanceMaterials',
  district_recommendation: 'recommendation',
  application_package: 'applicationPackage',
  publicity: 'publicity',
};

/** done, current, next; a closed case's last stage `ended`, and the stages it never reached `not_reached`. */
export type TimelineState = 'done' | 'current' | 'next' | 'ended' | 'not_reached';

export interface TimelineStep {
  stage: string;
  state: TimelineState;
  /** when a done stage was finished: its last task completed (the submission: when it was submitted) */
  doneAt: string | null;
  /** the date a current or coming stage runs against; never for a done one (its deadline is past, not pending) */
  dueAt: string | null;
  /** the case's deadline the date is (acceptanceMaterials, correction, …); null for a task's own due date */
  deadline: string | null;
  /** the current stage is past its date */
  overdue: boolean;
  /** the current stage waits for a date someone sets later (验收时间另行通知) */
  dateToBeAnnounced: boolean;
  /** a stage gone through before that a correction sends the case through again */
  again: boolean;
  /** the stage a closed case ended in (rejected, lapsed, …), on its `ended` step */
  ending: string | null;
}

export interface TimelineTask {
  stage: string;
  status: string;
  openedAt: Date | string;
  dueAt?: Date | string | null;
  completedAt?: Date | string | null;
}

export interface TimelineCase {
  stage: string;
  status: string;
  submittedAt: Date | string;
  closedAt?: Date | string | null;
  /** deadline name → instant in force */
  deadlines: Record<string, string>;
  tasks: TimelineTask[];
}

/**
 * The stages of a track in the order a case goes through them. A correction stands before the
 * review it leads back to: after a return the chain starts again from its first step.
 */
export function trackPath(track: TrackDefinition): string[] {
  if (track.demonstration) return ['submitted', ...demonstrationStages(track.demonstration)];
  const chain = (steps: { stage: string }[], correction: string) => (steps.length ? [correction, ...steps.map((step) => step.stage)] : []);
  return ['submitted', ...chain(track.applicationReview, 'correction'), 'self_compliance', ...chain(track.acceptanceReview, 'acceptance_correction')];
}

const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);
const latest = (values: (string | null)[]): string | null => values.filter((v): v is string => v !== null).sort().at(-1) ?? null;
const earliest = (values: (string | null)[]): string | null => values.filter((v): v is string => v !== null).sort()[0] ?? null;

const stepOf = (stage: string, state: TimelineState, values: Partial<TimelineStep> = {}): TimelineStep => ({
  stage,
  state,
  doneAt: null,
  dueAt: null,
  deadline: null,
  overdue: false,
  dateToBeAnnounced: false,
  again: false,
  ending: null,
  ...values,
});

/** The stage a closed case stood in last: its latest task's (the submission, if it had none). */
function lastStage(tasks: TimelineTask[]): string {
  return [...tasks].sort((a, b) => (iso(a.openedAt)! < iso(b.openedAt)! ? -1 : 1)).at(-1)?.stage ?? 'submitted';
}

/** The case's timeline: every stage of its track once, the one it is at marked, and where it ends (the certificate). */
export function caseTimeline(track: TrackDefinition, c: TimelineCase, now: Date): TimelineStep[] {
  const visited = new Set(c.tasks.map((t) => t.stage));
  const closed = c.status !== 'active';
  const certified = c.status === 'certified';
  const reached = closed ? lastStage(c.tasks) : c.stage;
  const path = trackPath(track).filter((stage) => !CORRECTIONS.has(stage) || visited.has(stage) || stage === reached);
  // a stage the track does not name (a newer workflow's): where the case is, after the last stage it has been in
  if (!path.includes(reached)) {
    const after = path.reduce((last, stage, i) => (visited.has(stage) ? i : last), 0);
    path.splice(after + 1, 0, reached);
  }
  const at = certified ? path.length : path.indexOf(reached);

  const tasksIn = (stage: string) => c.tasks.filter((t) => t.stage === stage);
  const finishedIn = (stage: string) => tasksIn(stage).filter((t) => t.status === 'completed');
  // since the last return, the chain runs from its start again
  const lastCorrection = latest(c.tasks.filter((t) => CORRECTIONS.has(t.stage)).map((t) => iso(t.openedAt)));
  const deadlineOf = (stage: string) => {
    const name = STAGE_DEADLINES[stage];
    return name && c.deadlines[name] ? { name, at: iso(c.deadlines[name])! } : null;
  };

  const steps = path.map((stage, i): TimelineStep => {
    const state: TimelineState = i < at ? 'done' : i === at ? (closed ? 'ended' : 'current') : closed ? 'not_reached' : 'next';
    const step = stepOf(stage, state, { ending: state === 'ended' ? c.stage : null });
    if (state === 'done') {
      step.doneAt = stage === 'submitted' ? iso(c.submittedAt) : latest(finishedIn(stage).map((t) => iso(t.completedAt)));
      return step;
    }
    if (state !== 'current' && state !== 'next') return step;
    step.again = lastCorrection !== null && finishedIn(stage).some((t) => iso(t.completedAt)! <= lastCorrection);
    const deadline = deadlineOf(stage);
    if (deadline) {
      step.dueAt = deadline.at;
      step.deadline = deadline.name;
    } else if (state === 'current') {
      const open = tasksIn(stage).filter((t) => t.status === 'open');
      step.dueAt = earliest(open.map((t) => iso(t.dueAt)));
      step.dateToBeAnnounced = open.length > 0 && open.every((t) => !t.dueAt);
    }
    step.overdue = state === 'current' && step.dueAt !== null && Date.parse(step.dueAt) < now.getTime();
    return step;
  });

  // where the track leads: the certificate, ahead or held; a case closed otherwise ended on its last stage
  if (certified) steps.push(stepOf('certified', 'done', { doneAt: iso(c.closedAt) }));
  if (!closed) steps.push(stepOf('certified', 'next'));
  return steps;
}
