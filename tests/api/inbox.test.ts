import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createUser } from '../../app/seed.ts';
import { weekOf } from '../../domain/inbox/inboxFilter.ts';
import { CaseEventRecord, TaskRecord } from '../../infra/db/entities.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

/**
 * 我的待办 over the API: filters, counts and search in SQL over the reader's scope; an office's task
 * claimed by one officer (the colleague refused, with the holder named, until it is released);
 * several reviews approved at once, each through the one-task use case, a second submit changing
 * nothing; saved filters.
 */
let system: TestSystem;
let track: Track;
let shaxi2: ApiClient;
let gangqu: ApiClient;
let city2: ApiClient;
let admin: ApiClient;
/** case ids: A, B, C of 沙溪镇, D of 港区 */
const ids = { a: '', b: '', c: '', d: '' };
const NAMES = { a: '太仓收件箱甲精密机械有限公司', b: '太仓收件箱乙新材料有限公司', c: '太仓收件箱丙纺织有限公司', d: '太仓港区收件箱丁物流有限公司' };
const SHAXI2 = '林晓（沙溪镇经发中心）';
const CITY2 = '郭敏（市经信委融资与担保科）';

type Row = { id: string; caseId: string; kind: string; title: string; due: { kind: string; days?: number }; heldBy: string | null; mine: boolean; claimable: boolean; claimedByName: string | null; enterpriseName: string };

/** The enterprises' own logins, by case. */
const applicants = new Map<string, ApiClient>();

async function applicant(n: number, name: string, district = 'shaxi'): Promise<string> {
  const email = `inbox${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `联系人${n}（${name}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  const client = await ApiClient.login(system.url, email, TEST_PASSWORD);
  const applied = await client.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(client, { uscc: uscc(n), enterpriseName: name, district }) });
  expect(applied.status).toBe(201);
  applicants.set(applied.body.id, client);
  return applied.body.id;
}

const inbox = async (client: ApiClient, query = '') => {
  const response = await client.get(`/api/tasks${query ? `?${query}` : ''}`);
  expect(response.status).toBe(200);
  return response.body as { tasks: Row[]; counts: Record<string, any>; total: number; pages: number };
};
const rowOf = async (client: ApiClient, caseId: string, kind = 'review') => (await inbox(client)).tasks.find((t) => t.caseId === caseId && t.kind === kind)!;
/** The district review decisions a case holds (each approval recorded once). */
const approvals = async (caseId: string, stage: string) =>
  (await system.app.orm.em.fork().find(CaseEventRecord, { caseId, kind: 'decision' })).filter((e) => e.detail.stage === stage).length;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
  await createUser(system.app.orm, { email: 'shaxi2@demo.local', name: SHAXI2, role: 'district_officer', scopeId: 'shaxi' }, TEST_PASSWORD);
  await createUser(system.app.orm, { email: 'gangqu@demo.local', name: '赵磊（港区经发局）', role: 'district_officer', scopeId: 'gangqu' }, TEST_PASSWORD);
  await createUser(system.app.orm, { email: 'city2@demo.local', name: CITY2, role: 'city_officer', scopeId: null }, TEST_PASSWORD);
  const login = (email: string) => ApiClient.login(system.url, email, TEST_PASSWORD);
  [shaxi2, gangqu, city2, admin] = await Promise.all([login('shaxi2@demo.local'), login('gangqu@demo.local'), login('city2@demo.local'), login('admin@demo.local')]);
  ids.a = await applicant(7101, NAMES.a);
  ids.b = await applicant(7102, NAMES.b);
  ids.c = await applicant(7103, NAMES.c);
  ids.d = await applicant(7104, NAMES.d, 'gangqu');
  await eventually('the three reviews in 沙溪镇’s inbox', () => inbox(track.district), (body) => body.total === 3);
  // one overdue, one due within this week, one whose date is yet to be set: the projection is what the inbox reads
  const em = system.app.orm.em.fork();
  const now = Date.now();
  await em.nativeUpdate(TaskRecord, { caseId: ids.a, kind: 'review' }, { dueAt: new Date(now - 2 * 86_400_000) });
  await em.nativeUpdate(TaskRecord, { caseId: ids.b, kind: 'review' }, { dueAt: new Date(Math.min(now + 3_600_000, weekOf(new Date(now), 'Asia/Shanghai').end.getTime() - 1000)) });
  await em.nativeUpdate(TaskRecord, { caseId: ids.c, kind: 'review' }, { dueAt: null });
}, 300_000);
afterAll(async () => {
  await system?.stop();
});

