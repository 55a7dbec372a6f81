import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, logIn } from '../support/browser.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/** The pages in Chinese first and in English on request: the switcher on every page, the choice kept per user. */
let system: TestSystem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  const track = await Track.start(system);
  await track.apply();
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const heading = () => page.locator('main h1').first().innerText();
const switchLanguage = async () => {
  await Promise.all([page.waitForLoadState('load'), page.click('#language button')]);
  await page.locator('#language').waitFor();
};

test('a visitor reads the login page in Chinese, switches to English and back', async () => {
  await page.context().clearCookies();
  await page.goto(`${system.url}/login`);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
  await expect(heading()).resolves.toBe('登录');
  await switchLanguage();
  await page.waitForURL(`${system.url}/login`);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  await expect(heading()).resolves.toBe('Log in');
  await expect(page.locator('label', { hasText: 'Password' }).count()).resolves.toBe(1);
  await expect(page.locator('#language button').innerText()).resolves.toBe('中文');
  await switchLanguage();
  await expect(heading()).resolves.toBe('登录');
});

test('a signed-in officer switches on the inbox: the pages, and the preference (mail), follow; the next login keeps it', async () => {
  await logIn(page, system.url, 'shaxi@demo.local', TEST_PASSWORD);
  await expect(heading()).resolves.toBe('我的待办');
  await expect(page.locator('#inbox td').nth(2).innerText()).resolves.toBe('审核');
  await switchLanguage();
  await page.waitForURL(`${system.url}/tasks`);
  await expect(heading()).resolves.toBe('My inbox');
  await expect(page.locator('#inbox th').first().innerText()).resolves.toBe('Enterprise');
  // the domain's words follow too: the stage, the task, the due date
  await expect(page.locator('#inbox td').nth(1).innerText()).resolves.toBe('District review');
  await expect(page.locator('#inbox td').nth(2).innerText()).resolves.toBe('Review');
  await expect(page.locator('nav').innerText()).resolves.toContain('Cases');
  const api = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
  expect((await api.get('/api/me/preferences')).body).toMatchObject({ locale: 'en' });

  await page.click('a[href="/cases"]');
  await page.waitForURL(`${system.url}/cases`);
  await expect(heading()).resolves.toBe('Cases');
  await expect(page.locator('#cases td').nth(3).innerText()).resolves.toBe('District review');

  await logIn(page, system.url, 'shaxi@demo.local', TEST_PASSWORD);
  await expect(heading()).resolves.toBe('My inbox');
  await switchLanguage();
  await expect(heading()).resolves.toBe('我的待办');
  expect((await api.get('/api/me/preferences')).body).toMatchObject({ locale: 'zh-CN' });
});
