import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { gzipSync } from 'node:zlib';
import type { Actor } from '../../domain/identity/roles.ts';
import { CaseRecord, CreditRecordEntry, IdentityNumberRecord, TaskRecord } from '../../infra/db/entities.ts';
import { createUser } from '../../app/seed.ts';
import { caseSettledUpdate, caseStateQuery, completeTaskUpdate } from '../../workflows/case/messages.ts';
import { application, caseStartInput, residentId, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * Regressions of the hardening review (issue 7): each test failed on the code before it.
 * Every case here belongs to an enterprise of its own, so the tests do not lean on each other.
 */
let system: TestSystem;
let gangquOfficer: ApiClient;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  await createUser(system.app.orm, { email: 'gangqu@demo.local', name: '港区经发局', role: 'district_officer', scopeId: 'gangqu' }, TEST_PASSWORD);
  gangquOfficer = await ApiClient.login(system.url, 'gangqu@demo.local', TEST_PASSWORD);
});
afterAll(async () => {
  await system?.stop();
});

/** A track whose enterprise is made-up enterprise n, registered in the given district. */
async function enterpriseTrack(n: number, home = 'shaxi'): Promise<Track & { uscc: string; home: string }> {
  const email = `hardening${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `加固测试企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Object.assign(await Track.start(system, email), { uscc: uscc(n), home });
}

const enterpriseActor = (track: { uscc: string }): Actor => ({ userId: crypto.randomUUID(), name: '企业', role: 'enterprise', scopeId: track.uscc });

/** Every text Temporal keeps of a workflow: its history with each payload decoded. */
async function historyText(workflowId: string): Promise<string> {
  const history = await system.app.temporal.workflow.getHandle(workflowId).fetchHistory();
  const texts: string[] = [];
  const walk = (value: unknown) => {
    if (value instanceof Uint8Array) texts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    else if (typeof value === 'string') texts.push(value);
  };
  walk(history);
  return texts.join('\n');
}

/** Rows of a table whose text holds the string anywhere. */
async function rowsHolding(table: string, text: string): Promise<number> {
  const [row] = await system.app.orm.em.fork().getConnection().execute(`select count(*)::int as n from "${table}" t where t::text like ?`, [`%${text}%`]);
  return row.n;
}

describe('1. a full identity number leaves the system only through the logged reveal', () => {
  test('after a return and a correction with a new number, no answer, row, payload or mail holds either number', async () => {
    const track = await enterpriseTrack(101);
    const first = residentId('19750312', '123');
    const second = residentId('19800101', '456');
    const applied = await track.apply({ uscc: track.uscc, legalRepresentativeIdNumber: first });
    expect(applied.status).toBe(201);
    const caseId = applied.body.id;
    expect((await track.complete(track.district, caseId, { outcome: 'return', comment: '请更正法定代表人身份证号' }, 'review')).status).toBe(200);

    const correction = await track.task(track.enterprise, caseId, 'correct_application');
    const shown = (await track.enterprise.get(`/api/cases/${caseId}`)).body.application;
    expect(shown.legalRepresentativeIdNumber).toBe(`320585********${first.slice(14)}`);
    const resubmitted = await track.enterprise.post(`/api/tasks/${encodeURIComponent(correction.id)}/complete`, {
      outcome: 'resubmit',
      application: { ...shown, legalRepresentativeIdNumber: second },
    });
    expect(resubmitted.status).toBe(200);

    const offices = [track.district, track.city, track.prefecture, await ApiClient.login(system.url, 'jiangsu@demo.local', TEST_PASSWORD), await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD)];
    for (const office of offices) {
      const answer = JSON.stringify((await office.get(`/api/tasks/${encodeURIComponent(correction.id)}`)).body);
      expect(answer).toContain(`320585********${second.slice(14)}`);
      expect(answer).not.toContain(first);
      expect(answer).not.toContain(second);
    }
    const ownView = JSON.stringify((await track.enterprise.get(`/api/cases/${caseId}`)).body);
    expect(ownView).not.toContain(second);

    const history = await historyText(caseId);
    expect(history).toContain('320585********');
    expect(history).not.toContain(first);
    expect(history).not.toContain(second);

    for (const table of ['cases', 'application_versions', 'tasks', 'case_events', 'enterprises', 'notifications', 'drafts']) {
      expect([table, await rowsHolding(table, second)]).toEqual([table, 0]);
      expect([table, await rowsHolding(table, first)]).toEqual([table, 0]);
    }
    expect(await system.app.orm.em.fork().count(IdentityNumberRecord, { uscc: track.uscc, number: { $in: [first, second] } })).toBe(2);
    expect(system.mail.messages.some((m) => m.text.includes(second) || m.html.includes(second))).toBe(false);

    // the register holds the number declared last, and the look at it is on record
    expect((await track.district.post(`/api/enterprises/${track.uscc}/reveal-id-number`)).body).toEqual({ legalRepresentativeIdNumber: second });
  });

  test('a correction that leaves the masked number as shown keeps the number on record', async () => {
    const track = await enterpriseTrack(102);
    const caseId = (await track.apply({ uscc: track.uscc })).body.id;
    await track.complete(track.district, caseId, { outcome: 'return', comment: '请补充主营业务说明' }, 'review');
    const shown = (await track.enterprise.get(`/api/cases/${caseId}`)).body.application;
    const resubmitted = await track.complete(track.enterprise, caseId, { outcome: 'resubmit', application: { ...shown, mainBusiness: '精密机械零部件及模具的研发、生产和销售' } }, 'correct_application');
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.applicationVersion).toBe(2);
    expect((await track.district.post(`/api/enterprises/${track.uscc}/reveal-id-number`)).body).toEqual({ legalRepresentativeIdNumber: residentId() });
  });

  test('drafts never keep the identity number', async () => {
    const track = await enterpriseTrack(103);
    const refused = await track.enterprise.put(`/api/drafts/${system.program.id}/standard`, { application: { enterpriseName: '草稿企业', legalRepresentativeIdNumber: residentId() } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].path).toBe('application.legalRepresentativeIdNumber');
    expect((await track.enterprise.put(`/api/drafts/${system.program.id}/standard`, { application: { enterpriseName: '草稿企业' } })).status).toBe(200);
  });
});