describe('filters, counts, search and order', () => {
  test('the district office’s inbox: soonest first, undated last, each with its title and days', async () => {
    const body = await inbox(track.district);
    expect(body.tasks.map((t) => t.caseId)).toEqual([ids.a, ids.b, ids.c]);
    expect(body.tasks.map((t) => t.title)).toEqual(['审核', '审核', '审核']);
    expect(body.tasks.map((t) => t.due.kind)).toEqual(['overdue', 'due', 'undated']);
    expect(body.tasks[0]!.due.days).toBe(2);
    // 港区's case is not 沙溪镇's
    expect(body.tasks.some((t) => t.caseId === ids.d)).toBe(false);
    expect(body.counts).toEqual({ all: 3, overdue: 1, week: 1, track: { standard: 3 }, stage: { district_review: 3 }, district: { shaxi: 3 } });
    // latest due first: the undated still last
    expect((await inbox(track.district, 'sort=-due')).tasks.map((t) => t.caseId)).toEqual([ids.b, ids.a, ids.c]);
  });

  test('each filter narrows in SQL; the counts stay those of the whole inbox', async () => {
    const only = async (query: string) => (await inbox(track.district, query)).tasks.map((t) => t.caseId);
    expect(await only('due=overdue')).toEqual([ids.a]);
    expect(await only('due=week')).toEqual([ids.b]);
    expect(await only('stage=district_review&track=standard')).toEqual([ids.a, ids.b, ids.c]);
    expect(await only('stage=city_review')).toEqual([]);
    expect(await only('track=municipal-demo')).toEqual([]);
    expect(await only('district=gangqu')).toEqual([]);
    const narrowed = await inbox(track.district, 'due=overdue');
    expect(narrowed.total).toBe(1);
    expect(narrowed.counts.all).toBe(3);
    // pages: one row each, the rest on the next pages
    const paged = await inbox(track.district, 'limit=1&page=2');
    expect(paged).toMatchObject({ total: 3, pages: 3 });
    expect(paged.tasks.map((t) => t.caseId)).toEqual([ids.b]);
  });

  test('keyset pages: following the cursors forwards and back, every row comes once and in order', async () => {
    type Paged = Awaited<ReturnType<typeof inbox>> & { nextCursor: string | null; previousCursor: string | null };
    const page = async (query: string) => (await inbox(track.district, query)) as Paged;
    for (const sort of ['due', '-due']) {
      const whole = (await page(`sort=${sort}`)).tasks.map((t) => t.id);
      const seen: string[] = [];
      let current = await page(`sort=${sort}&limit=1`);
      const cursors: (string | null)[] = [];
      for (let n = 1; ; n++) {
        seen.push(...current.tasks.map((t) => t.id));
        cursors.push(current.previousCursor);
        if (!current.nextCursor) break;
        current = await page(`sort=${sort}&limit=1&page=${n + 1}&after=${encodeURIComponent(current.nextCursor)}`);
      }
      expect(seen).toEqual(whole);
      expect(seen).toHaveLength(3);
      // and back from the last page: the one before it, by its cursor
      const back = await page(`sort=${sort}&limit=1&page=2&before=${encodeURIComponent(current.previousCursor!)}`);
      expect(back.tasks.map((t) => t.id)).toEqual([whole[1]]);
    }
    const bad = await track.district.get('/api/tasks?after=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'after', rule: '翻页位置无效，请从第一页重新查看 (not a cursor of this inbox: start again from the first page)' }]);
  });

  test('search by the enterprise’s name, its credit code or the case code; LIKE’s wildcards are plain letters', async () => {
    const found = async (q: string) => (await inbox(track.district, `q=${encodeURIComponent(q)}`)).tasks.map((t) => t.caseId);
    expect(await found('乙新材料')).toEqual([ids.b]);
    expect(await found(uscc(7103))).toEqual([ids.c]);
    expect(await found(uscc(7103).toLowerCase())).toEqual([ids.c]);
    expect(await found(ids.a.slice(-12))).toEqual([ids.a]);
    expect(await found('%')).toEqual([]);
    expect(await found('收件箱')).toEqual([ids.a, ids.b, ids.c]);
  });

  test('a bad value is a 400 naming the parameter, in both languages', async () => {
    const bad = await track.district.get('/api/tasks?due=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([{ path: 'due', rule: '应为 overdue、week 之一 (must be one of overdue, week)' }]);
    expect((await track.district.get('/api/tasks?page=-1')).body.error.fields[0].path).toBe('page');
    expect((await track.district.get('/api/tasks?limit=501')).body.error.fields[0].path).toBe('limit');
  });

  test('an enterprise’s inbox counts its own tasks only; the city has none yet', async () => {
    expect((await inbox(track.enterprise)).counts.all).toBe(0);
    expect((await inbox(track.city)).counts).toMatchObject({ all: 0, overdue: 0, week: 0 });
  });
});

describe('claim and release: two officers of one office', () => {
  test('one claims; the other sees who holds it and is refused (409, naming the holder) until it is released', async () => {
    const task = await rowOf(shaxi2, ids.a);
    expect(task).toMatchObject({ claimable: true, heldBy: null, mine: false });
    const claimed = await shaxi2.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, {});
    expect(claimed.status).toBe(200);
    expect(claimed.body).toEqual({ status: 'done', claimedByName: SHAXI2 });
    // claiming one's own claim again is fine
    expect((await shaxi2.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, {})).body.status).toBe('already');
    expect(await rowOf(shaxi2, ids.a)).toMatchObject({ mine: true, heldBy: null });
    expect(await rowOf(track.district, ids.a)).toMatchObject({ mine: false, heldBy: SHAXI2, claimedByName: SHAXI2 });

    for (const path of ['complete', 'claim', 'release']) {
      const refused = await track.district.post(`/api/tasks/${encodeURIComponent(task.id)}/${path}`, { outcome: 'approve' });
      expect({ path, status: refused.status }).toEqual({ path, status: 409 });
      expect(refused.body.error.message).toBe(`此待办已由${SHAXI2}认领办理，请待其办理或释放 (the task is claimed by ${SHAXI2}: they complete or release it)`);
    }
    // the task page tells the colleague they may not complete it now
    expect((await track.district.get(`/api/tasks/${encodeURIComponent(task.id)}`)).body.mayComplete).toBe(false);
    // another district and the city may not claim it at all
    expect((await gangqu.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, {})).status).toBe(404);
    expect((await track.city.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, {})).status).toBe(403);

    expect((await shaxi2.post(`/api/tasks/${encodeURIComponent(task.id)}/release`, {})).body).toEqual({ status: 'done' });
    expect((await shaxi2.post(`/api/tasks/${encodeURIComponent(task.id)}/release`, {})).body).toEqual({ status: 'already' });
    const approved = await track.district.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { outcome: 'approve', comment: '材料齐全。' });
    expect(approved.status).toBe(200);
    expect(approved.body.stage).toBe('district_forwarding');
  });

  test('an admin releases a claim its holder cannot (away); claiming a task closed or named to a person is refused', async () => {
    const task = await rowOf(track.district, ids.b);
    expect((await shaxi2.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, {})).status).toBe(200);
    expect((await admin.post(`/api/tasks/${encodeURIComponent(task.id)}/claim`, {})).status).toBe(403);
    expect((await admin.post(`/api/tasks/${encodeURIComponent(task.id)}/release`, {})).body).toEqual({ status: 'done' });
    expect(await rowOf(track.district, ids.b)).toMatchObject({ heldBy: null, claimedByName: null });
    const done = (await system.app.orm.em.fork().findOneOrFail(TaskRecord, { caseId: ids.a, kind: 'review', status: 'completed' })).id;
    expect((await track.district.post(`/api/tasks/${encodeURIComponent(done)}/claim`, {})).status).toBe(409);
    // the forwarding is done in a batch, never claimed
    const forward = await eventually('A’s forwarding', () => rowOf(track.district, ids.a, 'forward'), Boolean);
    expect(forward.claimable).toBe(false);
    expect((await track.district.post(`/api/tasks/${encodeURIComponent(forward.id)}/claim`, {})).status).toBe(422);
  });
});

