import { AppError } from '../features/errors.ts';
import type { Outcome, TaskKind } from '../domain/case/model.ts';
import { OUTCOMES_BY_KIND } from '../domain/tasks/index.ts';
import type { PackageItem } from '../domain/program/types.ts';
import { field, prefixed, type FormBody, type KeptFile } from './forms.ts';

/**
 * The pages' side of the task-kind registry (domain/tasks): what each kind's form holds beyond the
 * outcomes the registry allows. One entry per kind, so a new kind without a form fails typecheck.
 * The 贯标 kinds keep the forms of their own written in task.hbs ('bespoke'); the demonstration
 * kinds share one form built from this description.
 */

/** Parts a form may hold besides outcome, comment and uploads. */
export type FormPart =
  /** 选择信用服务机构: a select of the register's agencies */
  | 'agency'
  /** the agency names its lead consultant (a select of the case's agency) and states the service is free */
  | 'consultant'
  /** 鉴定盖章备案: filing number and date (when the outcome is file) */
  | 'filing'
  /** 现场调查: local date and time, and place */
  | 'survey'
  /** 问题诊断: rows of rubric item and finding */
  | 'findings'
  /** 内部评估: the 1000-point sheet, as the 贯标 acceptance's self-evaluation */
  | 'evaluation'
  /** a return at acceptance: the date the package is corrected by */
  | 'correctionDueOn';

/** What the page shows beside the form, for the person deciding. */
export type FormContext = 'quota' | 'contract' | 'survey' | 'package' | 'appointment' | 'objection' | 'evaluationReport';

export interface GenericTaskForm {
  form: 'generic';
  /** the case materials the form uploads, by key (the recommendation form only at the district's step) */
  materials(task: { stage: string }, held: PackageHeld): readonly string[];
  parts: readonly FormPart[];
  context: readonly FormContext[];
  comment: { label: string; required?: boolean };
  /** the words on the submit button when the kind has a single outcome */
  submit: string;
}

/** The package the case's track binds, and the materials the case holds already. */
export interface PackageHeld {
  items: readonly PackageItem[];
  materials: Record<string, string>;
}

export type TaskForm = { form: 'bespoke' } | GenericTaskForm;

const bespoke: TaskForm = { form: 'bespoke' };

const generic = (form: Partial<Omit<GenericTaskForm, 'form'>> & Pick<GenericTaskForm, 'submit'>): GenericTaskForm => ({
  form: 'generic',
  materials: () => [],
  parts: [],
  context: [],
  comment: { label: '说明' },
  ...form,
});

const uploads = (...keys: string[]) => () => keys;

export const TASK_FORMS: Record<TaskKind, TaskForm> = {
  review: bespoke,
  forward: bespoke,
  correct_application: bespoke,
  self_compliance_item: bespoke,
  acceptance_submission: bespoke,
  guidance: bespoke,
  consultant_review: bespoke,
  recommend: generic({
    materials: (task) => (task.stage === 'district_recommendation' ? ['recommendation_form'] : []),
    context: ['quota'],
    comment: { label: '推荐意见（不予推荐时必填）' },
    submit: '提交',
  }),
  choose_agency: generic({ parts: ['agency'], submit: '确认选择' }),
  sign_contract: generic({ materials: uploads('contract'), parts: ['consultant'], submit: '提交合同' }),
  file_contract: generic({ parts: ['filing'], context: ['contract'], comment: { label: '意见（退回时必填）' }, submit: '提交' }),
  schedule_survey: generic({ parts: ['survey'], submit: '确定调查时间' }),
  survey_report: generic({ materials: uploads('survey_report', 'survey_receipt'), context: ['survey'], submit: '提交' }),
  diagnosis: generic({ parts: ['findings'], submit: '提交诊断意见' }),
  internal_evaluation: generic({ materials: uploads('internal_evaluation_report'), parts: ['evaluation'], submit: '提交内部评估' }),
  work_plan: generic({ materials: uploads('work_plan'), submit: '提交' }),
  coaching: generic({ comment: { label: '辅导内容', required: true }, submit: '提交辅导记录' }),
  evaluation_report: generic({ materials: uploads('evaluation_report'), submit: '提交' }),
  evaluation_feedback: generic({ materials: uploads('evaluation_feedback'), context: ['evaluationReport'], submit: '提交' }),
  // the package's own forms, and any item the creation steps left missing (a correction may replace them)
  application_package: generic({
    materials: (_task, held) => held.items.filter((i) => i.source === 'upload' || (i.source === 'case' && i.materials.some((m) => !held.materials[m]))).flatMap((i) => i.materials),
    context: ['package'],
    submit: '提交申报材料',
  }),
  submit_package: generic({ context: ['package'], comment: { label: '意见（退回时必填）' }, submit: '提交' }),
  acceptance: generic({ parts: ['correctionDueOn'], context: ['package', 'appointment'], comment: { label: '验收意见（不通过或退回时必填）' }, submit: '提交' }),
  objection_review: generic({ context: ['objection'], comment: { label: '核查意见', required: true }, submit: '提交' }),
};

