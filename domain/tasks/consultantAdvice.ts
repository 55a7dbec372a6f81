import { invalid, type TaskKindRules } from './kind.ts';

const adviceGiven: TaskKindRules['refusal'] = (_task, payload) => (payload.comment?.trim() ? null : invalid('comment', 'required: what was advised'));

/** 贯标辅导: the engaged consultant's guidance, beside the enterprise's checklist. */
export const guidance: TaskKindRules = { kind: 'guidance', label: '贯标辅导', outcomes: ['done'], runsBeside: true, accepts: ['fileIds'], refusal: adviceGiven };

/** The consultant's advice on the internal evaluation report. */
export const consultantReview: TaskKindRules = { kind: 'consultant_review', label: '评估报告辅导意见', outcomes: ['done'], runsBeside: true, accepts: ['fileIds'], refusal: adviceGiven };
