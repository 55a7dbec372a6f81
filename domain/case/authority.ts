import type { Actor } from '../identity/roles.ts';
import type { CompletionPayload, TaskRef } from './model.ts';
import { TASK_KIND_RULES, type CompletionContext, type CompletionRefusal } from '../tasks/index.ts';
import { invalid, type PayloadPart } from '../tasks/kind.ts';

export type { CompletionContext, CompletionRefusal } from '../tasks/index.ts';

/** May this person act on this task? Role must match, then the named person or the jurisdiction. */
export function actorMayComplete(actor: Actor, task: Pick<TaskRef, 'assignment'>): boolean {
  const { role, jurisdiction, userId } = task.assignment;
  if (actor.role !== role) return false;
  if (userId) return actor.userId === userId;
  return jurisdiction === null || jurisdiction === actor.scopeId;
}

/** The parts a payload carries beyond outcome and comment; an empty list or object is as good as none. */
function partsGiven(payload: CompletionPayload): PayloadPart[] {
  const empty = (value: unknown) => value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
  return (Object.keys(payload) as (keyof CompletionPayload)[]).filter((key): key is PayloadPart => key !== 'outcome' && key !== 'comment' && !empty(payload[key]));
}

/** What the payload must carry for this kind of task (its rules in domain/tasks/); null when it carries it. */
function payloadRefusal(task: TaskRef, payload: CompletionPayload, context: CompletionContext): CompletionRefusal | null {
  const rules = TASK_KIND_RULES[task.kind];
  if (!rules.outcomes.includes(payload.outcome)) {
    return invalid('outcome', `one of ${rules.outcomes.join('|')}`, `outcome must be one of ${rules.outcomes.join(', ')} for this task`);
  }
  const foreign = partsGiven(payload).find((part) => !rules.accepts.includes(part));
  if (foreign) return invalid(foreign, `not part of a ${rules.label} task`, `${foreign} 不属于「${rules.label}」待办 (not part of this kind of task)`);
  return rules.refusal(task, payload, context);
}

/**
 * Everything that makes a completion unacceptable, checked in one place: the workflow's update
 * validator calls it, and so can the API before it bothers Temporal.
 */
export function completionRefusal(
  openTasks: TaskRef[],
  taskId: string,
  actor: Actor,
  payload: CompletionPayload,
  context: CompletionContext = { missingChecklist: [] },
): CompletionRefusal | null {
  const task = openTasks.find((t) => t.id === taskId);
  if (!task) return { code: 'task_closed', message: `task ${taskId} is not open` };
  if (!actorMayComplete(actor, task)) {
    const { role, jurisdiction } = task.assignment;
    return { code: 'wrong_actor', message: `task ${taskId} is assigned to ${role}${jurisdiction ? ` of ${jurisdiction}` : ''}` };
  }
  return payloadRefusal(task, payload, context);
}

/**
 * Who may read a case: its enterprise, its district's officers, its consultant (before a
 * demonstration case's lead consultant is named: the consultants of its chosen agency), and the
 * city and higher offices.
 */
export function actorMaySeeCase(actor: Actor, subject: { district: string; enterpriseUscc: string; consultantUserId?: string | null; agencyId?: string | null }): boolean {
  switch (actor.role) {
    case 'enterprise':
      return actor.scopeId === subject.enterpriseUscc;
    case 'district_officer':
      return actor.scopeId === subject.district;
    case 'consultant':
      if (subject.consultantUserId) return actor.userId === subject.consultantUserId;
      return Boolean(subject.agencyId) && actor.scopeId === subject.agencyId;
    default:
      return true;
  }
}

/** Roles that see full identity numbers: the enterprise itself and the offices that verify it. */
export function mayReadIdNumber(actor: Actor, subject: { enterpriseUscc: string; district: string }): boolean {
  if (actor.role === 'enterprise') return actor.scopeId === subject.enterpriseUscc;
  if (actor.role === 'district_officer') return actor.scopeId === subject.district;
  return actor.role === 'city_officer';
}
