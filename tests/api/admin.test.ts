import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { NotificationRecord, ProgramRecord, SetPasswordTokenRecord, UserRecord } from '../../infra/db/entities.ts';
import { residentId } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { PageClient } from '../support/pages.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';

/**
 * Administration over the API (issue 10): users invited by e-mail with a single-use, expiring
 * set-password link, role and scope changes, deactivation; program revisions; the audit log.
 */
jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

let system: TestSystem;
let admin: ApiClient;
let anonymous: ApiClient;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  admin = await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD);
  anonymous = new ApiClient(system.url);
});
afterAll(async () => {
  await system?.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The set-password link of the newest mail to this address, once the worker has sent it. */
async function linkMailedTo(email: string, after = 0): Promise<{ url: string; token: string; subject: string; text: string }> {
  const mail = await eventually(
    `the set-password mail to ${email}`,
    () => system.mail.messages.filter((m) => m.envelopeTo.includes(email) && m.id > after).at(-1) ?? null,
    (m) => m !== null,
  );
  const url = mail!.text.match(/https?:\/\/\S+\/set-password\/([A-Za-z0-9_-]+)/)!;
  return { url: url[0], token: url[1]!, subject: mail!.subject, text: mail!.text };
}
const lastMailId = () => system.mail.messages.at(-1)?.id ?? 0;

/** The set-password page, as a browser without a session opens and sends it. */
async function setPassword(token: string, password: string, confirm = password) {
  return new PageClient(system.url).post(`/set-password/${token}`, { password, confirm });
}

const login = (email: string, password: string) => anonymous.post('/api/auth/login', { email, password });

describe('inviting a user', () => {
  test('invite → the mail carries a set-password link → the password is set → the login works; the link is single use and only its hash is kept', async () => {
    const invited = await admin.post('/api/admin/users', { email: 'Chen.Jing@Shaxi.example.cn', name: '陈静', role: 'district_officer', scopeId: 'shaxi', locale: 'zh-CN' });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: 'chen.jing@shaxi.example.cn', role: 'district_officer', scopeId: 'shaxi', scopeLabel: '沙溪镇', status: 'invited' });
    // not yet usable: nobody knows its password
    expect((await login('chen.jing@shaxi.example.cn', TEST_PASSWORD)).status).toBe(401);

    const mail = await linkMailedTo('chen.jing@shaxi.example.cn');
    expect(mail.subject).toContain('设置登录密码');
    expect(mail.text).toContain('镇（区）经发中心 · 沙溪镇');
    expect(mail.text).toContain('系统管理员');
    // the token is not stored: its SHA-256 is, and the workflow knows only the link's id
    const link = await system.app.orm.em.fork().findOneOrFail(SetPasswordTokenRecord, { userId: invited.body.id });
    expect(link.tokenHash).toBe(sha256(mail.token));
    const history = await system.app.temporal.workflow.getHandle(`set-password-mail-${link.id}`).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(mail.token);
    await eventually('the list to show the mail as sent', async () => (await admin.get('/api/admin/users?q=chen.jing')).body.users[0]?.link?.mail, (status) => status === 'sent');

    const page = await new PageClient(system.url).get(`/set-password/${mail.token}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('chen.jing@shaxi.example.cn');

    // the two passwords differ: said next to the field, the link still works
    const differ = await setPassword(mail.token, 'a-new-password-1', 'another-password');
    expect(differ.status).toBe(400);
    expect(differ.html).toContain('两次输入的密码不一致');

    const done = await setPassword(mail.token, 'a-new-password-1');
    expect(done.status).toBe(200);
    expect(done.html).toContain('id="password-set"');
    const session = await login('chen.jing@shaxi.example.cn', 'a-new-password-1');
    expect(session.status).toBe(200);
    expect(session.body.actor).toMatchObject({ role: 'district_officer', scopeId: 'shaxi', name: '陈静' });
    expect((await admin.get(`/api/admin/users/${invited.body.id}`)).body).toMatchObject({ status: 'active', link: { usedAt: expect.any(String) } });

    // once only: the same link again is refused with a page that says so
    const again = await setPassword(mail.token, 'a-third-password');
    expect(again.status).toBe(410);
    expect(again.html).toContain('此链接已经使用过');
    expect((await new PageClient(system.url).get(`/set-password/${mail.token}`)).status).toBe(410);
    expect((await login('chen.jing@shaxi.example.cn', 'a-third-password')).status).toBe(401);
    // a link nobody issued is not found
    expect((await new PageClient(system.url).get(`/set-password/${'x'.repeat(43)}`)).status).toBe(404);
  });

  test('an expired link and a replaced one are refused; the new one works', async () => {
    const invited = await admin.post('/api/admin/users', { email: 'late@example.cn', name: 'Late Comer', role: 'city_officer', locale: 'en' });
    expect(invited.status).toBe(201);
    const first = await linkMailedTo('late@example.cn');
    // mailed in the user's language
    expect(first.subject).toContain('Set your password');
    expect(first.text).toContain('City credit office');

    await system.app.orm.em.fork().nativeUpdate(SetPasswordTokenRecord, { tokenHash: sha256(first.token) }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await new PageClient(system.url).get(`/set-password/${first.token}`);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('此链接已过期或已作废');
    expect((await setPassword(first.token, 'too-late-password')).status).toBe(410);
    expect((await admin.get(`/api/admin/users/${invited.body.id}`)).body.link).toMatchObject({ expired: true });

    const before = lastMailId();
    expect((await admin.post(`/api/admin/users/${invited.body.id}/set-password-link`)).status).toBe(200);
    const second = await linkMailedTo('late@example.cn', before);
    expect(second.token).not.toBe(first.token);
    // a third link replaces the second
    const beforeThird = lastMailId();
    expect((await admin.post(`/api/admin/users/${invited.body.id}/set-password-link`)).status).toBe(200);
    const third = await linkMailedTo('late@example.cn', beforeThird);
    expect((await setPassword(second.token, 'replaced-password')).status).toBe(410);
    expect((await setPassword(third.token, 'finally-a-password')).status).toBe(200);
    expect((await login('late@example.cn', 'finally-a-password')).status).toBe(200);
  });

  test('refused: an e-mail with a login already, a scope the role does not have, a district or agency that does not exist', async () => {
    const taken = await admin.post('/api/admin/users', { email: 'shaxi@demo.local', name: '重复', role: 'district_officer', scopeId: 'shaxi' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields).toEqual([expect.objectContaining({ path: 'email' })]);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ role: 'district_officer' }, '须选择所属镇（区）'],
      [{ role: 'district_officer', scopeId: 'atlantis' }, '没有代码为 atlantis 的镇（区）'],
      [{ role: 'consultant', scopeId: 'agency-nowhere' }, '须选择在册且未停用的信用服务机构'],
      [{ role: 'enterprise', scopeId: '91320585MA1TC00010' }, '校验位不正确'],
      [{ role: 'city_officer', scopeId: 'shaxi' }, '该角色不限范围'],
    ];
    for (const [scope, rule] of cases) {
      const refused = await admin.post('/api/admin/users', { email: `someone-${crypto.randomUUID().slice(0, 6)}@example.cn`, name: '某人', ...scope });
      expect({ scope, status: refused.status, fields: refused.body.error.fields }).toEqual({ scope, status: 400, fields: [{ path: 'scopeId', rule: expect.stringContaining(rule) }] });
    }
    expect(await system.app.orm.em.fork().count(UserRecord, { email: { $like: 'someone-%' } })).toBe(0);
  });
});

describe('deactivating, and changing role and scope', () => {
  test('deactivated: the session ends at once, logging in is refused with a plain message; activated again, the old password works', async () => {
    const invited = await admin.post('/api/admin/users', { email: 'leaving@example.cn', name: '离职人员', role: 'city_officer' });
    const { token } = await linkMailedTo('leaving@example.cn');
    expect((await setPassword(token, 'leaving-password')).status).toBe(200);
    const user = await ApiClient.login(system.url, 'leaving@example.cn', 'leaving-password');
    expect((await user.get('/api/auth/me')).status).toBe(200);

    const deactivated = await admin.post(`/api/admin/users/${invited.body.id}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ status: 'deactivated', deactivatedAt: expect.any(String) });
    expect((await user.get('/api/auth/me')).status).toBe(401);
    const refused = await login('leaving@example.cn', 'leaving-password');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('此账号已停用，请联系系统管理员 (this login has been deactivated: ask your administrator)');
    // a wrong password learns nothing about the account
    expect((await login('leaving@example.cn', 'wrong-password')).body.error.message).toContain('电子邮箱或密码不正确');
    // the page's login says it in plain words too
    const page = await new PageClient(system.url).post('/login', { email: 'leaving@example.cn', password: 'leaving-password' });
    expect(page.status).toBe(401);
    expect(page.html).toContain('此账号已停用，请联系系统管理员');
    // a link cannot be sent to a deactivated login, and the admin cannot deactivate themself
    expect((await admin.post(`/api/admin/users/${invited.body.id}/set-password-link`)).status).toBe(409);
    expect((await admin.post(`/api/admin/users/${system.userIds.get('admin@demo.local')}/deactivate`)).status).toBe(409);

    expect((await admin.post(`/api/admin/users/${invited.body.id}/activate`)).body.status).toBe('active');
    expect((await login('leaving@example.cn', 'leaving-password')).status).toBe(200);
  });

  test('a new role and scope take effect on the user’s next request, without logging in again', async () => {
    const invited = await admin.post('/api/admin/users', { email: 'moving@example.cn', name: '调动人员', role: 'district_officer', scopeId: 'shaxi' });
    const { token } = await linkMailedTo('moving@example.cn');
    expect((await setPassword(token, 'moving-password')).status).toBe(200);
    const user = await ApiClient.login(system.url, 'moving@example.cn', 'moving-password');
    expect((await user.get('/api/auth/me')).body.actor).toMatchObject({ role: 'district_officer', scopeId: 'shaxi' });
    expect((await user.get('/api/dashboard')).status).toBe(200);

    const moved = await admin.request('PATCH', `/api/admin/users/${invited.body.id}`, { scopeId: 'gangqu' });
    expect(moved.body).toMatchObject({ scopeId: 'gangqu', scopeLabel: '港区' });
    expect((await user.get('/api/auth/me')).body.actor).toMatchObject({ role: 'district_officer', scopeId: 'gangqu' });

    // a consultant now: the role needs its agency, and the district offices' pages are closed to them
    expect((await admin.request('PATCH', `/api/admin/users/${invited.body.id}`, { role: 'consultant' })).body.error.fields).toEqual([{ path: 'scopeId', rule: expect.stringContaining('须选择所属机构') }]);
    const consultant = await admin.request('PATCH', `/api/admin/users/${invited.body.id}`, { role: 'consultant', scopeId: 'agency-demo' });
    expect(consultant.body).toMatchObject({ role: 'consultant', scopeId: 'agency-demo', scopeLabel: '苏州示例信用服务有限公司' });
    expect((await user.get('/api/auth/me')).body.actor).toMatchObject({ role: 'consultant', scopeId: 'agency-demo' });
    expect((await user.get('/api/dashboard')).status).toBe(403);
    // the admin's own role stays
    expect((await admin.request('PATCH', `/api/admin/users/${system.userIds.get('admin@demo.local')}`, { role: 'city_officer' })).status).toBe(409);
  });

  test('users by name, e-mail, role and status', async () => {
    const found = await admin.get(`/api/admin/users?q=${encodeURIComponent('沙溪镇')}`);
    expect(found.body.users.map((u: { email: string }) => u.email)).toContain('shaxi@demo.local');
    const consultants = await admin.get('/api/admin/users?role=consultant');
    expect(consultants.body.users.every((u: { role: string }) => u.role === 'consultant')).toBe(true);
    const deactivated = await admin.get('/api/admin/users?status=deactivated');
    expect(deactivated.status).toBe(200);
    expect((await admin.get('/api/admin/users?role=king')).status).toBe(400);
  });

  test('only the admin: the other roles are refused, anonymous must log in', async () => {
    for (const email of ['qiye@demo.local', 'shaxi@demo.local', 'city@demo.local', 'guwen@demo.local']) {
      const other = await ApiClient.login(system.url, email, TEST_PASSWORD);
      expect((await other.get('/api/admin/users')).status).toBe(403);
      expect((await other.post('/api/admin/users', { email: 'x@example.cn', name: 'x', role: 'admin' })).status).toBe(403);
      expect((await other.get('/api/admin/audit')).status).toBe(403);
      expect((await PageClient.withSession(system.url, (other as unknown as { token: string }).token).get('/admin/users')).status).toBe(403);
    }
    expect((await anonymous.get('/api/admin/users')).status).toBe(401);
  });
});

