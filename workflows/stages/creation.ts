import { localInstant } from '../../domain/program/calendar.ts';
import { mail } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';

const DAY_MS = 86_400_000;

/** Tell the enterprise of an appointment now, and remind it the day before. */
export function tellOfAppointment(rt: CaseRuntime, kind: 'survey' | 'acceptance', appointment: { at: string; place: string }): void {
  const about = { ...rt.caseRef, kind, appointment };
  rt.notify(mail.notifyAppointment({ ...about, occasion: 'set' }));
  const at = localInstant(appointment.at, rt.plan.timeZone).getTime();
  rt.notifyAt(at - (rt.plan.compressedDayMs ?? DAY_MS), () => mail.notifyAppointment({ ...about, occasion: 'reminder' }));
}

/**
 * 示范创建 with the consultant, each step a task with its owner and due date: the on-site survey
 * (scheduled, then its report with the receipt the enterprise head signed), the problem diagnosis,
 * the internal evaluation, the enterprise's demonstration work plan beside the consultant's
 * coaching, the agency's evaluation report, and the enterprise's written feedback on it.
 */
export async function creation(rt: CaseRuntime): Promise<void> {
  const days = rt.plan.demonstration!.creationTaskDays;
  const schedule = await rt.openTask('schedule_survey', 'creation', rt.consultant, rt.dueIn(days));
  await rt.decisionOn(schedule);
  const survey = rt.state.survey!;
  tellOfAppointment(rt, 'survey', survey);
  const afterSurvey = Math.max(localInstant(survey.at, rt.plan.timeZone).getTime(), Date.now());
  const report = await rt.openTask('survey_report', 'creation', rt.consultant, new Date(afterSurvey + days * (rt.plan.compressedDayMs ?? DAY_MS)).toISOString());
  await rt.decisionOn(report);
  await rt.decisionOn(await rt.openTask('diagnosis', 'creation', rt.consultant, rt.dueIn(days)));
  await rt.decisionOn(await rt.openTask('internal_evaluation', 'creation', rt.consultant, rt.dueIn(days)));
  // the work plan is the enterprise's, written while the consultant coaches: both must be done
  const workPlan = await rt.openTask('work_plan', 'creation', rt.enterprise, rt.dueIn(days));
  const coaching = await rt.openTask('coaching', 'creation', rt.consultant, rt.dueIn(days));
  await rt.decisionsOn([workPlan, coaching]);
  await rt.decisionOn(await rt.openTask('evaluation_report', 'creation', rt.consultant, rt.dueIn(days)));
  await rt.decisionOn(await rt.openTask('evaluation_feedback', 'creation', rt.enterprise, rt.dueIn(days)));
}
