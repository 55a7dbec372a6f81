import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { localDeadlineAt } from '../../domain/program/calendar.ts';
import { createUser } from '../../app/seed.ts';
import { uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS, doneBefore, eventually } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/**
 * A compressed calendar: the application deadline passed a minute ago, and once three cases are
 * admitted their acceptance deadline is set seconds away, so lapses, holds and extensions happen
 * while the test watches. The clock starts when the cases are ready, never at the test's start:
 * how long the set-up takes on a busy machine does not matter.
 */
let system: TestSystem;

/** Long enough for a few requests on a busy machine, which is all that must happen before the deadline. */
const WINDOW_MS = 30_000;
/** The acceptance deadline of the three cases, once set. */
let acceptanceDue: number;

beforeAll(async () => {
  system = await startTestSystem('pglite', { applicationDue: new Date(Date.now() - 60_000) });
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

interface RunningCase {
  track: Track;
  n: number;
  caseId: string;
}
let extended: RunningCase;
let lapsing: RunningCase;
let held: RunningCase;

/** A late enterprise, let in by an extension of the application deadline, applies and is admitted. */
async function admittedLateCase(n: number): Promise<RunningCase> {
  const track = await company(n);
  const grant = { programId: system.program.id, uscc: uscc(n), deadline: 'application', dueDate: tomorrow(), reason: '系统故障补录' };
  expect((await track.city.post('/api/extensions', grant)).status).toBe(201);
  const applied = await track.apply({ uscc: uscc(n) });
  expect(applied.status).toBe(201);
  await track.admit(applied.body.id);
  return { track, n, caseId: applied.body.id };
}

/** The city moves a running case's acceptance deadline to a local date and time (to the second). */
async function setAcceptanceDue({ track, n }: RunningCase, at: Date): Promise<number> {
  const local = localDeadlineAt(at, system.program.timeZone);
  const grant = { programId: system.program.id, uscc: uscc(n), deadline: 'acceptanceMaterials', dueDate: local.date, dueTime: local.time, reason: '测试：压缩日历，验收期限设于数秒之后' };
  const granted = await track.city.post('/api/extensions', grant);
  if (granted.status !== 201) doneBefore(at.getTime(), `setting case ${n}'s acceptance deadline`);
  expect(granted.status).toBe(201);
  return Date.parse(granted.body.dueAt);
}

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
  extended = { track: late, n: 32, caseId: applied.body.id };
  await late.admit(extended.caseId);
});

test('two more admitted cases: one to lapse, one to be put on hold', async () => {
  lapsing = await admittedLateCase(33);
  held = await admittedLateCase(34);
});

test('the clock starts once the cases are ready: their acceptance deadline falls seconds from now', async () => {
  const at = new Date(Date.now() + WINDOW_MS);
  const dues = [];
  for (const running of [held, extended, lapsing]) dues.push(await setAcceptanceDue(running, at));
  expect(new Set(dues).size).toBe(1);
  acceptanceDue = dues[0]!;
  const view = (await held.track.enterprise.get(`/api/cases/${held.caseId}`)).body;
  expect(Date.parse(view.deadlines.acceptanceMaterials)).toBe(acceptanceDue);
});

test('the city puts a third case’s acceptance deadline on hold, with a reason', async () => {
  const { track, caseId } = held;
  expect((await track.district.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, { reason: '企业停产整顿' })).status).toBe(403);
  expect((await track.city.post(`/api/cases/${caseId}/deadlines/nope/suspend`, { reason: '企业停产整顿' })).status).toBe(422);
  const view = await track.city.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, { reason: '企业停产整顿，暂停计时' });
  if (view.status !== 200) doneBefore(acceptanceDue, 'the hold (a refusal after the deadline is the lapse, not a fault)');
  expect(view.status).toBe(200);
  expect(view.body.deadlineHolds).toEqual([expect.objectContaining({ deadline: 'acceptanceMaterials', reason: '企业停产整顿，暂停计时', by: '周涛（市经信委融资与担保科）' })]);
  expect((await track.city.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, { reason: '再次暂停' })).status).toBe(422);
});

