import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { maskResidentId } from '../../domain/identity/residentId.ts';
import { formatLocal } from '../../domain/program/calendar.ts';
import { seriousViolations } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { applicationWithReport, residentId } from '../support/fixtures.ts';
import { PageClient } from '../support/pages.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

/**
 * The case page in a real Chromium, in both languages: a 贯标 case returned by 沙溪镇 for correction
 * and handed in again. The page shows its stages (done, current, next, with their dates), the
 * district's decision with office, person, time and comment once each, both versions of the
 * application (the first opens read-only, the second shows what the correction changed); an office
 * reveals the identity number (logged) and records a credit finding; the enterprise is offered
 * neither and is refused the reveal; the admin finds the case's workflow in the Temporal Web UI.
 * Screenshots at desktop and phone size are kept in .cache/test/artefacts/.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const RETURN_COMMENT = '主营业务请写明主要产品。';
const CORRECTED_BUSINESS = '精密轴承、齿轮等机械零部件的研发、生产和销售';

let system: TestSystem;
let browser: Browser;
let track: Track;
let caseId: string;
let returnedAt: string;
const contexts: BrowserContext[] = [];

const WORDS = {
  'zh-CN': {
    timeline: '办理进度',
    current: '当前环节',
    again: '补正后重新办理',
    office: '镇（区）经发中心 · 沙溪镇',
    returned: '退回补正',
    version1: '第 1 版',
    heading1: '申报表第 1 版',
    superseded: '已被第 2 版取代',
    mainBusiness: '主营业务',
    replaced: '已更换',
    reveal: '查看完整证件号码',
    logTitle: '查阅记录',
    credit: '一般失信行为',
    future: /不能晚于今天/,
    temporal: '在 Temporal 管理界面中查看流程',
    year: '年度',
  },
  en: {
    timeline: 'Progress',
    current: 'Current stage',
    again: 'again after the correction',
    office: 'District office · 沙溪镇',
    returned: 'Returned for correction',
    version1: 'Version 1',
    heading1: 'Application, version 1',
    superseded: 'Superseded by version 2',
    mainBusiness: 'Main business',
    replaced: 'replaced',
    reveal: 'Show the full ID number',
    logTitle: 'Who looked at the full number',
    credit: 'General dishonesty',
    future: /must not be in the future/i,
    temporal: 'Open the workflow in the Temporal Web UI',
    year: 'Year',
  },
} as const;
type Locale = keyof typeof WORDS;

/** A person signed in on a page of the given size, reading the given language. */
async function personOn(email: string, locale: Locale, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, system.url, email, TEST_PASSWORD);
  // the language is kept per browser: set after the login, which sets it from the user's preference
  await context.addCookies([{ name: 'credcase_lang', value: locale, url: system.url }]);
  return page;
}

const caseUrl = () => `${system.url}/cases/${encodeURIComponent(caseId)}`;

/** The page keeps no screen wider than itself, and has no serious accessibility violation. */
async function keep(page: Page, name: string, width: number) {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  await page.screenshot({ path: `${ARTEFACTS_DIR}${name}.png`, fullPage: true });
  expect({ name, scrollWidth: await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number) }).toEqual({ name, scrollWidth: width });
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
}

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  browser = await launchChromium();
  track = await Track.start(system);
  const applied = await track.apply();
  expect(applied.status).toBe(201);
  caseId = applied.body.id;
  expect((await track.complete(track.district, caseId, { outcome: 'return', comment: RETURN_COMMENT }, 'review')).status).toBe(200);
  // handed in again as the correction page does: the number as it was shown (masked), a new credit report, the business spelled out
  const correction = await eventually('the correction task', () => track.task(track.enterprise, caseId, 'correct_application').catch(() => null), Boolean);
  const corrected = await applicationWithReport(track.enterprise, { legalRepresentativeIdNumber: maskResidentId(residentId()), mainBusiness: CORRECTED_BUSINESS });
  const resubmitted = await track.enterprise.post(`/api/tasks/${encodeURIComponent((correction as { id: string }).id)}/complete`, { outcome: 'resubmit', application: corrected });
  expect(resubmitted.status).toBe(200);
  expect(resubmitted.body).toMatchObject({ stage: 'district_review', applicationVersion: 2 });
  returnedAt = resubmitted.body.decisions.find((d: { outcome: string }) => d.outcome === 'return').at;
}, 300_000);
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

