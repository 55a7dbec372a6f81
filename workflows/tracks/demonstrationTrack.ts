import type { CaseStartInput, CaseState } from '../../domain/case/model.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { CaseRuntime } from '../runtime/caseRuntime.ts';
import { applicationPackage, packageContext } from '../stages/applicationPackage.ts';
import { consultantContract } from '../stages/consultantContract.ts';
import { creation } from '../stages/creation.ts';
import { demonstrationAcceptance, tellOfAcceptance } from '../stages/demonstrationAcceptance.ts';
import { publicity } from '../stages/publicity.ts';
import { recommendation } from '../stages/recommendation.ts';

/**
 * One demonstration case (苏州市级示范 or 江苏省级示范, 二(二) and 二(三)): the same steps for both,
 * with the track's program data (chain, quotas, acceptor, deadlines). Recommendation by district,
 * city (and Suzhou) within quotas → consultant contract filed by Suzhou → creation with the
 * consultant → application package, submitted by the city → acceptance on a date set later →
 * publicity with objections → certificate.
 */
export async function demonstrationTrack(input: CaseStartInput): Promise<CaseState> {
  const rt = new CaseRuntime(input);
  const demo = rt.plan.demonstration!;
  rt.completionContext = packageContext(rt);
  rt.onAcceptanceScheduled = tellOfAcceptance(rt);
  await rt.recordSubmission(input);

  if ((await recommendation(rt, demo.recommendation)) === 'recommended') {
    await consultantContract(rt);
    await creation(rt);
    if (await applicationPackage(rt)) {
      const acceptance = await demonstrationAcceptance(rt);
      if (acceptance.result === 'failed') {
        await rt.close('failed', 'failed', acceptance.decision.comment);
      } else if (acceptance.result === 'passed') {
        if (await publicity(rt)) {
          rt.state.certificate = { number: `${demo.certificatePrefix}〔${rt.plan.programYear}〕${input.application.uscc}`, issuedOn: localDate(new Date(), rt.plan.timeZone) };
          await rt.close('certified', 'certified', null);
        } else {
          await rt.close('failed', 'failed', '公示期间异议成立 (an objection raised in publicity was upheld)');
        }
      }
    }
  }
  return rt.finish();
}
