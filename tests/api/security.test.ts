import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../app/http.ts';
import { createUser } from '../../app/seed.ts';
import { sameOriginPath } from '../../web/security/redirects.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * Issue 7, findings 8, 9 and the /dev/mail part of 12, over real HTTP: CSRF tokens and the Origin
 * check on the pages and the API, login throttling, security headers, no-store, the login redirect.
 */
let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem('pglite');
  // accounts of their own for the throttle, so no other test's logins are refused
  for (const name of ['throttle-api', 'throttle-web', 'throttle-success']) {
    await createUser(system.app.orm, { email: `${name}@demo.local`, name, role: 'city_officer', scopeId: null }, TEST_PASSWORD);
  }
});
afterAll(async () => {
  await system?.stop();
});

interface Answer {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

/** A browser as far as cookies go: keeps what the server sets and sends it back; sends Origin only when told. */
class Browserish {
  readonly cookies = new Map<string, string>();
  private readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async send(method: string, path: string, options: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Answer> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...options.headers,
      },
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, html: await response.text(), location: response.headers.get('location'), headers: response.headers };
  }

  get(path: string) {
    return this.send('GET', path);
  }

  /** A form post as the site's own page sends it: Origin of the site, the token the page carried. */
  post(path: string, form: Record<string, string>, headers: Record<string, string> = { origin: this.base }) {
    return this.send('POST', path, { form, headers });
  }

  /** The CSRF token a page of the site hands out to this browser. */
  async tokenFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const token = page.html.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (!token) throw new Error(`no CSRF token on ${path} (${page.status})`);
    return token;
  }

  async logIn(email: string, password = TEST_PASSWORD): Promise<Answer> {
    const token = await this.tokenFrom('/login');
    return this.post('/login', { _csrf: token, email, password, next: '/tasks' });
  }
}

const preferencesOf = async (email: string) => (await (await ApiClient.login(system.url, email, TEST_PASSWORD)).get('/api/me/preferences')).body;

