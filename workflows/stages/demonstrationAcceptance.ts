import type { Decision } from '../../domain/case/model.ts';
import { deadlineInstant } from '../../domain/program/calendar.ts';
import { mail } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';
import { tellOfAppointment } from './creation.ts';

export type AcceptanceResult = { result: 'passed' | 'failed'; decision: Decision } | { result: 'lapsed' };

/** Everyone involved hears of the acceptance date, and is reminded the day before. */
export function tellOfAcceptance(rt: CaseRuntime) {
  return async (): Promise<void> => tellOfAppointment(rt, 'acceptance', rt.state.acceptanceAppointment!);
}

/**
 * 示范验收: the acceptor's task waits with no due date until the acceptor sets the date for a group
 * of cases (另行通知; scheduleAcceptance); then the acceptor records the result per case: pass, fail
 * with reasons, or return for the package to be corrected by a date, after which a new date is set.
 */
export async function demonstrationAcceptance(rt: CaseRuntime): Promise<AcceptanceResult> {
  const acceptor = rt.plan.demonstration!.acceptor;
  for (;;) {
    rt.state.acceptanceAppointment = null;
    const task = await rt.openTask('acceptance', 'acceptance', { role: acceptor, jurisdiction: null }, null);
    const decision = await rt.decisionOn(task);
    rt.notify(mail.notifyEnterpriseOfDecision({ ...rt.caseRef, uscc: rt.state.application.uscc, decision }));
    if (decision.outcome === 'pass') return { result: 'passed', decision };
    if (decision.outcome === 'fail') return { result: 'failed', decision };
    const correctionDue = deadlineInstant({ date: decision.payload.correctionDueOn!, time: '23:59', inclusive: true }, rt.plan.timeZone).toISOString();
    await rt.setDeadline('correction', correctionDue);
    const corrected = await rt.openTask('application_package', 'package_correction', rt.enterprise, correctionDue);
    if ((await rt.awaitDecision((d) => d.taskId === corrected.id, 'correction')) === 'lapsed') {
      await rt.lapse('correction');
      return { result: 'lapsed' };
    }
  }
}
