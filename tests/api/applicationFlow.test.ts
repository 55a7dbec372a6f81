import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CaseRecord, EnterpriseRecord, NotificationRecord, TaskRecord } from '../../infra/db/entities.ts';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { application, applicationWithReport, residentId, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

let system: TestSystem;
let enterprise: ApiClient;
let shaxiOfficer: ApiClient;
let cityOfficer: ApiClient;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  enterprise = await ApiClient.login(system.url, 'qiye@demo.local', TEST_PASSWORD);
  shaxiOfficer = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
  cityOfficer = await ApiClient.login(system.url, 'city@demo.local', TEST_PASSWORD);
});
afterAll(async () => {
  await system?.stop();
});

const casePath = () => `/api/cases/case-${system.program.id}-standard-${DEMO_ENTERPRISE_USCC}`;

describe('the walking skeleton over HTTP', () => {
  test('healthz answers 200 when the database and Temporal answer', async () => {
    const response = await new ApiClient(system.url).get('/healthz');
    expect(response).toEqual({ status: 200, body: { ok: true, database: 'ok', temporal: 'ok' } });
  });

  test('every API call needs a session', async () => {
    const anonymous = new ApiClient(system.url);
    expect((await anonymous.get('/api/tasks')).status).toBe(401);
    expect((await anonymous.post('/api/cases', { application: application() })).body.error.code).toBe('unauthenticated');
    expect((await anonymous.post('/api/auth/login', { email: 'qiye@demo.local', password: 'wrong' })).status).toBe(401);
  });

  test('an invalid credit code is refused with 400 naming the field, and nothing is saved', async () => {
    const response = await enterprise.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(enterprise, { uscc: '91320585MA1TC0001B' }) });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ path: 'application.uscc', rule: expect.stringContaining('GB 32100') }]);
    expect(await system.app.orm.em.fork().count(CaseRecord, {})).toBe(0);
  });

  test('bad input names every bad field and its rule', async () => {
    const response = await enterprise.post('/api/cases', {
      programId: system.program.id,
      track: 'gold',
      application: { ...application({ foundedOn: '2015/03/01', contactPhone: 'call me', reasons: '', postCode: '2154' }), independentLegalPerson: 'yes', creditReportFileId: undefined },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'application.contactPhone',
      'application.creditReportFileId',
      'application.foundedOn',
      'application.independentLegalPerson',
      'application.postCode',
      'application.reasons',
      'track',
    ]);
    const badId = await enterprise.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(enterprise, { legalRepresentativeIdNumber: '320585197503121239' }) });
    expect(badId.status).toBe(400);
    expect(badId.body.error.fields).toEqual([{ path: 'application.legalRepresentativeIdNumber', rule: expect.stringContaining('GB 11643') }]);
    const notMine = await enterprise.post('/api/cases', { programId: system.program.id, application: application({ creditReportFileId: crypto.randomUUID() }) });
    expect(notMine.status).toBe(400);
    expect(notMine.body.error.fields).toEqual([{ path: 'application.creditReportFileId', rule: 'must be a file your enterprise uploaded' }]);
    const malformed = await enterprise.request('POST', '/api/cases', '{"application": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/JSON/);
  });

  test('an enterprise user applies only for its own enterprise, in a district of the program', async () => {
    const other = await enterprise.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(enterprise, { uscc: '91350100M000100Y43' }) });
    expect(other.status).toBe(403);
    const nowhere = await enterprise.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(enterprise, { district: 'atlantis' }) });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.fields[0]).toMatchObject({ path: 'application.district', rule: expect.stringContaining('shaxi') });
    expect((await shaxiOfficer.post('/api/cases', { programId: system.program.id, application: application() })).status).toBe(403);
  });

  test('an application starts the case and opens a review task for its district, with mail to the officer', async () => {
    const response = await enterprise.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(enterprise) });
    expect(response.status).toBe(201);
    // even the enterprise sees the number masked: the full one only through the logged reveal
    expect(response.body.application.legalRepresentativeIdNumber).toBe(`320585********${residentId().slice(14)}`);
    expect(response.body.application).not.toHaveProperty('legalRepresentativeIdRef');
    expect(response.body).toMatchObject({
      id: `case-${system.program.id}-standard-${DEMO_ENTERPRISE_USCC}`,
      stage: 'district_review',
      status: 'active',
      enterprise: { uscc: DEMO_ENTERPRISE_USCC, district: 'shaxi' },
      tasks: [{ stage: 'district_review', assigneeRole: 'district_officer', jurisdiction: 'shaxi', status: 'open' }],
    });
    const [mail] = await system.mail.waitFor((m) => m.envelopeTo.includes('shaxi@demo.local'));
    expect(mail!.subject).toBe('【待办】太仓示例精密机械有限公司 · 镇（区）初审');

    expect(mail!.text).toContain(`${system.url}/tasks/`);
  });

  test('a second application for the same enterprise, track and year is a 409, and the first is kept', async () => {
    const response = await enterprise.post('/api/cases', {
      programId: system.program.id,
      application: await applicationWithReport(enterprise, { enterpriseName: '改名后的公司', reasons: '第二次申请，内容不同，不应覆盖第一次的申请。' }),
    });
    expect(response.status).toBe(409);
    expect(response.body.error.fields[0].path).toBe('application.uscc');
    const kept = await enterprise.get(casePath());
    expect(kept.body.application.enterpriseName).toBe('太仓示例精密机械有限公司');
    expect((await system.app.orm.em.fork().findOneOrFail(EnterpriseRecord, { uscc: DEMO_ENTERPRISE_USCC })).name).toBe('太仓示例精密机械有限公司');
  });

  test('the district inbox holds the task; other districts and the enterprise do not see it', async () => {
    const inbox = await shaxiOfficer.get('/api/tasks');
    expect(inbox.body.tasks).toHaveLength(1);
    const fuqiao = await system.app.orm.em.fork().count(TaskRecord, { jurisdiction: 'fuqiao' });
    expect(fuqiao).toBe(0);
    expect((await enterprise.get('/api/tasks')).body.tasks).toHaveLength(0);
    expect((await cityOfficer.get('/api/tasks')).body.tasks).toHaveLength(0);
  });

  test('completing: wrong actor 403, missing comment 422, unknown task 404', async () => {
    const [task] = (await shaxiOfficer.get('/api/tasks')).body.tasks;
    const path = `/api/tasks/${encodeURIComponent(task.id)}/complete`;
    expect((await enterprise.post(path, { outcome: 'approve' })).status).toBe(403);
    expect((await cityOfficer.post(path, { outcome: 'approve' })).status).toBe(403);
    const noComment = await shaxiOfficer.post(path, { outcome: 'return' });
    expect(noComment.status).toBe(422);
    expect(noComment.body.error.fields).toEqual([{ path: 'comment', rule: '退回或不予通过时请说明理由 (required when outcome is return or reject)' }]);
    expect((await shaxiOfficer.post('/api/tasks/nope/complete', { outcome: 'approve' })).status).toBe(400);
    expect((await shaxiOfficer.post(`/api/tasks/${encodeURIComponent(`${casePath().split('/').at(-1)}:99:district_review`)}/complete`, { outcome: 'approve' })).status).toBe(404);
    // none of that touched the case
    expect((await shaxiOfficer.get(casePath())).body).toMatchObject({ stage: 'district_review', decisions: [] });
  });

  test('the officer returns it; the enterprise is told with the comment and corrects; the officer approves', async () => {
    const [task] = (await shaxiOfficer.get('/api/tasks')).body.tasks;
    const returned = await shaxiOfficer.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'return', comment: '请补充企业近三年信用信息查询报告' });
    expect(returned.status).toBe(200);
    expect(returned.body.stage).toBe('correction');
    expect(returned.body.decisions).toEqual([
      expect.objectContaining({ stage: 'district_review', outcome: 'return', comment: '请补充企业近三年信用信息查询报告', actor: expect.objectContaining({ name: '陈静（沙溪镇经发中心）', role: 'district_officer' }) }),
    ]);
    const [told] = await system.mail.waitFor((m) => m.envelopeTo.includes('qiye@demo.local') && m.subject.startsWith('【退回补正】'));
    expect(told!.text).toContain('请补充企业近三年信用信息查询报告');

    const [correction] = (await enterprise.get('/api/tasks')).body.tasks;
    expect(correction).toMatchObject({ kind: 'correct_application', assigneeRole: 'enterprise', jurisdiction: DEMO_ENTERPRISE_USCC });
    const resubmitted = await enterprise.post(`/api/tasks/${encodeURIComponent(correction.id)}/complete`, {
      outcome: 'resubmit',
      application: await applicationWithReport(enterprise, { reasons: '已补充近三年信用信息查询报告，企业高度重视信用管理工作。' }),
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ stage: 'district_review', applicationVersion: 2 });

    const [review2] = (await shaxiOfficer.get('/api/tasks')).body.tasks;
    const beforeApproval = Date.now();
    const approved = await shaxiOfficer.post(`/api/tasks/${encodeURIComponent(review2.id)}/complete`, { outcome: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.stage).toBe('district_forwarding');
    expect(approved.body.decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['return', 'resubmit', 'approve']);
    // the decision is stamped when it was made: after the request left, whatever the machine's speed
    expect(new Date(approved.body.decisions[2].at).getTime()).toBeGreaterThanOrEqual(beforeApproval - 1_000);
    expect(approved.body.applicationVersions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    // the same task cannot be decided twice
    expect((await shaxiOfficer.post(`/api/tasks/${encodeURIComponent(review2.id)}/complete`, { outcome: 'reject', comment: 'x' })).status).toBe(409);
  });

  test('the district forwards its approved cases to the city as one numbered batch', async () => {
    const [forwarding] = (await shaxiOfficer.get('/api/tasks')).body.tasks;
    expect(forwarding.kind).toBe('forward');
    expect((await shaxiOfficer.post(`/api/tasks/${encodeURIComponent(forwarding.id)}/complete`, { outcome: 'forward' })).status).toBe(422);
    expect((await cityOfficer.post('/api/batches', { caseIds: [forwarding.caseId] })).status).toBe(403);
    expect((await shaxiOfficer.post('/api/batches', { caseIds: ['case-nope'] })).status).toBe(400);
    expect((await shaxiOfficer.post('/api/batches', { caseIds: [`case-${system.program.id}-standard-${uscc(999)}`] })).status).toBe(409);
    const batch = await shaxiOfficer.post('/api/batches', { caseIds: [forwarding.caseId] });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ number: `沙溪镇〔${system.program.year}〕贯标第1批`, district: 'shaxi', caseIds: [forwarding.caseId] });
    const seen = await cityOfficer.get('/api/batches');
    expect(seen.body.batches.map((b: { number: string }) => b.number)).toEqual([batch.body.number]);
    const view = await cityOfficer.get(casePath());
    expect(view.body.stage).toBe('city_review');
    expect(view.body.decisions.at(-1)).toMatchObject({ outcome: 'forward', stage: 'district_forwarding', comment: `汇总报送：${batch.body.number}` });
    await system.mail.waitFor((m) => m.envelopeTo.includes('city@demo.local'));
  });

  test('the city rejects: the case ends with the reason on record, and every mail went out exactly once', async () => {
    const [task] = (await cityOfficer.get('/api/tasks')).body.tasks;
    const rejected = await cityOfficer.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'reject', comment: '本年度名额已满' });
    expect(rejected.body).toMatchObject({ stage: 'rejected', status: 'rejected', closure: { reason: '本年度名额已满' } });
    // the workflow finishes only after its last mail is sent and logged
    await system.app.temporal.workflow.getHandle(rejected.body.id).result();

    const log = await system.app.orm.em.fork().find(NotificationRecord, {});
    expect(log.every((n) => n.status === 'sent')).toBe(true);
    expect(system.mail.messages).toHaveLength(log.length);
    expect(new Set(system.mail.messages.map((m) => m.messageId)).size).toBe(log.length);
  });

  test('reads are scoped: another district officer gets 404 for the case', async () => {
    const otherDistrict = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
    expect((await otherDistrict.get(casePath())).status).toBe(200);
    const consultant = await ApiClient.login(system.url, 'guwen@demo.local', TEST_PASSWORD);
    expect((await consultant.get(casePath())).status).toBe(404);
    expect((await cityOfficer.get('/api/nothing-here')).status).toBe(404);
  });
});
