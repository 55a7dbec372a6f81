import type { TaskKind } from '../../domain/case/model.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';

export interface CorrectionStep {
  /** the enterprise's task: a corrected application, acceptance materials or a package handed in again */
  kind: Extract<TaskKind, 'correct_application' | 'acceptance_submission' | 'application_package'>;
  stage: string;
  /** a deadline the correction period never ends before (the acceptance materials' own) */
  notBefore?: string;
}

/**
 * 退回补正: the enterprise corrects what a review returned, within the program's correction period
 * (never before `notBefore`). False when it does not in time and the case has lapsed.
 */
export async function correction(rt: CaseRuntime, step: CorrectionStep): Promise<boolean> {
  const { state, plan } = rt;
  const deadline = 'correction';
  const byCorrectionDays = rt.dueIn(plan.correctionDays);
  const floor = step.notBefore ? state.deadlines[step.notBefore] : undefined;
  await rt.setDeadline(deadline, floor && floor > byCorrectionDays ? floor : byCorrectionDays);
  const task = await rt.openTask(step.kind, step.stage, { role: 'enterprise', jurisdiction: state.application.uscc }, state.deadlines[deadline]!);
  const decision = await rt.awaitDecision((d) => d.taskId === task.id, deadline);
  if (decision === 'lapsed') {
    await rt.lapse(deadline);
    return false;
  }
  return true;
}
