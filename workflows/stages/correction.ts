import type { CaseRuntime } from '../runtime/caseRuntime.ts';

export const ACCEPTANCE_DEADLINE = 'acceptanceMaterials';

/**
 * 退回补正: the enterprise corrects what a review returned, within the correction period (for
 * acceptance materials, not before the acceptance deadline itself). False when it does not in time
 * and the case has lapsed.
 */
export async function correction(rt: CaseRuntime, phase: 'application' | 'acceptance'): Promise<boolean> {
  const { state, plan } = rt;
  const deadline = 'correction';
  const byCorrectionDays = rt.dueIn(plan.correctionDays);
  const acceptanceDue = state.deadlines[ACCEPTANCE_DEADLINE];
  await rt.setDeadline(deadline, phase === 'acceptance' && acceptanceDue && acceptanceDue > byCorrectionDays ? acceptanceDue : byCorrectionDays);
  const enterprise = { role: 'enterprise' as const, jurisdiction: state.application.uscc };
  const task =
    phase === 'application'
      ? await rt.openTask('correct_application', 'correction', enterprise, state.deadlines[deadline]!)
      : await rt.openTask('acceptance_submission', 'acceptance_correction', enterprise, state.deadlines[deadline]!);
  const decision = await rt.awaitDecision((d) => d.taskId === task.id, deadline);
  if (decision === 'lapsed') {
    await rt.lapse(deadline);
    return false;
  }
  return true;
}
