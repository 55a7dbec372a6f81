import { describe, expect, test } from '@jest/globals';
import { AppError } from '../../features/errors.ts';
import { completeTaskBody } from '../../features/cases/schemas.ts';
import { TASK_KINDS } from '../../domain/case/model.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import { OUTCOMES_BY_KIND, TASK_KIND_RULES } from '../../domain/tasks/index.ts';
import type { PayloadPart } from '../../domain/tasks/kind.ts';
import { TASK_FORMS, findingRows, genericPayload, inChinese, materialTitle, type FormPart, type GenericTaskForm } from '../../web/taskForms.ts';

const items = TAICANG_2018.tracks['municipal-demo']!.demonstration!.packageItems;
const generic = (kind: keyof typeof TASK_FORMS) => TASK_FORMS[kind] as GenericTaskForm;
const noFiles = { materials: {}, evidence: {} };

describe('the task forms of the pages', () => {
  test('every task kind has a form; the demonstration kinds are described, not written by hand', () => {
    expect(Object.keys(TASK_FORMS).sort()).toEqual([...TASK_KINDS].sort());
    for (const kind of ['recommend', 'choose_agency', 'sign_contract', 'file_contract', 'schedule_survey', 'application_package', 'acceptance', 'objection_review'] as const) {
      expect(TASK_FORMS[kind].form).toBe('generic');
    }
  });

  test('a kind with one outcome sends it without asking; with several, the chosen one', () => {
    expect(genericPayload('work_plan', generic('work_plan'), { stage: 'creation' }, { body: {}, ...noFiles }).outcome).toBe(OUTCOMES_BY_KIND.work_plan[0]);
    expect(genericPayload('file_contract', generic('file_contract'), { stage: 'contract_filing' }, { body: { outcome: 'return', comment: '盖章不清' }, ...noFiles })).toEqual({ outcome: 'return', comment: '盖章不清' });
  });

  test('the forms send bodies the API schema takes: filing only when filing, survey, findings, the lead consultant', () => {
    const filed = genericPayload('file_contract', generic('file_contract'), { stage: 'contract_filing' }, { body: { outcome: 'file', 'filing.number': '苏信备〔2026〕1号', 'filing.filedOn': '2026-07-01' }, ...noFiles });
    expect(completeTaskBody.parse(filed).filing).toEqual({ number: '苏信备〔2026〕1号', filedOn: '2026-07-01' });
    const survey = genericPayload('schedule_survey', generic('schedule_survey'), { stage: 'creation' }, { body: { 'survey.at': '2026-07-03T09:30', 'survey.place': '企业会议室' }, ...noFiles });
    expect(completeTaskBody.parse(survey).survey).toEqual({ at: '2026-07-03T09:30', place: '企业会议室' });
    const signed = genericPayload('sign_contract', generic('sign_contract'), { stage: 'consultant_contract' }, {
      body: { consultantUserId: '00000000-0000-4000-8000-000000000001', freeOfCharge: 'true' },
      materials: { contract: { id: '00000000-0000-4000-8000-000000000002', name: '合同.pdf' } },
      evidence: {},
    });
    expect(completeTaskBody.parse(signed)).toMatchObject({ outcome: 'submit', consultantUserId: '00000000-0000-4000-8000-000000000001', freeOfCharge: true, materials: { contract: '00000000-0000-4000-8000-000000000002' } });
  });

  test('the district recommends with its form; the city without one', () => {
    expect(generic('recommend').materials({ stage: 'district_recommendation' }, { items, materials: {} })).toEqual(['recommendation_form']);
    expect(generic('recommend').materials({ stage: 'city_recommendation' }, { items, materials: {} })).toEqual([]);
  });

  test('the package form uploads its own forms and any item the case still misses', () => {
    const held = { contract: 'c', survey_report: 's', survey_receipt: 'r', internal_evaluation_report: 'i', work_plan: 'w', evaluation_report: 'e', evaluation_feedback: 'f' };
    expect(generic('application_package').materials({ stage: 'application_package' }, { items, materials: held })).toEqual(['demonstration_application_form', 'legal_person_credit_report']);
    const { survey_report: _gone, ...missing } = held;
    expect(generic('application_package').materials({ stage: 'application_package' }, { items, materials: missing })).toEqual(['survey_report', 'survey_receipt', 'demonstration_application_form', 'legal_person_credit_report']);
  });

  test('findings: empty rows are left out, the rest keep their order', () => {
    expect(findingRows({ 'findingItem.0': '4.1', 'findingText.0': '档案未更新', 'findingItem.1': '', 'findingText.1': '', 'findingItem.2': '7.2', 'findingText.2': '授信无审批' })).toEqual([
      { itemId: '4.1', finding: '档案未更新' },
      { itemId: '7.2', finding: '授信无审批' },
    ]);
  });

  test('a refusal in English is shown in Chinese first, the field named by its title', () => {
    const shown = inChinese(new AppError('unprocessable', 'materials.legal_person_credit_report: required: upload legal_person_credit_report', [{ path: 'materials.legal_person_credit_report', rule: 'required: upload legal_person_credit_report' }]), items);
    expect(shown.fields[0]!.rule).toBe('请上传：社会法人信用信息查询报告 (required: upload legal_person_credit_report)');
    expect(shown.message).toContain('未能提交：请上传：社会法人信用信息查询报告');
    expect(inChinese(new AppError('unprocessable', 'x', [{ path: 'filing.number', rule: 'required: the filing number' }]), items).fields[0]!.rule).toContain('备案编号');
    // a message already in Chinese stays as it is; an English rule quoting Chinese titles is put Chinese first
    const chinese = new AppError('unprocessable', '申报材料不齐：缺少 社会法人信用信息查询报告 (the package is not complete)', [
      { path: 'materials.legal_person_credit_report', rule: 'the package is not complete: 社会法人信用信息查询报告' },
    ]);
    expect(inChinese(chinese, items).message).toBe(chinese.message);
    expect(inChinese(chinese, items).fields[0]!.rule).toBe('请上传：社会法人信用信息查询报告 (the package is not complete: 社会法人信用信息查询报告)');
    expect(inChinese(new AppError('bad_request', 'x', [{ path: 'survey.place', rule: '必填 (required)' }]), items).fields[0]!.rule).toBe('必填 (required)');
  });

  test('a material is named by the package item it makes up, where the item is that one material', () => {
    expect(materialTitle('demonstration_application_form', items)).toBe('苏州市信用管理示范企业申报表');
    expect(materialTitle('survey_receipt', items)).toContain('回执');
  });
});

describe('the forms and the registry agree', () => {
  /** The payload parts each form part fills in. */
  const FILLS: Record<FormPart, PayloadPart[]> = {
    agency: ['agencyId'],
    consultant: ['leadConsultant', 'freeOfCharge'],
    filing: ['filing'],
    survey: ['survey'],
    findings: ['findings'],
    evaluation: ['evaluation'],
    correctionDueOn: ['correctionDueOn'],
  };

  test.each(TASK_KINDS.filter((kind) => TASK_FORMS[kind].form === 'generic'))('the %s form asks only for what its kind accepts', (kind) => {
    const form = TASK_FORMS[kind] as GenericTaskForm;
    const asked = form.parts.flatMap((part) => FILLS[part]);
    for (const stage of ['district_recommendation', 'city_recommendation', 'creation']) {
      if (form.materials({ stage }, { items: [], materials: {} }).length) asked.push('materials');
    }
    expect(asked.filter((part) => !TASK_KIND_RULES[kind].accepts.includes(part))).toEqual([]);
  });
});
