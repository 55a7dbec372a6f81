import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { NotificationRecord } from '../../infra/db/entities.ts';
import { DEMO_ENTERPRISE_USCC, createUser } from '../../app/seed.ts';
import { uscc } from '../support/fixtures.ts';
import { PageClient } from '../support/pages.ts';
import { routeTable, type RouteEntry } from '../support/routes.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * The authorisation matrix: every route of the API and of the pages, read from the running app,
 * × anonymous and every role, in scope and out of scope → the answer it must give. A route
 * without a rule here fails the first test: a new route is not done until its rule is written.
 *
 * Requests carry empty bodies: an actor who may act gets past authorisation and is stopped by
 * validation ('ok': 2xx, 400, 409, 422), one who may not gets 401/403, and one who may not even
 * see the subject gets 404. Nothing here changes a case.
 */
const ACTORS = ['anonymous', 'enterprise', 'otherEnterprise', 'district', 'otherDistrict', 'consultant', 'city', 'prefecture', 'province', 'admin'] as const;
type ActorKey = (typeof ACTORS)[number];
/** 'ok': passed authorisation; 'login': sent to log in (API 401, pages a redirect to /login) */
type Outcome = 'ok' | 'login' | 401 | 403 | 404;
type Expectation = Record<ActorKey, Outcome>;

const USERS = ACTORS.filter((a) => a !== 'anonymous');
/** Anyone signed in may; anonymous is sent to log in. */
const signedIn = (overrides: Partial<Record<ActorKey, Outcome>> = {}): Expectation =>
  ({ anonymous: 'login', ...Object.fromEntries(USERS.map((a) => [a, 'ok'])), ...overrides }) as Expectation;
const everyone = (outcome: Outcome = 'ok'): Expectation => Object.fromEntries(ACTORS.map((a) => [a, outcome])) as Expectation;
/** Only these actors may; other signed-in users are refused (403). */
const only = (allowed: ActorKey[], overrides: Partial<Record<ActorKey, Outcome>> = {}): Expectation =>
  signedIn({ ...Object.fromEntries(USERS.map((a) => [a, allowed.includes(a) ? 'ok' : 403])), ...overrides });
/** Who may see case A (of the demo enterprise, in 沙溪镇): others do not learn it exists. */
const OUT_OF_CASE = { otherEnterprise: 404, otherDistrict: 404, consultant: 404 } as const;
const caseScoped = (overrides: Partial<Record<ActorKey, Outcome>> = {}) => signedIn({ ...OUT_OF_CASE, ...overrides });
const OFFICES_BUT_CITYWIDE_READ = { prefecture: 403, province: 403, admin: 403 } as const;

interface Rule {
  expect: Expectation;
}

