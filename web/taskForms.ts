import { AppError } from '../features/errors.ts';
import type { TaskKind } from '../domain/case/model.ts';
import { OUTCOMES_BY_KIND } from '../domain/tasks/index.ts';
import type { PackageItem } from '../domain/program/types.ts';
import type { Locale } from '../domain/i18n/labels.ts';
import { field, prefixed, type FormBody, type KeptFile } from './forms.ts';
import { hasMessage, translate } from './i18n/i18n.ts';

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
  /** the comment's label: a key of the task catalogue (task.form.comment.*) */
  comment: { label: string; required?: boolean };
  /** the words on the submit button when the kind has a single outcome: a key of the task catalogue (task.form.submit.*) */
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
  comment: { label: 'task.form.comment.note' },
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
    comment: { label: 'task.form.comment.recommend' },
    submit: 'task.form.submit.submit',
  }),
  choose_agency: generic({ parts: ['agency'], submit: 'task.form.submit.chooseAgency' }),
  sign_contract: generic({ materials: uploads('contract'), parts: ['consultant'], submit: 'task.form.submit.contract' }),
  file_contract: generic({ parts: ['filing'], context: ['contract'], comment: { label: 'task.form.comment.returnReason' }, submit: 'task.form.submit.submit' }),
  schedule_survey: generic({ parts: ['survey'], submit: 'task.form.submit.survey' }),
  survey_report: generic({ materials: uploads('survey_report', 'survey_receipt'), context: ['survey'], submit: 'task.form.submit.submit' }),
  diagnosis: generic({ parts: ['findings'], submit: 'task.form.submit.findings' }),
  internal_evaluation: generic({ materials: uploads('internal_evaluation_report'), parts: ['evaluation'], submit: 'task.form.submit.evaluation' }),
  work_plan: generic({ materials: uploads('work_plan'), submit: 'task.form.submit.submit' }),
  coaching: generic({ comment: { label: 'task.form.comment.coaching', required: true }, submit: 'task.form.submit.coaching' }),
  evaluation_report: generic({ materials: uploads('evaluation_report'), submit: 'task.form.submit.submit' }),
  evaluation_feedback: generic({ materials: uploads('evaluation_feedback'), context: ['evaluationReport'], submit: 'task.form.submit.submit' }),
  // the package's own forms, and any item the creation steps left missing (a correction may replace them)
  application_package: generic({
    materials: (_task, held) => held.items.filter((i) => i.source === 'upload' || (i.source === 'case' && i.materials.some((m) => !held.materials[m]))).flatMap((i) => i.materials),
    context: ['package'],
    submit: 'task.form.submit.package',
  }),
  submit_package: generic({ context: ['package'], comment: { label: 'task.form.comment.returnReason' }, submit: 'task.form.submit.submit' }),
  acceptance: generic({ parts: ['correctionDueOn'], context: ['package', 'appointment'], comment: { label: 'task.form.comment.acceptance' }, submit: 'task.form.submit.submit' }),
  objection_review: generic({ context: ['objection'], comment: { label: 'task.form.comment.objection', required: true }, submit: 'task.form.submit.submit' }),
};

/**
 * A material's title: in Chinese the package item's, where the item is made of this one material,
 * else the catalogue's (task.material.*); in English the catalogue's, the program's titles being Chinese.
 */
export function materialTitle(key: string, items: readonly PackageItem[] = [], locale: Locale = 'zh-CN'): string {
  const known = hasMessage(`task.material.${key}`) ? translate(locale, `task.material.${key}`) : null;
  const item = items.find((i) => i.materials.length === 1 && i.materials[0] === key);
  return (locale === 'en' ? (known ?? item?.title) : (item?.title ?? known)) ?? key;
}

/** The form's outcomes, from the registry; the page names each as an action (task.outcomeAction.*). */
export function outcomeChoices(kind: TaskKind, chosen: string) {
  return OUTCOMES_BY_KIND[kind].map((outcome) => ({ outcome, checked: chosen === outcome }));
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

/** The Chinese name of a field of the completion body, for a refusal's line beside it (catalogue task.refusal.field.*). */
function fieldLabel(path: string, items: readonly PackageItem[]): string {
  const zh = (key: string, values: Record<string, unknown> = {}) => translate('zh-CN', `task.refusal.${key}`, values);
  // the catalogue's keys are flat: filing.number is field.filing_number
  const known = `field.${path.replaceAll('.', '_')}`;
  if (hasMessage(`task.refusal.${known}`)) return zh(known);
  if (path.startsWith('materials.')) return materialTitle(path.slice('materials.'.length), items);
  const finding = /^findings\.(\d+)\.(itemId|finding)$/.exec(path);
  if (finding) return zh(finding[2] === 'itemId' ? 'findingItem' : 'findingText', { number: Number(finding[1]) + 1 });
  const score = /^evaluation\.(scores|evidence)\.([\d.]+?)(\.\d+)?$/.exec(path);
  if (score) return zh(score[1] === 'evidence' ? 'evaluationEvidence' : 'evaluationScore', { item: score[2] });
  return path;
}

/** A rule in Chinese first, the English it came with in parentheses (the domain's rules are English). */
function chineseRule(path: string, rule: string, label: string): string {
  if (CHINESE_FIRST.test(rule)) return rule;
  const zh = (key: string) => translate('zh-CN', `task.refusal.${key}`, { label, rule });
  // what a material refusal says is always that it is missing from what the step needs
  if (path.startsWith('materials.')) return zh('upload');
  if (/^required/.test(rule)) return zh('required');
  if (/^must be|^a /.test(rule)) return zh('notAsRequired');
  return zh('other');
}

/**
 * A refusal of a generic form, in Chinese first: each field's rule named by its label, and a
 * message in Chinese where the refusal brought only English.
 */
export function inChinese(error: AppError, items: readonly PackageItem[]): AppError {
  const fields = error.fields.map((f) => ({ path: f.path, rule: chineseRule(f.path, f.rule, fieldLabel(f.path, items)) }));
  const message = CHINESE_FIRST.test(error.message)
    ? error.message
    : fields[0]
      ? translate('zh-CN', 'task.refusal.failed', { rule: fields[0].rule })
      : translate('zh-CN', 'task.refusal.failedPlain', { message: error.message });
  return new AppError(error.code, message, fields);
}
