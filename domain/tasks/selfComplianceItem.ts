import { invalid, type TaskKindRules } from './kind.ts';

/** One item of the self-compliance checklist: its fields filled in, or its document attached. */
export const selfComplianceItem: TaskKindRules = {
  kind: 'self_compliance_item',
  label: '自主贯标事项',
  outcomes: ['done'],
  runsBeside: false,
  accepts: ['fields', 'fileIds'],
  refusal: (_task, payload) => (Object.keys(payload.fields ?? {}).length || payload.fileIds?.length ? null : invalid('fields', 'fill in the item or attach its document')),
};