const RULES: Record<string, Rule> = {
  // ---- API ----
  'GET /healthz': { expect: everyone() },
  'GET /api/openapi.json': { expect: everyone() },
  'POST /api/auth/login': { expect: everyone() },
  'POST /api/auth/logout': { expect: everyone() },
  'GET /api/auth/me': { expect: signedIn() },
  'GET /api/programs/': { expect: everyone() },
  'GET /api/programs/:programId': { expect: everyone() },
  'GET /api/programs/:programId/rubric': { expect: everyone() },
  'POST /api/programs/:programId/clone': { expect: only(['admin']) },
  // 汇总表: a district office prints its own district's (the empty body), the city and higher offices the city's
  'POST /api/programs/:programId/summary-lists/:track': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province']) },
  'POST /api/cases/': { expect: only(['enterprise', 'otherEnterprise']) },
  'GET /api/cases/': { expect: signedIn() },
  'GET /api/cases/:caseId': { expect: caseScoped() },
  // documents of a case: whoever may see it may print them (the certificate only once certified: 409)
  'POST /api/cases/:caseId/documents/:documentKind': { expect: caseScoped() },
  'POST /cases/:id/documents/:documentKind': { expect: caseScoped() },
  // the language switcher: anyone, signed in or not
  'POST /language': { expect: everyone() },
  'GET /api/cases/:caseId/documents': { expect: caseScoped() },
  'GET /api/cases/:caseId/documents/:documentKind': { expect: caseScoped() },
  'GET /cases/:id/documents/:documentKind': { expect: caseScoped() },
  // the signed scan comes back from the enterprise or its district; the offices above read it
  'POST /api/cases/:caseId/documents/:documentKind/scans': { expect: caseScoped({ city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /cases/:id/documents/:documentKind/scans': { expect: caseScoped({ city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /api/cases/:caseId/consultant': { expect: caseScoped({ district: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /api/cases/:caseId/deadlines/:deadline/suspend': { expect: caseScoped({ enterprise: 403, district: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /api/cases/:caseId/deadlines/:deadline/resume': { expect: caseScoped({ enterprise: 403, district: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /api/extensions/': { expect: only(['city']) },
  'GET /api/tasks/': { expect: signedIn() },
  'GET /api/tasks/:taskId': { expect: caseScoped() },
  // the inbox: saved filters are each person's own; bulk actions are the credit offices'; an office's task is claimed by whoever may complete it, released by its holder or an admin
  'GET /api/tasks/filters': { expect: signedIn() },
  'POST /api/tasks/filters': { expect: signedIn() },
  'DELETE /api/tasks/filters/:filterId': { expect: signedIn() },
  'POST /api/tasks/bulk': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province']) },
  'POST /api/tasks/:taskId/claim': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /api/tasks/:taskId/release': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403 }) },
  // the open task is 沙溪镇's district review: the enterprise and the higher offices see it but may not complete it
  'POST /api/tasks/:taskId/complete': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  // a task's draft is for whoever may complete it, as completing is (the review keeps none: 422)
  'GET /api/tasks/:taskId/draft': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'PUT /api/tasks/:taskId/draft': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'GET /api/batches/': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province', 'admin']) },
  'POST /api/batches/': { expect: only(['district', 'otherDistrict']) },
  'POST /api/files/': { expect: signedIn() },
  'GET /api/files/:id': { expect: caseScoped() },
  'GET /api/enterprises/:uscc': { expect: caseScoped() },
  'POST /api/enterprises/:uscc/reveal-id-number': { expect: caseScoped(OFFICES_BUT_CITYWIDE_READ) },
  'GET /api/enterprises/:uscc/id-number-access-log': { expect: caseScoped({ district: 403, prefecture: 403, province: 403 }) },
  'GET /api/enterprises/:uscc/credit-records': { expect: caseScoped() },
  'POST /api/enterprises/:uscc/credit-records': { expect: only(['district', 'city', 'prefecture', 'province'], { otherDistrict: 404 }) },
  'GET /api/drafts/:programId/:track': { expect: only(['enterprise', 'otherEnterprise']) },
  'PUT /api/drafts/:programId/:track': { expect: only(['enterprise', 'otherEnterprise']) },
  'GET /api/me/preferences': { expect: signedIn() },
  'PUT /api/me/preferences': { expect: signedIn() },
  'POST /api/me/calendar-token': { expect: signedIn() },
  'DELETE /api/me/calendar-token': { expect: signedIn() },
  // delivery problems are shown to the credit offices only: to anyone else the mail does not exist
  'POST /api/notifications/:notificationKey/resend': { expect: caseScoped({ enterprise: 404, admin: 404 }) },
  // the certificate register: offices and admins all of it, an enterprise its own, consultants nothing
  'GET /api/certificates/': { expect: signedIn({ consultant: 403 }) },
  'POST /api/certificates/import': { expect: only(['admin']) },
  'POST /api/certificates/:certificateNumber/revoke': { expect: only(['admin']) },
  // the agencies are for everyone signed in to choose from; the admin manages them
  'GET /api/agencies/': { expect: signedIn() },
  'POST /api/agencies/': { expect: only(['admin']) },
  'GET /api/agencies/:agencyId': { expect: signedIn() },
  'PATCH /api/agencies/:agencyId': { expect: only(['admin']) },
  'POST /api/agencies/:agencyId/consultants': { expect: only(['admin']) },
  // the demonstration tracks: quotas for the recommending offices, the acceptance date for the acceptors
  'GET /api/recommendation-quotas': { expect: only(['district', 'otherDistrict', 'city', 'prefecture']) },
  'POST /api/acceptance-schedules': { expect: only(['prefecture', 'province']) },
  // 统计看板: the offices and the admin; a district office sees its own district (never another's numbers)
  'GET /api/dashboard/': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province', 'admin']) },
  'GET /api/dashboard/:chart.csv': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province', 'admin']) },
  // administration: the admin only; anyone else is refused the whole section (403), anonymous goes to log in
  'GET /api/admin/users': { expect: only(['admin']) },
  'POST /api/admin/users': { expect: only(['admin']) },
  'GET /api/admin/users/:userId': { expect: only(['admin']) },
  'PATCH /api/admin/users/:userId': { expect: only(['admin']) },
  'POST /api/admin/users/:userId/deactivate': { expect: only(['admin']) },
  'POST /api/admin/users/:userId/activate': { expect: only(['admin']) },
  'POST /api/admin/users/:userId/set-password-link': { expect: only(['admin']) },
  'GET /api/admin/programs/:programId/versions': { expect: only(['admin']) },
  'PUT /api/admin/programs/:programId/calendar': { expect: only(['admin']) },
  'PUT /api/admin/programs/:programId/quotas': { expect: only(['admin']) },
  'GET /api/admin/audit': { expect: only(['admin']) },
  'GET /api/objections/:objectionId': { expect: only(['city', 'prefecture', 'province']) },
  // publicity is public: the list and the objection form need no login
  'GET /api/publicity/': { expect: everyone() },
  'POST /api/publicity/:caseId/objections': { expect: everyone() },
  // the feed's token is the credential: a wrong one is not found, for anyone
  'GET /calendar/:token.ics': { expect: everyone(404) },

  // ---- pages ----
  'GET /static/htmx.min.js': { expect: everyone() },
  'GET /': { expect: signedIn() },
  'GET /login': { expect: everyone() },
  // empty credentials are simply wrong ones
  'POST /login': { expect: everyone(401) },
  // logging out lands on the login page, for anyone
  'POST /logout': { expect: everyone('login') },
  'GET /tasks': { expect: signedIn() },
  'GET /tasks/:id': { expect: caseScoped() },
  'POST /tasks/:id/complete': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /tasks/:id/draft': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /tasks/:id/claim': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403, admin: 403 }) },
  'POST /tasks/:id/release': { expect: caseScoped({ enterprise: 403, city: 403, prefecture: 403, province: 403 }) },
  'POST /tasks/bulk': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province']) },
  'POST /tasks/filters': { expect: signedIn() },
  'POST /tasks/filters/:filterId/delete': { expect: signedIn() },
  'GET /cases': { expect: signedIn() },
  'GET /cases/:id': { expect: caseScoped() },
  'POST /cases/:id/consultant': { expect: caseScoped({ district: 403, prefecture: 403, province: 403, admin: 403 }) },
  // any version of the application, read-only: whoever may see the case
  'GET /cases/:id/application/versions/:version': { expect: caseScoped() },
  // the logged reveal on the case page: the offices that verify the number (the district's, the city); the enterprise reads it masked there
  'POST /cases/:id/reveal-id-number': { expect: caseScoped({ enterprise: 403, prefecture: 403, province: 403, admin: 403 }) },
  // a credit finding: the credit offices, as POST /api/enterprises/:uscc/credit-records
  'POST /cases/:id/credit-records': { expect: caseScoped({ enterprise: 403, admin: 403 }) },
  'POST /cases/:id/notifications/:notificationKey/resend': { expect: caseScoped({ enterprise: 404, admin: 404 }) },
  'GET /apply': { expect: only(['enterprise', 'otherEnterprise']) },
  'POST /apply': { expect: only(['enterprise', 'otherEnterprise']) },
  'GET /batches': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province', 'admin']) },
  'POST /batches': { expect: only(['district', 'otherDistrict']) },
  'POST /batches/summary-list': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province']) },
  'GET /recommendations': { expect: only(['district', 'otherDistrict', 'city', 'prefecture']) },
  'GET /acceptance-schedules': { expect: only(['prefecture', 'province']) },
  'GET /dashboard': { expect: only(['district', 'otherDistrict', 'city', 'prefecture', 'province', 'admin']) },
  'POST /acceptance-schedules': { expect: only(['prefecture', 'province']) },
  'GET /publicity': { expect: everyone() },
  // certificate verification is public: an unknown number is not found, for anyone
  'GET /verify/:certificateNumber': { expect: everyone(404) },
  'POST /publicity/:caseId/objections': { expect: everyone() },
  'GET /extensions': { expect: only(['city']) },
  'POST /extensions': { expect: only(['city']) },
  'GET /me': { expect: signedIn() },
  'POST /me': { expect: signedIn() },
  'GET /admin/mail-templates': { expect: only(['admin']) },
  'GET /admin/mail-templates/:template': { expect: only(['admin']) },
  'GET /admin/mail-templates/:template/html': { expect: only(['admin']) },
  // the embedded default's caught mail: for admins, and nobody else learns it is there
  'GET /dev/mail': { expect: only(['admin'], Object.fromEntries(USERS.filter((a) => a !== 'admin').map((a) => [a, 404]))) },
  'GET /admin': { expect: only(['admin']) },
  'GET /admin/programs': { expect: only(['admin']) },
  'GET /admin/programs/:programId': { expect: only(['admin']) },
  'POST /admin/programs/:programId/clone': { expect: only(['admin']) },
  'GET /admin/programs/:programId/calendar': { expect: only(['admin']) },
  'POST /admin/programs/:programId/calendar': { expect: only(['admin']) },
  'GET /admin/programs/:programId/quotas': { expect: only(['admin']) },
  'POST /admin/programs/:programId/quotas': { expect: only(['admin']) },
  'GET /admin/users': { expect: only(['admin']) },
  'POST /admin/users': { expect: only(['admin']) },
  'GET /admin/users/:userId': { expect: only(['admin']) },
  'POST /admin/users/:userId': { expect: only(['admin']) },
  'POST /admin/users/:userId/deactivate': { expect: only(['admin']) },
  'POST /admin/users/:userId/activate': { expect: only(['admin']) },
  'POST /admin/users/:userId/set-password-link': { expect: only(['admin']) },
  'GET /admin/agencies': { expect: only(['admin']) },
  'POST /admin/agencies': { expect: only(['admin']) },
  'GET /admin/agencies/:agencyId': { expect: only(['admin']) },
  'POST /admin/agencies/:agencyId': { expect: only(['admin']) },
  'POST /admin/agencies/:agencyId/consultants': { expect: only(['admin']) },
  'GET /admin/certificates': { expect: only(['admin']) },
  'POST /admin/certificates/import': { expect: only(['admin']) },
  'GET /admin/audit': { expect: only(['admin']) },
  // an invitation's set-password page needs no login: the link is the credential, an unknown one is not found
  'GET /set-password/:token': { expect: everyone(404) },
  'POST /set-password/:token': { expect: everyone(404) },
};

let system: TestSystem;
let routes: RouteEntry[];
const tokens = new Map<ActorKey, string | null>();
const values: Record<string, string> = {};

async function session(email: string): Promise<string> {
  const response = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
  return ((await response.json()) as { token: string }).token;
}

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  routes = routeTable(system.app.http);
  await createUser(system.app.orm, { email: 'other-enterprise@demo.local', name: '另一企业', role: 'enterprise', scopeId: uscc(901) }, TEST_PASSWORD);
  await createUser(system.app.orm, { email: 'gangqu@demo.local', name: '港区经发局', role: 'district_officer', scopeId: 'gangqu' }, TEST_PASSWORD);
  const emails: Record<Exclude<ActorKey, 'anonymous'>, string> = {
    enterprise: 'qiye@demo.local',
    otherEnterprise: 'other-enterprise@demo.local',
    district: 'shaxi@demo.local',
    otherDistrict: 'gangqu@demo.local',
    consultant: 'guwen@demo.local',
    city: 'city@demo.local',
    prefecture: 'suzhou@demo.local',
    province: 'jiangsu@demo.local',
    admin: 'admin@demo.local',
  };
  tokens.set('anonymous', null);
  for (const [actor, email] of Object.entries(emails)) tokens.set(actor as ActorKey, await session(email));

  // case A: the demo enterprise's application, waiting for 沙溪镇's review
  const track = await Track.start(system);
  const applied = await track.apply();
  expect(applied.status).toBe(201);
  const task = await track.task(track.district, applied.body.id, 'review');
  const notification = `matrix:${crypto.randomUUID()}`;
  await system.app.orm.em.fork().insert(NotificationRecord, {
    key: notification,
    caseId: applied.body.id,
    taskId: task.id,
    recipient: 'shaxi@demo.local',
    template: 'task-assigned',
    subject: '【待办】矩阵测试',
    status: 'uncertain',
    attempts: 1,
    createdAt: new Date(),
  });
  Object.assign(values, {
    caseId: applied.body.id,
    taskId: task.id,
    fileId: applied.body.application.creditReportFileId ?? '',
    uscc: DEMO_ENTERPRISE_USCC,
    programId: system.program.id,
    track: 'standard',
    deadline: 'acceptanceMaterials',
    notificationKey: notification,
    agencyId: 'agency-demo',
    certificateNumber: '苏信贯标〔2025〕第001号',
    documentKind: 'commitment_letter',
    template: 'certificate',
    token: 'a'.repeat(32),
    chart: 'quotas',
    version: '1',
  });
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

const ruleKey = (route: RouteEntry) => `${route.method} ${route.path}`;

/** A route's path with this test's subjects in place of its parameters. */
function concrete(route: RouteEntry): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    if (name === 'id') return encodeURIComponent(route.path.startsWith('/api/files') ? values.fileId! : route.path.startsWith('/tasks') ? values.taskId! : values.caseId!);
    return encodeURIComponent(values[name] ?? `unknown-${name}`);
  });
}

function classify(status: number, location: string | null, page: boolean): Outcome | `other ${number}` {
  if (page && (status === 302 || status === 303) && location?.startsWith('/login')) return 'login';
  if (!page && status === 401) return 'login';
  if (status === 401 || status === 403 || status === 404) return status;
  if ((status >= 200 && status < 400) || status === 400 || status === 409 || status === 422) return 'ok';
  return `other ${status}`;
}

async function answer(route: RouteEntry, actor: ActorKey): Promise<Outcome | `other ${number}`> {
  const path = concrete(route);
  const page = !path.startsWith('/api/') && !path.startsWith('/calendar/') && path !== '/healthz';
  const token = tokens.get(actor) ?? null;
  if (page) {
    const client = PageClient.withSession(system.url, token);
    const response = route.method === 'GET' ? await client.get(path) : await client.post(path);
    return classify(response.status, response.location, true);
  }
  const response = await fetch(`${system.url}${path}`, {
    method: route.method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(route.method === 'GET' ? {} : { body: '{}' }),
    redirect: 'manual',
  });
  return classify(response.status, response.headers.get('location'), false);
}

test('every route of the API and of the pages has a rule (write one for a new route)', () => {
  expect(routes.length).toBeGreaterThan(40);
  const missing = routes.map(ruleKey).filter((key) => !RULES[key]);
  expect(missing).toEqual([]);
  const stale = Object.keys(RULES).filter((key) => !routes.some((route) => ruleKey(route) === key));
  expect(stale).toEqual([]);
});

test('the OpenAPI document describes every route of the API', async () => {
  const document = (await (await fetch(`${system.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const described = new Set(Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)));
  const asOpenApi = (route: RouteEntry) => `${route.method} ${route.path.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}')}`;
  const api = routes.filter((route) => route.path.startsWith('/api/') || route.path.startsWith('/calendar/') || route.path === '/healthz');
  expect(api.map(asOpenApi).filter((key) => !described.has(key))).toEqual([]);
});

test('every route × anonymous and every role, in and out of scope, answers as its rule says', async () => {
  const wrong: string[] = [];
  // logging out ends the session it is sent with: it goes last
  const ordered = [...routes].sort((a, b) => Number(/logout/.test(a.path)) - Number(/logout/.test(b.path)));
  for (const route of ordered) {
    const rule = RULES[ruleKey(route)];
    if (!rule) continue;
    for (const actor of ACTORS) {
      const got = await answer(route, actor);
      if (got !== rule.expect[actor]) wrong.push(`${ruleKey(route)} as ${actor}: expected ${rule.expect[actor]}, got ${got}`);
    }
  }
  expect(wrong).toEqual([]);
}, 300_000);
