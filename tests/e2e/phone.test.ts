import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser } from '../../app/seed.ts';
import { seriousViolations, type Violation } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { Demonstration, localDateTimeIn } from '../support/demonstration.ts';
import { uscc } from '../support/fixtures.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { Track } from '../support/track.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { eventually } from '../support/waits.ts';

/**
 * Every main page of each role at phone size (390×844, an iPhone) and at desktop size (1280×800):
 * the page never scrolls sideways (wide tables scroll inside their own box or stack), the header
 * stays a few lines high, and a screenshot of each is kept in .cache/test/artefacts/ for a person
 * to look at. The cases the pages show are brought to their stages over the API:
 * A (the demo enterprise) in self-compliance, its score sheet open; B handed in its acceptance
 * materials (the district's check); C checked by the district (the city's review, with its score
 * adjustments); E approved by the district, waiting for the batch; D a municipal demonstration in
 * publicity. A city officer reading English sees the longer words fit too.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
/** a phone: a brand line, a line of pages and the user's line; a desktop: two lines at most. A header wrapping one character per line is many times this. */
const HEADER_MAX_PX = { phone: 160, desktop: 120 };

let system: TestSystem;
let browser: Browser;
const ids = { a: '', b: '', c: '', d: '', e: '', acceptanceTask: '', districtReview: '', cityReview: '' };

/** A second enterprise of 沙溪镇 with its own user, so its case is not the demo enterprise's. */
async function enterprise(n: number, enterpriseName: string): Promise<{ track: Track; email: string; overrides: { uscc: string; enterpriseName: string } }> {
  const email = `qiye${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业联系人${n}（${enterpriseName}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return { track: await Track.start(system, email), email, overrides: { uscc: uscc(n), enterpriseName } };
}

/** The open task once the workflow has opened it (Track.task reads the inbox once). */
const openTask = (track: Track, client: Track['district'], caseId: string, kind: string) =>
  eventually(`an open ${kind} task of ${caseId}`, () => track.task(client, caseId, kind).catch(() => null), Boolean).then((task) => (task as { id: string }).id);

async function standardCases() {
  const a = await Track.start(system);
  ids.a = (await a.apply()).body.id;
  await a.admit(ids.a);
  await a.completeChecklist(ids.a);
  ids.acceptanceTask = await openTask(a, a.enterprise, ids.a, 'acceptance_submission');

  const b = await enterprise(9101, '太仓市沙溪镇示例高端装备制造股份有限公司');
  ids.b = (await b.track.apply(b.overrides)).body.id;
  await b.track.admit(ids.b);
  await b.track.completeChecklist(ids.b);
  expect((await b.track.submitAcceptance(ids.b, b.track.scores('full', { '2.1': 'half', '3.1': 'zero' }))).status).toBe(200);
  ids.districtReview = await openTask(b.track, b.track.district, ids.b, 'review');

  const c = await enterprise(9102, '太仓示例新型建材科技有限公司');
  ids.c = (await c.track.apply(c.overrides)).body.id;
  await c.track.admit(ids.c);
  await c.track.completeChecklist(ids.c);
  expect((await c.track.submitAcceptance(ids.c, c.track.scores('full', { '5.2': 'zero' }))).status).toBe(200);
  expect((await c.track.complete(c.track.district, ids.c, { outcome: 'approve', comment: '材料齐全，同意报市经信委统一验收。' }, 'review')).status).toBe(200);
  ids.cityReview = await openTask(c.track, c.track.city, ids.c, 'review');

  const e = await enterprise(9103, '太仓沙溪示例纺织印染有限公司');
  ids.e = (await e.track.apply(e.overrides)).body.id;
  expect((await e.track.complete(e.track.district, ids.e, { outcome: 'approve' }, 'review')).status).toBe(200);
}

/** A municipal demonstration of its own enterprise, through acceptance into publicity. */
async function demonstrationCase() {
  const demo = await Demonstration.start(system);
  const { client, uscc: code } = await demo.enterpriseUser(9104);
  // the helper's steps act as "the enterprise": this one
  demo.clients.set('qiye@demo.local', client);
  await demo.importCertificates([{ uscc: code, track: 'standard', number: '太贯〔2024〕9104', issuedOn: '2024-06-01' }]);
  const applied = await demo.apply('municipal-demo', client, { uscc: code, enterpriseName: '太仓示例智能制造示范股份有限公司' });
  expect(applied.status).toBe(201);
  ids.d = applied.body.id;
  await demo.recommend(ids.d, 'municipal-demo');
  await demo.contract(ids.d);
  await demo.creation(ids.d);
  await demo.applicationPackage(ids.d);
  await demo.task(demo.prefecture, ids.d, 'acceptance');
  expect((await demo.prefecture.post('/api/acceptance-schedules', { caseIds: [ids.d], at: localDateTimeIn(3), place: '苏州市信用办第一会议室' })).status).toBe(201);
  await eventually('the acceptance to have its date', () => demo.task(demo.prefecture, ids.d, 'acceptance'), (t) => t.dueAt !== null);
  await demo.done(demo.prefecture, ids.d, 'acceptance', { outcome: 'pass', comment: '验收通过。' });
  await eventually(
    'the case in publicity',
    async () => ((await fetch(`${system.url}/api/publicity`).then((r) => r.json())) as { cases: { caseId: string }[] }).cases,
    (cases) => cases.some((c) => c.caseId === ids.d),
  );
}

/** One person's two browsers: a phone and a desktop. */
interface Person {
  who: string;
  phone: Page;
  desktop: Page;
}
const people = new Map<string, Person>();
const contexts: BrowserContext[] = [];

async function person(who: string, email: string | null): Promise<Person> {
  const phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  const desktopContext = await browser.newContext({ viewport: DESKTOP });
  contexts.push(phoneContext, desktopContext);
  const found = { who, phone: await phoneContext.newPage(), desktop: await desktopContext.newPage() };
  if (email) {
    await logIn(found.phone, system.url, email, TEST_PASSWORD);
    await logIn(found.desktop, system.url, email, TEST_PASSWORD);
  }
  people.set(who, found);
  return found;
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('postgresql');
  await Promise.all([standardCases(), demonstrationCase()]);
  browser = await launchChromium();
  await person('enterprise', 'qiye@demo.local');
  await person('district', 'shaxi@demo.local');
  await person('city', 'city@demo.local');
  await person('prefecture', 'suzhou@demo.local');
  await person('consultant', 'guwen@demo.local');
  await person('admin', 'admin@demo.local');
  await person('anonymous', null);
  // a city officer of their own who reads English (the language is kept per user)
  await createUser(system.app.orm, { email: 'city-en@demo.local', name: 'Zhou Tao (Finance and Guarantee Section, City Commission)', role: 'city_officer', scopeId: null }, TEST_PASSWORD);
  const english = await person('city-en', 'city-en@demo.local');
  for (const page of [english.phone, english.desktop]) {
    await page.locator('#language button[type=submit]').click();
    await page.locator('html[lang=en]').waitFor({ state: 'attached' });
  }
}, 900_000);
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/**
 * What makes the page wider than the window: the outermost elements reaching past its right edge,
 * outside any box that scrolls. Runs in the page (the tests are compiled without the DOM's types).
 */
function sidewaysOverflow(width: number): string[] {
  const { document, getComputedStyle } = globalThis as any;
  const describe = (e: any) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c: string) => `.${c}`).join('')}`;
  const scrolls = (e: any): boolean => {
    for (let at = e; at && at !== document.body; at = at.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(at).overflowX)) return true;
    }
    return false;
  };
  const past = ([...document.body.querySelectorAll('*')] as any[]).filter((e) => e.getBoundingClientRect().right > width + 0.5 && !scrolls(e.parentElement));
  return past.filter((e) => !past.includes(e.parentElement)).slice(0, 8).map((e) => `${describe(e.parentElement)} > ${describe(e)} (${Math.round(e.getBoundingClientRect().right)} px)`);
}

