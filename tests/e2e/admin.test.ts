import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { seriousViolations } from '../support/accessibility.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { residentId, uscc } from '../support/fixtures.ts';
import { ARTEFACTS_DIR } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';

/**
 * Administration in a real browser, in Chinese and in English: a program viewed, copied to a new
 * year, its holidays and quotas changed; an agency registered, its consultant invited, the agency
 * deactivated and back; a user invited who sets a password in a browser of their own and logs in,
 * then is deactivated; a certificate file with one bad line; the audit log searched. Every page is
 * kept as a screenshot at desktop and phone size, and checked for sideways overflow and for serious
 * accessibility violations.
 */
jest.setTimeout(4 * SLOW_MACHINE_TIMEOUT_MS);

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
type Locale = 'zh-CN' | 'en';

let system: TestSystem;
let browser: Browser;
let admin: Page;
let caseId: string;
const fullNumber = residentId();

beforeAll(async () => {
  mkdirSync(ARTEFACTS_DIR, { recursive: true });
  system = await startTestSystem('pglite');
  // something for the audit log: a case, its identity number read by the district, the district's decision
  const track = await Track.start(system);
  const applied = await track.apply();
  expect(applied.status).toBe(201);
  caseId = applied.body.id;
  expect((await track.district.post(`/api/enterprises/${DEMO_ENTERPRISE_USCC}/reveal-id-number`)).status).toBe(200);
  expect((await track.complete(track.district, caseId, { outcome: 'return', comment: '请补充近三年的信用报告。' }, 'review')).status).toBe(200);
  browser = await launchChromium();
  admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await logIn(admin, system.url, 'admin@demo.local', TEST_PASSWORD);
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/**
 * Clicks and waits for the page it leads to: htmx's swap of a boosted link or form (its history
 * entry pushed), or a whole new page for the forms that are not boosted.
 */
async function submit(page: Page, selector: string): Promise<void> {
  const settled = page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const { document, addEventListener } = globalThis as any;
        document.addEventListener('htmx:afterSettle', () => resolve(), { once: true });
        addEventListener('pagehide', () => resolve(), { once: true });
      }),
  );
  await page.click(selector);
  // a whole new page takes this document (and the wait) away with it
  await settled.catch(() => undefined);
  await page.waitForLoadState('load');
}

const shot = (page: Page, name: string, locale: Locale) => page.screenshot({ path: `${ARTEFACTS_DIR}desktop-admin-${name}-${locale}.png`, fullPage: true });

/** The language of the admin's pages, switched with the header's switcher. */
async function speak(page: Page, locale: Locale): Promise<void> {
  const now = await page.locator('html').getAttribute('lang');
  if (now !== locale) await submit(page, '#language button[type=submit]');
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale);
}

const WORDS = {
  'zh-CN': { admin: '管理', cloned: '已复制为新年度的工作方案', calendarSaved: '节假日安排已保存为新版本', notADate: '不是有效日期', quotasSaved: '名额已保存为新版本', invited: '已向', deactivatedAgency: '机构已停用', refusedLine: '第 4 行', imported: '导入 2 行，未导入 1 行', passwordSet: '密码已设置', deactivated: '已停用', reveal: '查看身份证号', returned: '退回补正' },
  en: { admin: 'Admin', cloned: 'Copied to the new year', calendarSaved: 'The holiday calendar is saved as a new version', notADate: 'not a date', quotasSaved: 'The quotas are saved as a new version', invited: 'A set-password mail went to', deactivatedAgency: 'The agency is deactivated', refusedLine: 'Line 4', imported: '2 lines imported, 1 refused', passwordSet: 'Your password is set', deactivated: 'Deactivated', reveal: 'Identity number read', returned: 'Returned for correction' },
} as const;

