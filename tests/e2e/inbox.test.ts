import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser } from '../../app/seed.ts';
import { TaskRecord } from '../../infra/db/entities.ts';
import { seriousViolations } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { eventually } from '../support/waits.ts';

/**
 * 我的待办 in a real Chromium, in Chinese and in English, on a desktop and a phone: a district office
 * filters and searches its reviews, one officer claims one (the colleague sees who holds it and is
 * refused it in a bulk approval), the office approves several at once and reads what happened to
 * each; a new enterprise lands on an inbox that points it to 申报.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const CHEN = '陈静（沙溪镇经发中心）';
const NAMES = ['太仓页面甲精密机械有限公司', '太仓页面乙新材料有限公司', '太仓页面丙纺织有限公司', '太仓页面丁电子有限公司'] as const;

let system: TestSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function applicant(n: number, name: string): Promise<string> {
  const email = `page${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `联系人${n}（${name}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  const client = await ApiClient.login(system.url, email, TEST_PASSWORD);
  const applied = await client.post('/api/cases', { programId: system.program.id, application: await applicationWithReport(client, { uscc: uscc(n), enterpriseName: name }) });
  expect(applied.status).toBe(201);
  return applied.body.id;
}

/** A signed-in page of its own (own cookies), at a size. */
async function pageFor(email: string, viewport = DESKTOP, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}), ...options });
  contexts.push(context);
  const page = await context.newPage();
  await logIn(page, system.url, email, TEST_PASSWORD);
  return page;
}

const row = (page: Page, name: string) => page.locator('#inbox tbody tr', { hasText: name });
/** What a chip or a cell says, its lines joined as one reads them. */
const said = async (locator: ReturnType<Page['locator']>) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
const rowNames = (page: Page) => page.locator('#inbox tbody tr td.inbox-who a').allInnerTexts();

/** Keeps a screenshot, then checks the page never scrolls sideways and has no serious accessibility violation. */
async function look(page: Page, name: string) {
  await page.screenshot({ path: `${ARTEFACTS_DIR}${name}.png`, fullPage: true });
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number)).toBeLessThanOrEqual(width);
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
}

async function switchLanguage(page: Page, to: 'en' | 'zh-CN') {
  await page.locator('#language button[type=submit]').click();
  await page.locator(`html[lang=${to}]`).waitFor({ state: 'attached' });
}

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('postgresql');
  await createUser(system.app.orm, { email: 'shaxi2@demo.local', name: '林晓（沙溪镇经发中心）', role: 'district_officer', scopeId: 'shaxi' }, TEST_PASSWORD);
  const caseIds: string[] = [];
  for (const [i, name] of NAMES.entries()) caseIds.push(await applicant(7201 + i, name));
  const em = system.app.orm.em.fork();
  await eventually('four reviews opened', () => em.fork().count(TaskRecord, { caseId: { $in: caseIds }, kind: 'review', status: 'open' }), (n) => n === 4);
  // 甲 overdue two days: the flag and the first place
  await em.nativeUpdate(TaskRecord, { caseId: caseIds[0], kind: 'review' }, { dueAt: new Date(Date.now() - 2 * 86_400_000) });
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

