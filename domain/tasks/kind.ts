import type { CaseState, CompletionPayload, Decision, Outcome, TaskKind, TaskRef } from '../case/model.ts';

export type CompletionRefusal =
  | { code: 'task_closed'; message: string }
  | { code: 'wrong_actor'; message: string }
  | { code: 'invalid_payload'; message: string; path: string; rule: string };

export interface CompletionContext {
  /** self-compliance items not yet done (acceptance cannot be submitted before) */
  missingChecklist: string[];
  /** the enterprise and district fixed when the case was submitted */
  submittedBy?: { uscc: string; district: string };
}

/**
 * One kind of task, whole: how it may be completed, what its payload must carry, and what a
 * completion changes in the case. The workflow's validator, the API and the pages read it here.
 */
export interface TaskKindRules {
  kind: TaskKind;
  /** the inbox's word for it */
  label: string;
  outcomes: readonly Outcome[];
  /** runs beside the case (a consultant's) rather than move it: no stage change, no wait of the flow */
  runsBeside: boolean;
  /** what the payload must carry beyond an allowed outcome; null when it carries it */
  refusal(task: TaskRef, payload: CompletionPayload, context: CompletionContext): CompletionRefusal | null;
  /** what the decision changes in the case's state at once (pure; rolled back if it cannot be recorded) */
  effect?(state: CaseState, decision: Decision): void;
}

export const invalid = (path: string, rule: string, message = `${path}: ${rule}`): CompletionRefusal => ({ code: 'invalid_payload', message, path, rule });
