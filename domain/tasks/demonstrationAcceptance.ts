import { invalid, reasonGiven, type TaskKindRules } from './kind.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 示范验收审定: the acceptor's result per case — pass, fail with reasons, or return for correction by a date. */
export const acceptance: TaskKindRules = {
  kind: 'acceptance',
  label: '示范验收审定',
  outcomes: ['pass', 'fail', 'return'],
  runsBeside: false,
  accepts: ['correctionDueOn'],
  refusal(_task, payload) {
    const reason = reasonGiven(payload, ['fail', 'return']);
    if (reason) return reason;
    if (payload.outcome === 'return' && !ISO_DATE.test(payload.correctionDueOn ?? '')) return invalid('correctionDueOn', 'must be a date YYYY-MM-DD: the package is corrected by then');
    return null;
  },
};

/** 公示异议: the acceptor looks into an objection and upholds or dismisses it, saying why. */
export const objectionReview: TaskKindRules = {
  kind: 'objection_review',
  label: '公示异议核查',
  outcomes: ['uphold', 'dismiss'],
  runsBeside: false,
  accepts: [],
  refusal: (_task, payload) => reasonGiven(payload, ['uphold', 'dismiss']),
  effect(state, decision) {
    const objection = state.objections.find((o) => o.id === decision.subject);
    if (objection) objection.status = decision.outcome === 'uphold' ? 'upheld' : 'dismissed';
  },
};
