import type { Actor } from '../identity/roles.ts';
import type { CompletionPayload, TaskRef } from './model.ts';

export type CompletionRefusal =
  | { code: 'task_closed'; message: string }
  | { code: 'wrong_actor'; message: string }
  | { code: 'invalid_payload'; message: string; path: string; rule: string };

/** May this person act on this task? Role must match, and the jurisdiction unless the task is city-wide. */
export function actorMayComplete(actor: Actor, task: Pick<TaskRef, 'assignment'>): boolean {
  if (actor.role !== task.assignment.role) return false;
  return task.assignment.jurisdiction === null || task.assignment.jurisdiction === actor.scopeId;
}

/**
 * Everything that makes a completion unacceptable, checked in one place: the workflow's update
 * validator calls it, and so can the API before it bothers Temporal.
 */
export function completionRefusal(
  openTask: TaskRef | null,
  taskId: string,
  actor: Actor,
  payload: CompletionPayload,
): CompletionRefusal | null {
  if (!openTask || openTask.id !== taskId) {
    return { code: 'task_closed', message: `task ${taskId} is not open` };
  }
  if (!actorMayComplete(actor, openTask)) {
    return { code: 'wrong_actor', message: `task ${taskId} is assigned to ${openTask.assignment.role}${openTask.assignment.jurisdiction ? ` of ${openTask.assignment.jurisdiction}` : ''}` };
  }
  const allowed = openTask.kind === 'review' ? ['approve', 'return', 'reject'] : ['resubmit'];
  if (!allowed.includes(payload.outcome)) {
    return { code: 'invalid_payload', message: `outcome must be one of ${allowed.join(', ')}`, path: 'outcome', rule: `one of ${allowed.join('|')}` };
  }
  if ((payload.outcome === 'return' || payload.outcome === 'reject') && !payload.comment?.trim()) {
    return { code: 'invalid_payload', message: 'a comment is required when returning or rejecting', path: 'comment', rule: 'required when outcome is return or reject' };
  }
  return null;
}

/** Who may read a case: its enterprise, its district's officers, and the city and higher offices. */
export function actorMaySeeCase(actor: Actor, subject: { district: string; enterpriseUscc: string }): boolean {
  switch (actor.role) {
    case 'enterprise':
      return actor.scopeId === subject.enterpriseUscc;
    case 'district_officer':
      return actor.scopeId === subject.district;
    case 'consultant':
      return false; // consultants see the cases they are engaged on, once engagements exist
    default:
      return true;
  }
}
