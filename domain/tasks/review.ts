import { invalid, refusedField, type TaskKindRules } from './kind.ts';

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
      return invalid('comment', '退回或不予通过时请说明理由 (required when outcome is return or reject)', '退回或不予通过时请说明理由 (a comment is required when returning or rejecting)');
    }
    if (payload.scoreAdjustments?.length && !task.adjustsScores) return refusedField('scoreAdjustments', '本环节不调整分值 (this step does not adjust scores)');
    for (const [i, adjustment] of (payload.scoreAdjustments ?? []).entries()) {
      if (!adjustment.comment?.trim()) return refusedField(`scoreAdjustments.${i}.comment`, `第${adjustment.itemId}项：请说明调整理由 (item ${adjustment.itemId}: say why the score changes)`);
    }
    if (payload.outcome === 'approve' && task.issuesCertificate) {
      if (!payload.certificate?.number?.trim()) return refusedField('certificate.number', '通过验收时请填写证书编号 (required when acceptance passes)');
      if (!ISO_DATE.test(payload.certificate.issuedOn ?? '')) return refusedField('certificate.issuedOn', '发证日期应为 YYYY-MM-DD (must be a date YYYY-MM-DD)');
    }
    return null;
  },
  effect(state, decision) {
    // the reviewers' levels stand beside the enterprise's own, which stay in the acceptance materials
    for (const adjustment of decision.payload.scoreAdjustments ?? []) state.reviewerScores[adjustment.itemId] = { ...adjustment, actor: decision.actor };
  },
};
