import { invalid, type TaskKindRules } from './kind.ts';

/** 验收材料: the acceptance materials and the self-evaluation, once the checklist is complete. */
export const acceptanceSubmission: TaskKindRules = {
  kind: 'acceptance_submission',
  label: '提交验收材料',
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['acceptance'],
  refusal(_task, payload, context) {
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
  },
  effect(state, decision) {
    if (!decision.payload.acceptance) return;
    state.acceptance = decision.payload.acceptance;
    state.acceptanceVersion += 1;
  },
};
