import { invalid, keepMaterials, missingMaterials, reasonGiven, type TaskKindRules } from './kind.ts';

/**
 * 择优推荐: an office recommends the case on (or declines to). The district hands in the stamped
 * recommendation form (attachment 5). A recommendation within a quota is counted by the round of
 * its (program, track, scope) first, so it only ever reaches the case with the round's mark.
 */
export const recommend: TaskKindRules = {
  kind: 'recommend',
  label: '择优推荐',
  outcomes: ['recommend', 'decline'],
  runsBeside: false,
  accepts: ['materials', 'quotaRound'],
  refusal(task, payload) {
    if (payload.outcome === 'decline') return reasonGiven(payload, ['decline']);
    if (task.quota && task.quota !== 'none' && !payload.quotaRound) return invalid('outcome', 'a recommendation within a quota is counted by its round', 'recommendations within a quota are counted first (推荐名额)');
    return task.stage === 'district_recommendation' ? missingMaterials(payload, ['recommendation_form']) : null;
  },
  effect: keepMaterials,
};