/** The main path of administration, in one language; `n` keeps this walk's years, codes and logins apart from the other's. */
async function walk(locale: Locale, n: number) {
  const words = WORDS[locale];
  const year = 2030 + n;
  await admin.goto(`${system.url}/tasks`);
  await speak(admin, locale);

  // the header leads to administration
  await submit(admin, `header nav a[href="/admin"]`);
  await expect(admin.locator('header nav a[href="/admin"]').innerText()).resolves.toBe(words.admin);
  await admin.locator('#card-programs').waitFor();
  await shot(admin, 'overview', locale);

  // ---- programs: view, copy to a new year, holidays, quotas ----
  await submit(admin, '.admin-nav a[href="/admin/programs"]');
  await shot(admin, 'programs', locale);
  await submit(admin, `#programs a[href="/admin/programs/${system.program.id}"]`);
  await expect(admin.locator('#quota-table tbody tr').count()).resolves.toBe(9);
  await expect(admin.locator('#quota-table tr[data-district="shaxi"] td').first().innerText()).resolves.toBe('4');
  await expect(admin.locator('#tracks .admin-track').count()).resolves.toBe(3);
  await expect(admin.locator('#rubric').innerText()).resolves.toContain('1000');
  await shot(admin, 'program', locale);

  await admin.goto(`${system.url}/admin/programs`);
  await admin.fill(`#clone-${system.program.id} input[name=year]`, String(year));
  await submit(admin, `#clone-${system.program.id} button[type=submit]`);
  const cloned = system.program.id.replace(/-\d{4}$/, `-${year}`);
  expect(admin.url()).toBe(`${system.url}/admin/programs/${cloned}?done=cloned`);
  await expect(admin.locator('#done').innerText()).resolves.toContain(words.cloned);
  // no official schedule for that year yet: the calendar is empty until the admin enters it
  await expect(admin.locator('#calendar-days').innerText()).resolves.not.toContain(`${year}-`);

  await submit(admin, `a[href="/admin/programs/${cloned}/calendar"]`);
  await admin.fill('#calendar-form textarea[name=holidays]', `${year}-10-01\n${year}-13-01`);
  await admin.fill('#calendar-form textarea[name=adjustedWorkingDays]', '');
  await admin.check('#calendar-form input[name=roll][value=yes]');
  await submit(admin, '#calendar-form button[type=submit]');
  // the bad date is named next to its list, and what was typed stays
  await expect(admin.locator('#calendar-form .problem[data-path=holidays]').innerText()).resolves.toContain(`${year}-13-01`);
  await expect(admin.locator('#calendar-form .problem[data-path=holidays]').innerText()).resolves.toContain(words.notADate);
  await expect(admin.locator('#calendar-form textarea[name=holidays]').inputValue()).resolves.toContain(`${year}-10-01`);
  await shot(admin, 'calendar-refused', locale);
  // 1 October to 7 October off, the Saturday after worked
  const october = Array.from({ length: 7 }, (_, i) => `${year}-10-0${i + 1}`).join('\n');
  const saturday = [8, 9, 10, 11, 12, 13, 14].map((d) => `${year}-10-${String(d).padStart(2, '0')}`).find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6)!;
  await admin.fill('#calendar-form textarea[name=holidays]', october);
  await admin.fill('#calendar-form textarea[name=adjustedWorkingDays]', saturday);
  await shot(admin, 'calendar', locale);
  await submit(admin, '#calendar-form button[type=submit]');
  await expect(admin.locator('#done').innerText()).resolves.toContain(words.calendarSaved);
  await expect(admin.locator(`#calendar-days [data-date="${year}-10-03"]`).count()).resolves.toBe(1);
  await expect(admin.locator(`#calendar-days [data-date="${saturday}"].workday`).count()).resolves.toBe(1);
  await expect(admin.locator('#versions tbody tr').count()).resolves.toBe(2);

  await submit(admin, `a.button[href="/admin/programs/${cloned}/quotas"]`);
  await admin.fill('#quotas-form input[name="q.shaxi.standard"]', '7');
  await admin.fill('#quotas-form input[name="city.municipal-demo"]', '5');
  await shot(admin, 'quotas', locale);
  await submit(admin, '#quotas-form button[type=submit]');
  await expect(admin.locator('#done').innerText()).resolves.toContain(words.quotasSaved);
  await expect(admin.locator('#quota-table tr[data-district="shaxi"] td').first().innerText()).resolves.toBe('7');
  await expect(admin.locator('#quota-table tr[data-district="city"] td').nth(1).innerText()).resolves.toBe('5');
  await expect(admin.locator('#versions tbody tr').count()).resolves.toBe(3);

  // ---- agencies: register, invite a consultant, deactivate and back ----
  await admin.goto(`${system.url}/admin/agencies`);
  const agencyName = `${locale === 'en' ? '苏州英文' : '苏州中文'}示例征信有限公司`;
  await admin.fill('#agency-create input[name=name]', agencyName);
  await admin.fill('#agency-create input[name=uscc]', uscc(7700 + n));
  await admin.fill('#agency-create input[name=contactPerson]', '刘洋');
  await admin.fill('#agency-create input[name=contactPhone]', '0512-6800 1111');
  await admin.fill('#agency-create input[name=address]', '苏州市相城区示例路9号');
  await shot(admin, 'agencies', locale);
  await submit(admin, '#agency-create button[type=submit]');
  await expect(admin.locator('h1').innerText()).resolves.toContain(agencyName);
  await admin.fill('#consultant-invite input[name=name]', '刘洋');
  await admin.fill('#consultant-invite input[name=email]', `liuyang${n}@agency.example.cn`);
  await submit(admin, '#consultant-invite button[type=submit]');
  await expect(admin.locator(`#consultants tr[data-user="liuyang${n}@agency.example.cn"] .status-tag.invited`).count()).resolves.toBe(1);
  await submit(admin, '#agency-form button[value=deactivate]');
  await expect(admin.locator('#done').innerText()).resolves.toContain(words.deactivatedAgency);
  await expect(admin.locator('#agency-inactive').count()).resolves.toBe(1);
  await shot(admin, 'agency', locale);
  await submit(admin, '#agency-form button[value=activate]');
  await expect(admin.locator('#agency-inactive').count()).resolves.toBe(0);

  // ---- users: invite; the invited person sets a password in a browser of their own and logs in; deactivated ----
  const email = `newcomer${n}@shaxi.example.cn`;
  await admin.goto(`${system.url}/admin/users`);
  await admin.fill('#invite-form input[name=name]', `新同事${n}`);
  await admin.fill('#invite-form input[name=email]', email);
  await admin.selectOption('#invite-form select[name=role]', 'district_officer');
  await admin.selectOption('#invite-form select[name=district]', 'shaxi');
  await admin.selectOption('#invite-form select[name=locale]', locale);
  await submit(admin, '#invite-form button[type=submit]');
  await expect(admin.locator('#done').innerText()).resolves.toContain(words.invited);
  await expect(admin.locator(`#users tr[data-user="${email}"] .status-tag.invited`).count()).resolves.toBe(1);
  await shot(admin, 'users', locale);

  const mail = await eventually(`the set-password mail to ${email}`, () => system.mail.messages.find((m) => m.envelopeTo.includes(email)) ?? null, (m) => m !== null);
  const link = mail!.text.match(/https?:\/\/\S+\/set-password\/[A-Za-z0-9_-]+/)![0];
  const newcomer = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await newcomer.context().addCookies([{ name: 'credcase_lang', value: locale, url: system.url }]);
  await newcomer.goto(link);
  await expect(newcomer.locator('main').innerText()).resolves.toContain(email);
  await newcomer.fill('#set-password input[name=password]', 'newcomer-password');
  await newcomer.fill('#set-password input[name=confirm]', 'newcomer-password');
  await newcomer.screenshot({ path: `${ARTEFACTS_DIR}desktop-admin-set-password-${locale}.png`, fullPage: true });
  await submit(newcomer, '#set-password button[type=submit]');
  await expect(newcomer.locator('#password-set').innerText()).resolves.toContain(words.passwordSet);
  await logIn(newcomer, system.url, email, 'newcomer-password');
  await expect(newcomer.locator('header .who span').innerText()).resolves.toContain(`新同事${n}`);
  // the link is spent
  await newcomer.goto(link);
  await expect(newcomer.locator('#link-refused').count()).resolves.toBe(1);
  await newcomer.context().close();

  await admin.goto(`${system.url}/admin/users?q=${encodeURIComponent(email)}`);
  await expect(admin.locator(`#users tr[data-user="${email}"] .status-tag.active`).count()).resolves.toBe(1);
  await submit(admin, `#users tr[data-user="${email}"] a`);
  await submit(admin, '#deactivate button[type=submit]');
  await expect(admin.locator('#user-status').innerText()).resolves.toBe(words.deactivated);
  await shot(admin, 'user', locale);

  // ---- certificate import: a file with one bad line ----
  await admin.goto(`${system.url}/admin/certificates`);
  const csv = ['uscc,track,number,issuedOn', `${uscc(7800 + n)},standard,苏信贯标〔2024〕第${n}01号,2024-06-01`, `${uscc(7810 + n)},市级示范,苏信示范〔2024〕第${n}02号,2024-09-01`, `${uscc(7820 + n)},standard,苏信贯标〔2024〕第${n}03号,2024/06/01`].join('\r\n');
  await admin.setInputFiles('#certificate-import input[name=csv]', { name: `certificates-${locale}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await submit(admin, '#certificate-import button[type=submit]');
  await expect(admin.locator('#import-summary').innerText()).resolves.toContain(words.imported);
  await expect(admin.locator('#refused tr[data-line="4"]').innerText()).resolves.toContain(words.refusedLine);
  await shot(admin, 'certificates', locale);

  // ---- the audit log: the reveal (masked), the decision, the admin's own changes ----
  await admin.goto(`${system.url}/admin/audit`);
  await admin.fill('#audit-search input[name=uscc]', DEMO_ENTERPRISE_USCC);
  await submit(admin, '#audit-search button[type=submit]');
  const masked = `${fullNumber.slice(0, 6)}********${fullNumber.slice(-4)}`;
  await expect(admin.locator('#audit tr[data-kind=reveal] code.masked').first().innerText()).resolves.toBe(masked);
  await expect(admin.locator('#audit tr[data-kind=reveal] .kind-tag').first().innerText()).resolves.toBe(words.reveal);
  await expect(admin.locator('#audit tr[data-action=decision]').first().innerText()).resolves.toContain(words.returned);
  await expect(admin.content()).resolves.not.toContain(fullNumber);
  await shot(admin, 'audit', locale);
  await admin.goto(`${system.url}/admin/audit?kind=user`);
  await expect(admin.locator('#audit tr[data-action="user.deactivated"]').first().innerText()).resolves.toContain(email);
}

/** The outermost elements reaching past the window's right edge outside any box that scrolls (runs in the page). */
function widerThan(width: number): string[] {
  const { document, getComputedStyle } = globalThis as any;
  const name = (e: any) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c: string) => `.${c}`).join('')}`;
  const scrolls = (e: any): boolean => {
    for (let at = e; at && at !== document.body; at = at.parentElement) if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(at).overflowX)) return true;
    return false;
  };
  const past = ([...document.body.querySelectorAll('*')] as any[]).filter((e) => e.getBoundingClientRect().right > width + 0.5 && !scrolls(e.parentElement));
  return past.filter((e) => !past.includes(e.parentElement)).slice(0, 5).map((e) => `${name(e.parentElement)} > ${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`);
}

