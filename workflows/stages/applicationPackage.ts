import { mail } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';
import { correction } from './correction.ts';

/** 申报时间: the package's deadline (8月15日 municipal, 11月30日 provincial). */
export const PACKAGE_DEADLINE = 'applicationPackage';

/** The package check the completion validator applies: what the case holds, against the package's items. */
export function packageContext(rt: CaseRuntime) {
  return () => ({ missingChecklist: [], package: { held: rt.state.materials, items: rt.plan.demonstration!.packageItems } });
}

/**
 * 申报材料: the enterprise completes the package (it goes in only when every item is present) before
 * the deadline; the city submits it to the acceptor or returns it for correction. False when the
 * case lapsed.
 */
export async function applicationPackage(rt: CaseRuntime): Promise<boolean> {
  const submitter = rt.plan.demonstration!.packageSubmitter;
  const task = await rt.openTask('application_package', 'application_package', rt.enterprise, rt.state.deadlines[PACKAGE_DEADLINE]!);
  if ((await rt.awaitDecision((d) => d.taskId === task.id, PACKAGE_DEADLINE)) === 'lapsed') {
    await rt.lapse(PACKAGE_DEADLINE);
    return false;
  }
  for (;;) {
    const submission = await rt.openTask('submit_package', 'package_submission', { role: submitter, jurisdiction: null }, rt.dueIn(rt.plan.correctionDays));
    const decision = await rt.decisionOn(submission);
    rt.notify(mail.notifyEnterpriseOfDecision({ ...rt.caseRef, uscc: rt.state.application.uscc, decision }));
    if (decision.outcome === 'submit') return true;
    if (!(await correction(rt, { kind: 'application_package', stage: 'package_correction', notBefore: PACKAGE_DEADLINE }))) return false;
  }
}
