import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createUser } from '../../app/seed.ts';
import { PiiAccessRecord } from '../../infra/db/entities.ts';
import { applicationWithReport, residentId, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/** The whole 贯标 track over HTTP on real Temporal, PostgreSQL and SMTP. */
let system: TestSystem;
let track: Track;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
});
afterAll(async () => {
  await system?.stop();
});

async function enterpriseUser(n: number): Promise<Track> {
  const email = `qiye${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业用户${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

describe('the standard-compliance track, end to end', () => {
  let caseId: string;

  test('application → district review → batch → city review → self-compliance checklist', async () => {
    const applied = await track.apply();
    expect(applied.status).toBe(201);
    caseId = applied.body.id;
    const admitted = await track.admit(caseId);
    expect(admitted.checklist.map((i: { key: string; done: boolean }) => [i.key, i.done])).toEqual([
      ['working_group', false],
      ['work_plan', false],
      ['credit_department', false],
      ['training', false],
      ['internal_evaluation', false],
    ]);
  });

  test('checklist items need their fields and documents; acceptance waits for the whole checklist', async () => {
    const missing = await track.complete(track.enterprise, caseId, { outcome: 'done', fields: { leader: '王建国' } }, 'self_compliance_item', 'working_group');
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['fields.members', 'fields.dedicatedStaff']);
    const early = await track.submitAcceptance(caseId);
    expect(early.status).toBe(422);
    expect(early.body.error.message).toContain('成立贯标工作小组');
    await track.completeChecklist(caseId);
    const view = (await track.enterprise.get(`/api/cases/${caseId}`)).body;
    expect(view.checklist.every((i: { done: boolean }) => i.done)).toBe(true);
  });

  test('the self-evaluation takes only the levels the sheet allows, and every item', async () => {
    const halfNotAllowed = await track.submitAcceptance(caseId, track.scores('full', { '1.1': 'half' }));
    expect(halfNotAllowed.status).toBe(400);
    expect(halfNotAllowed.body.error.fields).toEqual([{ path: 'acceptance.selfEvaluation.scores.1.1', rule: expect.stringContaining('半分值') }]);
    const scores = track.scores();
    delete scores['12.7'];
    const incomplete = await track.submitAcceptance(caseId, scores);
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.fields).toEqual([{ path: 'acceptance.selfEvaluation.scores.12.7', rule: '第12.7项：请选择得分 (item 12.7: required)' }]);
  });

  test('acceptance: submitted, checked by the district, adjusted by the city, certified by Suzhou', async () => {
    // 2.5 专职/兼职情况 at half (兼职人员), 6.16 at zero (a gap), dishonesty item 11.7 at half (一般失信)
    const submitted = await track.submitAcceptance(caseId, track.scores('full', { '2.5': 'half', '6.16': 'zero', '11.7': 'half' }));
    expect(submitted.status).toBe(200);
    expect(submitted.body.stage).toBe('acceptance_district_check');
    expect(submitted.body.selfEvaluation.enterprise).toMatchObject({ total: 1000 - 10 - 10 - 5, complete: true, gaps: [expect.objectContaining({ itemId: '6.16' })] });
    // 975 is AAA by the bands, but general dishonesty keeps it below A
    expect(submitted.body.selfEvaluation.enterprise.grade).toMatchObject({ uncappedGrade: 'AAA', grade: 'B', cappedBy: 'general_dishonesty' });
    // the signed 承诺书 handed in with the materials is the commitment letter's signed copy
    const letter = (await track.city.get(`/api/cases/${encodeURIComponent(caseId)}/documents`)).body.documents.find((d: { kind: string }) => d.kind === 'commitment_letter');
    expect(letter.scans).toEqual([expect.objectContaining({ name: '信用承诺书（签字盖章）.pdf', handedInWith: 'acceptance_submission', ofCurrentPrint: null })]);

    expect((await track.complete(track.district, caseId, { outcome: 'approve', scoreAdjustments: [{ itemId: '1.1', level: 'zero', comment: 'x' }] }, 'review')).status).toBe(422);
    expect((await track.complete(track.district, caseId, { outcome: 'approve', comment: '材料齐全' }, 'review')).status).toBe(200);

    const badAdjustment = await track.complete(track.city, caseId, { outcome: 'approve', scoreAdjustments: [{ itemId: '1.1', level: 'half', comment: '方针文件不完整' }] }, 'review');
    expect(badAdjustment.status).toBe(400);
    const adjusted = await track.complete(track.city, caseId, { outcome: 'approve', scoreAdjustments: [{ itemId: '3.1', level: 'zero', comment: '岗位责任制度未见文件' }] }, 'review');
    expect(adjusted.status).toBe(200);
    expect(adjusted.body.stage).toBe('acceptance_prefecture_review');
    expect(adjusted.body.selfEvaluation.enterprise.total).toBe(975);
    expect(adjusted.body.selfEvaluation.reviewed.total).toBe(965);
    expect(adjusted.body.selfEvaluation.adjustments['3.1']).toMatchObject({ level: 'zero', comment: '岗位责任制度未见文件', actorName: '周涛（市经信委融资与担保科）' });

    expect((await track.complete(track.prefecture, caseId, { outcome: 'approve' }, 'review')).status).toBe(422);
    const certified = await track.complete(track.prefecture, caseId, { outcome: 'approve', certificate: { number: '苏信用贯标〔2026〕001号', issuedOn: '2026-09-15' } }, 'review');
    expect(certified.body).toMatchObject({ status: 'certified', stage: 'certified', certificate: { number: '苏信用贯标〔2026〕001号', issuedOn: '2026-09-15' } });
    expect(certified.body.decisions.map((d: { stage: string; outcome: string }) => `${d.stage}:${d.outcome}`)).toEqual(
      expect.arrayContaining(['acceptance_district_check:approve', 'acceptance_city_review:approve', 'acceptance_prefecture_review:approve']),
    );
    expect(certified.body.tasks.filter((t: { status: string }) => t.status === 'open')).toEqual([]);
    expect((await system.app.temporal.workflow.getHandle(caseId).result()).status).toBe('certified');
    const [mail] = await system.mail.waitFor((m) => m.envelopeTo.includes('qiye@demo.local') && m.subject.startsWith('【通过验收】'));
    expect(mail!.subject).toContain('苏信用贯标〔2026〕001号');
  });
});

describe('a consultant, and a failed acceptance', () => {
  test('the enterprise engages a consultant, who gets guidance and review tasks and sees the case', async () => {
    const company = await enterpriseUser(41);
    const caseId = (await company.apply({ uscc: uscc(41), enterpriseName: '太仓四十一电子有限公司' })).body.id;
    const consultant = await ApiClient.login(system.url, 'guwen@demo.local', TEST_PASSWORD);
    const consultantId = (await consultant.get('/api/auth/me')).body.actor.userId;
    expect((await consultant.get(`/api/cases/${caseId}`)).status).toBe(404);
    await company.admit(caseId);
    expect((await company.district.post(`/api/cases/${caseId}/consultant`, { consultantUserId: consultantId })).status).toBe(403);
    const notConsultant = await company.enterprise.post(`/api/cases/${caseId}/consultant`, { consultantUserId: company.system.userIds.get('shaxi@demo.local') });
    expect(notConsultant.status).toBe(400);
    expect(notConsultant.body.error.fields).toEqual([{ path: 'consultantUserId', rule: expect.stringContaining('信用服务机构顾问：') }]);
    const engaged = await company.enterprise.post(`/api/cases/${caseId}/consultant`, { consultantUserId: consultantId });
    expect(engaged.status).toBe(200);
    expect(engaged.body.consultantUserId).toBe(consultantId);
    // people are shown the name and agency; the id stays for API clients
    expect(engaged.body.consultant).toEqual({ userId: consultantId, name: '李强（苏州示例信用服务有限公司）', agencyName: '苏州示例信用服务有限公司' });
    expect((await consultant.get(`/api/cases/${caseId}`)).status).toBe(200);
    const [guidance] = (await consultant.get('/api/tasks')).body.tasks;
    expect(guidance).toMatchObject({ kind: 'guidance', caseId });
    expect((await consultant.post(`/api/tasks/${encodeURIComponent(guidance.id)}/complete`, { outcome: 'done' })).status).toBe(422);
    expect((await consultant.post(`/api/tasks/${encodeURIComponent(guidance.id)}/complete`, { outcome: 'done', comment: '6月15日现场辅导：讲解信用管理规范，梳理制度清单' })).status).toBe(200);
    await company.completeChecklist(caseId);
    const [review] = (await consultant.get('/api/tasks')).body.tasks;
    expect(review).toMatchObject({ kind: 'consultant_review', subject: 'internal_evaluation' });
    // submitting the acceptance materials ends the consultant's open work
    expect((await company.submitAcceptance(caseId)).status).toBe(200);
    expect((await consultant.get('/api/tasks')).body.tasks).toEqual([]);

    // and acceptance can fail, with the reason on record
    expect((await company.complete(company.district, caseId, { outcome: 'approve' }, 'review')).status).toBe(200);
    expect((await company.complete(company.city, caseId, { outcome: 'approve' }, 'review')).status).toBe(200);
    const failed = await company.complete(company.prefecture, caseId, { outcome: 'reject', comment: '现场核查与自评不符' }, 'review');
    expect(failed.body).toMatchObject({ status: 'failed', stage: 'failed', closure: { reason: '现场核查与自评不符' }, certificate: null });
  });
});

describe('returns, deadlines and eligibility', () => {
  test('returned and corrected twice: every version is kept, and the decisions say who and when', async () => {
    const company = await enterpriseUser(11);
    const applied = await company.apply({ uscc: uscc(11), enterpriseName: '太仓第十一机械有限公司' });
    const caseId = applied.body.id;
    for (const round of [1, 2]) {
      expect((await company.complete(company.district, caseId, { outcome: 'return', comment: `第${round}次退回：请补充材料` }, 'review')).status).toBe(200);
      const corrected = await company.complete(company.enterprise, caseId, { outcome: 'resubmit', application: await applicationWithReport(company.enterprise, { uscc: uscc(11), enterpriseName: '太仓第十一机械有限公司', reasons: `第${round}次补正后的申请理由，材料已补充完整。` }) }, 'correct_application');
      expect(corrected.body).toMatchObject({ stage: 'district_review', applicationVersion: round + 1 });
    }
    const view = (await company.district.get(`/api/cases/${caseId}`)).body;
    expect(view.applicationVersions.map((v: any) => [v.version, v.form.reasons.slice(0, 3)])).toEqual([[1, '企业高'], [2, '第1次'], [3, '第2次']]);
    expect(view.decisions.map((d: any) => [d.outcome, d.actor.role])).toEqual([
      ['return', 'district_officer'],
      ['resubmit', 'enterprise'],
      ['return', 'district_officer'],
      ['resubmit', 'enterprise'],
    ]);
    // a correction cannot switch the enterprise
    expect((await company.complete(company.district, caseId, { outcome: 'return', comment: '再补' }, 'review')).status).toBe(200);
    const switched = await company.complete(company.enterprise, caseId, { outcome: 'resubmit', application: await applicationWithReport(company.enterprise, { uscc: uscc(12) }) }, 'correct_application');
    expect(switched.status).toBe(400);
  });

  test('ineligible enterprises are told why, in words', async () => {
    const young = await enterpriseUser(21);
    const foundedOn = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
    const tooYoung = await young.apply({ uscc: uscc(21), foundedOn });
    expect(tooYoung.status).toBe(422);
    expect(tooYoung.body.error.fields).toEqual([{ path: 'application.foundedOn', rule: expect.stringContaining('不满2年') }]);

    const barred = await enterpriseUser(22);
    const finding = await track.city.post(`/api/enterprises/${uscc(22)}/credit-records`, { kind: 'false_commitment', occurredOn: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10), note: '2025年贯标申报材料弄虚作假' });
    expect(finding.status).toBe(201);
    expect((await barred.enterprise.post(`/api/enterprises/${uscc(22)}/credit-records`, { kind: 'general_dishonesty', occurredOn: '2025-01-01', note: '自己记录' })).status).toBe(403);
    const refused = await barred.apply({ uscc: uscc(22) });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields[0]).toMatchObject({ path: 'enterprise.creditRecords', rule: expect.stringMatching(/两年|2年/) });

    const undeclared = await enterpriseUser(23);
    const noDeclaration = await undeclared.apply({ uscc: uscc(23), declaresNoSeriousDishonesty: false, independentLegalPerson: false });
    expect(noDeclaration.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['application.independentLegalPerson', 'application.declaresNoSeriousDishonesty']);

    const elsewhere = await enterpriseUser(24);
    const wrongDistrict = await elsewhere.apply({ uscc: uscc(24), district: 'kunshan' });
    expect(wrongDistrict.status).toBe(400);
    expect(wrongDistrict.body.error.fields[0].path).toBe('application.district');
  });

  test('identity numbers are masked for those who need not see them; a look at the full number is logged', async () => {
    const caseId = `case-${system.program.id}-standard-${(await track.enterprise.get('/api/auth/me')).body.actor.scopeId}`;
    const prefectureView = (await track.prefecture.get(`/api/cases/${caseId}`)).body;
    expect(prefectureView.application.legalRepresentativeIdNumber).toBe(`320585********${residentId().slice(14)}`);
    expect((await track.prefecture.post(`/api/enterprises/${prefectureView.enterprise.uscc}/reveal-id-number`)).status).toBe(403);
    const revealed = await track.district.post(`/api/enterprises/${prefectureView.enterprise.uscc}/reveal-id-number`);
    expect(revealed.body).toEqual({ legalRepresentativeIdNumber: residentId() });
    const log = await system.app.orm.em.fork().find(PiiAccessRecord, { subjectUscc: prefectureView.enterprise.uscc });
    expect(log.map((l) => [l.actorRole, l.field])).toEqual([['district_officer', 'legalRepresentativeIdNumber']]);
    expect((await track.district.get(`/api/enterprises/${prefectureView.enterprise.uscc}`)).body.legalRepresentativeIdNumber).toMatch(/\*{8}/);
    expect((await track.district.get(`/api/cases/${caseId}`)).body.application.legalRepresentativeIdNumber).toMatch(/\*{8}/);
    expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.application.legalRepresentativeIdNumber).toMatch(/\*{8}/);
    // the enterprise reveals its own number the same way, and the look is logged too
    expect((await track.enterprise.post(`/api/enterprises/${prefectureView.enterprise.uscc}/reveal-id-number`)).body).toEqual({ legalRepresentativeIdNumber: residentId() });
    const afterOwnLook = await system.app.orm.em.fork().find(PiiAccessRecord, { subjectUscc: prefectureView.enterprise.uscc });
    expect(afterOwnLook.map((l) => l.actorRole).sort()).toEqual(['district_officer', 'enterprise']);
  });

  test('the work plan is public: programs and the 1000-point rubric without login', async () => {
    const anonymous = new ApiClient(system.url);
    const rubric = (await anonymous.get(`/api/programs/${system.program.id}/rubric`)).body;
    expect(rubric.sections).toHaveLength(12);
    expect(rubric.sections.reduce((sum: number, s: { max: number }) => sum + s.max, 0)).toBe(1000);
    const first = rubric.sections[0].items[0];
    expect(first).toEqual({ id: '1.1', title: '确定信用管理方针并形成文件', criterion: '信用管理方针', max: 10, levels: { full: { points: 10, label: '有文件' }, half: null, zero: { points: 0, label: '无文件' } } });
    expect(rubric.grading.bands[0]).toEqual({ grade: 'AAA', minScore: 900 });
    expect((await anonymous.get('/api/openapi.json')).body.paths['/api/tasks/{taskId}/complete'].post.requestBody).toBeDefined();
  });

  test('an admin clones the plan to a new year; running cases keep the version they pinned', async () => {
    const admin = await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD);
    expect((await track.city.post(`/api/programs/${system.program.id}/clone`, { year: 2031 })).status).toBe(403);
    const cloned = await admin.post(`/api/programs/${system.program.id}/clone`, { year: 2031 });
    expect(cloned.status).toBe(201);
    expect(cloned.body.tracks.standard.deadlines.application.date.startsWith('2031-')).toBe(true);
    expect((await admin.post(`/api/programs/${system.program.id}/clone`, { year: 2031 })).status).toBe(409);
  });
});
