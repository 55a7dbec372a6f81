import { describe, expect, test } from '@jest/globals';
import { actorMayComplete, actorMaySeeCase, completionRefusal } from '../../domain/case/authority.ts';
import type { TaskRef } from '../../domain/case/model.ts';
import { caseIdFor } from '../../domain/case/model.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import { nextInChain } from '../../domain/case/reviewChain.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';

const program = cloneProgramForYear(TAICANG_2018, 2026);
const chain = program.tracks.standard!.applicationReview;
const acceptance = program.tracks.standard!.acceptanceReview;
const shaxiOfficer: Actor = { userId: 'u1', name: '陈静', role: 'district_officer', scopeId: 'shaxi' };
const fuqiaoOfficer: Actor = { ...shaxiOfficer, userId: 'u2', scopeId: 'fuqiao' };
const cityOfficer: Actor = { userId: 'u3', name: '周涛', role: 'city_officer', scopeId: null };
const prefectureOfficer: Actor = { userId: 'u4', name: '吴芳', role: 'prefecture_officer', scopeId: null };
const task = (overrides: Partial<TaskRef> = {}): TaskRef => ({
  id: 'c:1:district_review',
  kind: 'review',
  stage: 'district_review',
  assignment: { role: 'district_officer', jurisdiction: 'shaxi' },
  openedAt: '2026-06-01T00:00:00.000Z',
  dueAt: '2026-06-06T00:00:00.000Z',
  ...overrides,
});

describe('review chains', () => {
  test('application: district review, district forwarding in a batch, city review', () => {
    expect(chain.map((s) => [s.stage, s.role, s.kind])).toEqual([
      ['district_review', 'district_officer', 'review'],
      ['district_forwarding', 'district_officer', 'forward'],
      ['city_review', 'city_officer', 'review'],
    ]);
    expect(nextInChain(chain, 0, 'approve')).toEqual({ kind: 'step', step: chain[1], index: 1 });
    expect(nextInChain(chain, 1, 'forward')).toEqual({ kind: 'step', step: chain[2], index: 2 });
    expect(nextInChain(chain, 2, 'approve')).toEqual({ kind: 'passed' });
  });

  test('acceptance: district check, city acceptance adjusting scores, prefecture review issuing the certificate', () => {
    expect(acceptance.map((s) => s.role)).toEqual(['district_officer', 'city_officer', 'prefecture_officer']);
    expect(acceptance[1]!.adjustsScores).toBe(true);
    expect(acceptance[2]!.issuesCertificate).toBe(true);
  });

  test('return goes to correction and rejection ends the case, at any step', () => {
    expect(nextInChain(chain, 2, 'return')).toEqual({ kind: 'correction' });
    expect(nextInChain(acceptance, 0, 'reject')).toEqual({ kind: 'rejected' });
  });

  test('a case pins its plan: chains, checklist and the acceptance deadline as an instant', () => {
    const plan = casePlanFor(program, 'standard');
    expect(plan.selfCompliance.map((i) => i.key)).toEqual(['working_group', 'work_plan', 'credit_department', 'training', 'internal_evaluation']);
    expect(plan.deadlines).toEqual({ acceptanceMaterials: '2026-07-31T15:59:59.999Z' });
  });
});

