import type { TimelineStep } from './timeline.ts';

/**
 * What a case's deadline means to the case today, read from its timeline (caseTimeline): a deadline
 * the case has gone past (the stage it governs is done: the application handed in, the acceptance
 * materials submitted) is `done`, whatever its date; only the one the case now runs against counts
 * down.
 *
 * - `current`: the case is at the stage the deadline governs, and it has not passed
 * - `overdue`: the same, past it
 * - `ahead`: a stage still to come runs against it
 * - `done`: the stage it governs is behind the case
 * - `closed`: the case has ended; none of its deadlines runs any more
 */
export type DeadlineState = 'current' | 'overdue' | 'ahead' | 'done' | 'closed';

export interface CaseDeadline {
  name: string;
  /** the instant in force (ISO) */
  at: string;
  state: DeadlineState;
}

/** The case's deadlines with their state, by date. */
export function deadlineStates(timeline: readonly TimelineStep[], c: { status: string; deadlines: Record<string, string> }): CaseDeadline[] {
  const running = new Map(timeline.filter((s) => s.deadline && (s.state === 'current' || s.state === 'next')).map((s) => [s.deadline!, s]));
  return Object.entries(c.deadlines)
    .map(([name, at]): CaseDeadline => {
      const step = running.get(name);
      const state: DeadlineState = step ? (step.state === 'current' ? (step.overdue ? 'overdue' : 'current') : 'ahead') : c.status === 'active' ? 'done' : 'closed';
      return { name, at, state };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** Whether a deadline still lies before the case (running now or ahead): what a calendar looks forward to. */
export function stillRunning(state: DeadlineState): boolean {
  return state === 'current' || state === 'overdue' || state === 'ahead';
}
