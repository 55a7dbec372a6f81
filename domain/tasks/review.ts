import { invalid, type TaskKindRules } from './kind.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An office's review: approve, return for correction or reject; at acceptance, adjusted scores or the certificate. */
export const review: TaskKindRules = {
  kind: 'review',
  label: '审核',
  outcomes: ['approve', 'return', 'reject'],
  runsBeside: false,
  accepts: ['scoreAdjustments', 'certificate'],
  refusal(task, payload) {
    if ((payload.outcome === 'return' || payload.outcome === 'reject') && !payload.comment?.trim()) {
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
  },
  effect(state, decision) {
    // the reviewers' levels stand beside the enterprise's own, which stay in the acceptance materials
    for (const adjustment of decision.payload.scoreAdjustments ?? []) state.reviewerScores[adjustment.itemId] = { ...adjustment, actor: decision.actor };
  },
};