describe('2. credit findings are written and read only within one’s remit', () => {
  let gangqu: Track & { uscc: string };
  beforeAll(async () => {
    gangqu = await enterpriseTrack(201, 'gangqu');
    expect((await gangqu.apply({ uscc: gangqu.uscc, district: 'gangqu' })).status).toBe(201);
  });
  const finding = { kind: 'serious_dishonesty', occurredOn: '2025-05-01', note: '法院失信被执行人名单' };

  test('another district’s officer can neither record nor read; the enterprise is not barred by them', async () => {
    const shaxi = gangqu.district;
    expect((await shaxi.post(`/api/enterprises/${gangqu.uscc}/credit-records`, finding)).status).toBe(404);
    expect((await shaxi.get(`/api/enterprises/${gangqu.uscc}/credit-records`)).status).toBe(404);
    expect((await shaxi.get(`/api/enterprises/${gangqu.uscc}`)).status).toBe(404);
    expect(await system.app.orm.em.fork().count(CreditRecordEntry, { uscc: gangqu.uscc })).toBe(0);
  });

  test('the enterprise’s own district and the city may; the path and the date are checked', async () => {
    expect((await gangquOfficer.get(`/api/enterprises/${gangqu.uscc}/credit-records`)).status).toBe(200);
    const notAUscc = await gangquOfficer.post('/api/enterprises/NOT-A-USCC/credit-records', finding);
    expect(notAUscc.status).toBe(400);
    expect(notAUscc.body.error.fields[0].path).toBe('uscc');
    expect((await gangqu.city.post(`/api/enterprises/${'9'.repeat(300)}/credit-records`, finding)).status).toBe(400);
    const future = await gangqu.city.post(`/api/enterprises/${gangqu.uscc}/credit-records`, { ...finding, occurredOn: '9999-12-31' });
    expect(future.status).toBe(400);
    expect(future.body.error.fields[0].path).toBe('occurredOn');
    expect((await gangquOfficer.post(`/api/enterprises/${gangqu.uscc}/credit-records`, { ...finding, kind: 'general_dishonesty' })).status).toBe(201);
    // the city records for any valid enterprise, registered or not
    expect((await gangqu.city.post(`/api/enterprises/${uscc(299)}/credit-records`, finding)).status).toBe(201);
  });
});

