import type { Decision } from '../../domain/case/model.ts';
import { runsBeside } from '../../domain/tasks/index.ts';
import { projection } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';
/** The deadline the checklist and the acceptance materials run against. */
export const ACCEPTANCE_DEADLINE = 'acceptanceMaterials';

/** The engaged consultant's task beside the enterprise's: guidance, or advice on the internal evaluation report. */
function openConsultantTask(rt: CaseRuntime, kind: 'guidance' | 'consultant_review') {
  const { state } = rt;
  return rt.openTask(kind, state.stage, { role: 'consultant', jurisdiction: null, userId: state.consultant!.userId }, state.deadlines[ACCEPTANCE_DEADLINE]!, {
    subject: kind === 'consultant_review' ? 'internal_evaluation' : 'guidance',
  });
}

/** Acceptance materials wait for the whole checklist: the items not yet done, by title. */
export function checklistContext(rt: CaseRuntime) {
  return () => ({ missingChecklist: rt.plan.selfCompliance.filter((item) => !rt.state.checklist[item.key]).map((item) => item.title) });
}

/** A consultant engaged (or changed) during self-compliance gets the tasks the case is at. */
export function consultantDuringSelfCompliance(rt: CaseRuntime) {
  return async (): Promise<void> => {
    if (rt.state.stage !== 'self_compliance') return;
    await openConsultantTask(rt, 'guidance');
    if (rt.state.checklist.internal_evaluation) await openConsultantTask(rt, 'consultant_review');
  };
}

/**
 * 自主贯标: the checklist, done in any order, and the acceptance materials before the acceptance
 * deadline. False when the deadline passed and the case has lapsed.
 */
export async function selfCompliance(rt: CaseRuntime): Promise<boolean> {
  const { state, plan } = rt;
  const enterprise = { role: 'enterprise' as const, jurisdiction: state.application.uscc };
  const due = state.deadlines[ACCEPTANCE_DEADLINE]!;
  rt.setStage('self_compliance');
  await projection().recordCaseStage({ ...rt.caseRef, stage: 'self_compliance', status: 'active' });
  for (const item of plan.selfCompliance) await rt.openTask('self_compliance_item', 'self_compliance', enterprise, due, { subject: item.key });
  const submission = await rt.openTask('acceptance_submission', 'self_compliance', enterprise, due, { subject: 'acceptance' });
  if (state.consultant) await openConsultantTask(rt, 'guidance');
  const isSelfComplianceStep = (d: Decision) => d.kind === 'self_compliance_item' || d.taskId === submission.id;
  for (;;) {
    const decision = await rt.awaitDecision(isSelfComplianceStep, ACCEPTANCE_DEADLINE);
    if (decision === 'lapsed') {
      await rt.lapse(ACCEPTANCE_DEADLINE);
      return false;
    }
    if (decision.taskId === submission.id) {
      await rt.cancelTasks(state.openTasks.filter((t) => runsBeside(t.kind)), 'acceptance materials submitted');
      return true;
    }
    state.checklist[decision.subject!] = decision.decidedAt;
    if (decision.subject === 'internal_evaluation' && state.consultant) await openConsultantTask(rt, 'consultant_review');
  }
}
