import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser, publishProgram } from '../../app/seed.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import { seriousViolations } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { applicationWithReport, minimalPdf, residentId, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, testProgram, type TestSystem } from '../support/system.ts';

/**
 * The 申报 page as an enterprise that applied last year meets it, in Chinese and in English: the
 * form prefilled from what the system knows (never over a saved draft), every problem of a submit
 * at once beside its field (shape, identity number, application conditions), a correct submit, the
 * page then showing the case, and a second submit from a stale tab told in plain words.
 */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const LOCALES = ['zh-CN', 'en'] as const;
type Locale = (typeof LOCALES)[number];

let system: TestSystem;
let browser: Browser;
let lastYear: ProgramDefinition;
const contexts: BrowserContext[] = [];

const creditReport = { name: '企业近三年信用信息查询报告（2026）.pdf', mimeType: 'application/pdf', buffer: minimalPdf('信用报告') };

/** What each language's run expects to read. */
const WORDS: Record<Locale, { prefill: string; phone: string; idRule: string; foundedRule: string; declaration: string; phoneLabel: string; submitted: string; active: string; already: string; headline: string }> = {
  'zh-CN': {
    prefill: '预先填写',
    phone: '应为7至20位电话号码',
    idRule: '公民身份号码校验位不正确',
    foundedRule: '不满2年',
    declaration: '企业未声明经自主查询近3年内无严重失信行为',
    phoneLabel: '联系电话：',
    submitted: '本企业已申报本年度',
    active: '办理中',
    already: '不能重复申报',
    headline: '申报表有 4 处需要修改',
  },
  en: {
    prefill: 'Filled in from your enterprise',
    phone: 'Must be a phone number of 7 to 20 digits',
    idRule: 'GB 11643 check character does not match',
    foundedRule: 'Founded less than 2 years before the application date',
    declaration: 'The enterprise has not declared that it had no serious dishonesty',
    phoneLabel: 'Phone',
    submitted: 'Your enterprise has applied for',
    active: 'In progress',
    already: 'Your enterprise has already applied for this track this year',
    headline: 'The application has 4 problems',
  },
};

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('postgresql');
  // last year's plan, where the enterprises applied before: this year's is the current one
  const base = testProgram();
  lastYear = { ...base, id: base.id.replace(/-\d{4}$/, '-2025'), year: base.year - 1, title: `${base.year - 1}年太仓市企业信用管理贯标和示范创建工作方案` };
  await publishProgram(system.app.orm, lastYear);
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await system?.stop();
});

