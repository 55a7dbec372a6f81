import { invalid, keepMaterials, missingMaterials, reasonGiven, type TaskKindRules } from './kind.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 企业自主选择一家信用服务机构: the enterprise picks an agency from the register (the API checks it exists). */
export const chooseAgency: TaskKindRules = {
  kind: 'choose_agency',
  label: '选择信用服务机构',
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['agencyId'],
  refusal: (_task, payload) => (payload.agencyId?.trim() ? null : invalid('agencyId', 'required: the credit service agency you choose')),
  effect(state, decision) {
    state.agency = decision.payload.agencyId!;
  },
};

/**
 * 签订咨询辅导合同: the agency names its lead consultant and uploads the contract signed by both,
 * which states that the service is free to the enterprise (信用服务机构免费提供一对一的服务).
 */
export const signContract: TaskKindRules = {
  kind: 'sign_contract',
  label: '签订咨询辅导合同',
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['leadConsultant', 'freeOfCharge', 'materials'],
  refusal(_task, payload) {
    if (!payload.leadConsultant?.userId) return invalid('consultantUserId', 'required: the lead consultant');
    if (payload.freeOfCharge !== true) return invalid('freeOfCharge', 'must be true: the service is free to the enterprise (paid by public funds)', '合同须载明免费服务（the contract must state the service is free to the enterprise）');
    return missingMaterials(payload, ['contract']);
  },
  effect(state, decision) {
    state.consultant = decision.payload.leadConsultant!;
    keepMaterials(state, decision);
  },
};

/** 鉴定盖章备案: the Suzhou credit office files the contract (number, date) or returns it. */
export const fileContract: TaskKindRules = {
  kind: 'file_contract',
  label: '合同鉴定盖章备案',
  outcomes: ['file', 'return'],
  runsBeside: false,
  accepts: ['filing'],
  refusal(_task, payload) {
    if (payload.outcome === 'return') return reasonGiven(payload, ['return']);
    if (!payload.filing?.number?.trim()) return invalid('filing.number', 'required: the filing number');
    if (!ISO_DATE.test(payload.filing.filedOn ?? '')) return invalid('filing.filedOn', 'must be a date YYYY-MM-DD');
    return null;
  },
  effect(state, decision) {
    if (decision.payload.outcome === 'file') state.contractFiling = decision.payload.filing!;
  },
};