test('the city extends the acceptance deadline of one running case', async () => {
  const { track, caseId } = extended;
  const granted = await track.city.post('/api/extensions', { programId: system.program.id, uscc: uscc(32), deadline: 'acceptanceMaterials', dueDate: tomorrow(), reason: '内部评估需外部机构复核' });
  if (granted.status !== 201) doneBefore(acceptanceDue, 'the extension (a refusal after the deadline is the lapse, not a fault)');
  expect(granted.status).toBe(201);
  const view = (await track.enterprise.get(`/api/cases/${caseId}`)).body;
  expect(Date.parse(view.deadlines.acceptanceMaterials)).toBeGreaterThan(Date.now() + 86_400_000 / 2);
  expect(view.tasks.filter((t: any) => t.status === 'open').every((t: any) => Date.parse(t.dueAt) > Date.now() + 86_400_000 / 2)).toBe(true);
  expect(view.events.some((e: any) => e.kind === 'extension' && e.detail.reason === '内部评估需外部机构复核')).toBe(true);
});

test(
  'the acceptance deadline passes: the case left at it lapses, visibly, with the date',
  async () => {
    const read = async () => (await lapsing.track.district.get(`/api/cases/${lapsing.caseId}`)).body;
    const view = await eventually('the case to lapse', read, (v) => v.status === 'lapsed', { timeoutMs: acceptanceDue - Date.now() + PATIENCE_MS });
    expect(view).toMatchObject({ status: 'lapsed', stage: 'lapsed', closure: { reason: expect.stringContaining('acceptanceMaterials') } });
    expect(Date.parse(view.closure.at)).toBeGreaterThanOrEqual(acceptanceDue);
    expect(view.tasks.filter((t: any) => t.status === 'open')).toEqual([]);
    expect(view.tasks.some((t: any) => t.status === 'cancelled')).toBe(true);
    // nothing can be handed in on a lapsed case
    expect((await lapsing.track.enterprise.get('/api/tasks')).body.tasks).toEqual([]);
    const [told] = await system.mail.waitFor((m) => m.envelopeTo.includes('late33@demo.local') && m.subject.startsWith('【逾期失效】'), 1, PATIENCE_MS);
    expect(told!.text).toContain('验收材料报送截止');
  },
  WINDOW_MS + SLOW_MACHINE_TIMEOUT_MS,
);

test('the case on hold did not lapse; resumed, its deadline is later by the time it was held', async () => {
  const { track, caseId } = held;
  // the same deadline made the other case lapse: it has passed, and the timer would have fired
  expect(Date.now()).toBeGreaterThan(acceptanceDue);
  expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.status).toBe('active');
  const heldSince = Date.parse((await track.city.get(`/api/cases/${caseId}`)).body.deadlineHolds[0].since);
  const asked = Date.now();
  const resumed = await track.city.post(`/api/cases/${caseId}/deadlines/acceptanceMaterials/resume`, {});
  const answered = Date.now();
  expect(resumed.status).toBe(200);
  expect(resumed.body.deadlineHolds).toEqual([]);
  // moved by exactly the time on hold, which ended while the request was under way
  const moved = Date.parse(resumed.body.deadlines.acceptanceMaterials) - acceptanceDue;
  expect(moved).toBeGreaterThanOrEqual(asked - heldSince);
  expect(moved).toBeLessThanOrEqual(answered - heldSince);
  expect(resumed.body.events.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['deadline_suspended', 'deadline_resumed']));
  await system.app.temporal.workflow.getHandle(caseId).terminate('test over');
});

test('the extended case is still open after the original deadline and takes its acceptance materials', async () => {
  const { track, caseId } = extended;
  expect(Date.now()).toBeGreaterThan(acceptanceDue);
  expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.status).toBe('active');
  await track.completeChecklist(caseId);
  const submitted = await track.submitAcceptance(caseId);
  expect(submitted.status).toBe(200);
  expect(submitted.body.stage).toBe('acceptance_district_check');
});
