import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, logIn } from '../support/browser.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * Issue 7, findings 8 and 9 in a real Chromium: a page on the same site (another port of the same
 * host, so SameSite cookies do go along) tries to change a logged-in user's settings, to log the
 * browser in as someone else, and to frame the login page; a user logs out and presses Back.
 */
let system: TestSystem;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;

/** The attacker's pages: forms that submit themselves to the system, and a frame around its login page. */
function attackerPage(path: string): string {
  const autoSubmit = (action: string, fields: Record<string, string>) =>
    `<form id="f" method="post" action="${system.url}${action}">${Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
      .join('')}</form><script>document.getElementById('f').submit()</script>`;
  switch (path) {
    case '/settings':
      return autoSubmit('/me', { intent: 'preferences', digest: 'on', locale: 'en' });
    case '/login-as-attacker':
      return autoSubmit('/login', { email: 'guwen@demo.local', password: TEST_PASSWORD, next: '/tasks' });
    case '/frame':
      return `<h1>win a prize</h1><iframe id="victim" src="${system.url}/login" width="600" height="400"></iframe>`;
    default:
      return 'nothing here';
  }
}

beforeAll(async () => {
  system = await startTestSystem('pglite');
  browser = await launchChromium();
  attacker = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body>${attackerPage(req.url ?? '/')}</body></html>`);
  }).listen(0, '127.0.0.1');
  await once(attacker, 'listening');
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  attacker?.close();
  await system?.stop();
});

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

describe('a same-site page cannot act for the user', () => {
  test("it cannot change a logged-in user's settings", async () => {
    const { context, page } = await freshPage();
    await logIn(page, system.url, 'shaxi@demo.local', TEST_PASSWORD);
    const refused = page.waitForResponse((r) => r.url() === `${system.url}/me` && r.request().method() === 'POST');
    await page.goto(`${attackerUrl}/settings`);
    expect((await refused).status()).toBe(403);
    await page.waitForURL(`${system.url}/me`);
    await expect(page.locator('.error').innerText()).resolves.toContain('跨站请求已拒绝');
    const api = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
    expect((await api.get('/api/me/preferences')).body).toEqual({ digest: false, locale: 'zh-CN', calendarFeed: false });
    await context.close();
  });

  test('it cannot log the browser in as the attacker (login CSRF)', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${system.url}/login`); // the victim has been to the site: its pre-session cookies exist
    const refused = page.waitForResponse((r) => r.url() === `${system.url}/login` && r.request().method() === 'POST');
    await page.goto(`${attackerUrl}/login-as-attacker`);
    expect((await refused).status()).toBe(403);
    expect((await context.cookies(system.url)).map((c) => c.name)).not.toContain('credcase_session');
    await page.goto(`${system.url}/tasks`);
    await page.waitForURL(/\/login\?next=/);
    await context.close();
  });

  test('it cannot frame the login page', async () => {
    const { context, page } = await freshPage();
    // goto resolves on the page's load event, which waits for its frame to load (or be refused)
    await page.goto(`${attackerUrl}/frame`);
    const framed = page.frames().filter((f) => f !== page.mainFrame());
    expect(framed.length).toBe(1);
    const showsLogin = await framed[0]!.evaluate(() => (globalThis as any).document.querySelector('input[name=password]') !== null).catch(() => false);
    expect(showsLogin).toBe(false);
    await context.close();
  });
});

describe('the real pages under the CSP', () => {
  test('no CSP violation on the pages, htmx runs, the boosted forms carry their token, and the mail preview keeps its styles in its frame', async () => {
    const { context, page } = await freshPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
    });
    await logIn(page, system.url, 'admin@demo.local', TEST_PASSWORD);
    expect(await page.evaluate(() => typeof (globalThis as any).htmx)).toBe('object');
    await page.click('header nav a[href="/admin"]');
    await page.locator('main a[href="/admin/mail-templates"]').first().click();
    await page.click('tr[data-template="digest"][data-locale="en"] a');
    await page.waitForURL(`${system.url}/admin/mail-templates/digest?locale=en`);
    const overdue = page.frameLocator('#mail-html').locator('strong', { hasText: '[OVERDUE]' });
    await expect(overdue.evaluate((el) => (globalThis as any).getComputedStyle(el).color)).resolves.toBe('rgb(185, 28, 28)');
    await expect(page.locator('#mail-text').evaluate((el) => (globalThis as any).getComputedStyle(el).whiteSpace)).resolves.toBe('pre-wrap');
    // a boosted form (htmx) with the token: the settings are saved
    await page.click('a[href="/me"]');
    await page.waitForURL(`${system.url}/me`);
    await page.selectOption('#preferences select[name=locale]', 'en');
    const saved = page.waitForResponse((r) => r.url() === `${system.url}/me` && r.request().method() === 'POST');
    await page.click('#preferences button[type=submit]');
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['hx-request']).toBe('true');
    expect(response.request().headers()['x-csrf-token']).toMatch(/^[0-9a-f]+\.[0-9a-f]+$/);
    await page.locator('#saved').waitFor();
    await expect(page.locator('form.inline').first().evaluate((el) => (globalThis as any).getComputedStyle(el).display)).resolves.toBe('inline');
    expect(violations).toEqual([]);
    await context.close();
  });
});

describe('after logout', () => {
  test("Back does not show the previous user's page", async () => {
    const { context, page } = await freshPage();
    await logIn(page, system.url, 'qiye@demo.local', TEST_PASSWORD);
    await page.click('a[href="/me"]');
    await page.waitForURL(`${system.url}/me`);
    await expect(page.locator('header .who span').innerText()).resolves.toContain('王敏');
    await Promise.all([page.waitForURL(`${system.url}/login`), page.click('header .who button[type=submit]')]);
    await page.goBack();
    await page.waitForURL(/\/login/);
    await page.locator('input[name=password]').waitFor();
    expect(await page.content()).not.toContain('王敏');
    await context.close();
  });
});
