import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { createUser, publishProgram } from '../../app/seed.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import { TaskRecord } from '../../infra/db/entities.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { PageClient } from '../support/pages.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

/**
 * 统计看板 on a real system. Three 贯标 cases of the test program: A (the demo enterprise, 沙溪镇)
 * admitted to self-compliance, one of its checklist tasks due in two days; B (沙溪镇) rejected by
 * the district; C (港区) waiting for 港区's review, that task made three and a half days late in the
 * database (the dashboard only reads). A second program (Taicang 2018) has no cases.
 */
let system: TestSystem;
let browser: Browser;
const ids = { a: '', b: '', c: '' };
const clients: Record<string, ApiClient> = {};
const DAY = 86_400_000;

async function enterprise(n: number, name: string): Promise<{ email: string; overrides: { uscc: string; enterpriseName: string } }> {
  const email = `qiye${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业联系人${n}（${name}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return { email, overrides: { uscc: uscc(n), enterpriseName: name } };
}

const openTask = (track: Track, client: ApiClient, caseId: string, kind: string, subject?: string) =>
  eventually(`an open ${kind} task of ${caseId}`, () => track.task(client, caseId, kind, subject).catch(() => null), Boolean) as Promise<{ id: string }>;

const setDue = (taskId: string, dueAt: Date) => system.app.orm.em.fork().nativeUpdate(TaskRecord, { id: taskId }, { dueAt });

async function caseA() {
  const a = await Track.start(system);
  ids.a = (await a.apply()).body.id;
  await a.admit(ids.a);
  await setDue((await openTask(a, a.enterprise, ids.a, 'self_compliance_item', 'training')).id, new Date(Date.now() + 2 * DAY));
}

async function caseB() {
  const who = await enterprise(9202, '太仓沙溪示例电子科技有限公司');
  const b = await Track.start(system, who.email);
  ids.b = (await b.apply(who.overrides)).body.id;
  await openTask(b, b.district, ids.b, 'review');
  expect((await b.complete(b.district, ids.b, { outcome: 'reject', comment: '近三年存在严重失信行为。' }, 'review')).status).toBe(200);
}

async function caseC() {
  const who = await enterprise(9201, '太仓港区示例物流有限公司');
  const c = await Track.start(system, who.email);
  c.district = await ApiClient.login(system.url, 'gangqu@demo.local', TEST_PASSWORD);
  ids.c = (await c.apply({ ...who.overrides, district: 'gangqu', registeredAddress: '太仓港区北环路1号', businessAddress: '太仓港区北环路1号' })).body.id;
  await setDue((await openTask(c, c.district, ids.c, 'review')).id, new Date(Date.now() - 3.5 * DAY));
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('postgresql');
  await createUser(system.app.orm, { email: 'gangqu@demo.local', name: '赵磊（港区经发局）', role: 'district_officer', scopeId: 'gangqu' }, TEST_PASSWORD);
  await publishProgram(system.app.orm, TAICANG_2018);
  await Promise.all([caseA(), caseB(), caseC()]);
  const login = (email: string) => ApiClient.login(system.url, email, TEST_PASSWORD);
  for (const [who, email] of Object.entries({ city: 'city@demo.local', shaxi: 'shaxi@demo.local', gangqu: 'gangqu@demo.local', suzhou: 'suzhou@demo.local', admin: 'admin@demo.local', enterprise: 'qiye@demo.local', consultant: 'guwen@demo.local' })) {
    clients[who] = await login(email);
  }
  // the rejection reaches the projection after the review's answer
  await eventually('B rejected in the projection', () => clients.city!.get('/api/dashboard'), (r) => r.body.stages[0].steps.some((s: any) => s.stage === 'rejected' && s.count === 1));
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const quotaRow = (body: any, track: string, district: string) => body.quotas.find((q: any) => q.track === track).rows.find((r: any) => r.district === district);
const stageCount = (body: any, track: string, stage: string) => body.stages.find((f: any) => f.track === track).steps.find((s: any) => s.stage === stage)?.count;
const office = (body: any, role: string, district: string | null = null) => body.offices.find((o: any) => o.role === role && o.district === district);

describe('the numbers (GET /api/dashboard)', () => {
  test('the city: every district against attachment 1’s targets, cases per stage, overdue and due-soon tasks per office, deadlines ahead', async () => {
    const { status, body } = await clients.city!.get('/api/dashboard');
    expect(status).toBe(200);
    // the latest year's program by default; both programs to choose from
    expect(body.program.id).toBe(system.program.id);
    expect(body.programs.map((p: any) => p.id)).toEqual([system.program.id, 'taicang-2018']);
    expect(body.district).toBeNull();
    expect(quotaRow(body, 'standard', 'shaxi')).toEqual({ district: 'shaxi', districtName: '沙溪镇', target: 4, applied: 2, active: 1, certified: 0, closed: 1 });
    expect(quotaRow(body, 'standard', 'gangqu')).toMatchObject({ target: 4, applied: 1, active: 1, closed: 0 });
    expect(quotaRow(body, 'standard', 'kejiao')).toMatchObject({ target: 3, applied: 0 });
    expect(body.quotas.find((q: any) => q.track === 'standard').total).toMatchObject({ target: 35, applied: 3, active: 2, certified: 0, closed: 1 });
    expect(body.quotas.find((q: any) => q.track === 'municipal-demo').total).toMatchObject({ target: 4, applied: 0 });
    expect([stageCount(body, 'standard', 'district_review'), stageCount(body, 'standard', 'self_compliance'), stageCount(body, 'standard', 'rejected'), stageCount(body, 'standard', 'city_review')]).toEqual([1, 1, 1, 0]);
    // 港区's review, three and a half days late: four days begun
    expect(office(body, 'district_officer', 'gangqu')).toMatchObject({ districtName: '港区', open: 1, overdue: 1, longestOverdueDays: 4 });
    // A's five checklist items and its acceptance materials wait on the enterprise; one is due in two days
    expect(office(body, 'enterprise')).toMatchObject({ open: 6, overdue: 0, dueSoon: 1 });
    expect(office(body, 'district_officer', 'shaxi')).toBeUndefined();
    // the test program's application deadline is 30 days away
    expect(body.deadlines.find((d: any) => d.track === 'standard' && d.name === 'application')).toMatchObject({ daysLeft: 30 });
  });

  test('a district office sees its own district only', async () => {
    const shaxi = (await clients.shaxi!.get('/api/dashboard')).body;
    expect(shaxi.district).toEqual({ code: 'shaxi', name: '沙溪镇' });
    expect(shaxi.quotas.find((q: any) => q.track === 'standard').rows.map((r: any) => r.district)).toEqual(['shaxi']);
    expect(shaxi.quotas.find((q: any) => q.track === 'standard').total).toBeNull();
    expect([stageCount(shaxi, 'standard', 'district_review'), stageCount(shaxi, 'standard', 'self_compliance'), stageCount(shaxi, 'standard', 'rejected')]).toEqual([0, 1, 1]);
    expect(office(shaxi, 'district_officer', 'gangqu')).toBeUndefined();

    const gangqu = (await clients.gangqu!.get('/api/dashboard')).body;
    expect(gangqu.quotas.find((q: any) => q.track === 'standard').rows).toEqual([{ district: 'gangqu', districtName: '港区', target: 4, applied: 1, active: 1, certified: 0, closed: 0 }]);
    expect(office(gangqu, 'district_officer', 'gangqu')).toMatchObject({ overdue: 1 });
    expect(office(gangqu, 'enterprise')).toBeUndefined();
  });

  test('another program by its id: its own (no) cases; an unknown one is not found, a malformed one named', async () => {
    const { body } = await clients.suzhou!.get('/api/dashboard?programId=taicang-2018');
    expect(body.program).toMatchObject({ id: 'taicang-2018', year: 2018 });
    expect(body.quotas.find((q: any) => q.track === 'standard').total).toMatchObject({ target: 35, applied: 0 });
    expect(body.offices).toEqual([]);
    expect(body.deadlines).toEqual([]);
    expect((await clients.city!.get('/api/dashboard?programId=nowhere-2000')).status).toBe(404);
    const malformed = await clients.city!.get('/api/dashboard?programId=Not%20An%20Id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields[0].path).toBe('programId');
  });

  test('enterprises and consultants are refused', async () => {
    expect((await clients.enterprise!.get('/api/dashboard')).status).toBe(403);
    expect((await clients.consultant!.get('/api/dashboard')).status).toBe(403);
    expect((await clients.enterprise!.download('/api/dashboard/quotas.csv')).status).toBe(403);
  });
});

describe('CSV per chart', () => {
  const lines = (bytes: Buffer) => bytes.subarray(3).toString('utf8').trim().split('\r\n');

  test('UTF-8 with a byte-order mark, Chinese headers and the numbers', async () => {
    const quotas = await clients.city!.download(`/api/dashboard/quotas.csv?programId=${system.program.id}`);
    expect(quotas.status).toBe(200);
    expect(quotas.type).toBe('text/csv; charset=utf-8');
    expect([...quotas.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(lines(quotas.bytes)[0]).toBe('项目,镇（区）,目标,已申报,办理中,已通过,未通过或失效,完成率');
    expect(lines(quotas.bytes)).toContain('信用管理贯标,沙溪镇,4,2,1,0,1,0%');
    expect(lines(quotas.bytes)).toContain('信用管理贯标,港区,4,1,1,0,0,0%');
    expect(lines(quotas.bytes)).toContain('信用管理贯标,全市,35,3,2,0,1,0%');

    const stages = lines((await clients.city!.download('/api/dashboard/stages.csv')).bytes);
    expect(stages[0]).toBe('项目,序号,环节,案件数');
    expect(stages).toContain('信用管理贯标,1,镇（区）初审,1');
    expect(stages).toContain('信用管理贯标,5,自主贯标,1');

    const overdue = lines((await clients.city!.download('/api/dashboard/overdue.csv')).bytes);
    expect(overdue[0]).toBe('办理部门,镇（区）,逾期待办数,在办待办数,最长逾期天数');
    expect(overdue).toContain('镇（区）经发中心,港区,1,1,4');
    expect(lines((await clients.city!.download('/api/dashboard/due-soon.csv')).bytes)).toContain('企业,,1,6');
    expect(lines((await clients.city!.download('/api/dashboard/deadlines.csv')).bytes)[0]).toBe('项目,期限,截止时间,剩余天数');
    expect((await clients.city!.download('/api/dashboard/nothing.csv')).status).toBe(404);
  });

  test('a district office’s file holds its district only', async () => {
    const quotas = lines((await clients.shaxi!.download('/api/dashboard/quotas.csv')).bytes);
    expect(quotas.filter((l) => l.startsWith('信用管理贯标,'))).toEqual(['信用管理贯标,沙溪镇,4,2,1,0,1,0%']);
  });
});

describe('the page', () => {
  const page = async (email: string) => {
    const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    return PageClient.withSession(system.url, ((await login.json()) as { token: string }).token);
  };
  /** The html of each chart with its table: `<div class="chart-pair" …>` to the next. */
  const pairs = (html: string) => html.split('<div class="chart-pair"').slice(1);

  test('the city: an SVG chart beside a table for each, the program to choose, CSV links; the nav links here', async () => {
    const { status, html } = await (await page('city@demo.local')).get('/dashboard');
    expect(status).toBe(200);
    // quotas and stages per track (3 each), overdue, deadlines, due soon
    expect(pairs(html)).toHaveLength(9);
    for (const pair of pairs(html)) {
      expect(pair).toMatch(/<figure><svg [^>]*role="img"/);
      expect(pair).toContain('<table class="list numbers">');
    }
    expect(html).not.toMatch(/<svg[^>]* style=/);
    for (const id of ['quotas', 'stages', 'overdue', 'deadlines', 'due-soon']) expect(html).toContain(`<section class="card dashboard-section" id="${id}">`);
    // handlebars writes the link's = as &#x3D;, which the browser reads back
    for (const chart of ['quotas', 'stages', 'overdue', 'deadlines', 'due-soon']) expect(html).toContain(`href="/api/dashboard/${chart}.csv?programId&#x3D;${system.program.id}" download`);
    expect(html).toMatch(new RegExp(`<option value="${system.program.id}" selected>`));
    expect(html).toContain('<option value="taicang-2018">2018年太仓市企业信用管理贯标和示范创建工作方案</option>');
    expect(html).toContain('<a href="/dashboard">统计看板</a>');
    expect(html).toContain('<tr data-district="shaxi"><th scope="row">沙溪镇</th><td>4</td><td>2</td><td>1</td><td>0</td><td>1</td><td>0%</td></tr>');
    expect(html).toContain('各镇（区）指标完成情况');
  });

  test('a district office: its district only; an enterprise is refused and has no link', async () => {
    const { html } = await (await page('shaxi@demo.local')).get('/dashboard');
    expect(html).toContain('<small>沙溪镇</small>');
    expect(html).toContain('data-district="shaxi"');
    expect(html).not.toContain('data-district="gangqu"');
    const enterprise = await page('qiye@demo.local');
    expect((await enterprise.get('/dashboard')).status).toBe(403);
    expect((await enterprise.get('/tasks')).html).not.toContain('href="/dashboard"');
  });

  test('in English: every text from the catalogue', async () => {
    const admin = await page('admin@demo.local');
    await admin.post('/language', { locale: 'en', back: '/dashboard' });
    const { html } = await admin.get('/dashboard');
    expect(html).toContain('Progress against quotas per district');
    expect(html).toContain('Overdue tasks by office');
    expect(html).toContain('District review');
    // a key missing from the catalogue would show as itself
    expect(html).not.toMatch(/dashboard\.[a-z]/);
  });
});

describe('in a browser', () => {
  const PHONE = { width: 390, height: 844 };
  const DESKTOP = { width: 1280, height: 800 };

  test('the city officer’s dashboard at desktop and phone size: drawn without errors, never wider than the window (screenshots kept)', async () => {
    browser = await launchChromium();
    for (const [size, viewport, file] of [
      ['desktop', DESKTOP, 'dashboard-city.png'],
      ['phone', PHONE, 'dashboard-city-phone.png'],
    ] as const) {
      const context = await browser.newContext({ viewport, ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}) });
      const tab = await context.newPage();
      const refused: string[] = [];
      tab.on('console', (message) => {
        // a CSP refusal (an inline style) or a script error; the browser's own favicon request is not the page's
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) refused.push(message.text());
      });
      await logIn(tab, system.url, 'city@demo.local', TEST_PASSWORD);
      await tab.goto(`${system.url}/dashboard`);
      await tab.locator('#due-soon svg.chart').waitFor({ state: 'visible' });
      await tab.screenshot({ path: `${ARTEFACTS_DIR}${file}`, fullPage: true });
      const widths = await tab.evaluate(() => {
        const { document } = globalThis as any;
        return { page: document.documentElement.scrollWidth as number, chart: document.querySelector('#chart-quotas-standard').getBoundingClientRect().width as number };
      });
      expect({ size, width: widths.page <= viewport.width }).toEqual({ size, width: true });
      // a chart fills its column, and is drawn (not zero-sized)
      expect(widths.chart).toBeGreaterThan(300);
      expect(refused).toEqual([]);
      await context.close();
    }
  });
});