describe('CSRF: tokens on every form and the Origin check', () => {
  let browser: Browserish;
  beforeAll(async () => {
    browser = new Browserish(system.url);
    expect((await browser.logIn('shaxi@demo.local')).location).toBe('/tasks');
  });

  const settings = { intent: 'preferences', digest: 'on', locale: 'en' };
  const untouched = { digest: false, locale: 'zh-CN', calendarFeed: false };

  test('every form of a page carries the token, and the pages hand it to htmx as a header', async () => {
    const page = await browser.get('/me');
    const forms = page.html.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
    expect(forms.length).toBeGreaterThanOrEqual(3); // settings, calendar feed, logout
    for (const form of forms) expect(form).toMatch(/<input type="hidden" name="_csrf" value="[0-9a-f]+\.[0-9a-f]+">/);
    expect(page.html).toMatch(/<body hx-boost="true" hx-headers='\{"X-CSRF-Token": "[0-9a-f]+\.[0-9a-f]+"\}'>/);
  });

  test('a cross-site POST to the settings form is refused and changes nothing', async () => {
    const token = await browser.tokenFrom('/me');
    const attempts: Array<{ form: Record<string, string>; headers: Record<string, string> }> = [
      // a foreign page: its own Origin, no token (it cannot read one)
      { form: settings, headers: { origin: 'http://evil.example' } },
      // the same with a stolen-looking token is still from another site
      { form: { ...settings, _csrf: token }, headers: { origin: 'http://127.0.0.1:1' } },
      // an opaque origin (sandboxed frame, data: URL)
      { form: settings, headers: { origin: 'null' } },
      // no Origin and no Referer, riding on the session cookie
      { form: settings, headers: {} },
      // a foreign Referer where no Origin is sent
      { form: settings, headers: { referer: 'http://evil.example/page' } },
      // same origin but no token: a same-site page (another port, a sibling) cannot supply it
      { form: settings, headers: { origin: system.url } },
      // a token of another session (an anonymous visitor's)
      { form: { ...settings, _csrf: await new Browserish(system.url).tokenFrom('/login') }, headers: { origin: system.url } },
      // a token that is not one
      { form: { ...settings, _csrf: 'deadbeef.cafe' }, headers: { origin: system.url } },
    ];
    for (const attempt of attempts) {
      const answer = await browser.send('POST', '/me', attempt);
      expect({ attempt, status: answer.status }).toEqual({ attempt, status: 403 });
      expect(answer.html).toContain('出错了');
      expect(answer.html).toMatch(/跨站请求已拒绝|请求未注明来源|页面已过期/);
    }
    expect(await preferencesOf('shaxi@demo.local')).toEqual(untouched);
  });

  test('the same form from the page itself, with its token, is saved', async () => {
    const token = await browser.tokenFrom('/me');
    const answer = await browser.post('/me', { ...settings, _csrf: token });
    expect(answer.status).toBe(200);
    expect(answer.html).toContain('id="saved"');
    expect(await preferencesOf('shaxi@demo.local')).toEqual({ ...untouched, digest: true, locale: 'en' });
    // htmx sends the token as a header instead of a field
    const viaHeader = await browser.post('/me', { intent: 'preferences', locale: 'zh-CN' }, { origin: system.url, 'x-csrf-token': token });
    expect(viaHeader.status).toBe(200);
    expect(await preferencesOf('shaxi@demo.local')).toEqual(untouched);
  });

  test('multipart forms are checked too, after their body is read', async () => {
    const enterprise = new Browserish(system.url);
    await enterprise.logIn('qiye@demo.local');
    const token = await enterprise.tokenFrom('/apply');
    const post = (withToken: boolean) => {
      const form = new FormData();
      if (withToken) form.append('_csrf', token);
      form.append('action', 'draft');
      form.append('enterpriseName', '跨站草稿公司');
      const cookie = [...enterprise.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      return fetch(`${system.url}/apply`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, origin: system.url } });
    };
    const forged = await post(false);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('页面已过期');
    const api = await ApiClient.login(system.url, 'qiye@demo.local', TEST_PASSWORD);
    const draftOf = async () => (await api.get(`/api/drafts/${system.program.id}/standard`)).body;
    expect(JSON.stringify(await draftOf())).not.toContain('跨站草稿公司');
    const genuine = await post(true);
    expect(genuine.status).toBe(200);
    expect(await genuine.text()).toContain('草稿已保存');
  });

  test('login CSRF fails: a login posted from elsewhere, or without the token, makes no session', async () => {
    const victim = new Browserish(system.url);
    await victim.get('/login'); // the victim has the site's pre-session cookies
    const credentials = { email: 'guwen@demo.local', password: TEST_PASSWORD, next: '/tasks' };
    for (const headers of [{ origin: 'http://evil.example' }, {}, { origin: system.url }] as Array<Record<string, string>>) {
      const answer = await victim.post('/login', credentials, headers);
      expect(answer.status).toBe(403);
      expect(victim.cookies.has('credcase_session')).toBe(false);
    }
    // a token the attacker fetched for their own browser is bound to their pre-session, not the victim's
    const attackerToken = await new Browserish(system.url).tokenFrom('/login');
    expect((await victim.post('/login', { ...credentials, _csrf: attackerToken })).status).toBe(403);
    expect(victim.cookies.has('credcase_session')).toBe(false);
  });

  test('logout is a form like any other: it needs the token', async () => {
    const user = new Browserish(system.url);
    await user.logIn('guwen@demo.local');
    expect((await user.post('/logout', {})).status).toBe(403);
    expect((await user.get('/tasks')).status).toBe(200);
    expect((await user.post('/logout', { _csrf: await user.tokenFrom('/tasks') })).location).toBe('/login');
    expect((await user.get('/tasks')).status).toBe(302);
  });

  test('a form from one server process is accepted by another (the token key is shared through the database)', async () => {
    const { app } = system;
    const second = createHttpApp({ orm: app.orm, temporal: app.temporal, taskQueue: app.config.temporal.taskQueue, sessionTtlHours: 1, documentWaitSeconds: 20, cookieSecure: false, publicUrl: () => system.url }).listen(0, '127.0.0.1');
    try {
      await once(second, 'listening');
      const secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
      const user = new Browserish(system.url);
      const token = await user.tokenFrom('/login');
      // the same browser (same cookies) whose next request reaches the other process
      const other = new Browserish(secondUrl);
      for (const [name, value] of user.cookies) other.cookies.set(name, value);
      const answer = await other.post('/login', { _csrf: token, email: 'guwen@demo.local', password: TEST_PASSWORD, next: '/tasks' });
      expect(answer.status).toBe(302);
      expect(answer.location).toBe('/tasks');
    } finally {
      second.close();
    }
  });

  test('the JSON API refuses a cookie-authenticated write from another origin; Bearer requests pass', async () => {
    const cookie = `credcase_session=${browser.cookies.get('credcase_session')}`;
    const put = (headers: Record<string, string>) =>
      fetch(`${system.url}/api/me/preferences`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ digest: true }) });
    for (const headers of [{ cookie, origin: 'http://evil.example' }, { cookie }] as Array<Record<string, string>>) {
      const answer = await put(headers);
      expect(answer.status).toBe(403);
      const body = (await answer.json()) as any;
      expect(body.error.code).toBe('forbidden');
      expect(body.error.message).toMatch(/跨站请求已拒绝|请求未注明来源/);
    }
    expect((await preferencesOf('shaxi@demo.local')).digest).toBe(false);
    expect((await put({ cookie, origin: system.url })).status).toBe(200);
    const api = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
    const token = (api as any).token as string;
    expect((await put({ authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status).toBe(200);
    await api.put('/api/me/preferences', { digest: false });
  });
});

