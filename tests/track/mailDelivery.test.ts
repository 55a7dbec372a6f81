import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { deliverOnce } from '../../activities/notifications/deliver.ts';
import { NotificationRecord } from '../../infra/db/entities.ts';
import { createUser } from '../../app/seed.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { createMailer, type Mailer } from '../../infra/mail/mailer.ts';
import { uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * Finding 7 of issue 7: an SMTP server that accepts connections and never answers. Mail must end
 * failed or uncertain — shown to the office with a resend action — never silently lost; the log
 * never moves backwards; once SMTP is back, each mail goes out exactly once.
 */
let system: TestSystem;
/** the SMTP server on the system's SMTP port right now (the catcher, or its replacement) */
let smtp: MailCatcher;
const OFFICERS = ['shaxi@demo.local', 'shaxi2@demo.local', 'shaxi3@demo.local'].sort();

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  smtp = system.mail;
  for (const email of ['shaxi2@demo.local', 'shaxi3@demo.local']) {
    await createUser(system.app.orm, { email, name: email, role: 'district_officer', scopeId: 'shaxi' }, TEST_PASSWORD);
  }
  await createUser(system.app.orm, { email: 'fuqiao@demo.local', name: '浮桥镇', role: 'district_officer', scopeId: 'fuqiao' }, TEST_PASSWORD);
}, 120_000);
afterAll(async () => {
  await silence?.close();
  if (smtp !== system?.mail) await smtp.stop();
  await system?.stop();
});

/** A TCP server that accepts every connection and never says a word: no greeting, no reply. */
class SilentSmtp {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  connections = 0;

