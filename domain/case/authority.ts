import type { Actor } from '../identity/roles.ts';
import { OUTCOMES_BY_KIND, type CompletionPayload, type TaskRef } from './model.ts';

export type CompletionRefusal =
  | { code: 'task_closed'; message: string }
  | { code: 'wrong_actor'; message: string }
  | { code: 'invalid_payload'; message: string; path: string; rule: string };

/** May this person act on this task? Role must match, then the named person or the jurisdiction. */
export function actorMayComplete(actor: Actor, task: Pick<TaskRef, 'assignment'>): boolean {
  const { role, jurisdiction, userId } = task.assignment;
  if (actor.role !== role) return false;
  if (userId) return actor.userId === userId;
  return jurisdiction === null || jurisdiction === actor.scopeId;
}

const invalid = (path: string, rule: string, message = `${path}: ${rule}`): CompletionRefusal => ({ code: 'invalid_payload', message, path, rule });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What the payload must carry for this kind of task; null when it carries it. */
function payloadRefusal(task: TaskRef, payload: CompletionPayload, context: CompletionContext): CompletionRefusal | null {
  const allowed = OUTCOMES_BY_KIND[task.kind];
  if (!allowed.includes(payload.outcome)) {
    return invalid('outcome', `one of ${allowed.join('|')}`, `outcome must be one of ${allowed.join(', ')} for this task`);
  }
  const comment = payload.comment?.trim();
  switch (task.kind) {
    case 'review':
      if ((payload.outcome === 'return' || payload.outcome === 'reject') && !comment) {
        return invalid('comment', 'required when outcome is return or reject', 'a comment is required when returning or rejecting');
      }
      if (payload.scoreAdjustments?.length && !task.adjustsScores) return invalid('scoreAdjustments', 'this step does not adjust scores');
      for (const [i, adjustment] of (payload.scoreAdjustments ?? []).entries()) {
        if (!adjustment.comment?.trim()) return invalid(`scoreAdjustments.${i}.comment`, 'required: say why the score changes');
      }
      if (payload.outcome === 'approve' && task.issuesCertificate) {
        if (!payload.certificate?.number?.trim()) return invalid('certificate.number', 'required when acceptance passes');
        if (!ISO_DATE.test(payload.certificate.issuedOn ?? '')) return invalid('certificate.issuedOn', 'must be a date YYYY-MM-DD');
      }
      return null;
    case 'forward':
      return payload.batch?.id ? null : invalid('batch', 'required: cases are forwarded in a batch');
    case 'correct_application': {
      const application = payload.application;
      if (!application) return invalid('application', 'required: the corrected application');
      const fixed = context.submittedBy;
      if (fixed && application.uscc !== fixed.uscc) return invalid('application.uscc', `补正不能更换企业，应为 ${fixed.uscc} (a correction cannot change the enterprise)`);
      if (fixed && application.district !== fixed.district) {
        return invalid('application.district', `补正不能更换所属镇（区），应为 ${fixed.district} (a correction cannot move the case to another district)`);
      }
      return null;
    }
    case 'self_compliance_item':
      return Object.keys(payload.fields ?? {}).length || payload.fileIds?.length ? null : invalid('fields', 'fill in the item or attach its document');
    case 'acceptance_submission': {
      if (context.missingChecklist.length) {
        return invalid('checklist', `complete first: ${context.missingChecklist.join(', ')}`, `the self-compliance checklist is not complete: ${context.missingChecklist.join(', ')}`);
      }
      const acceptance = payload.acceptance;
      if (!acceptance) return invalid('acceptance', 'required: the acceptance materials');
      for (const key of ['workSummaryFileId', 'internalEvaluationFileId', 'commitmentLetterFileId'] as const) {
        if (!acceptance[key]) return invalid(`acceptance.${key}`, 'required');
      }
      if (!Object.keys(acceptance.selfEvaluation?.scores ?? {}).length) return invalid('acceptance.selfEvaluation.scores', 'required');
      return null;
    }
    case 'guidance':
    case 'consultant_review':
      return comment ? null : invalid('comment', 'required: what was advised');
  }
}

export interface CompletionContext {
  /** self-compliance items not yet done (acceptance cannot be submitted before) */
  missingChecklist: string[];
  /** the enterprise and district fixed when the case was submitted */
  submittedBy?: { uscc: string; district: string };
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

/** Who may read a case: its enterprise, its district's officers, its consultant, and the city and higher offices. */
export function actorMaySeeCase(actor: Actor, subject: { district: string; enterpriseUscc: string; consultantUserId?: string | null }): boolean {
  switch (actor.role) {
    case 'enterprise':
      return actor.scopeId === subject.enterpriseUscc;
    case 'district_officer':
      return actor.scopeId === subject.district;
    case 'consultant':
      return Boolean(subject.consultantUserId) && actor.userId === subject.consultantUserId;
    default:
      return true;
  }
}