describe('login throttling', () => {
  const apiLogin = (email: string, password: string) =>
    fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

  test('API: 10 wrong passwords are answered, the 11th is 429 with Retry-After, and then the right one is refused too', async () => {
    for (let i = 0; i < 10; i++) expect((await apiLogin('throttle-api@demo.local', `wrong-${i}`)).status).toBe(401);
    const throttled = await apiLogin('Throttle-API@demo.local ', 'wrong-again'); // the account, however it is spelled
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await throttled.json()) as any;
    expect(body.error.code).toBe('too_many_requests');
    expect(body.error.message).toContain('登录失败次数过多');
    const right = await apiLogin('throttle-api@demo.local', TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('web: the login page counts against the same account and shows the 429 in the form', async () => {
    const user = new Browserish(system.url);
    for (let i = 0; i < 5; i++) expect((await user.logIn('throttle-web@demo.local', `wrong-${i}`)).status).toBe(401);
    // the API and the page count together
    for (let i = 0; i < 5; i++) expect((await apiLogin('throttle-web@demo.local', `wrong-${i}`)).status).toBe(401);
    const throttled = await user.logIn('throttle-web@demo.local', 'wrong');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.html).toContain('登录失败次数过多');
    expect(throttled.html).toContain('name="password"');
    const right = await user.logIn('throttle-web@demo.local');
    expect(right.status).toBe(429);
    expect(user.cookies.has('credcase_session')).toBe(false);
  });

  test('successful logins do not count against the account', async () => {
    for (let i = 0; i < 5; i++) expect((await apiLogin('throttle-success@demo.local', 'wrong')).status).toBe(401);
    for (let i = 0; i < 12; i++) expect((await apiLogin('throttle-success@demo.local', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await apiLogin('throttle-success@demo.local', 'wrong')).status).toBe(401);
    expect((await apiLogin('throttle-success@demo.local', 'wrong')).status).toBe(429);
  });
});

describe('security headers and caching', () => {
  const directives = (csp: string | null) =>
    new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

  const expectSecurityHeaders = (headers: Headers, what: string) => {
    const csp = headers.get('content-security-policy');
    expect({ what, csp }).toEqual({ what, csp: expect.any(String) });
    const policy = directives(csp);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('script-src-attr')).toEqual(["'none'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(headers.get('x-powered-by')).toBeNull();
  };

  test('pages, API answers and errors carry them', async () => {
    const anonymous = new Browserish(system.url);
    const user = new Browserish(system.url);
    await user.logIn('qiye@demo.local');
    const api = await ApiClient.login(system.url, 'qiye@demo.local', TEST_PASSWORD);
    const bearer = { authorization: `Bearer ${(api as any).token as string}` };
    const answers: Array<[string, Headers]> = [
      ['login page', (await anonymous.get('/login')).headers],
      ['inbox', (await user.get('/tasks')).headers],
      ['404 page', (await user.get('/no-such-page')).headers],
      ['API', (await fetch(`${system.url}/api/auth/me`, { headers: bearer })).headers],
      ['API 404', (await fetch(`${system.url}/api/nope`, { headers: bearer })).headers],
      ['API 401', (await fetch(`${system.url}/api/auth/me`)).headers],
      ['stylesheet', (await fetch(`${system.url}/static/site.css`)).headers],
    ];
    for (const [what, headers] of answers) expectSecurityHeaders(headers, what);
  });

  test('authenticated pages and API answers are no-store; the stylesheet may be cached', async () => {
    const user = new Browserish(system.url);
    await user.logIn('shaxi@demo.local');
    for (const path of ['/tasks', '/cases', '/me', '/batches']) {
      const page = await user.get(path);
      expect({ path, status: page.status, cache: page.headers.get('cache-control') }).toEqual({ path, status: 200, cache: 'no-store' });
    }
    const api = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
    const me = await fetch(`${system.url}/api/auth/me`, { headers: { authorization: `Bearer ${(api as any).token as string}` } });
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${system.url}/static/site.css`)).headers.get('cache-control')).not.toContain('no-store');
  });

  test('no page has an inline script, event handler or style attribute (the CSP would block them)', async () => {
    const users = { 'qiye@demo.local': ['/tasks', '/cases', '/apply', '/me'], 'admin@demo.local': ['/admin/mail-templates', '/admin/mail-templates/digest?locale=en', '/dev/mail'] };
    const pages: Array<[string, string]> = [['/login', (await new Browserish(system.url).get('/login')).html]];
    for (const [email, paths] of Object.entries(users)) {
      const user = new Browserish(system.url);
      await user.logIn(email);
      for (const path of paths) pages.push([path, (await user.get(path)).html]);
    }
    for (const [path, html] of pages) {
      expect({ path, inlineScripts: html.match(/<script\b(?![^>]*\bsrc=)[^>]*>/g) }).toEqual({ path, inlineScripts: null });
      expect({ path, handlers: html.match(/<[^>]+\son[a-z]+\s*=/gi) }).toEqual({ path, handlers: null });
      expect({ path, styles: html.match(/<[^>]+\sstyle\s*=/gi) }).toEqual({ path, styles: null });
    }
  });

  test("the mail preview's HTML part is its own sandboxed document, framed by this site only", async () => {
    const admin = new Browserish(system.url);
    await admin.logIn('admin@demo.local');
    const part = await admin.get('/admin/mail-templates/digest/html?locale=en');
    expect(part.status).toBe(200);
    expect(part.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox");
    expect(part.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(part.html).toContain('<html lang="en">');
    const enterprise = new Browserish(system.url);
    await enterprise.logIn('qiye@demo.local');
    expect((await enterprise.get('/admin/mail-templates/digest/html?locale=en')).status).toBe(403);
  });
});

describe('the login redirect stays on this site', () => {
  const offSite = ['/\\evil.example/', '//evil.example', 'https://evil.example', 'http://evil.example/tasks', '/%5Cevil.example', '/%5cevil.example', '\\/evil.example', '/.//evil.example', '/\t/evil.example', ' //evil.example', 'javascript:alert(1)'];

  test.each(offSite)('POST /login next=%j lands on /tasks', async (next) => {
    const user = new Browserish(system.url);
    const token = await user.tokenFrom('/login');
    const answer = await user.post('/login', { _csrf: token, email: 'qiye@demo.local', password: TEST_PASSWORD, next });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe('/tasks');
  });

  test.each(['/\u0000/evil.example', '/\u0007evil.example', '/\u202e/evil.example'])('a control character in next (%j) never leads anywhere else', async (next) => {
    const user = new Browserish(system.url);
    const token = await user.tokenFrom('/login');
    const answer = await user.post('/login', { _csrf: token, email: 'qiye@demo.local', password: TEST_PASSWORD, next });
    // refused as a whole by the character guard (400), or logged in and sent to the inbox
    expect([400, 302]).toContain(answer.status);
    expect(answer.location ?? '/tasks').toBe('/tasks');
  });

  test('a path of this site is kept, and the login page only offers safe ones', async () => {
    const user = new Browserish(system.url);
    const token = await user.tokenFrom('/login');
    const answer = await user.post('/login', { _csrf: token, email: 'qiye@demo.local', password: TEST_PASSWORD, next: '/cases?x=1#top' });
    expect(answer.location).toBe('/cases?x=1#top');
    const page = await new Browserish(system.url).get(`/login?next=${encodeURIComponent('/\\evil.example/')}`);
    expect(page.html).toContain('<input type="hidden" name="next" value="/tasks">');
  });

  test('sameOriginPath, the rule itself', () => {
    for (const next of offSite) expect(sameOriginPath(next)).toBe('/tasks');
    for (const next of [undefined, null, 42, '', 'tasks', '/\u0000x', '/a\nb', '/\u202e/evil', '/\u200b/x']) expect(sameOriginPath(next)).toBe('/tasks');
    expect(sameOriginPath('/tasks/case-a:1:review')).toBe('/tasks/case-a:1:review');
    expect(sameOriginPath('/cases/../me')).toBe('/me');
  });
});

describe('/dev/mail (the embedded default\'s mail catcher)', () => {
  test('anonymous goes to the login page, other roles see no such page, the admin sees the mail', async () => {
    const anonymous = await new Browserish(system.url).get('/dev/mail');
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?next=${encodeURIComponent('/dev/mail')}`);
    for (const email of ['qiye@demo.local', 'shaxi@demo.local', 'city@demo.local']) {
      const user = new Browserish(system.url);
      await user.logIn(email);
      const page = await user.get('/dev/mail');
      expect({ email, status: page.status }).toEqual({ email, status: 404 });
      expect(page.html).not.toContain('本地邮件 <small>');
      expect((await user.get('/tasks')).html).not.toContain('href="/dev/mail"');
    }
    const admin = new Browserish(system.url);
    await admin.logIn('admin@demo.local');
    const page = await admin.get('/dev/mail');
    expect(page.status).toBe(200);
    expect(page.html).toContain('本地邮件 <small>');
    expect((await admin.get('/tasks')).html).toContain('href="/dev/mail"');
  });
});

// last: it throttles this whole address
describe('login throttling per address', () => {
  test('failures from one address stop even an untouched account after at most 50', async () => {
    let throttledAfter = 0;
    for (let i = 1; i <= 60 && !throttledAfter; i++) {
      const answer = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `guess-${i}@demo.local`, password: 'wrong' }) });
      if (answer.status === 429) {
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        throttledAfter = i;
      } else expect(answer.status).toBe(401);
    }
    expect(throttledAfter).toBeGreaterThan(0);
    expect(throttledAfter).toBeLessThanOrEqual(51);
    const untouched = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'jiangsu@demo.local', password: TEST_PASSWORD }) });
    expect(untouched.status).toBe(429);
  });
});
