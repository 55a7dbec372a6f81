import { invalid, type TaskKindRules } from './kind.ts';

/** 汇总报送: a district's approved case goes on to the city, always in a numbered batch. */
export const forward: TaskKindRules = {
  kind: 'forward',
  label: '汇总报送',
  outcomes: ['forward'],
  runsBeside: false,
  accepts: ['batch'],
  refusal: (_task, payload) => (payload.batch?.id ? null : invalid('batch', 'required: cases are forwarded in a batch')),
};