describe('a district office works through its reviews', () => {
  let desk: Page;
  let phone: Page;

  beforeAll(async () => {
    desk = await pageFor('shaxi@demo.local');
    phone = await pageFor('shaxi@demo.local', PHONE);
  });

  test('the inbox: counts per filter, the overdue first with its flag, each row’s task and holder', async () => {
    await desk.goto(`${system.url}/tasks`);
    const names = await rowNames(desk);
    expect(names.toSorted()).toEqual([...NAMES].toSorted());
    expect(names[0]).toBe(NAMES[0]);
    await expect(row(desk, NAMES[0]).locator('.inbox-days.overdue').innerText()).resolves.toBe('已逾期 2 天');
    await expect(said(desk.locator('.inbox-quick a[data-due=overdue]'))).resolves.toBe('逾期 1');
    await expect(said(desk.locator('.inbox-quick a[data-due=all]'))).resolves.toBe('全部 4');
    await expect(desk.locator('#inbox-filter select[name=stage] option:checked').innerText()).resolves.toBe('全部（4）');
    await expect(desk.locator('#inbox-filter select[name=stage] option[value=district_review]').innerText()).resolves.toBe('镇（区）初审（4）');
    await expect(row(desk, NAMES[1]).locator('td.inbox-title').innerText()).resolves.toBe('审核');
    await expect(row(desk, NAMES[1]).locator('.inbox-claim').innerText()).resolves.toBe('待认领');
    // on a wide screen every filter shows without a click
    await expect(desk.locator('#inbox-filter select[name=track]').isVisible()).resolves.toBe(true);
    await look(desk, 'desktop-inbox-district');

    // a phone: the filters fold away behind one line, each row is a card
    await phone.goto(`${system.url}/tasks`);
    await expect(phone.locator('#inbox-filter select[name=track]').isVisible()).resolves.toBe(false);
    await expect(phone.locator('#inbox-q').isVisible()).resolves.toBe(true);
    await expect(phone.locator('#inbox tbody tr').first().evaluate((tr) => (globalThis as any).getComputedStyle(tr).display)).resolves.toBe('flex');
    await look(phone, 'phone-inbox-district');
    await phone.locator('details.inbox-more summary').click();
    await expect(phone.locator('#inbox-filter select[name=track]').isVisible()).resolves.toBe(true);
    await phone.screenshot({ path: `${ARTEFACTS_DIR}phone-inbox-district-filters.png`, fullPage: true });
  });

  test('filter by due date, search by name or credit code, clear', async () => {
    await desk.locator('.inbox-quick a[data-due=overdue]').click();
    await desk.waitForURL(/due=overdue/);
    await expect(rowNames(desk)).resolves.toEqual([NAMES[0]]);
    await desk.locator('.inbox-quick a.clear').click();
    await desk.waitForURL(`${system.url}/tasks`);
    await desk.fill('#inbox-q', '乙新材料');
    await desk.locator('#inbox-filter button[type=submit]').click();
    await desk.waitForURL(/q=/);
    await expect(rowNames(desk)).resolves.toEqual([NAMES[1]]);
    await desk.fill('#inbox-q', uscc(7203));
    await desk.locator('#inbox-filter button[type=submit]').click();
    await eventually('the search by credit code', () => rowNames(desk), (names) => names.length === 1 && names[0] === NAMES[2]);
    await desk.fill('#inbox-q', '没有这家企业');
    await desk.locator('#inbox-filter button[type=submit]').click();
    await desk.locator('#inbox-no-match').waitFor();
    // a bad parameter: the list as it is, the parameter named
    const bad = await desk.goto(`${system.url}/tasks?due=someday`);
    expect(bad!.status()).toBe(400);
    await expect(desk.locator('.error').innerText()).resolves.toContain('按期限筛选：应为 overdue、week 之一');
  });

  test('a filter saved under a name is a link; it can be deleted', async () => {
    await desk.goto(`${system.url}/tasks?due=overdue`);
    await desk.fill('#save-filter input[name=name]', '逾期的初审');
    await desk.locator('#save-filter button[type=submit]').click();
    await desk.locator('#saved-filters a', { hasText: '逾期的初审' }).waitFor();
    await desk.goto(`${system.url}/tasks`);
    await desk.locator('#saved-filters a', { hasText: '逾期的初审' }).click();
    await desk.waitForURL(/due=overdue/);
    await expect(rowNames(desk)).resolves.toEqual([NAMES[0]]);
    await desk.locator('#saved-filters button', { hasText: '删除' }).click();
    await desk.locator('#saved-filters .hint').waitFor();
  });

  test('without JavaScript the filters and the claim are plain forms', async () => {
    const plain = await pageFor('shaxi2@demo.local', DESKTOP, { javaScriptEnabled: false });
    await plain.goto(`${system.url}/tasks`);
    await plain.fill('#inbox-q', '乙新材料');
    await plain.locator('#inbox-filter button[type=submit]').click();
    await plain.waitForURL(/q=/);
    await expect(rowNames(plain)).resolves.toEqual([NAMES[1]]);
    // each answers 303 back to the list it was sent from (the search kept)
    for (const [action, after] of [['claim', '我已认领'], ['release', '待认领']] as const) {
      const [answer] = await Promise.all([plain.waitForResponse((r) => r.url().endsWith(`/${action}`)), row(plain, NAMES[1]).locator(`form[action$="/${action}"] button`).click()]);
      expect({ action, status: answer.status(), location: answer.headers().location }).toEqual({ action, status: 303, location: expect.stringMatching(/^\/tasks\?q=/) });
      await eventually(`the row after ${action}`, () => row(plain, NAMES[1]).locator('.inbox-claim').innerText().catch(() => ''), (text) => text === after);
    }
  });

  test('one officer claims a review; the colleague sees who holds it and is refused it in a bulk approval', async () => {
    await desk.goto(`${system.url}/tasks`);
    await row(desk, NAMES[2]).locator('form[action$="/claim"] button').click();
    await eventually('the claim shown', () => row(desk, NAMES[2]).locator('.inbox-claim').innerText(), (text) => text === '我已认领');

    const colleague = await pageFor('shaxi2@demo.local');
    await colleague.goto(`${system.url}/tasks`);
    await expect(row(colleague, NAMES[2]).locator('.inbox-claim').innerText()).resolves.toBe(`由${CHEN}办理`);
    await expect(row(colleague, NAMES[2]).locator('a.button').innerText()).resolves.toBe('查看');
    // the task itself says who holds it, in place of the form
    const held = await colleague.context().newPage();
    await held.goto(`${system.url}${await row(colleague, NAMES[2]).locator('a.button').getAttribute('href')}`);
    await expect(held.locator('#claimed').innerText()).resolves.toContain(`已由${CHEN}于`);
    await expect(held.locator('#decision').count()).resolves.toBe(0);
    await held.close();
    await row(colleague, NAMES[2]).locator('input[name=taskIds]').check();
    await row(colleague, NAMES[3]).locator('input[name=taskIds]').check();
    await colleague.locator('#inbox-bulk button[value=approve]').click();
    const report = colleague.locator('#bulk-report');
    await report.waitFor();
    await expect(report.locator('li', { hasText: NAMES[3] }).locator('.bulk-status').innerText()).resolves.toBe('已同意');
    await expect(report.locator('li', { hasText: NAMES[2] }).innerText()).resolves.toContain(`此待办已由${CHEN}认领办理`);
    await expect(report.locator('p').first().innerText()).resolves.toBe('完成 1 项，此前已办 0 项，未办理 1 项。');
    await look(colleague, 'desktop-inbox-bulk-report');
  });

  test('the office approves several at once with one opinion; each case moves on once', async () => {
    await desk.goto(`${system.url}/tasks`);
    for (const name of [NAMES[0], NAMES[1], NAMES[2]]) await row(desk, name).locator('input[name=taskIds]').check();
    await desk.fill('#inbox-bulk textarea[name=comment]', '材料齐全，同意报送。');
    await desk.locator('#inbox-bulk button[value=approve]').click();
    const report = desk.locator('#bulk-report');
    await report.waitFor();
    await expect(report.locator('li.bulk-done').count()).resolves.toBe(3);
    await expect(report.locator('li').first().innerText()).resolves.toContain('案件现处：镇（区）汇总报送');
    // the forwardings follow, each to be sent in a batch (linked, not rebuilt)
    await eventually('four forwardings', async () => (await desk.goto(`${system.url}/tasks`), desk.locator('#inbox tr[data-kind=forward]').count()), (n) => n === 4);
    await expect(desk.locator('#inbox tr[data-kind=forward] a.button').first().getAttribute('href')).resolves.toBe('/batches');
    const reviews = await system.app.orm.em.fork().find(TaskRecord, { kind: 'review', stage: 'district_review' });
    expect(reviews.map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(reviews.filter((t) => t.comment === '材料齐全，同意报送。')).toHaveLength(3);
  });

  test('in English: the same inbox, the words of the reader', async () => {
    await desk.goto(`${system.url}/tasks`);
    await switchLanguage(desk, 'en');
    await expect(desk.locator('main h1').innerText()).resolves.toContain('My inbox');
    await expect(said(desk.locator('.inbox-quick a[data-due=all]'))).resolves.toBe('All 4');
    await expect(desk.locator('#inbox tr[data-kind=forward] td.inbox-title').first().innerText()).resolves.toBe('Forward in a batch');
    await look(desk, 'desktop-inbox-district-en');
    await switchLanguage(phone, 'en');
    await phone.goto(`${system.url}/tasks`);
    await look(phone, 'phone-inbox-district-en');
    await switchLanguage(desk, 'zh-CN');
  });

});

describe('a new enterprise', () => {
  test('its empty inbox points to 申报, in both languages, on a desktop and a phone', async () => {
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const page = await pageFor('qiye@demo.local', viewport);
      await expect(page.locator('#inbox').count()).resolves.toBe(0);
      await expect(page.locator('#inbox-empty h2').innerText()).resolves.toBe('欢迎使用企业信用管理贯标平台');
      await expect(page.locator('#inbox-apply').getAttribute('href')).resolves.toBe('/apply');
      await look(page, `${size}-inbox-enterprise-new`);
      await switchLanguage(page, 'en');
      await expect(page.locator('#inbox-apply').innerText()).resolves.toBe('Start the application');
      await look(page, `${size}-inbox-enterprise-new-en`);
      // the language is kept per user: back to Chinese for the next login
      await switchLanguage(page, 'zh-CN');
      await page.locator('#inbox-apply').click();
      await page.waitForURL(`${system.url}/apply`);
    }
  });

  test('an enterprise whose case waits for the office reads that nothing needs it now', async () => {
    const page = await pageFor('page7201@demo.local');
    await expect(page.locator('#inbox-empty').innerText()).resolves.toContain('目前没有需要贵企业办理的事项');
    await expect(page.locator('#inbox-apply').count()).resolves.toBe(0);
  });
});