describe('program revisions', () => {
  test('holidays and quotas make the next version; the old version stays as it was; a stale edit is a 409', async () => {
    const id = system.program.id;
    const calendar = { holidays: ['2026-10-01', '2026-10-02', '2026-10-05'], adjustedWorkingDays: ['2026-10-10'], rollDeadlinesToWorkingDay: true, baseVersion: 1 };
    const wrong = await admin.put(`/api/admin/programs/${id}/calendar`, { ...calendar, holidays: ['2026-02-30', '2031-01-01'], adjustedWorkingDays: ['2026-10-12'] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['holidays', 'adjustedWorkingDays']);
    expect(wrong.body.error.fields[0].rule).toContain('2026-02-30：不是有效日期');
    expect(wrong.body.error.fields[0].rule).toContain('2031-01-01：不在2026年内');

    const revised = await admin.put(`/api/admin/programs/${id}/calendar`, calendar);
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ changed: true, program: { id, version: 2, calendar: { holidays: calendar.holidays, adjustedWorkingDays: calendar.adjustedWorkingDays, rollDeadlinesToWorkingDay: true } } });
    const versions = await system.app.orm.em.fork().find(ProgramRecord, { id }, { orderBy: { version: 'asc' } });
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.definition.calendar).toEqual(system.program.calendar);
    // the same again: nothing changes; an edit of version 1 now: someone changed it meanwhile
    expect((await admin.put(`/api/admin/programs/${id}/calendar`, { ...calendar, baseVersion: 2 })).body.changed).toBe(false);
    expect((await admin.put(`/api/admin/programs/${id}/calendar`, { ...calendar, holidays: [] })).status).toBe(409);

    const quotas = await admin.put(`/api/admin/programs/${id}/quotas`, { districts: { shaxi: { standard: 6 } }, city: { 'municipal-demo': 5 }, baseVersion: 2 });
    expect(quotas.status).toBe(200);
    expect(quotas.body.program.version).toBe(3);
    expect(quotas.body.program.districts.find((d: { code: string }) => d.code === 'shaxi').quotas.standard).toBe(6);
    expect(quotas.body.program.calendar.holidays).toEqual(calendar.holidays);
    expect((await admin.put(`/api/admin/programs/${id}/quotas`, { districts: { atlantis: { standard: 1 } } })).status).toBe(400);
    expect((await admin.put(`/api/admin/programs/${id}/quotas`, { districts: { shaxi: { standard: -1 } } })).status).toBe(400);
    // the public program is the latest version
    expect((await anonymous.get(`/api/programs/${id}`)).body.version).toBe(3);
  });
});