describe('bulk actions', () => {
  test('several reviews approved with one comment: each moves on once; the same submit again changes nothing', async () => {
    const [b, c] = [await rowOf(track.district, ids.b), await rowOf(track.district, ids.c)];
    const a = (await system.app.orm.em.fork().findOneOrFail(TaskRecord, { caseId: ids.a, kind: 'review', status: 'completed' })).id;
    const forward = (await rowOf(track.district, ids.a, 'forward')).id;
    const foreign = `${ids.d}:1:district_review`;
    const body = { action: 'approve', taskIds: [b.id, c.id, a, forward, foreign, b.id], comment: '材料齐全，同意。' };
    const first = await track.district.post('/api/tasks/bulk', body);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { taskId: string; status: string }) => [r.taskId, r.status])).toEqual([
      [b.id, 'done'],
      [c.id, 'done'],
      [a, 'already'],
      [forward, 'refused'],
      [foreign, 'refused'],
    ]);
    expect(first.body.results[0]).toMatchObject({ caseId: ids.b, enterpriseName: NAMES.b, stage: 'district_forwarding' });
    expect(first.body.results[3].message).toContain('只有审核事项可以批量同意');
    expect(first.body.results[4]).toMatchObject({ caseId: null, message: expect.stringContaining('no such task') });

    const again = await track.district.post('/api/tasks/bulk', body);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['already', 'already', 'already', 'refused', 'refused']);
    for (const caseId of [ids.a, ids.b, ids.c]) expect(await approvals(caseId, 'district_review')).toBe(1);
    const em = system.app.orm.em.fork();
    const decided = await em.find(TaskRecord, { caseId: { $in: [ids.b, ids.c] }, kind: 'review' });
    expect(decided.map((t) => [t.status, t.comment])).toEqual([
      ['completed', '材料齐全，同意。'],
      ['completed', '材料齐全，同意。'],
    ]);
    await eventually('one forwarding each', () => em.fork().count(TaskRecord, { caseId: { $in: [ids.a, ids.b, ids.c] }, kind: 'forward' }), (n) => n === 3);
  });

  test('claim and release several at once; in the city’s bulk a colleague’s claimed review is refused, naming the holder', async () => {
    const d = await rowOf(gangqu, ids.d);
    expect((await gangqu.post('/api/tasks/bulk', { action: 'claim', taskIds: [d.id] })).body.results[0].status).toBe('done');
    expect(await rowOf(gangqu, ids.d)).toMatchObject({ mine: true });
    expect((await gangqu.post('/api/tasks/bulk', { action: 'release', taskIds: [d.id] })).body.results[0].status).toBe('done');
    expect((await gangqu.post('/api/tasks/bulk', { action: 'release', taskIds: [d.id] })).body.results[0].status).toBe('already');
    expect((await gangqu.post('/api/tasks/bulk', { action: 'approve', taskIds: [d.id] })).body.results[0].status).toBe('done');
    await eventually('D’s forwarding', () => rowOf(gangqu, ids.d, 'forward'), Boolean);
    expect((await gangqu.post('/api/batches', { caseIds: [ids.d] })).status).toBe(201);
    expect((await track.forward(ids.a, ids.b)).status).toBe(201);

    // the city: two districts' applications, counted per district
    const city = await eventually('three city reviews', () => inbox(track.city), (body) => body.total === 3);
    expect(city.counts).toMatchObject({ all: 3, stage: { city_review: 3 }, district: { shaxi: 2, gangqu: 1 } });
    expect((await inbox(track.city, 'district=gangqu')).tasks.map((t) => t.caseId)).toEqual([ids.d]);
    const reviews = Object.fromEntries(city.tasks.map((t) => [t.caseId, t.id]));
    expect((await city2.post(`/api/tasks/${encodeURIComponent(reviews[ids.d]!)}/claim`, {})).status).toBe(200);
    const approved = await track.city.post('/api/tasks/bulk', { action: 'approve', taskIds: [reviews[ids.a], reviews[ids.b], reviews[ids.d]] });
    expect(approved.body.results.map((r: { status: string; stage: string | null }) => [r.status, r.stage])).toEqual([
      ['done', 'self_compliance'],
      ['done', 'self_compliance'],
      ['refused', null],
    ]);
    expect(approved.body.results[2]).toMatchObject({ enterpriseName: NAMES.d, message: expect.stringContaining(`此待办已由${CITY2}认领办理`) });
    expect((await track.city.post('/api/tasks/bulk', { action: 'claim', taskIds: [reviews[ids.d]] })).body.results[0]).toMatchObject({ status: 'refused', message: expect.stringContaining(CITY2) });
    expect((await city2.post('/api/tasks/bulk', { action: 'approve', taskIds: [reviews[ids.d]] })).body.results[0]).toMatchObject({ status: 'done', stage: 'self_compliance' });
    for (const caseId of [ids.a, ids.b, ids.d]) expect(await approvals(caseId, 'city_review')).toBe(1);
  });

  test('the bulk is for the credit offices; an empty choice is a 400 naming it', async () => {
    expect((await track.enterprise.post('/api/tasks/bulk', { action: 'approve', taskIds: [] })).status).toBe(403);
    const empty = await track.city.post('/api/tasks/bulk', { action: 'approve', taskIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual([{ path: 'taskIds', rule: '请至少勾选一项待办 (choose at least one task)' }]);
    expect((await track.city.post('/api/tasks/bulk', { action: 'reject', taskIds: ['x'] })).body.error.fields.map((f: { path: string }) => f.path)).toEqual(['action', 'taskIds.0']);
  });
});