  constructor() {
    this.server = createServer((socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port: number): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return this;
  }

  get url(): string {
    const address = this.server.address();
    return `smtp://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** the silent server while SMTP is down */
let silence: SilentSmtp | null = null;

/** The SMTP port goes silent: the working server stops and a silent one takes its place. */
async function silenceSmtp(): Promise<SilentSmtp> {
  await smtp.stop();
  silence = await new SilentSmtp().listen(smtp.port);
  return silence;
}

/** SMTP comes back: the silent server goes, a working one answers on the same port. A no-op when it is not down. */
async function reviveSmtp(): Promise<MailCatcher> {
  if (!silence) return smtp;
  await silence.close();
  silence = null;
  smtp = await new MailCatcher({ port: smtp.port, rejectRecipients: (a) => a.startsWith('nobody@') }).start();
  return smtp;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(200);
  }
}

const FINAL = new Set(['sent', 'failed', 'bounced', 'uncertain']);
const rank = (status: string) => (status === 'queued' ? 0 : status === 'sending' ? 1 : 2);

/**
 * Watches the delivery log of one case and records every move it sees. Allowed: attempts never
 * fall; within one attempt queued → sending → one verdict, never another; sent and bounced stay.
 */
function watchLog(caseId: string) {
  const seen = new Map<string, { status: string; attempts: number }>();
  const backwards: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await system.app.orm.em.fork().find(NotificationRecord, { caseId });
      for (const row of rows) {
        const before = seen.get(row.key);
        const now = { status: row.status, attempts: row.attempts };
        if (before && (before.status !== now.status || before.attempts !== now.attempts)) {
          const ok =
            !['sent', 'bounced'].includes(before.status) &&
            (now.attempts > before.attempts || (now.attempts === before.attempts && rank(now.status) > rank(before.status) && !FINAL.has(before.status)));
          if (!ok) backwards.push(`${row.recipient}: ${before.status}(${before.attempts}) → ${now.status}(${now.attempts})`);
        }
        seen.set(row.key, now);
      }
      await sleep(50);
    }
  })();
  return {
    backwards,
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function company(n: number): Promise<{ track: Track; name: string; caseId: string }> {
  const email = `mail${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  const track = await Track.start(system, email);
  const name = `投递测试${n}有限公司`;
  const applied = await track.apply({ uscc: uscc(n), enterpriseName: name });
  expect(applied.status).toBe(201);
  return { track, name, caseId: applied.body.id };
}

type Problem = { key: string; recipient: string; status: string; attempts: number };

/** The district officers' task mails, as the office's case view lists them once each has failed or may have. */
async function officeSeesProblems(track: Track, caseId: string): Promise<Problem[]> {
  return until('the office to see every task mail as failed or uncertain, with its key', async () => {
    const view = (await track.district.get(`/api/cases/${caseId}`)).body;
    const problems = ((view.deliveryProblems ?? []) as (Problem & { template: string })[]).filter((p) => p.template === 'task-assigned');
    const complete = problems.length === OFFICERS.length && problems.every((p) => typeof p.key === 'string' && ['failed', 'uncertain'].includes(p.status));
    return complete ? problems : null;
  });
}

/** Waits for a resent mail's verdict: a resend answers 202 when its attempt outlasts the request. */
const sentAt = (key: string) =>
  until(`mail ${key} to be sent`, async () => (await system.app.orm.em.fork().findOneOrFail(NotificationRecord, { key })).status === 'sent');
const rowsOf = (caseId: string) => system.app.orm.em.fork().find(NotificationRecord, { caseId, template: 'task-assigned' }, { orderBy: { recipient: 'asc' } });
const caughtFor = (catcher: MailCatcher, name: string, to: string) => catcher.messages.filter((m) => m.subject.includes(name) && m.envelopeTo.includes(to));

test('a silent SMTP server: every mail ends failed or uncertain in the office view; back, each goes out exactly once', async () => {
  const silent = await silenceSmtp();
  const { track, name, caseId } = await company(71);
  const watch = watchLog(caseId);
  try {
    const problems = await officeSeesProblems(track, caseId);
    expect(problems.map((p) => p.recipient).sort()).toEqual(OFFICERS);
    expect(silent.connections).toBeGreaterThan(0);
    // the enterprise is not shown the offices' mail
    expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.deliveryProblems ?? []).toEqual([]);

    const revived = await reviveSmtp();
    // the office resends each; the activity's own retry may take a mail first — then the resend is refused, never doubled
    for (const problem of problems) {
      await until(`${problem.recipient}'s mail to go out`, async () => {
        const answer = await track.district.post(`/api/notifications/${encodeURIComponent(problem.key)}/resend`);
        expect([200, 202, 409]).toContain(answer.status);
        const row = await system.app.orm.em.fork().findOneOrFail(NotificationRecord, { key: problem.key });
        return row.status === 'sent';
      });
    }
    // the case's mail activity has nothing left to retry: nothing more can go out
    const handle = system.app.temporal.workflow.getHandle(caseId);
    await until('the mail activity to finish', async () => ((await handle.describe()).raw.pendingActivities ?? []).length === 0);
    for (const to of OFFICERS) expect(caughtFor(revived, name, to)).toHaveLength(1);
    expect((await rowsOf(caseId)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    // a sent mail is not sent again
    expect((await track.district.post(`/api/notifications/${encodeURIComponent(problems[0]!.key)}/resend`)).status).toBe(409);
    await handle.terminate('test over');
  } finally {
    await watch.stop();
    await reviveSmtp();
  }
  expect(watch.backwards).toEqual([]);
}, 240_000);

test('retries over (the case workflow ended): the failed mails stay on the case page and the office resends each once', async () => {
  await silenceSmtp();
  const { track, name, caseId } = await company(72);
  const watch = watchLog(caseId);
  try {
    const problems = await officeSeesProblems(track, caseId);
    // no automatic retry is left: the mails wait for the office
    await system.app.temporal.workflow.getHandle(caseId).terminate('retries over');
    const settled = await until('the last attempt to record its verdict', async () => {
      const rows = await rowsOf(caseId);
      return rows.every((r) => FINAL.has(r.status)) && rows;
    });
    expect(settled.map((r) => r.status).every((s) => ['failed', 'uncertain'].includes(s))).toBe(true);
    const attemptsBefore = new Map(settled.map((r) => [r.key, r.attempts]));
    const revived = await reviveSmtp();
    const [first, second, third] = problems.sort((a, b) => a.recipient.localeCompare(b.recipient)) as [Problem, Problem, Problem];
    const resendPath = (p: Problem) => `/api/notifications/${encodeURIComponent(p.key)}/resend`;

    // only a credit office that may see the case may resend; everyone else is told nothing exists
    const login = (email: string) => ApiClient.login(system.url, email, TEST_PASSWORD);
    const [fuqiao, admin] = await Promise.all([login('fuqiao@demo.local'), login('admin@demo.local')]);
    for (const outsider of [track.enterprise, fuqiao, admin]) expect((await outsider.post(resendPath(first))).status).toBe(404);
    expect((await track.district.post(`/api/notifications/${encodeURIComponent(`${caseId}:999:nothing`)}/resend`)).status).toBe(404);
    expect((await new ApiClient(system.url).post(resendPath(first))).status).toBe(401);
    expect(caughtFor(revived, name, first.recipient)).toHaveLength(0);

    // two offices press the button at the same moment: one resend
    const answers = await Promise.all([track.district.post(resendPath(first)), track.city.post(resendPath(first))]);
    const accepted = answers.filter((a) => a.status === 200 || a.status === 202);
    expect(accepted).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(1);
    expect(accepted[0]!.body).toMatchObject({ key: first.key });
    await sentAt(first.key);

    // the city office resends over the API; the district office from the case page
    const byCity = await track.city.post(resendPath(second));
    expect([200, 202]).toContain(byCity.status);
    expect(byCity.body).toMatchObject({ key: second.key, resentByName: '周涛（市经信委融资与担保科）' });
    await sentAt(second.key);
    const page = await webSession('shaxi@demo.local');
    const html = await page.get(`/cases/${encodeURIComponent(caseId)}`);
    expect(html).toContain(`/notifications/${third.key}/resend`);
    expect(html).toContain('重新发送');
    const posted = await page.postForm(`/cases/${encodeURIComponent(caseId)}/notifications/${encodeURIComponent(third.key)}/resend`, html);
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`/cases/${encodeURIComponent(caseId)}`);
    await sentAt(third.key);

    for (const p of [first, second, third]) expect(caughtFor(revived, name, p.recipient)).toHaveLength(1);
    const rows = await rowsOf(caseId);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    // one attempt per mail, and who resent it, and when, is on record
    for (const row of rows) {
      expect(row.attempts).toBe(attemptsBefore.get(row.key)! + 1);
      expect(row.resentByName).toBeTruthy();
      expect(row.resentAt).toBeInstanceOf(Date);
    }
    // the very mail that was stored goes out: its subject and body, under the message id of its key
    const [caught] = caughtFor(revived, name, third.recipient);
    const stored = rows.find((r) => r.key === third.key)!;
    expect(caught!.subject).toBe(stored.subject);
    expect(caught!.messageId).toBe(stored.messageId);
    expect(caught!.text.replace(/\s+/g, ' ').trim()).toBe(stored.bodyText!.replace(/\s+/g, ' ').trim());
    // nothing is left for the office, and a sent mail is not sent again
    expect((await track.district.get(`/api/cases/${caseId}`)).body.deliveryProblems.filter((p: { template: string }) => p.template === 'task-assigned')).toEqual([]);
    expect((await track.city.post(resendPath(third))).status).toBe(409);
    expect(caughtFor(revived, name, third.recipient)).toHaveLength(1);
  } finally {
    await watch.stop();
    await reviveSmtp();
  }
  expect(watch.backwards).toEqual([]);
}, 240_000);

test('an attempt that finishes after its retry decided cannot overwrite the verdict', async () => {
  const silent = await new SilentSmtp().listen(0);
  // a mailer that waits for minutes and cannot be stopped, as the one before this fix: the retry comes first
  const slow = createMailer(silent.url, 'test <test@credcase.local>', { connectionMs: 600_000, greetingMs: 600_000, socketMs: 600_000 });
  const patient: Mailer = { ...slow, send: (mail) => slow.send(mail) };
  const key = `late-${crypto.randomUUID()}`;
  const notification = { key, caseId: null, taskId: null, to: 'late@demo.local', template: 'reminder', mail: { subject: '提醒', html: '<p>提醒</p>', text: '提醒' } };
  const activity = { sender: 'case-x/7', deadline: Number.POSITIVE_INFINITY };
  const row = () => system.app.orm.em.fork().findOneOrFail(NotificationRecord, { key });
  try {
    const late = deliverOnce(system.app.orm.em.fork(), patient, notification, activity).then(
      () => 'sent',
      () => 'failed',
    );
    await until('the first attempt to hold the mail', async () => (await system.app.orm.em.fork().findOne(NotificationRecord, { key }))?.status === 'sending', 90_000);
    // another sender (an office's resend) is in flight: the activity leaves it alone
    expect(await deliverOnce(system.app.orm.em.fork(), system.app.mailer, notification, { sender: 'resend-x/1', deadline: Number.POSITIVE_INFINITY })).toBe('in-flight');
    expect(await row()).toMatchObject({ status: 'sending', attempts: 1 });
    // the activity's retry finds its own attempt still sending: it may have gone out
    expect(await deliverOnce(system.app.orm.em.fork(), system.app.mailer, notification, activity)).toBe('uncertain');
    // the first attempt now fails, late: its "failed" must not replace "uncertain"
    await silent.close();
    expect(await late).toBe('failed');
    expect(await row()).toMatchObject({ status: 'uncertain', attempts: 1 });
  } finally {
    slow.close();
    await silent.close().catch(() => undefined);
  }
}, 180_000);

/** A browser-like session for the pages: the session cookie, whatever cookies the pages set, and the form's CSRF field. */
async function webSession(email: string) {
  const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  const cookies = new Map<string, string>([['credcase_session', token]]);
  const keep = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    async get(path: string): Promise<string> {
      const response = await fetch(`${system.url}${path}`, { headers: { cookie: cookieHeader() } });
      keep(response);
      expect(response.status).toBe(200);
      return response.text();
    },
    async postForm(path: string, page: string): Promise<Response> {
      const csrf = page.match(/name="_csrf" value="([^"]+)"/)?.[1];
      const response = await fetch(`${system.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', origin: system.url },
        body: new URLSearchParams(csrf ? { _csrf: csrf } : {}).toString(),
      });
      keep(response);
      return response;
    },
  };
}
