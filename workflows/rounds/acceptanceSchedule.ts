import type { AcceptanceAppointment } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { acts } from '../runtime/activities.ts';

export interface AcceptanceScheduleInput {
  caseIds: string[];
  appointment: AcceptanceAppointment;
  /** the appointment's instant */
  at: string;
  actor: Actor;
}

/**
 * 验收时间另行通知: the acceptor sets one date for a group of waiting cases. Every case takes it (each
 * step retried until it does, and setting the same date twice changes nothing), so the group is
 * never half scheduled even if a worker dies on the way.
 */
export async function acceptanceSchedule(input: AcceptanceScheduleInput): Promise<{ scheduled: string[] }> {
  for (const caseId of input.caseIds) {
    await acts.scheduleCaseAcceptance({ caseId, appointment: input.appointment, at: input.at, actor: input.actor });
  }
  return { scheduled: input.caseIds };
}
