import { invalid, keepMaterials, missingMaterials, type TaskKindRules } from './kind.ts';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A creation task whose result is uploaded documents. */
const handsIn = (kind: TaskKindRules['kind'], label: string, materials: string[]): TaskKindRules => ({
  kind,
  label,
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['materials'],
  refusal: (_task, payload) => missingMaterials(payload, materials),
  effect: keepMaterials,
});

/** 安排现场调查: the consultant sets when and where; the enterprise is told and reminded. */
export const scheduleSurvey: TaskKindRules = {
  kind: 'schedule_survey',
  label: '安排现场调查',
  outcomes: ['done'],
  runsBeside: false,
  accepts: ['survey'],
  refusal(_task, payload) {
    if (!LOCAL_DATE_TIME.test(payload.survey?.at ?? '')) return invalid('survey.at', 'must be a local date and time YYYY-MM-DDTHH:MM');
    if (!payload.survey?.place?.trim()) return invalid('survey.place', 'required: where the survey takes place');
    return null;
  },
  effect(state, decision) {
    state.survey = decision.payload.survey!;
  },
};

/** 现场调查报告及企业负责人签字的现场调查回执 */
export const surveyReport = handsIn('survey_report', '现场调查报告及回执', ['survey_report', 'survey_receipt']);

/** 问题诊断: findings, each tied to the rubric item it is about (the API checks the item exists). */
export const diagnosis: TaskKindRules = {
  kind: 'diagnosis',
  label: '问题诊断',
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['findings'],
  refusal(_task, payload) {
    if (!payload.findings?.length) return invalid('findings', 'required: at least one finding');
    for (const [i, f] of payload.findings.entries()) if (!f.finding?.trim()) return invalid(`findings.${i}.finding`, 'required: what was found');
    return null;
  },
};

/** 内部评估: the 1000-point rubric, as in the 贯标 track, and the internal evaluation report. */
export const internalEvaluation: TaskKindRules = {
  kind: 'internal_evaluation',
  label: '内部评估',
  outcomes: ['submit'],
  runsBeside: false,
  accepts: ['evaluation', 'materials'],
  refusal(_task, payload) {
    if (!Object.keys(payload.evaluation?.scores ?? {}).length) return invalid('evaluation.scores', 'required: the internal evaluation against the rubric');
    return missingMaterials(payload, ['internal_evaluation_report']);
  },
  effect: keepMaterials,
};

/** 企业信用管理示范创建工作计划, by the enterprise */
export const workPlan = handsIn('work_plan', '示范创建工作计划', ['work_plan']);

/** 辅导实施: the consultant's coaching notes. */
export const coaching: TaskKindRules = {
  kind: 'coaching',
  label: '辅导实施记录',
  outcomes: ['done'],
  runsBeside: false,
  accepts: ['materials'],
  refusal: (_task, payload) => (payload.comment?.trim() ? null : invalid('comment', 'required: the coaching notes')),
  effect: keepMaterials,
};

/** 企业信用管理评价报告, issued by the agency */
export const evaluationReport = handsIn('evaluation_report', '企业信用管理评价报告', ['evaluation_report']);

/** 企业书面反馈意见 on the evaluation report */
export const evaluationFeedback = handsIn('evaluation_feedback', '评价报告书面反馈意见', ['evaluation_feedback']);