/** An outcome as the person chooses it (OUTCOME_LABELS say what was decided; these, what to do). */
export const OUTCOME_ACTIONS: Record<Outcome, string> = {
  approve: '同意（审核通过）',
  return: '退回',
  reject: '不予通过',
  forward: '汇总报送',
  resubmit: '重新提交',
  done: '完成',
  submit: '提交',
  recommend: '推荐',
  decline: '不予推荐',
  file: '鉴定盖章备案',
  pass: '验收通过',
  fail: '验收不通过',
  uphold: '异议成立',
  dismiss: '异议不成立',
};

/** Case materials by key, as the pages name them (the package's own titles where an item is one material). */
const MATERIAL_TITLES: Record<string, string> = {
  recommendation_form: '示范企业推荐表（附件5，盖章）',
  contract: '咨询辅导合同（双方签字盖章）',
  survey_report: '现场调查报告',
  survey_receipt: '现场调查回执（企业负责人签字）',
  internal_evaluation_report: '企业信用管理内部评估报告',
  work_plan: '企业信用管理示范创建工作计划',
  evaluation_report: '企业信用管理评价报告',
  evaluation_feedback: '企业对评价报告的书面反馈意见',
  demonstration_application_form: '示范企业申报表',
  legal_person_credit_report: '社会法人信用信息查询报告',
};

/** A material's title: the package item's, where the item is made of this one material; else ours. */
export function materialTitle(key: string, items: readonly PackageItem[] = []): string {
  const item = items.find((i) => i.materials.length === 1 && i.materials[0] === key);
  return item?.title ?? MATERIAL_TITLES[key] ?? key;
}

/** The form's outcomes, from the registry. */
export function outcomeChoices(kind: TaskKind, chosen: string) {
  return OUTCOMES_BY_KIND[kind].map((outcome) => ({ outcome, label: OUTCOME_ACTIONS[outcome], checked: chosen === outcome }));
}

/** The upload field of a material: `material.<key>` (hidden `material.<key>FileId` keeps an earlier upload). */
export const materialField = (key: string) => `material.${key}`;

/** What a generic form handed in, and the files it keeps, by material key. */
export interface GenericInput {
  body: FormBody;
  materials: Record<string, KeptFile | null>;
  evidence: Record<string, string[]>;
}

/** The finding rows typed into a diagnosis form, without empty rows, in order. */
export function findingRows(body: FormBody): Array<{ itemId: string; finding: string }> {
  const items = prefixed(body, 'findingItem.');
  const texts = prefixed(body, 'findingText.');
  const indices = [...new Set([...Object.keys(items), ...Object.keys(texts)])].map(Number).filter(Number.isInteger).sort((a, b) => a - b);
  return indices.map((i) => ({ itemId: items[i] ?? '', finding: texts[i] ?? '' })).filter((row) => row.itemId || row.finding.trim());
}

