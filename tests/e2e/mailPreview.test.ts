import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import Handlebars from 'handlebars';
import type { Browser } from 'playwright-core';
import { MAIL_LOCALES, MAIL_TEMPLATES, SAMPLE_DATA, loadMailTemplates } from '../../activities/notifications/templates.ts';
import { launchChromium, logIn } from '../support/browser.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/** The admin's preview of every mail template, over HTTP and in a real Chromium. */
let system: TestSystem;
let browser: Browser | undefined;
const tokens = new Map<string, string>();
const render = loadMailTemplates();

beforeAll(async () => {
  system = await startTestSystem('pglite');
  for (const email of ['admin@demo.local', 'qiye@demo.local', 'shaxi@demo.local']) {
    const response = await fetch(`${system.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    if (response.status !== 200) throw new Error(`login ${email}: ${response.status}`);
    tokens.set(email, ((await response.json()) as { token: string }).token);
  }
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** A page as the given user sees it (bearer session, as the pages accept it), HTML and all. */
async function page(path: string, email?: string): Promise<{ status: number; html: string; location: string | null }> {
  const response = await fetch(`${system.url}${path}`, { redirect: 'manual', headers: email ? { authorization: `Bearer ${tokens.get(email)}` } : {} });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

const escape = (s: string) => Handlebars.escapeExpression(s);

describe('the mail template preview', () => {
  test('the admin sees every template in every locale, with its sample subject, and the nav links to it', async () => {
    const { status, html } = await page('/admin/mail-templates', 'admin@demo.local');
    expect(status).toBe(200);
    expect(html).toContain('<a href="/admin/mail-templates">邮件模板</a>');
    for (const template of MAIL_TEMPLATES) {
      for (const locale of MAIL_LOCALES) {
        expect(html).toContain(`href="/admin/mail-templates/${template}?locale=${locale}"`);
        expect(html).toContain(escape(render(template, SAMPLE_DATA[template], locale).subject));
      }
    }
  });

  test.each(MAIL_LOCALES)('one template renders its subject, text part and sandboxed HTML part (%s)', async (locale) => {
    const mail = render('task-assigned', SAMPLE_DATA['task-assigned'], locale);
    const { status, html } = await page(`/admin/mail-templates/task-assigned?locale=${locale}`, 'admin@demo.local');
    expect(status).toBe(200);
    expect(html).toContain(escape(mail.subject));
    expect(html).toContain(`<pre id="mail-text" class="mail-text">${escape(mail.text)}</pre>`);
    // the HTML part is a document of its own in a sandboxed frame (it needs inline styles, the page allows none): no raw tag from it reaches the page
    expect(html).toContain(`sandbox src="/admin/mail-templates/task-assigned/html?locale=${locale}"`);
    expect(html).not.toContain(`<html lang="${locale}"><body`);
    const part = await page(`/admin/mail-templates/task-assigned/html?locale=${locale}`, 'admin@demo.local');
    expect(part.status).toBe(200);
    expect(part.html).toBe(mail.html);
  });

  test('the locale defaults to Chinese', async () => {
    const { status, html } = await page('/admin/mail-templates/decision', 'admin@demo.local');
    expect(status).toBe(200);
    expect(html).toContain(escape(render('decision', SAMPLE_DATA.decision).subject));
  });

  test('anyone but the admin gets the 403 page; no session goes to the login page', async () => {
    for (const email of ['qiye@demo.local', 'shaxi@demo.local']) {
      for (const path of ['/admin/mail-templates', '/admin/mail-templates/decision?locale=en']) {
        const { status, html } = await page(path, email);
        expect(status).toBe(403);
        expect(html).toContain('出错了');
        expect(html).not.toContain('id="mail-html"');
        expect(html).not.toContain('<a href="/admin/mail-templates">');
      }
    }
    const anonymous = await page('/admin/mail-templates');
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?next=${encodeURIComponent('/admin/mail-templates')}`);
  });

  test('an unknown template or locale is the 404 page', async () => {
    for (const path of ['/admin/mail-templates/nope', '/admin/mail-templates/decision?locale=fr', '/admin/mail-templates/__proto__']) {
      const { status, html } = await page(path, 'admin@demo.local');
      expect(status).toBe(404);
      expect(html).toContain('出错了');
    }
  });

  test('in a browser, the HTML part shows inside its frame with the link to the task, and the text part as written', async () => {
    browser = await launchChromium();
    const tab = await browser.newPage();
    await logIn(tab, system.url, 'admin@demo.local', TEST_PASSWORD);
    // the header's 管理 leads to administration, whose sections include the mail templates
    await tab.click('header nav a[href="/admin"]');
    await tab.click('.admin-nav a[href="/admin/mail-templates"]');
    await tab.click('tr[data-template="digest"][data-locale="en"] a');
    await tab.waitForURL(`${system.url}/admin/mail-templates/digest?locale=en`);
    const sample = SAMPLE_DATA.digest.tasks as { taskUrl: string }[];
    const frame = tab.frameLocator('#mail-html');
    expect(await frame.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([...sample.map((t) => t.taskUrl), SAMPLE_DATA.digest.inboxUrl]);
    expect(await frame.locator('strong', { hasText: '[OVERDUE]' }).count()).toBe(1);
    expect(await tab.locator('#mail-text').textContent()).toBe(render('digest', SAMPLE_DATA.digest, 'en').text);
    expect(await tab.locator('#mail-subject').textContent()).toBe(render('digest', SAMPLE_DATA.digest, 'en').subject);
  });
});
