import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/identity/roles.ts';
import type { AcceptanceAppointment, CaseState, CompletionPayload } from '../../domain/case/model.ts';

export interface CompleteTaskRequest {
  taskId: string;
  actor: Actor;
  payload: CompletionPayload;
}

/** A person completes one of the case's open tasks; answers with the case once it has moved on. */
export const completeTaskUpdate = defineUpdate<CaseState, [CompleteTaskRequest]>('completeTask');

/** Answers once the case has settled after submission: its first task is open (or it has finished). */
export const caseSettledUpdate = defineUpdate<CaseState>('caseSettled');

export interface ExtendDeadlineRequest {
  /** a deadline the case has (see CaseState.deadlines), e.g. acceptanceMaterials */
  deadline: string;
  dueAt: string;
  reason: string;
  actor: Actor;
}

/** A city officer moves one of the case's deadlines, with a reason on record. */
export const extendDeadlineUpdate = defineUpdate<CaseState, [ExtendDeadlineRequest]>('extendDeadline');

export interface AssignConsultantRequest {
  consultant: Actor;
  actor: Actor;
}

/** The enterprise (or the city) engages a consultant of a credit service agency for self-compliance. */
export const assignConsultantUpdate = defineUpdate<CaseState, [AssignConsultantRequest]>('assignConsultant');

export const caseStateQuery = defineQuery<CaseState>('caseState');

export interface SuspendDeadlineRequest {
  deadline: string;
  reason: string;
  actor: Actor;
}

/** A city officer puts one of the case's deadlines on hold (it stops running), with a reason on record. */
export const suspendDeadlineUpdate = defineUpdate<CaseState, [SuspendDeadlineRequest]>('suspendDeadline');

/** The deadline runs again, moved later by as long as it was on hold. */
export const resumeDeadlineUpdate = defineUpdate<CaseState, [{ deadline: string; actor: Actor }]>('resumeDeadline');

export interface ScheduleAcceptanceRequest {
  appointment: AcceptanceAppointment;
  /** the acceptance's instant, from the local date and time in the program's zone */
  at: string;
  actor: Actor;
}

/** The acceptor sets the acceptance date of a waiting case (验收时间另行通知); setting the same date again changes nothing. */
export const scheduleAcceptanceUpdate = defineUpdate<CaseState, [ScheduleAcceptanceRequest]>('scheduleAcceptance');

/** Someone objected to a case in publicity (the objection itself, with the objector's contact, stays in the database). */
export const fileObjectionUpdate = defineUpdate<CaseState, [{ objectionId: string }]>('fileObjection');