/** The completion body a generic form sends, shaped like completeTaskBody: only the parts its kind has. */
export function genericPayload(kind: TaskKind, spec: GenericTaskForm, task: { stage: string }, input: GenericInput): Record<string, unknown> {
  const { body } = input;
  const outcomes = OUTCOMES_BY_KIND[kind];
  const outcome = outcomes.length === 1 ? outcomes[0] : field(body, 'outcome') || undefined;
  const payload: Record<string, unknown> = { outcome, comment: field(body, 'comment') || undefined };
  const materials = Object.fromEntries(
    Object.entries(input.materials)
      .filter(([, file]) => file)
      .map(([key, file]) => [key, file!.id]),
  );
  if (Object.keys(materials).length) payload.materials = materials;
  for (const part of spec.parts) {
    switch (part) {
      case 'agency':
        payload.agencyId = field(body, 'agencyId') || undefined;
        break;
      case 'consultant':
        payload.consultantUserId = field(body, 'consultantUserId') || undefined;
        payload.freeOfCharge = field(body, 'freeOfCharge') === 'true';
        break;
      case 'filing':
        if (outcome === 'file') payload.filing = { number: field(body, 'filing.number'), filedOn: field(body, 'filing.filedOn') };
        break;
      case 'survey':
        payload.survey = { at: field(body, 'survey.at'), place: field(body, 'survey.place') };
        break;
      case 'findings':
        payload.findings = findingRows(body);
        break;
      case 'evaluation':
        payload.evaluation = { scores: prefixed(body, 'score.'), evidence: input.evidence };
        break;
      case 'correctionDueOn':
        if (outcome === 'return') payload.correctionDueOn = field(body, 'correctionDueOn');
        break;
    }
  }
  return payload;
}

/** Chinese first: the rule's first word is Chinese (a rule may quote Chinese titles inside English). */
const CHINESE_FIRST = /^\s*[\u3400-\u9fff\uff00-\uffef]/;

/** The Chinese name of a field of the completion body, for a refusal's line beside it. */
function fieldLabel(path: string, items: readonly PackageItem[]): string {
  const exact: Record<string, string> = {
    outcome: '办理结果',
    comment: '说明',
    agencyId: '信用服务机构',
    consultantUserId: '项目负责顾问',
    freeOfCharge: '免费服务声明',
    'filing.number': '备案编号',
    'filing.filedOn': '备案日期',
    'survey.at': '现场调查时间',
    'survey.place': '现场调查地点',
    findings: '诊断意见',
    correctionDueOn: '补正期限',
    'evaluation.scores': '内部评估评分',
    materials: '上传材料',
  };
  if (exact[path]) return exact[path];
  if (path.startsWith('materials.')) return materialTitle(path.slice('materials.'.length), items);
  const finding = /^findings\.(\d+)\.(itemId|finding)$/.exec(path);
  if (finding) return `第 ${Number(finding[1]) + 1} 条诊断意见的${finding[2] === 'itemId' ? '评价指标' : '内容'}`;
  const score = /^evaluation\.(scores|evidence)\.([\d.]+?)(\.\d+)?$/.exec(path);
  if (score) return `内部评估第 ${score[2]} 项${score[1] === 'evidence' ? '佐证材料' : '评分'}`;
  return path;
}

/** A rule in Chinese first, the English it came with in parentheses (the domain's rules are English). */
function chineseRule(path: string, rule: string, label: string): string {
  if (CHINESE_FIRST.test(rule)) return rule;
  // what a material refusal says is always that it is missing from what the step needs
  if (path.startsWith('materials.')) return `请上传：${label} (${rule})`;
  if (/^required/.test(rule)) return `必填：${label} (${rule})`;
  if (/^must be|^a /.test(rule)) return `${label}不符合要求 (${rule})`;
  return `${label}：${rule}`;
}

/**
 * A refusal of a generic form, in Chinese first: each field's rule named by its label, and a
 * message in Chinese where the refusal brought only English.
 */
export function inChinese(error: AppError, items: readonly PackageItem[]): AppError {
  const fields = error.fields.map((f) => ({ path: f.path, rule: chineseRule(f.path, f.rule, fieldLabel(f.path, items)) }));
  const message = CHINESE_FIRST.test(error.message) ? error.message : fields[0] ? `未能提交：${fields[0].rule}` : `未能提交 (${error.message})`;
  return new AppError(error.code, message, fields);
}