describe('3. text no database can store is refused at the edge, and never wedges a case', () => {
  test('a NUL in an application is a 400 naming the field; nothing half-exists and the enterprise can still apply', async () => {
    const track = await enterpriseTrack(301);
    const refused = await track.apply({ uscc: track.uscc, enterpriseName: 'NUL\u0000公司' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0]).toMatchObject({ path: 'application.enterpriseName', rule: expect.stringContaining('控制字符') });
    for (const hostile of ['右\u202E向覆盖公司', '换行\n公司']) {
      const answer = await track.apply({ uscc: track.uscc, enterpriseName: hostile });
      expect([hostile, answer.status, answer.body.error?.fields?.[0]?.path]).toEqual([hostile, 400, 'application.enterpriseName']);
    }
    const applied = await track.apply({ uscc: track.uscc });
    expect(applied.status).toBe(201);
  });

  test('a NUL in a comment is a 400; the task stays open and can be completed', async () => {
    const track = await enterpriseTrack(302);
    const caseId = (await track.apply({ uscc: track.uscc })).body.id;
    const task = await track.task(track.district, caseId, 'review');
    const refused = await track.district.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'reject', comment: 'bad\u0000comment' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].path).toBe('comment');
    expect((await track.district.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'approve' })).status).toBe(200);
  });

  test('behind the edge: an application the database refuses fails its case cleanly, and it can be made again', async () => {
    const track = await enterpriseTrack(303);
    const input = caseStartInput(system.program, application({ uscc: track.uscc, enterpriseName: 'NUL\u0000公司' }));
    // started as the API starts a case (Update-with-Start): the refusal and the answer come in its first workflow task
    const start = new WithStartWorkflowOperation('caseWorkflow', { workflowId: input.caseId, taskQueue: system.app.config.temporal.taskQueue, args: [input], workflowIdConflictPolicy: 'FAIL' });
    const settled = await system.app.temporal.workflow.executeUpdateWithStart(caseSettledUpdate, { startWorkflowOperation: start });
    const handle = await start.workflowHandle();
    expect(settled.status).toBe('failed');
    expect(settled.closure?.reason).toContain('控制字符');
    await expect(handle.result()).rejects.toThrow();
    expect(await system.app.orm.em.fork().count(CaseRecord, { id: input.caseId })).toBe(0);
    const applied = await track.apply({ uscc: track.uscc });
    expect(applied.status).toBe(201);
    expect(applied.body.id).toBe(input.caseId);
  });

  test('behind the edge: a decision the database refuses is refused; the task stays open in the workflow and the inbox', async () => {
    const track = await enterpriseTrack(304);
    const caseId = (await track.apply({ uscc: track.uscc })).body.id;
    const task = await track.task(track.district, caseId, 'review');
    const officer = (await track.district.get('/api/auth/me')).body.actor as Actor;
    const handle = system.app.temporal.workflow.getHandle(caseId);
    await expect(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor: officer, payload: { outcome: 'reject', comment: 'bad\u0000comment' } }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/控制字符/) } });
    expect((await handle.query(caseStateQuery)).openTasks.map((t) => t.id)).toContain(task.id);
    expect((await system.app.orm.em.fork().findOneOrFail(TaskRecord, { id: task.id })).status).toBe('open');
    expect((await track.district.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'approve' })).status).toBe(200);
  });
});

describe('4. the district of a case is fixed at submission', () => {
  test('a correction naming another district is refused by the API and by the workflow itself', async () => {
    const track = await enterpriseTrack(401);
    const caseId = (await track.apply({ uscc: track.uscc })).body.id;
    await track.complete(track.district, caseId, { outcome: 'return', comment: '请补充材料' }, 'review');
    const correction = await track.task(track.enterprise, caseId, 'correct_application');
    const shown = (await track.enterprise.get(`/api/cases/${caseId}`)).body.application;
    const moved = await track.enterprise.post(`/api/tasks/${encodeURIComponent(correction.id)}/complete`, { outcome: 'resubmit', application: { ...shown, district: 'gangqu' } });
    expect(moved.status).toBe(400);
    expect(moved.body.error.fields[0].path).toBe('application.district');

    const handle = system.app.temporal.workflow.getHandle(caseId);
    const sealed = { ...shown, district: 'gangqu', legalRepresentativeIdRef: crypto.randomUUID() };
    await expect(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: correction.id, actor: enterpriseActor(track), payload: { outcome: 'resubmit', application: sealed } }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/district/) } });

    expect((await track.complete(track.enterprise, caseId, { outcome: 'resubmit', application: shown }, 'correct_application')).status).toBe(200);
    expect((await gangquOfficer.get('/api/tasks')).body.tasks.some((t: { caseId: string }) => t.caseId === caseId)).toBe(false);
    expect((await track.task(track.district, caseId, 'review')).jurisdiction).toBe('shaxi');
  });
});

