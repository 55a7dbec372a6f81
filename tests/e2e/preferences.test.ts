import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, logIn } from '../support/browser.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/** A district officer sets up their notifications in the browser: digest, language, calendar feed. */
let system: TestSystem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  system = await startTestSystem('pglite');
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

test('digest and language are saved; the calendar feed is issued, works, and can be stopped', async () => {
  await logIn(page, system.url, 'shaxi@demo.local', TEST_PASSWORD);
  await page.click('a[href="/me"]');
  await page.waitForURL(`${system.url}/me`);
  await page.check('#preferences input[name=digest]');
  await page.selectOption('#preferences select[name=locale]', 'en');
  await page.click('#preferences button[type=submit]');
  await page.locator('#saved').waitFor();
  const api = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
  expect((await api.get('/api/me/preferences')).body).toEqual({ digest: true, locale: 'en', calendarFeed: false });

  // the pages read English from the next one on (the language just chosen): the buttons by what they do
  await page.click('#calendar form:has(input[value=calendar-issue]) button');
  const url = await page.locator('#feed-url').innerText();
  const feed = await fetch(url);
  expect(feed.status).toBe(200);
  expect(await feed.text()).toContain('BEGIN:VCALENDAR');
  await page.click('#calendar form:has(input[value=calendar-revoke]) button');
  await page.locator('#saved').waitFor();
  expect((await fetch(url)).status).toBe(404);
});
