import type { CaseStartInput, CaseState } from '../../domain/case/model.ts';
import { CaseRuntime } from '../runtime/caseRuntime.ts';
import { reviewChain } from '../stages/reviewChain.ts';
import { ACCEPTANCE_DEADLINE, checklistContext, consultantDuringSelfCompliance, selfCompliance } from '../stages/selfCompliance.ts';

/**
 * One standard-compliance (贯标) case, from submission to certificate, as the work plan's steps:
 * application review chain (district review, batch forwarding, city review, with return-and-correct
 * loops) → self-compliance checklist and acceptance materials before the acceptance deadline →
 * acceptance chain (district check, city acceptance with score adjustments, prefecture review
 * issuing the certificate). A missed deadline lapses the case. People act through updates; reads
 * come from the PostgreSQL projection the activities write.
 *
 * The workflow type stays `caseWorkflow`: running cases and the saved history carry that name.
 */
export async function caseWorkflow(input: CaseStartInput): Promise<CaseState> {
  const rt = new CaseRuntime(input);
  rt.onConsultantEngaged = consultantDuringSelfCompliance(rt);
  rt.completionContext = checklistContext(rt);
  await rt.recordSubmission(input);

  const application = await reviewChain(rt, rt.plan.applicationReview, { kind: 'correct_application', stage: 'correction' });
  if (application.result === 'rejected') {
    await rt.close('rejected', 'rejected', application.decision.comment);
  } else if (application.result === 'passed' && (await selfCompliance(rt))) {
    const acceptance = await reviewChain(rt, rt.plan.acceptanceReview, { kind: 'acceptance_submission', stage: 'acceptance_correction', notBefore: ACCEPTANCE_DEADLINE });
    if (acceptance.result === 'passed') {
      rt.state.certificate = acceptance.decision.payload.certificate ?? null;
      await rt.close('certified', 'certified', null);
    } else if (acceptance.result === 'rejected') {
      await rt.close('failed', 'failed', acceptance.decision.comment);
    }
  }
  return rt.finish();
}
