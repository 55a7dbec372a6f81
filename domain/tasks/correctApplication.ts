import { invalid, type TaskKindRules } from './kind.ts';

/** 补正: the enterprise hands in its corrected application; the same enterprise, in the same district. */
export const correctApplication: TaskKindRules = {
  kind: 'correct_application',
  label: '补正申报材料',
  outcomes: ['resubmit'],
  runsBeside: false,
  accepts: ['application'],
  refusal(_task, payload, context) {
    const application = payload.application;
    if (!application) return invalid('application', 'required: the corrected application');
    const fixed = context.submittedBy;
    if (fixed && application.uscc !== fixed.uscc) return invalid('application.uscc', `补正不能更换企业，应为 ${fixed.uscc} (a correction cannot change the enterprise)`);
    if (fixed && application.district !== fixed.district) {
      return invalid('application.district', `补正不能更换所属镇（区），应为 ${fixed.district} (a correction cannot move the case to another district)`);
    }
    return null;
  },
  effect(state, decision) {
    if (!decision.payload.application) return;
    state.application = decision.payload.application;
    state.applicationVersion += 1;
  },
};