describe('who may complete a task, with what', () => {
  test('the role within the jurisdiction, a named person, or anyone of the role for city-wide tasks', () => {
    expect(actorMayComplete(shaxiOfficer, task())).toBe(true);
    expect(actorMayComplete(fuqiaoOfficer, task())).toBe(false);
    expect(actorMayComplete(cityOfficer, task())).toBe(false);
    expect(actorMayComplete(cityOfficer, { assignment: { role: 'city_officer', jurisdiction: null } })).toBe(true);
    const consultant: Actor = { userId: 'c1', name: '李强', role: 'consultant', scopeId: 'agency-demo' };
    expect(actorMayComplete(consultant, { assignment: { role: 'consultant', jurisdiction: null, userId: 'c1' } })).toBe(true);
    expect(actorMayComplete({ ...consultant, userId: 'c2' }, { assignment: { role: 'consultant', jurisdiction: null, userId: 'c1' } })).toBe(false);
  });

  test('refusals name what is wrong', () => {
    const open = [task()];
    expect(completionRefusal([], 'c:1:district_review', shaxiOfficer, { outcome: 'approve' })?.code).toBe('task_closed');
    expect(completionRefusal(open, 'other', shaxiOfficer, { outcome: 'approve' })?.code).toBe('task_closed');
    expect(completionRefusal(open, open[0]!.id, fuqiaoOfficer, { outcome: 'approve' })?.code).toBe('wrong_actor');
    expect(completionRefusal(open, open[0]!.id, shaxiOfficer, { outcome: 'return', comment: '  ' })).toMatchObject({ code: 'invalid_payload', path: 'comment' });
    expect(completionRefusal(open, open[0]!.id, shaxiOfficer, { outcome: 'return', comment: '缺少信用报告' })).toBeNull();
    expect(completionRefusal(open, open[0]!.id, shaxiOfficer, { outcome: 'resubmit' })).toMatchObject({ code: 'invalid_payload', path: 'outcome' });
  });

  test('each kind of task asks for its own content', () => {
    const prefecture = [task({ id: 'p', stage: 'acceptance_prefecture_review', assignment: { role: 'prefecture_officer', jurisdiction: null }, issuesCertificate: true })];
    expect(completionRefusal(prefecture, 'p', prefectureOfficer, { outcome: 'approve' })).toMatchObject({ path: 'certificate.number' });
    expect(completionRefusal(prefecture, 'p', prefectureOfficer, { outcome: 'approve', certificate: { number: 'JS-2026-001', issuedOn: '2026/09/01' } })).toMatchObject({ path: 'certificate.issuedOn' });
    expect(completionRefusal(prefecture, 'p', prefectureOfficer, { outcome: 'approve', certificate: { number: 'JS-2026-001', issuedOn: '2026-09-01' } })).toBeNull();
    expect(completionRefusal(prefecture, 'p', prefectureOfficer, { outcome: 'approve', certificate: { number: 'x', issuedOn: '2026-09-01' }, scoreAdjustments: [{ itemId: '1.1', level: 'zero', comment: 'no' }] })).toMatchObject({ path: 'scoreAdjustments' });

    const city = [task({ id: 'a', stage: 'acceptance_city_review', assignment: { role: 'city_officer', jurisdiction: null }, adjustsScores: true })];
    expect(completionRefusal(city, 'a', cityOfficer, { outcome: 'approve', scoreAdjustments: [{ itemId: '1.1', level: 'zero', comment: ' ' }] })).toMatchObject({ path: 'scoreAdjustments.0.comment' });
    expect(completionRefusal(city, 'a', cityOfficer, { outcome: 'approve', scoreAdjustments: [{ itemId: '1.1', level: 'zero', comment: '无文件' }] })).toBeNull();

    const enterprise: Actor = { userId: 'e', name: '王敏', role: 'enterprise', scopeId: 'U' };
    const submission = [task({ id: 's', kind: 'acceptance_submission', stage: 'self_compliance', assignment: { role: 'enterprise', jurisdiction: 'U' } })];
    const acceptanceMaterials = { workSummaryFileId: 'a', internalEvaluationFileId: 'b', commitmentLetterFileId: 'c', selfEvaluation: { scores: { '1.1': 'full' as const }, evidence: {} } };
    expect(completionRefusal(submission, 's', enterprise, { outcome: 'submit', acceptance: acceptanceMaterials }, { missingChecklist: ['成立贯标工作小组'] })).toMatchObject({ path: 'checklist', rule: expect.stringContaining('成立贯标工作小组') });
    expect(completionRefusal(submission, 's', enterprise, { outcome: 'submit', acceptance: { ...acceptanceMaterials, commitmentLetterFileId: '' } })).toMatchObject({ path: 'acceptance.commitmentLetterFileId' });
    expect(completionRefusal(submission, 's', enterprise, { outcome: 'submit', acceptance: acceptanceMaterials })).toBeNull();

    const item = [task({ id: 'i', kind: 'self_compliance_item', stage: 'self_compliance', subject: 'work_plan', assignment: { role: 'enterprise', jurisdiction: 'U' } })];
    expect(completionRefusal(item, 'i', enterprise, { outcome: 'done' })).toMatchObject({ path: 'fields' });
    expect(completionRefusal(item, 'i', enterprise, { outcome: 'done', fileIds: ['f'] })).toBeNull();
  });
});

describe('who may see a case', () => {
  const subject = { district: 'shaxi', enterpriseUscc: '91320585MA1TC0001A', consultantUserId: 'c1' };
  test('its enterprise, its district, its consultant, the city and above', () => {
    expect(actorMaySeeCase({ ...shaxiOfficer, role: 'enterprise', scopeId: '91320585MA1TC0001A' }, subject)).toBe(true);
    expect(actorMaySeeCase({ ...shaxiOfficer, role: 'enterprise', scopeId: '91350100M000100Y43' }, subject)).toBe(false);
    expect(actorMaySeeCase(shaxiOfficer, subject)).toBe(true);
    expect(actorMaySeeCase(fuqiaoOfficer, subject)).toBe(false);
    expect(actorMaySeeCase(cityOfficer, subject)).toBe(true);
    expect(actorMaySeeCase({ userId: 'c1', name: '李强', role: 'consultant', scopeId: 'agency-demo' }, subject)).toBe(true);
    expect(actorMaySeeCase({ userId: 'c2', name: '赵六', role: 'consultant', scopeId: 'agency-demo' }, subject)).toBe(false);
  });
});

test('case ids are the business key: program, track, enterprise', () => {
  expect(caseIdFor('taicang-2026', 'standard', '91320585MA1TC0001A')).toBe('case-taicang-2026-standard-91320585MA1TC0001A');
});