describe('what each task asks', () => {
  test('the five checklist tasks of self-compliance each name their item, never five "自主贯标事项"', async () => {
    const client = applicants.get(ids.a)!;
    const body = await eventually('A’s checklist', () => inbox(client), (b) => b.tasks.filter((t) => t.kind === 'self_compliance_item').length === 5);
    const titles = body.tasks.filter((t) => t.kind === 'self_compliance_item').map((t) => t.title);
    expect(titles.toSorted()).toEqual(system.program.selfCompliance.map((item) => item.title).toSorted());
    expect(titles).not.toContain('自主贯标事项');
    expect(body.tasks.every((t) => !t.claimable)).toBe(true);
  });
});

describe('saved filters', () => {
  test('saved under a name, listed, replaced by the same name, deleted; each person’s own', async () => {
    const saved = await track.district.post('/api/tasks/filters', { name: '逾期的初审', filter: { due: 'overdue', stage: 'district_review' } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: '逾期的初审', filter: { due: 'overdue', stage: 'district_review', sort: 'due', page: 1 } });
    const replaced = await track.district.post('/api/tasks/filters', { name: '逾期的初审', filter: { due: 'week' } });
    expect(replaced.body.id).toBe(saved.body.id);
    expect((await track.district.get('/api/tasks/filters')).body.filters).toEqual([{ id: saved.body.id, name: '逾期的初审', filter: { due: 'week', sort: 'due', page: 1 } }]);
    expect((await shaxi2.get('/api/tasks/filters')).body.filters).toEqual([]);
    expect((await shaxi2.request('DELETE', `/api/tasks/filters/${saved.body.id}`)).status).toBe(404);
    const bad = await track.district.post('/api/tasks/filters', { name: ' ', filter: { due: 'someday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['filter.due', 'name']);
    expect((await track.district.request('DELETE', `/api/tasks/filters/${saved.body.id}`)).status).toBe(204);
    expect((await track.district.get('/api/tasks/filters')).body.filters).toEqual([]);
  });
});
