import { actorMayComplete } from '../case/authority.ts';
import { CREDIT_OFFICE_ROLES, type Actor, type Role } from '../identity/roles.ts';

/** What the claim rules read of a task: whom it is for, whether it is open, and who holds it. */
export interface ClaimSubject {
  kind: string;
  status: string;
  assigneeRole: string;
  jurisdiction?: string | null;
  assigneeUserId?: string | null;
  claimedByUserId?: string | null;
  claimedByName?: string | null;
}

/** Why a claim or release is refused, as the use case answers it (409 for a holder or a closed task). */
export interface ClaimRefusal {
  code: 'forbidden' | 'conflict' | 'unprocessable';
  message: string;
}

const mayComplete = (actor: Actor, task: ClaimSubject) =>
  actorMayComplete(actor, { assignment: { role: task.assigneeRole as Role, jurisdiction: task.jurisdiction ?? null, userId: task.assigneeUserId ?? null } });

/**
 * A task for a whole office (a role within a district, or a city-wide office) rather than one
 * person: one officer claims it so that colleagues do not work on it twice. Forwarding (汇总报送)
 * is done for many cases at once on its own page, so it is never claimed.
 */
export function heldByOffice(task: Pick<ClaimSubject, 'kind' | 'assigneeRole' | 'assigneeUserId'>): boolean {
  return !task.assigneeUserId && CREDIT_OFFICE_ROLES.has(task.assigneeRole as Role) && task.kind !== 'forward';
}

/** The colleague who holds the task, when it is not the actor: while they do, nobody else completes it. */
export function heldByAnother(actor: Pick<Actor, 'userId'>, task: Pick<ClaimSubject, 'claimedByUserId' | 'claimedByName'>): string | null {
  return task.claimedByUserId && task.claimedByUserId !== actor.userId ? (task.claimedByName ?? '') : null;
}

const heldMessage = (holder: string) => `此待办已由${holder}认领办理，请待其办理或释放 (the task is claimed by ${holder}: they complete or release it)`;

/** Completing a claimed task: only its holder may. */
export function completionRefusal(actor: Actor, task: ClaimSubject): ClaimRefusal | null {
  const holder = heldByAnother(actor, task);
  return holder === null ? null : { code: 'conflict', message: heldMessage(holder) };
}

/** Claiming: whoever may complete an open office task, unless a colleague holds it; claiming one's own claim again is fine. */
export function claimRefusal(actor: Actor, task: ClaimSubject): ClaimRefusal | null {
  if (!mayComplete(actor, task)) return { code: 'forbidden', message: '此待办不由您办理，不能认领 (the task is not yours to claim)' };
  if (!heldByOffice(task)) {
    return task.kind === 'forward'
      ? { code: 'unprocessable', message: '汇总报送在「汇总报送」页面成批办理，无需认领 (cases are forwarded in a batch: nothing to claim)' }
      : { code: 'unprocessable', message: '此待办已指定由专人办理，无需认领 (the task is assigned to one person: nothing to claim)' };
  }
  if (task.status !== 'open') return { code: 'conflict', message: '此待办已办结，不能认领 (the task is closed already)' };
  return completionRefusal(actor, task);
}

/** Releasing: the holder, or an admin when the holder cannot (away, left); releasing a task nobody holds changes nothing. */
export function releaseRefusal(actor: Actor, task: ClaimSubject): ClaimRefusal | null {
  const admin = actor.role === 'admin';
  if (!admin && !mayComplete(actor, task)) return { code: 'forbidden', message: '此待办不由您办理，不能释放 (the task is not yours to release)' };
  if (task.status !== 'open') return { code: 'conflict', message: '此待办已办结 (the task is closed already)' };
  return admin ? null : completionRefusal(actor, task);
}
