import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createUser } from '../../infra/db/seed.ts';
import { uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * A compressed calendar: the application deadline passed a minute ago and the acceptance deadline
 * is seconds away, so lapses and extensions happen while the test watches.
 */
let system: TestSystem;
let acceptanceDue: Date;

beforeAll(async () => {
  acceptanceDue = new Date(Date.now() + 15_000);
  system = await startTestSystem('pglite', { applicationDue: new Date(Date.now() - 60_000), acceptanceDue });
});
afterAll(async () => {
  await system?.stop();
});

async function company(n: number): Promise<Track> {
  const email = `late${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `迟到企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

const tomorrow = () => new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);

async function untilStatus(track: Track, caseId: string, status: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = (await track.district.get(`/api/cases/${caseId}`)).body;
    if (view.status === status || Date.now() > until) return view;
    await sleep(250);
  }
}

let lapsing: { track: Track; caseId: string };
let extended: { track: Track; caseId: string };
let held: { track: Track; caseId: string; dueAt: number };

test('an application after the deadline is refused, naming the deadline', async () => {
  const late = await company(31);
  const refused = await late.apply({ uscc: uscc(31) });
  expect(refused.status).toBe(422);
  expect(refused.body.error.message).toMatch(/申报截止时间 \d{4}年\d+月\d+日 \d{2}:\d{2} 已过/);
  expect(refused.body.error.fields[0].path).toBe('submittedAt');
});

test('an extension granted by the city lets the late application in, with the reason on record', async () => {
  const late = await company(32);
  const grant = { programId: system.program.id, uscc: uscc(32), deadline: 'application', dueDate: tomorrow(), reason: '企业负责人出差，材料延迟' };
  expect((await late.district.post('/api/extensions', grant)).status).toBe(403);
  expect((await late.city.post('/api/extensions', { ...grant, reason: '' })).status).toBe(400);
  expect((await late.city.post('/api/extensions', { ...grant, deadline: 'acceptanceMaterials' })).status).toBe(400);
  const granted = await late.city.post('/api/extensions', grant);
  expect(granted.status).toBe(201);
  expect(granted.body).toMatchObject({ deadline: 'application', reason: '企业负责人出差，材料延迟', grantedByName: '周涛（市经信委融资与担保科）' });
  const applied = await late.apply({ uscc: uscc(32) });
  expect(applied.status).toBe(201);
  extended = { track: late, caseId: applied.body.id };
  await late.admit(extended.caseId);
});

test('a second admitted case, with no extension of its acceptance deadline', async () => {
  const late = await company(33);
  await late.city.post('/api/extensions', { programId: system.program.id, uscc: uscc(33), deadline: 'application', dueDate: tomorrow(), reason: '系统故障补录' });
  const applied = await late.apply({ uscc: uscc(33) });
  lapsing = { track: late, caseId: applied.body.id };
  await late.admit(lapsing.caseId);
});

test('the city puts a third case’s acceptance deadline on hold, with a reason', async () => {
  const late = await company(34);
  await late.city.post('/api/extensions', { programId: system.program.id, uscc: uscc(34), deadline: 'application', dueDate: tomorrow(), reason: '系统故障补录' });
  const caseId = (await late.apply({ uscc: uscc(34) })).body.id;
  const admitted = await late.admit(caseId);
  held = { track: late, caseId, dueAt: Date.parse(admitted.deadlines.acceptanceMaterials) };
  expect((await late.district.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, { reason: '企业停产整顿' })).status).toBe(403);
  expect((await late.city.post(`/api/cases/${caseId}/deadlines/nope/suspend`, { reason: '企业停产整顿' })).status).toBe(422);
  const view = await late.city.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, { reason: '企业停产整顿，暂停计时' });
  expect(view.status).toBe(200);
  expect(view.body.deadlineHolds).toEqual([expect.objectContaining({ deadline: 'acceptanceMaterials', reason: '企业停产整顿，暂停计时', by: '周涛（市经信委融资与担保科）' })]);
  expect((await late.city.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, { reason: '再次暂停' })).status).toBe(422);
});

test('the city extends the acceptance deadline of one running case', async () => {
  const { track, caseId } = extended;
  const granted = await track.city.post('/api/extensions', { programId: system.program.id, uscc: uscc(32), deadline: 'acceptanceMaterials', dueDate: tomorrow(), reason: '内部评估需外部机构复核' });
  expect(granted.status).toBe(201);
  const view = (await track.enterprise.get(`/api/cases/${caseId}`)).body;
  expect(Date.parse(view.deadlines.acceptanceMaterials)).toBeGreaterThan(Date.now() + 86_400_000 / 2);
  expect(view.tasks.filter((t: any) => t.status === 'open').every((t: any) => Date.parse(t.dueAt) > Date.now() + 86_400_000 / 2)).toBe(true);
  expect(view.events.some((e: any) => e.kind === 'extension' && e.detail.reason === '内部评估需外部机构复核')).toBe(true);
});

test('the acceptance deadline passes: the case without extension lapses, visibly, with the date', async () => {
  expect(Date.now()).toBeLessThan(acceptanceDue.getTime());
  const view = await untilStatus(lapsing.track, lapsing.caseId, 'lapsed', acceptanceDue.getTime() - Date.now() + 20_000);
  expect(view).toMatchObject({ status: 'lapsed', stage: 'lapsed', closure: { reason: expect.stringContaining('acceptanceMaterials') } });
  expect(Date.parse(view.closure.at)).toBeGreaterThanOrEqual(acceptanceDue.getTime());
  expect(view.tasks.filter((t: any) => t.status === 'open')).toEqual([]);
  expect(view.tasks.some((t: any) => t.status === 'cancelled')).toBe(true);
  // nothing can be handed in on a lapsed case
  expect((await lapsing.track.enterprise.get('/api/tasks')).body.tasks).toEqual([]);
  const [told] = await system.mail.waitFor((m) => m.envelopeTo.includes('late33@demo.local') && m.subject.startsWith('【逾期失效】'));
  expect(told!.text).toContain('验收材料报送截止');
});

test('the case on hold did not lapse; resumed, its deadline is later by the time it was held', async () => {
  const { track, caseId, dueAt } = held;
  expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.status).toBe('active');
  const heldSince = Date.parse((await track.city.get(`/api/cases/${caseId}`)).body.deadlineHolds[0].since);
  const resumed = await track.city.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/resume`, {});
  expect(resumed.status).toBe(200);
  expect(resumed.body.deadlineHolds).toEqual([]);
  const moved = Date.parse(resumed.body.deadlines.acceptanceMaterials) - dueAt;
  expect(moved).toBeGreaterThanOrEqual(Date.now() - heldSince - 2_000);
  expect(resumed.body.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['deadline_suspended', 'deadline_resumed']));
  await system.app.temporal.workflow.getHandle(caseId).terminate('test over');
});

test('the extended case is still open after the original deadline and takes its acceptance materials', async () => {
  const { track, caseId } = extended;
  expect(Date.now()).toBeGreaterThan(acceptanceDue.getTime());
  expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.status).toBe('active');
  await track.completeChecklist(caseId);
  const submitted = await track.submitAcceptance(caseId);
  expect(submitted.status).toBe(200);
  expect(submitted.body.stage).toBe('acceptance_district_check');
});