/** An enterprise of 沙溪镇 with its own login, reading `locale`, that applied under last year's plan. */
async function enterpriseThatAppliedLastYear(n: number, locale: Locale) {
  const email = `apply-${n}@demo.local`;
  const enterpriseName = `太仓示例申报${n}号精密机械有限公司`;
  await createUser(system.app.orm, { email, name: `申报联系人${n}（${enterpriseName}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  const client = await ApiClient.login(system.url, email, TEST_PASSWORD);
  expect((await client.put('/api/me/preferences', { locale })).status).toBe(200);
  const application = await applicationWithReport(client, { uscc: uscc(n), enterpriseName, reasons: `去年申请贯标的理由（${n}）：希望系统提升企业信用管理水平。` });
  const applied = await client.post('/api/cases', { programId: lastYear.id, application });
  expect(applied.status).toBe(201);
  return { email, enterpriseName, application, caseId: `case-${system.program.id}-standard-${uscc(n)}` };
}

describe.each(LOCALES.map((locale, i) => [locale, 9301 + i] as const))('the 申报 page in %s', (locale, n) => {
  const words = WORDS[locale];
  let enterprise: Awaited<ReturnType<typeof enterpriseThatAppliedLastYear>>;
  let desktop: Page;
  let phone: Page;
  /** Keeps the page's screenshot for a person to look at, and checks it has no serious accessibility violation. */
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: `${ARTEFACTS_DIR}${page === phone ? 'phone' : 'desktop'}-apply-${name}-${locale}.png`, fullPage: true });
    expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  };

  beforeAll(async () => {
    enterprise = await enterpriseThatAppliedLastYear(n, locale);
    const desktopContext = await browser.newContext({ viewport: DESKTOP });
    const phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    contexts.push(desktopContext, phoneContext);
    [desktop, phone] = [await desktopContext.newPage(), await phoneContext.newPage()];
    for (const page of [desktop, phone]) await logIn(page, system.url, enterprise.email, TEST_PASSWORD);
  }, 300_000);

  test('a new application starts from what the system knows: the register and last year’s application, never the number or the declaration', async () => {
    for (const page of [desktop, phone]) {
      await page.goto(`${system.url}/apply`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale);
      await expect(page.locator('#prefill').innerText()).resolves.toContain(words.prefill);
      await expect(page.inputValue('#application input[name=enterpriseName]')).resolves.toBe(enterprise.enterpriseName);
      await expect(page.inputValue('#application input[name=uscc]')).resolves.toBe(uscc(n));
      await expect(page.inputValue('#application input[name=contactPhone]')).resolves.toBe(enterprise.application.contactPhone);
      await expect(page.inputValue('#application select[name=district]')).resolves.toBe('shaxi');
      await expect(page.inputValue('#application textarea[name=reasons]')).resolves.toBe(enterprise.application.reasons);
      await expect(page.isChecked('#application input[name=independentLegalPerson]')).resolves.toBe(true);
      // said anew each time
      await expect(page.inputValue('#application input[name=legalRepresentativeIdNumber]')).resolves.toBe('');
      await expect(page.isChecked('#application input[name=declaresNoSeriousDishonesty]')).resolves.toBe(false);
      await expect(page.locator('#prefill').innerText()).resolves.toContain(`${residentId().slice(0, 6)}********${residentId().slice(14)}`);
      await shot(page, 'prefilled');
    }
  });

  test('a saved draft is shown as saved, not filled over from the register', async () => {
    await desktop.fill('#application input[name=industry]', '精密机械（草稿）');
    await desktop.click('#application button[value=draft]');
    await desktop.locator('#notice').waitFor();
    await desktop.goto(`${system.url}/apply`);
    await expect(desktop.inputValue('#application input[name=industry]')).resolves.toBe('精密机械（草稿）');
    await expect(desktop.locator('#draft-loaded').count()).resolves.toBe(1);
    await expect(desktop.locator('#prefill').count()).resolves.toBe(0);
  });

  test('one submit names every problem at once, each beside its field: its shape, the identity number and the conditions', async () => {
    const recent = `${new Date().getFullYear() - 1}-01-15`;
    for (const page of [desktop, phone]) {
      await page.goto(`${system.url}/apply`);
      await page.fill('#application input[name=contactPhone]', 'call me');
      await page.fill('#application input[name=legalRepresentativeIdNumber]', '320585197503121239');
      await page.fill('#application input[name=foundedOn]', recent);
      await page.setInputFiles('#application input[name=creditReport]', creditReport);
      await page.click('#application button[value=submit]');
      await page.locator('.error').waitFor();
      const problem = (path: string) => page.locator(`.problem[data-path="application.${path}"]`).innerText();
      await expect(problem('contactPhone')).resolves.toContain(words.phone);
      await expect(problem('legalRepresentativeIdNumber')).resolves.toContain(words.idRule);
      await expect(problem('foundedOn')).resolves.toContain(words.foundedRule);
      await expect(problem('declaresNoSeriousDishonesty')).resolves.toContain(words.declaration);
      const box = await page.locator('.error').innerText();
      expect(box).toContain(words.headline);
      expect(box).toContain(words.phoneLabel);
      expect(box).not.toMatch(/application\.|not eligible/);
      // one language at a time: no English rule on the Chinese page
      if (locale === 'zh-CN') expect(box).not.toMatch(/[a-z]{4,}/);
      // what was typed and the upload stay
      await expect(page.inputValue('#application input[name=contactPhone]')).resolves.toBe('call me');
      await expect(page.locator('#application .kept').innerText()).resolves.toContain(creditReport.name);
      await shot(page, 'errors');
    }
  });

  test('a correct submit starts the case; the 申报 page then shows the case, not the old draft', async () => {
    // the phone's tab is left open on the form, as a person leaves a tab
    await phone.goto(`${system.url}/apply`);
    await desktop.fill('#application input[name=contactPhone]', '0512-53001234');
    await desktop.fill('#application input[name=legalRepresentativeIdNumber]', residentId());
    await desktop.fill('#application input[name=foundedOn]', '2015-03-01');
    await desktop.check('#application input[name=declaresNoSeriousDishonesty]');
    await desktop.click('#application button[value=submit]');
    await desktop.waitForURL(`${system.url}/cases/${enterprise.caseId}`);

    await desktop.goto(`${system.url}/apply`);
    await expect(desktop.locator('#application').count()).resolves.toBe(0);
    await expect(desktop.locator('#submitted h2').innerText()).resolves.toContain(words.submitted);
    await expect(desktop.locator('#submitted-status').innerText()).resolves.toBe(words.active);
    await expect(desktop.locator('#submitted-case').getAttribute('href')).resolves.toBe(`/cases/${enterprise.caseId}`);
    await shot(desktop, 'submitted');
  });

  test('a second submit of the same track, from the tab left open, reads a plain message with the case one click away', async () => {
    await phone.fill('#application input[name=legalRepresentativeIdNumber]', residentId());
    await phone.check('#application input[name=declaresNoSeriousDishonesty]');
    await phone.setInputFiles('#application input[name=creditReport]', creditReport);
    await phone.click('#application button[value=submit]');
    await phone.locator('#already').waitFor();
    await expect(phone.locator('#already').innerText()).resolves.toContain(words.already);
    await expect(phone.locator('#submitted-case').getAttribute('href')).resolves.toBe(`/cases/${enterprise.caseId}`);
    const text = await phone.locator('main').innerText();
    expect(text).not.toMatch(/409|conflict/i);
    if (locale === 'zh-CN') expect(text).not.toMatch(/already applied/);
    await shot(phone, 'again');
  });
});
