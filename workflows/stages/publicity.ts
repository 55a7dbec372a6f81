import { localDate, deadlineInstant } from '../../domain/program/calendar.ts';
import { addWorkingDays } from '../../domain/program/workingDays.ts';
import { projection } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';

export const PUBLICITY_DEADLINE = 'publicity';

/** The end of the publicity period: N working days from today, at the end of that day (compressed: N plan days). */
function publicityEnds(rt: CaseRuntime, workingDays: number): string {
  const { plan } = rt;
  if (plan.compressedDayMs) return rt.dueIn(workingDays);
  const lastDay = addWorkingDays(plan.calendar, localDate(new Date(), plan.timeZone), workingDays);
  return deadlineInstant({ date: lastDay, time: '23:59', inclusive: true }, plan.timeZone).toISOString();
}

/**
 * 公示: the case is listed on the public page for the period; anyone may object, and each objection
 * becomes a task for the acceptor. The case waits until the period has ended and every objection
 * is resolved. True when no objection was upheld.
 */
export async function publicity(rt: CaseRuntime): Promise<boolean> {
  const { state } = rt;
  const { publicityWorkingDays, acceptor } = rt.plan.demonstration!;
  const until = publicityEnds(rt, publicityWorkingDays);
  state.publicity = { from: new Date().toISOString(), until };
  rt.setStage('publicity');
  await rt.setDeadline(PUBLICITY_DEADLINE, until);
  await projection().recordCaseStage({ ...rt.caseRef, stage: 'publicity', status: 'active' });
  rt.onObjection = async (objectionId) => {
    await rt.openTask('objection_review', 'publicity', { role: acceptor, jurisdiction: null }, rt.dueIn(rt.plan.correctionDays), { subject: objectionId });
  };
  const objectionsOpen = () => state.objections.some((o) => o.status === 'open');
  for (;;) {
    const periodOver = Date.now() >= Date.parse(until);
    if (periodOver && !objectionsOpen()) break;
    // until the period ends, wake at its end; after it, only the open objections' decisions matter
    await rt.awaitDecision((d) => d.kind === 'objection_review', periodOver ? null : PUBLICITY_DEADLINE);
  }
  rt.onObjection = null;
  return !state.objections.some((o) => o.status === 'upheld');
}
