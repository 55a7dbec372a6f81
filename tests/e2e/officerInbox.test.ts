import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ENTERPRISE_USCC } from '../../infra/db/seed.ts';
import { launchChromium } from '../support/browser.ts';
import { application } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/** The district officer's page in a real Chromium: log in, see the task, decide it. */
let system: TestSystem;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

async function logIn(email: string) {
  await page.goto(`${system.url}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await Promise.all([page.waitForURL(`${system.url}/tasks`), page.click('button[type=submit]')]);
}

describe('officer inbox in the browser', () => {
  test('the enterprise applies through its form and lands on its case page', async () => {
    await logIn('qiye@demo.local');
    await page.goto(`${system.url}/apply`);
    const form = application();
    await page.fill('input[name=enterpriseName]', form.enterpriseName);
    await page.fill('input[name=legalRepresentative]', form.legalRepresentative);
    await page.fill('input[name=foundedOn]', form.foundedOn);
    await page.selectOption('select[name=district]', 'shaxi');
    await page.fill('input[name=contactPhone]', form.contactPhone);
    await page.fill('textarea[name=reasons]', form.reasons);
    await page.click('#application button[type=submit]');
    await page.waitForURL(/\/cases\/case-/);
    await expect(page.locator('#stage').getAttribute('data-stage')).resolves.toBe('district_review');
    await page.click('form.who button');
    await page.waitForURL(`${system.url}/login`);
  });

  test('a refused form keeps what was typed and names the field', async () => {
    await logIn('qiye@demo.local');
    await page.goto(`${system.url}/apply`);
    await page.fill('input[name=enterpriseName]', '另一家企业');
    await page.fill('input[name=uscc]', '91320585MA1TC0001B');
    await page.fill('input[name=legalRepresentative]', '李四');
    await page.fill('input[name=foundedOn]', '2016-01-01');
    await page.fill('input[name=contactPhone]', '0512-1234567');
    await page.fill('textarea[name=reasons]', '申请理由足够长的一段文字。');
    await page.click('#application button[type=submit]');
    await expect(page.locator('.error').innerText()).resolves.toContain('application.uscc');
    await expect(page.inputValue('input[name=enterpriseName]')).resolves.toBe('另一家企业');
    await page.click('form.who button');
  });

  test('the district officer sees the task, returns it without a comment (refused), then approves', async () => {
    await logIn('shaxi@demo.local');
    const rows = page.locator('#inbox tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('镇（区）初审');
    await rows.first().locator('a.button').click();
    await page.waitForURL(/\/tasks\//);

    await page.check('input[value=return]');
    await page.click('#decision button[type=submit]');
    await expect(page.locator('.error').innerText()).resolves.toContain('comment');

    await page.check('input[value=approve]');
    await page.click('#decision button[type=submit]');
    await page.waitForURL(/\/cases\//);
    await expect(page.locator('#stage').getAttribute('data-stage')).resolves.toBe('city_review');
    await expect(page.locator('#decisions li').first().innerText()).resolves.toContain('陈静（沙溪镇经发中心）');
    await page.screenshot({ path: '.cache/test/officer-case-page.png', fullPage: true });

    await page.goto(`${system.url}/tasks`);
    await expect(page.locator('.empty').innerText()).resolves.toContain('暂无待办');
  });

  test('the API tells the same story, and the enterprise got its e-mail', async () => {
    const enterprise = await ApiClient.login(system.url, 'qiye@demo.local', TEST_PASSWORD);
    const view = await enterprise.get(`/api/cases/case-${system.program.id}-standard-${DEMO_ENTERPRISE_USCC}`);
    expect(view.body).toMatchObject({ stage: 'city_review', decisions: [{ outcome: 'approve', stage: 'district_review' }] });
    const [mail] = await system.mail.waitFor((m) => m.envelopeTo.includes('qiye@demo.local'));
    expect(mail!.subject).toBe('【审核通过】镇（区）初审 · 太仓示例精密机械有限公司');
  });
});
