import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../app/seed.ts';
import { localDeadlineAt } from '../../domain/program/calendar.ts';
import { UserRecord } from '../../infra/db/entities.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { uscc } from '../support/fixtures.ts';
import { keepScreens, switchLanguage } from '../support/officeScreens.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/**
 * 延期 in the browser (issue 10, item 7): the city office chooses the enterprise by name from the
 * cases of the chosen program and track (or, for the application deadline, the enterprises yet to
 * apply), and the deadline by its name from the ones there are; the time of day defaults to 23:59.
 * The enterprise and its district office get a mail, once. In Chinese, then in English.
 */
let system: TestSystem;
let browser: Browser;
let page: Page;
const APPLIED = { n: 3101, email: 'ext3101@demo.local', name: '延期页面测试一有限公司' };
const WAITING = { n: 3102, email: 'ext3102@demo.local', name: 'Extension Page Two Co.' };

beforeAll(async () => {
  system = await startTestSystem('pglite');
  await createUser(system.app.orm, { email: APPLIED.email, name: `王芳（${APPLIED.name}）`, role: 'enterprise', scopeId: uscc(APPLIED.n) }, TEST_PASSWORD);
  const track = await Track.start(system, APPLIED.email);
  const applied = await track.apply({ uscc: uscc(APPLIED.n), enterpriseName: APPLIED.name });
  expect(applied.status).toBe(201);
  await track.admit(applied.body.id);
  // an enterprise with a login that has not applied: it reads English
  await createUser(system.app.orm, { email: WAITING.email, name: `Li Na (${WAITING.name})`, role: 'enterprise', scopeId: uscc(WAITING.n) }, TEST_PASSWORD);
  await system.app.orm.em.fork().nativeUpdate(UserRecord, { email: WAITING.email }, { locale: 'en' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await logIn(page, system.url, 'city@demo.local', TEST_PASSWORD);
}, SLOW_MACHINE_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const inDays = (days: number) => localDeadlineAt(new Date(Date.now() + days * 86_400_000), system.program.timeZone).date;
const optionTexts = (select: string) => page.locator(`${select} option`).allInnerTexts();

test('in Chinese: the enterprise and the deadline are chosen by name; the enterprise and its district are mailed once', async () => {
  await page.goto(`${system.url}/extensions`);
  await expect(page.locator('main h1').innerText()).resolves.toBe('延期');
  const enterprises = await optionTexts('#extension-enterprise');
  expect(enterprises).toContainEqual(expect.stringMatching(new RegExp(`^${APPLIED.name}（${uscc(APPLIED.n)}）· 自主贯标$`)));
  expect(enterprises).toContainEqual(`${WAITING.name}（${uscc(WAITING.n)}）`);
  // the deadlines by their names, each with its date in the work plan (the test's plan sets them to the minute); no key like "application" to type
  const deadlines = await optionTexts('#extension-deadline');
  expect(deadlines).toContainEqual(expect.stringMatching(/^验收材料报送截止（方案规定 \d{4}年\d+月\d+日 \d{2}:\d{2}）$/));
  expect(deadlines).toContainEqual(expect.stringMatching(/^贯标申报截止（方案规定 /));
  expect(deadlines.join(' ')).not.toMatch(/acceptanceMaterials|application/);
  await expect(page.inputValue('#extension input[name=dueTime]')).resolves.toBe('23:59');

  // an enterprise yet to apply has one deadline to move: the others are not offered
  await page.selectOption('#extension-enterprise', uscc(WAITING.n));
  await expect(page.locator('#extension-deadline option[value=acceptanceMaterials]').isDisabled()).resolves.toBe(true);
  await expect(page.inputValue('#extension-deadline')).resolves.toBe('application');

  await page.selectOption('#extension-enterprise', uscc(APPLIED.n));
  await page.selectOption('#extension-deadline', 'acceptanceMaterials');
  const newDate = inDays(75);
  await page.fill('#extension input[name=dueDate]', newDate);
  await page.fill('#extension textarea[name=reason]', '企业内部评估需外部机构复核，延期两周。');
  await keepScreens(page, 'extensions-zh');
  await page.click('#extension button[type=submit]');
  const [year, month, day] = newDate.split('-').map(Number);
  await expect(page.locator('#granted').innerText()).resolves.toContain(`已延期：${APPLIED.name}的“验收材料报送截止”延至 ${year}年${month}月${day}日 23:59`);
  // the deadlines in force (folded away under the form) show the new date
  await expect(page.locator(`#case-deadlines tr[data-uscc="${uscc(APPLIED.n)}"]`).textContent()).resolves.toContain(`验收材料报送截止：${year}年${month}月${day}日 23:59`);
  await keepScreens(page, 'extensions-granted-zh');

  const told = (to: string) => (m: { subject: string; envelopeTo: string[] }) => m.envelopeTo.includes(to) && m.subject.startsWith(`【期限延长】${APPLIED.name} · 验收材料报送截止延至${year}年${month}月${day}日 23:59`);
  const [mail] = await system.mail.waitFor(told(APPLIED.email), 1, PATIENCE_MS);
  await system.mail.waitFor(told('shaxi@demo.local'), 1, PATIENCE_MS);
  expect(mail!.text).toContain('延期理由：企业内部评估需外部机构复核，延期两周。');
  await sleep(3_000);
  expect(system.mail.messages.filter(told(APPLIED.email))).toHaveLength(1);
  expect(system.mail.messages.filter(told('shaxi@demo.local'))).toHaveLength(1);
});

test('without JavaScript a deadline the enterprise does not have is refused, naming the one it has, beside the field', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const bare = await context.newPage();
  try {
    await logIn(bare, system.url, 'city@demo.local', TEST_PASSWORD);
    await bare.goto(`${system.url}/extensions`);
    await bare.selectOption('#extension-enterprise', uscc(WAITING.n));
    await bare.selectOption('#extension-deadline', 'acceptanceMaterials');
    await bare.fill('#extension input[name=dueDate]', inDays(30));
    await bare.fill('#extension textarea[name=reason]', '测试：错误的期限');
    await bare.click('#extension button[type=submit]');
    await expect(bare.locator('.problem[data-path=deadline]').innerText()).resolves.toBe('该企业尚未申报，只能延长“贯标申报截止”');
    await expect(bare.locator('.error li').innerText()).resolves.toBe('期限：该企业尚未申报，只能延长“贯标申报截止”');
    // what was chosen stays chosen
    await expect(bare.inputValue('#extension-enterprise')).resolves.toBe(uscc(WAITING.n));
  } finally {
    await context.close();
  }
});

test('in English: the application deadline of an enterprise yet to apply; it is told in its own language, with the way to apply', async () => {
  await page.goto(`${system.url}/extensions`);
  await switchLanguage(page, 'en');
  await expect(page.locator('main h1').innerText()).resolves.toBe('Extensions');
  const deadlines = await optionTexts('#extension-deadline');
  expect(deadlines).toContainEqual(expect.stringMatching(/^Application deadline \(work plan: \d+ \w+ \d{4} at \d{2}:\d{2}\)$/));
  expect(await optionTexts('#extension-enterprise')).toContainEqual(expect.stringMatching(new RegExp(`^${APPLIED.name} \\(${uscc(APPLIED.n)}\\) · Self-compliance$`)));
  await page.selectOption('#extension-enterprise', uscc(WAITING.n));
  await expect(page.inputValue('#extension-deadline')).resolves.toBe('application');
  await page.fill('#extension input[name=dueDate]', inDays(45));
  await page.fill('#extension textarea[name=reason]', '企业负责人出差，申报材料延迟');
  await keepScreens(page, 'extensions-en');
  await page.click('#extension button[type=submit]');
  await expect(page.locator('#granted').innerText()).resolves.toMatch(new RegExp(`^Extended: the "Application deadline" of ${WAITING.name} now ends \\d+ \\w+ \\d{4} at 23:59`));
  const [mail] = await system.mail.waitFor((m) => m.envelopeTo.includes(WAITING.email) && m.subject.startsWith('[Deadline extended]'), 1, PATIENCE_MS);
  expect(mail!.text).toContain(`Apply: ${system.url}/apply`);
  expect(mail!.text).toContain('Reason: 企业负责人出差，申报材料延迟');
  await switchLanguage(page, 'zh-CN');
});