describe.each(['zh-CN', 'en'] as const)('the case page in %s', (locale) => {
  const words = WORDS[locale];

  test('the district sees the stages, its own decision with office, person, time and comment, and both versions', async () => {
    const page = await personOn('shaxi@demo.local', locale);
    await page.goto(caseUrl());
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale);

    // the timeline: submitted and the correction done, the district's review current again, the rest ahead with their dates
    const timeline = page.locator('#timeline');
    await expect(timeline.locator('h2').innerText()).resolves.toBe(words.timeline);
    const state = (stage: string) => timeline.locator(`li[data-stage=${stage}]`).getAttribute('data-state');
    await expect(state('submitted')).resolves.toBe('done');
    await expect(state('correction')).resolves.toBe('done');
    await expect(state('district_review')).resolves.toBe('current');
    await expect(state('self_compliance')).resolves.toBe('next');
    await expect(state('certified')).resolves.toBe('next');
    const current = await timeline.locator('li[data-state=current]').innerText();
    expect(current).toContain(words.current);
    expect(current).toContain(words.again);
    // the correction's period is past and done: shown as done, with when it was done, never as pending
    const correction = await timeline.locator('li[data-stage=correction]').innerText();
    expect(correction).not.toMatch(/期限|Due|逾期|Overdue/);
    await expect(page.locator('#deadlines tr[data-deadline=correction]').getAttribute('data-state')).resolves.toBe('done');
    // the acceptance deadline of the stage ahead, with its date
    const selfCompliance = await timeline.locator('li[data-stage=self_compliance]').innerText();
    expect(selfCompliance).toMatch(/\d{4}/);

    // the district's decision: its office and person once each, the time, the comment
    const returned = page.locator('#decisions li[data-outcome=return]');
    await expect(returned.locator('.outcome').innerText()).resolves.toBe(words.returned);
    await expect(returned.locator('.office').innerText()).resolves.toBe(words.office);
    await expect(returned.locator('.person').innerText()).resolves.toBe('陈静');
    await expect(returned.locator('.at').innerText()).resolves.toBe(formatLocal(returnedAt, 'Asia/Shanghai', locale));
    await expect(returned.locator('.comment').innerText()).resolves.toBe(RETURN_COMMENT);
    expect(await returned.innerText()).not.toContain('陈静（沙溪镇经发中心）');

    // both versions; the second tells what the correction changed, as the form names the fields
    await expect(page.locator('#versions > li').count()).resolves.toBe(2);
    const second = page.locator('#versions > li[data-version="2"]');
    const change = second.locator('.change[data-field=mainBusiness]');
    await expect(change.locator('dt').innerText()).resolves.toBe(words.mainBusiness);
    await expect(change.locator('del').innerText()).resolves.toBe('精密机械零部件的研发、生产和销售');
    await expect(change.locator('ins').innerText()).resolves.toBe(CORRECTED_BUSINESS);
    await expect(second.locator('.change').count()).resolves.toBe(1);
    await expect(second.locator('[data-file=creditReportFileId]').getAttribute('data-changed')).resolves.toBe('true');
    await expect(second.locator('[data-file=creditReportFileId]').innerText()).resolves.toContain(words.replaced);
    // the identity number handed back as shown is no change
    await expect(second.locator('.change[data-field=legalRepresentativeIdNumber]').count()).resolves.toBe(0);

    await keep(page, `case-page-district-${locale}-desktop`, DESKTOP.width);

    // version 1 opens, read-only, the number masked
    await page.locator('#versions > li[data-version="1"] a').click();
    await page.waitForURL(`${caseUrl()}/application/versions/1`);
    await expect(page.locator('h1').innerText()).resolves.toBe(words.heading1);
    await expect(page.locator('#version-standing').innerText()).resolves.toBe(words.superseded);
    const facts = await page.locator('#application-facts').innerText();
    expect(facts).toContain('精密机械零部件的研发、生产和销售');
    expect(facts).toContain(maskResidentId(residentId()));
    expect(await page.content()).not.toContain(residentId());
    await expect(page.locator('#version-changes').count()).resolves.toBe(0);
    await expect(page.locator('main :is(input, textarea, select, button)').count()).resolves.toBe(0);
    await keep(page, `case-version1-${locale}-desktop`, DESKTOP.width);

    // version 2 shows what changed against version 1
    await page.goto(`${caseUrl()}/application/versions/2`);
    await expect(page.locator('#version-changes .change[data-field=mainBusiness] ins').innerText()).resolves.toBe(CORRECTED_BUSINESS);
    // a version that does not exist is not found
    expect((await page.goto(`${caseUrl()}/application/versions/3`))!.status()).toBe(404);
    expect((await page.goto(`${caseUrl()}/application/versions/x`))!.status()).toBe(400);
  });

  test('the city reveals the identity number (the access log gains a line) and records a credit finding', async () => {
    const page = await personOn('city@demo.local', locale);
    await page.goto(caseUrl());
    await expect(page.locator('#masked-id-number').innerText()).resolves.toBe(maskResidentId(residentId()));
    expect(await page.content()).not.toContain(residentId());
    const lines = () => page.locator('#id-access-log tbody tr').count();
    const before = await lines();

    await expect(page.locator('#reveal-form button').innerText()).resolves.toBe(words.reveal);
    await page.locator('#reveal-form button').click();
    await page.locator('#revealed-id-number').waitFor();
    await expect(page.locator('#revealed-id-number').innerText()).resolves.toBe(residentId());
    await expect(page.locator('#identity h4').innerText()).resolves.toBe(words.logTitle);
    await expect(lines()).resolves.toBe(before + 1);
    await expect(page.locator('#id-access-log tbody tr').first().innerText()).resolves.toContain('周涛');
    // shown once: the page read again has it masked only
    await page.goto(caseUrl());
    expect(await page.content()).not.toContain(residentId());
    await expect(lines()).resolves.toBe(before + 1);

    // a finding dated in the future is refused next to its field, what was typed kept
    const note = `${locale}: 拖欠供应商货款，经法院判决（(2026)苏0585民初123号）。`;
    await page.locator('#credit-records details.record-credit summary').click();
    await page.selectOption('#credit-form select[name=kind]', 'general_dishonesty');
    await page.fill('#credit-form input[name=occurredOn]', '2099-01-01');
    await page.fill('#credit-form textarea[name=note]', note);
    await page.click('#credit-form button[type=submit]');
    await expect(page.locator('#credit-form .problem[data-path="creditRecord.occurredOn"]').innerText()).resolves.toMatch(words.future);
    await expect(page.inputValue('#credit-form textarea[name=note]')).resolves.toBe(note);

    await page.fill('#credit-form input[name=occurredOn]', '2025-03-01');
    await page.click('#credit-form button[type=submit]');
    const row = page.locator('#credit-record-list tbody tr', { hasText: note });
    await row.waitFor();
    await expect(row.locator('td').first().innerText()).resolves.toBe(words.credit);
    await expect(row.innerText()).resolves.toContain('周涛');
    // the API reads the same records
    const records = (await track.city.get(`/api/enterprises/${DEMO_ENTERPRISE_USCC}/credit-records`)).body.records;
    expect(records.some((r: { note: string; kind: string }) => r.note === note && r.kind === 'general_dishonesty')).toBe(true);
  });

  test('the enterprise is offered neither the reveal nor the credit form, and is refused the reveal', async () => {
    const page = await personOn('qiye@demo.local', locale);
    await page.goto(caseUrl());
    await page.locator('#identity').waitFor();
    await expect(page.locator('#reveal-form').count()).resolves.toBe(0);
    await expect(page.locator('#credit-form').count()).resolves.toBe(0);
    await expect(page.locator('#temporal-link').count()).resolves.toBe(0);
    // no task of the district's to open here
    await expect(page.locator('#tasks tr[data-status=open] a').count()).resolves.toBe(0);
    // its own log of who looked (the API's rule: the enterprise itself reads it)
    await expect(page.locator('#id-access-log tbody tr').count()).resolves.toBeGreaterThan(0);
    await keep(page, `case-page-enterprise-${locale}-desktop`, DESKTOP.width);

    const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'qiye@demo.local', password: TEST_PASSWORD }) });
    const enterprise = PageClient.withSession(system.url, ((await login.json()) as { token: string }).token);
    const refused = await enterprise.post(`/cases/${encodeURIComponent(caseId)}/reveal-id-number`);
    expect(refused.status).toBe(403);
    expect(refused.html).not.toContain(residentId());
    expect((await enterprise.post(`/cases/${encodeURIComponent(caseId)}/credit-records`, { kind: 'serious_dishonesty', occurredOn: '2025-01-01', note: '自行登记' })).status).toBe(403);
  });

  test('the admin finds the case’s workflow in the Temporal Web UI', async () => {
    const page = await personOn('admin@demo.local', locale);
    await page.goto(caseUrl());
    const link = page.locator('#temporal-link');
    await expect(link.innerText()).resolves.toBe(words.temporal);
    const { uiUrl, namespace } = system.app.config.temporal;
    await expect(link.getAttribute('href')).resolves.toBe(`${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(caseId)}`);
    await expect(page.locator('#reveal-form').count()).resolves.toBe(0);
  });

  test('on a phone: the timeline and the decisions readable, nothing wider than the screen; the case list has the year', async () => {
    const page = await personOn('shaxi@demo.local', locale, PHONE);
    await page.goto(caseUrl());
    await page.locator('#timeline').waitFor();
    // each stage's name and its date on the screen, side by side or one under the other, never cut off
    for (const step of await page.locator('#timeline li .name').all()) expect((await step.boundingBox())!.x + (await step.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    await keep(page, `case-page-district-${locale}-phone`, PHONE.width);
    await page.locator('#decisions').screenshot({ path: `${ARTEFACTS_DIR}case-decisions-${locale}-phone.png` });
    await page.goto(`${caseUrl()}/application/versions/2`);
    await keep(page, `case-version2-${locale}-phone`, PHONE.width);

    await page.goto(`${system.url}/cases`);
    const row = page.locator(`#cases tr[data-case-id="${caseId}"]`);
    await expect(row.locator('td.year').innerText()).resolves.toBe(String(system.program.year));
    await expect(page.locator('#cases thead').innerText()).resolves.toContain(words.year);
  });
});