/**
 * Opens the page on the phone and on the desktop, keeps both screenshots, then checks both:
 * nothing past the window's right edge, the header a few lines high, and no serious or critical
 * accessibility violation (axe-core).
 */
async function look(who: string, name: string, path: () => string, ready: string, prepare?: (page: Page) => Promise<void>) {
  const { phone, desktop } = people.get(who)!;
  const seen: Record<string, { scrollWidth: number; header: number; overflow: string[]; violations: Violation[] }> = {};
  for (const [size, page, viewport] of [['phone', phone, PHONE], ['desktop', desktop, DESKTOP]] as const) {
    await page.goto(`${system.url}${path()}`);
    await page.locator(ready).first().waitFor({ state: 'visible' });
    if (prepare) await prepare(page);
    await page.screenshot({ path: `${ARTEFACTS_DIR}${size}-${who}-${name}.png`, fullPage: true });
    // the layout's width as the phone lays it out; a phone may zoom out to fit, so innerWidth alone would hide an overflow
    const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
    const header = (await page.locator('body > header').boundingBox())!.height;
    seen[size] = { scrollWidth, header, overflow: scrollWidth > viewport.width ? await page.evaluate(sidewaysOverflow, viewport.width) : [], violations: await seriousViolations(page) };
  }
  expect({ page: `${who} ${name}`, phone: seen.phone!.overflow, desktop: seen.desktop!.overflow }).toEqual({ page: `${who} ${name}`, phone: [], desktop: [] });
  expect({ page: `${who} ${name}`, phone: seen.phone!.violations, desktop: seen.desktop!.violations }).toEqual({ page: `${who} ${name}`, phone: [], desktop: [] });
  expect(seen.phone!.scrollWidth).toBeLessThanOrEqual(PHONE.width);
  expect(seen.desktop!.scrollWidth).toBeLessThanOrEqual(DESKTOP.width);
  expect(seen.phone!.header).toBeLessThan(HEADER_MAX_PX.phone);
  expect(seen.desktop!.header).toBeLessThan(HEADER_MAX_PX.desktop);
}