describe('11. bad input is a 4xx naming what is wrong, never a 500', () => {
  let officer: ApiClient;
  let enterprise: ApiClient;
  beforeAll(async () => {
    officer = await ApiClient.login(system.url, 'city@demo.local', TEST_PASSWORD);
    enterprise = (await enterpriseTrack(1101)).enterprise;
  });

  test.each([
    ['GET', '/api/files/not-a-uuid', 'id'],
    ['GET', '/api/cases/%00', 'caseId'],
    ['GET', '/api/cases/not-a-case', 'caseId'],
    ['GET', '/api/tasks/%00', 'taskId'],
    ['GET', `/api/enterprises/${'A'.repeat(300)}`, 'uscc'],
    ['GET', '/api/programs/%E2%80%AE/rubric', 'programId'],
    ['POST', '/api/cases/%00/consultant', 'caseId'],
  ])('%s %s → 400 naming %s', async (method, path, field) => {
    const response = await officer.request(method, path, method === 'POST' ? {} : undefined);
    expect(response.status).toBe(400);
    expect(response.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  test('an over-long draft path, a bad time and unknown fields name the field', async () => {
    const longDraft = await enterprise.put(`/api/drafts/${'p'.repeat(300)}/standard`, { application: {} });
    expect(longDraft.status).toBe(400);
    expect(longDraft.body.error.fields[0].path).toBe('programId');
    const badTime = await officer.post('/api/extensions', { programId: system.program.id, uscc: uscc(1102), deadline: 'application', dueDate: '2099-01-01', dueTime: '25:99', reason: '测试错误时间' });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.fields[0].path).toBe('dueTime');
    const unknown = await officer.post('/api/extensions', { programId: system.program.id, uscc: uscc(1102), deadline: 'application', dueDate: '2099-01-01', reason: '测试未知字段', sneaky: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('sneaky');
  });

  test('bodies too large, compressed into bombs or garbled are refused with 413/4xx, and the server answers afterwards', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${(officer as unknown as { token: string }).token}` };
    const send = (body: Buffer | string, extra: Record<string, string> = {}) =>
      fetch(`${system.url}/api/extensions`, { method: 'POST', headers: { ...headers, ...extra }, body: new Uint8Array(Buffer.from(body)) }).then((r) => r.status);
    expect(await send(JSON.stringify({ reason: 'x'.repeat(1_500_000) }))).toBe(413);
    // the server stops reading a body past the limit, answers 413 and closes: a client still sending
    // 50 MB may see the connection reset before it reads that answer; either way nothing was taken
    const huge = await send(JSON.stringify({ reason: 'x'.repeat(50_000_000) })).catch((error: { cause?: { code?: string } }) => error.cause?.code);
    // (undici names a connection the server closed mid-request UND_ERR_SOCKET, Node ECONNRESET or EPIPE)
    expect([413, 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']).toContain(huge);
    expect(await send(gzipSync(JSON.stringify({ reason: '0'.repeat(20_000_000) })), { 'content-encoding': 'gzip' })).toBe(413);
    const garbled = await send(Buffer.from('this is not brotli at all'), { 'content-encoding': 'br' });
    expect(garbled).toBeGreaterThanOrEqual(400);
    expect(garbled).toBeLessThan(500);
    expect(await send('{"reason":')).toBe(400);
    const form = new URLSearchParams();
    for (let i = 0; i < 6000; i++) form.append(`p${i}`, 'x');
    const manyParams = await fetch(`${system.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), redirect: 'manual' });
    expect(manyParams.status).toBeGreaterThanOrEqual(400);
    expect(manyParams.status).toBeLessThan(500);
    expect((await officer.get('/api/tasks')).status).toBe(200);
  });
});

describe('12. what one may not see is a 404; repeats with an Idempotency-Key take effect once', () => {
  test('another enterprise’s task is 404 to read and to complete, not 403', async () => {
    const owner = await enterpriseTrack(1201);
    const other = await enterpriseTrack(1202);
    const caseId = (await owner.apply({ uscc: owner.uscc })).body.id;
    await owner.complete(owner.district, caseId, { outcome: 'return', comment: '请补充材料' }, 'review');
    const task = await owner.task(owner.enterprise, caseId, 'correct_application');
    expect((await other.enterprise.get(`/api/tasks/${encodeURIComponent(task.id)}`)).status).toBe(404);
    expect((await other.enterprise.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'resubmit' })).status).toBe(404);
    expect((await gangquOfficer.get(`/api/tasks/${encodeURIComponent(task.id)}`)).status).toBe(404);
  });

  test('the same request twice with one key records once and answers the same; the key with another body is refused', async () => {
    const city = await ApiClient.login(system.url, 'city@demo.local', TEST_PASSWORD);
    const subject = uscc(1203);
    const finding = { kind: 'general_dishonesty', occurredOn: '2025-01-02', note: '欠税公告' };
    const send = (body: unknown, key: string) =>
      fetch(`${system.url}/api/enterprises/${subject}/credit-records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${(city as unknown as { token: string }).token}` },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, replayed: r.headers.get('idempotent-replayed'), body: (await r.json()) as any }));
    const first = await send(finding, 'credit-1203-a');
    const again = await send(finding, 'credit-1203-a');
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, replayed: 'true', body: { id: first.body.id } });
    expect((await send({ ...finding, note: '另一条' }, 'credit-1203-a')).status).toBe(422);
    expect(await system.app.orm.em.fork().count(CreditRecordEntry, { uscc: subject })).toBe(1);
    expect((await send(finding, 'bad key with spaces')).status).toBe(400);
  });
});
