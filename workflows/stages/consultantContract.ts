import { mail } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';

/**
 * 咨询辅导合同: the enterprise chooses a credit service agency; the agency names its lead consultant
 * and uploads the contract signed by both; the Suzhou credit office verifies, stamps and files it,
 * or returns it to the agency to sign again.
 */
export async function consultantContract(rt: CaseRuntime): Promise<void> {
  const { creationTaskDays: days, contractFiler } = rt.plan.demonstration!;
  const choice = await rt.openTask('choose_agency', 'consultant_contract', rt.enterprise, rt.dueIn(days));
  await rt.decisionOn(choice);
  for (;;) {
    const signing = await rt.openTask('sign_contract', 'consultant_contract', { role: 'consultant', jurisdiction: rt.state.agency }, rt.dueIn(days));
    await rt.decisionOn(signing);
    const filing = await rt.openTask('file_contract', 'contract_filing', { role: contractFiler, jurisdiction: null }, rt.dueIn(days));
    const decision = await rt.decisionOn(filing);
    rt.notify(mail.notifyEnterpriseOfDecision({ ...rt.caseRef, uscc: rt.state.application.uscc, decision }));
    if (decision.outcome === 'file') return;
  }
}