const casePage = (id: () => string) => () => `/cases/${encodeURIComponent(id())}`;
const taskPage = (id: () => string) => () => `/tasks/${encodeURIComponent(id())}`;
const openAdjustments = async (page: Page) => {
  await page.locator('#decision details.adjust summary').click();
  await page.locator('#adjustments-form').waitFor({ state: 'visible' });
};

describe('the enterprise', () => {
  test('inbox', () => look('enterprise', 'inbox', () => '/tasks', '#inbox'));
  test('case list', () => look('enterprise', 'cases', () => '/cases', '#cases'));
  test('case page', () => look('enterprise', 'case', casePage(() => ids.a), '#documents'));
  test('the score sheet of the acceptance (1000 points)', () => look('enterprise', 'acceptance-task', taskPage(() => ids.acceptanceTask), '#sheet'));
  // its 贯标 application is in (the page shows that case): the form of a track it has not applied to
  test('apply', () => look('enterprise', 'apply', () => '/apply?track=municipal-demo', '#application'));
  test('notification settings', () => look('enterprise', 'me', () => '/me', '#preferences'));
});

describe('the district officer', () => {
  test('inbox', () => look('district', 'inbox', () => '/tasks', '#inbox'));
  test('case list', () => look('district', 'cases', () => '/cases', '#cases'));
  test('case page with the acceptance scores', () => look('district', 'case', casePage(() => ids.b), '#self-evaluation'));
  test('the acceptance check (review form)', () => look('district', 'review-task', taskPage(() => ids.districtReview), '#decision'));
  test('batches', () => look('district', 'batches', () => '/batches', '#waiting'));
  test('recommendations', () => look('district', 'recommendations', () => '/recommendations', 'main h1'));
  test('dashboard', () => look('district', 'dashboard', () => '/dashboard', 'main h1'));
});

describe('the city officer', () => {
  test('inbox', () => look('city', 'inbox', () => '/tasks', '#inbox'));
  test('case list', () => look('city', 'cases', () => '/cases', '#cases'));
  test('case page', () => look('city', 'case', casePage(() => ids.c), '#self-evaluation'));
  test('the unified acceptance with its score adjustments', () => look('city', 'review-task', taskPage(() => ids.cityReview), '#decision', openAdjustments));
  test('a demonstration case page', () => look('city', 'demonstration-case', casePage(() => ids.d), '#package-items'));
  test('batches', () => look('city', 'batches', () => '/batches', '#batches'));
  test('extensions', () => look('city', 'extensions', () => '/extensions', '#extension'));
  test('dashboard', () => look('city', 'dashboard', () => '/dashboard', 'main h1'));
});

describe('the Suzhou office, the consultant and the admin', () => {
  test('Suzhou inbox', () => look('prefecture', 'inbox', () => '/tasks', 'main h1'));
  test('Suzhou acceptance schedules', () => look('prefecture', 'acceptance-schedules', () => '/acceptance-schedules', 'main h1'));
  test('consultant inbox', () => look('consultant', 'inbox', () => '/tasks', 'main h1'));
  test('consultant demonstration case', () => look('consultant', 'case', casePage(() => ids.d), '#package-items'));
  test('admin mail templates', () => look('admin', 'mail-templates', () => '/admin/mail-templates', '#mail-templates'));
});

describe('in English, where the words are longer', () => {
  test('inbox', () => look('city-en', 'inbox', () => '/tasks', '#inbox'));
  test('case page', () => look('city-en', 'case', casePage(() => ids.c), '#self-evaluation'));
  test('the unified acceptance', () => look('city-en', 'review-task', taskPage(() => ids.cityReview), '#decision', openAdjustments));
});

describe('anyone', () => {
  test('login', () => look('anonymous', 'login', () => '/login', 'form input[name=email]'));
  test('publicity, with an objection form open', () =>
    look('anonymous', 'publicity', () => '/publicity', '#publicity', async (page) => {
      await page.locator('details.objection summary').first().click();
      await page.locator('details.objection input[name=name]').first().waitFor({ state: 'visible' });
    }));
});
