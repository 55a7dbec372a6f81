import type { CaseState, CompletionPayload, Decision, Outcome, TaskKind, TaskRef } from '../case/model.ts';
import type { PackageItem } from '../program/types.ts';

export type CompletionRefusal =
  | { code: 'task_closed'; message: string }
  | { code: 'wrong_actor'; message: string }
  | { code: 'invalid_payload'; message: string; path: string; rule: string };

export interface CompletionContext {
  /** self-compliance items not yet done (acceptance cannot be submitted before) */
  missingChecklist: string[];
  /** the enterprise and district fixed when the case was submitted */
  submittedBy?: { uscc: string; district: string };
  /** what the case already holds of its application package, and what the package needs (demonstration tracks) */
  package?: { held: Record<string, string>; items: PackageItem[] };
}

/** The parts of a completion beyond its outcome and comment; each kind names the ones it takes. */
export type PayloadPart = Exclude<keyof CompletionPayload, 'outcome' | 'comment'>;

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
  /** the payload parts this kind takes beside outcome and comment: any other is refused, naming it */
  accepts: readonly PayloadPart[];
  /** what the payload must carry beyond an allowed outcome; null when it carries it */
  refusal(task: TaskRef, payload: CompletionPayload, context: CompletionContext): CompletionRefusal | null;
  /** what the decision changes in the case's state at once (pure; rolled back if it cannot be recorded) */
  effect?(state: CaseState, decision: Decision): void;
}

export const invalid = (path: string, rule: string, message = `${path}: ${rule}`): CompletionRefusal => ({ code: 'invalid_payload', message, path, rule });
/** A refusal whose rule says it all (it names the field as the form does): the message is the rule. */
export const refusedField = (path: string, rule: string): CompletionRefusal => invalid(path, rule, rule);

/** The uploaded materials a completion must carry, by key; null when it carries them all. */
export function missingMaterials(payload: CompletionPayload, keys: readonly string[]): CompletionRefusal | null {
  const missing = keys.filter((key) => !payload.materials?.[key]);
  return missing.length ? invalid(`materials.${missing[0]}`, `required: upload ${missing.join(', ')}`) : null;
}

/** A decision that returns, rejects, fails or upholds says why. */
export function reasonGiven(payload: CompletionPayload, outcomes: readonly Outcome[]): CompletionRefusal | null {
  return outcomes.includes(payload.outcome) && !payload.comment?.trim() ? invalid('comment', `required when outcome is ${outcomes.join(' or ')}`, 'a comment is required: say why') : null;
}

/** The materials a decision hands in become the case's (the contract, the reports, the package's forms). */
export function keepMaterials(state: CaseState, decision: Decision): void {
  if (decision.payload.materials) state.materials = { ...state.materials, ...decision.payload.materials };
}