/** The admin pages on a phone and at desktop size: nothing wider than the window, no serious accessibility violation. */
async function lookAtEveryPage(locale: Locale) {
  const phone = await (await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 })).newPage();
  await logIn(phone, system.url, 'admin@demo.local', TEST_PASSWORD);
  await speak(phone, locale);
  const pages: Array<[string, string]> = [
    ['overview', '/admin'],
    ['programs', '/admin/programs'],
    ['program', `/admin/programs/${system.program.id}`],
    ['calendar', `/admin/programs/${system.program.id}/calendar`],
    ['quotas', `/admin/programs/${system.program.id}/quotas`],
    ['users', '/admin/users'],
    ['user', `/admin/users/${system.userIds.get('guwen@demo.local')}`],
    ['agencies', '/admin/agencies'],
    ['agency', '/admin/agencies/agency-demo'],
    ['certificates', '/admin/certificates'],
    ['audit', '/admin/audit'],
    ['mail-templates', '/admin/mail-templates'],
  ];
  const problems: string[] = [];
  for (const [name, path] of pages) {
    for (const [size, page, width] of [['phone', phone, PHONE.width], ['desktop', admin, DESKTOP.width]] as const) {
      const answer = await page.goto(`${system.url}${path}`);
      expect({ page: `${size} ${name}`, status: answer?.status() }).toEqual({ page: `${size} ${name}`, status: 200 });
      if (size === 'phone') await page.screenshot({ path: `${ARTEFACTS_DIR}phone-admin-${name}-${locale}.png`, fullPage: true });
      const scrollWidth = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
      if (scrollWidth > width) problems.push(`${size} ${name}: ${scrollWidth} px wide: ${(await page.evaluate(widerThan, width)).join('; ')}`);
      for (const v of await seriousViolations(page)) problems.push(`${size} ${name}: ${v.rule} (${v.impact}) ${v.elements.join(', ')}`);
    }
  }
  // the set-password page of a link that no longer works, as its owner sees it on the phone
  const anonymous = await (await browser.newContext({ viewport: PHONE, isMobile: true })).newPage();
  await anonymous.context().addCookies([{ name: 'credcase_lang', value: locale, url: system.url }]);
  await anonymous.goto(`${system.url}/set-password/${'x'.repeat(43)}`);
  await anonymous.screenshot({ path: `${ARTEFACTS_DIR}phone-admin-set-password-unknown-${locale}.png`, fullPage: true });
  for (const v of await seriousViolations(anonymous)) problems.push(`phone set-password: ${v.rule} ${v.elements.join(', ')}`);
  await anonymous.context().close();
  await phone.context().close();
  expect(problems).toEqual([]);
}

describe('administration in the browser', () => {
  test('in Chinese: programs, agencies, users (with the invited person’s own browser), certificates, audit', () => walk('zh-CN', 1));
  test('in English: the same path', () => walk('en', 2));
  test('every admin page at phone and desktop size, in both languages', async () => {
    await lookAtEveryPage('zh-CN');
    await lookAtEveryPage('en');
  });
});