describe('the audit log', () => {
  test('finds who read an identity number (masked) and who decided what (a comment’s identity number masked), by person, enterprise, case, kind and date', async () => {
    const track = await Track.start(system);
    const applied = await track.apply();
    expect(applied.status).toBe(201);
    const caseId = applied.body.id as string;
    const fullNumber = residentId();
    expect((await track.district.post(`/api/enterprises/${DEMO_ENTERPRISE_USCC}/reveal-id-number`)).body.legalRepresentativeIdNumber).toBe(fullNumber);
    const comment = `法定代表人身份证号 ${fullNumber} 已核对，同意。`;
    expect((await track.complete(track.district, caseId, { outcome: 'approve', comment }, 'review')).status).toBe(200);
    const masked = `${fullNumber.slice(0, 6)}********${fullNumber.slice(-4)}`;

    const reveals = await eventually('the reveal in the log', () => admin.get(`/api/admin/audit?kind=reveal&uscc=${DEMO_ENTERPRISE_USCC}`), (r) => r.body.entries?.length > 0);
    expect(reveals.body.entries[0]).toMatchObject({ kind: 'reveal', actorName: '陈静（沙溪镇经发中心）', actorRole: 'district_officer', enterprise: { uscc: DEMO_ENTERPRISE_USCC, name: '太仓示例精密机械有限公司' }, maskedNumber: masked });

    const decisions = await eventually('the decision in the log', () => admin.get(`/api/admin/audit?caseId=${caseId}&kind=decision`), (r) => r.body.entries?.some((e: { action: string }) => e.action === 'decision'));
    const decision = decisions.body.entries.find((e: { action: string }) => e.action === 'decision');
    expect(decision).toMatchObject({ kind: 'decision', caseId, stage: 'district_review', outcome: 'approve', actorName: '陈静（沙溪镇经发中心）', comment: `法定代表人身份证号 ${masked} 已核对，同意。` });
    expect(decisions.body.entries.some((e: { action: string }) => e.action === 'submitted')).toBe(true);

    // by case without a kind: its events and the reads of its enterprise's number, never the full number
    const byCase = await admin.get(`/api/admin/audit?caseId=${caseId}`);
    expect(new Set(byCase.body.entries.map((e: { kind: string }) => e.kind))).toEqual(new Set(['reveal', 'decision']));
    expect(JSON.stringify(byCase.body)).not.toContain(fullNumber);
    // by person (part of a name, or the login), and by date
    const byPerson = await admin.get(`/api/admin/audit?person=${encodeURIComponent('shaxi@demo')}`);
    expect(byPerson.body.entries.length).toBeGreaterThan(1);
    expect(byPerson.body.entries.every((e: { actorName: string }) => e.actorName === '陈静（沙溪镇经发中心）')).toBe(true);
    expect((await admin.get(`/api/admin/audit?person=${encodeURIComponent('陈静')}&kind=reveal`)).body.entries.length).toBeGreaterThan(0);
    expect((await admin.get(`/api/admin/audit?caseId=${caseId}&from=2020-01-01&to=2020-12-31`)).body.entries).toEqual([]);
    // the admin's own changes are in it too
    const userChanges = await admin.get('/api/admin/audit?kind=user&person=admin%40demo.local');
    expect(userChanges.body.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['user.invited', 'user.deactivated', 'user.updated']));
    const programChanges = await admin.get('/api/admin/audit?kind=program');
    expect(programChanges.body.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['program.calendar', 'program.quotas']));
    // refused: an end before the start, a malformed credit code
    expect((await admin.get('/api/admin/audit?from=2026-05-02&to=2026-05-01')).body.error.fields).toEqual([{ path: 'query.to', rule: expect.stringContaining('结束日期不能早于开始日期') }]);
    expect((await admin.get('/api/admin/audit?uscc=123')).status).toBe(400);
    // the mail log of the links holds them (as it holds every mail's links); nothing else does
    expect(await system.app.orm.em.fork().count(NotificationRecord, { template: 'set-password' })).toBeGreaterThan(0);
  });
});
