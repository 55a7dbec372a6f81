import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DEMO_ENTERPRISE_USCC, seedAgencies } from '../../app/seed.ts';
import { createAgencyService } from '../../features/registers/agencyService.ts';
import { createCertificateService } from '../../features/registers/certificateService.ts';
import { checkPrerequisite } from '../../domain/eligibility/prerequisites.ts';
import { USCC_RULE_MESSAGES } from '../../domain/identity/uscc.ts';
import { addYears } from '../../domain/eligibility/eligibility.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { CertificateRecord } from '../../infra/db/entities.ts';
import { CertificateNumberTaken, recordIssued } from '../../infra/db/certificates.ts';
import { openOrm } from '../../infra/db/orm.ts';
import { DRIVERS, freshPostgresUrl } from '../support/database.ts';
import { uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';

/** The registers of issue 8: certificates (with the admin's CSV import) and credit service agencies. */
let system: TestSystem;
let admin: ApiClient;
let city: ApiClient;
let district: ApiClient;
let enterprise: ApiClient;
let consultant: ApiClient;
let anonymous: ApiClient;

const HEADER = 'uscc,track,number,issuedOn';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');
/** A number no other test uses. */
const fresh = (label: string) => `测试证书〔${label}〕${crypto.randomUUID().slice(0, 8)}`;
const today = () => localDate(new Date(), 'Asia/Shanghai');
/** The code with another check character. */
const wrongCheck = (code: string) => code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
const storedWith = (numbers: string[]) => system.app.orm.em.fork().find(CertificateRecord, { number: { $in: numbers } });

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  await seedAgencies(system.app.orm, TEST_PASSWORD);
  const login = (email: string) => ApiClient.login(system.url, email, TEST_PASSWORD);
  [admin, city, district, enterprise, consultant] = await Promise.all(['admin@demo.local', 'city@demo.local', 'shaxi@demo.local', 'qiye@demo.local', 'guwen@demo.local'].map(login)) as [ApiClient, ApiClient, ApiClient, ApiClient, ApiClient];
  anonymous = new ApiClient(system.url);
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

describe('certificate import (CSV)', () => {
  test('a report of rows accepted and refused, each refusal with its reason; accepted rows are stored', async () => {
    const onRecord = fresh('on-record');
    expect((await admin.post('/api/certificates/import', { csv: csv(`${uscc(301)},standard,${onRecord},2024-03-01`) })).body.accepted).toHaveLength(1);

    const good = fresh('good');
    const municipal = fresh('municipal');
    const twice = fresh('twice');
    const future = addYears(today(), 1);
    const file = [
      HEADER, // 1
      `${DEMO_ENTERPRISE_USCC},standard,${good},2025-07-01`, // 2
      `${wrongCheck(uscc(302))},standard,${fresh('bad-uscc')},2025-07-01`, // 3: wrong check character
      `${uscc(303)},金牌,${fresh('track')},2025-07-01`, // 4: unknown track
      `${uscc(304)},standard,${fresh('slash')},2025/07/01`, // 5: not YYYY-MM-DD
      `${uscc(305)},standard,${fresh('future')},${future}`, // 6: in the future
      `${uscc(306)},standard,${twice},2025-01-01`, // 7: same number as line 8
      `${uscc(307)},standard,${twice},2025-01-02`, // 8
      `${uscc(301)},standard,${onRecord},2024-03-01`, // 9: already on record
      `${uscc(308)},standard,"${fresh('multi')}`, // 10: a quoted cell spanning two lines
      `line",2025-07-01`, // 11
      '', // 12: blank lines and empty rows are skipped
      `${uscc(309).toLowerCase()},市级示范,${municipal},2025-12-20`, // 13: lower-case code, Chinese track word
      `${uscc(310)},standard,${fresh('short')}`, // 14: a column missing
      ',,,', // 15
    ].join('\r\n');
    const answer = await admin.post('/api/certificates/import', { csv: file });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toEqual([
      { line: 2, uscc: DEMO_ENTERPRISE_USCC, number: good },
      { line: 13, uscc: uscc(309), number: municipal },
    ]);
    const refused = Object.fromEntries((answer.body.refused as { line: number; reasons: string[] }[]).map((r) => [r.line, r.reasons.join(' | ')]));
    expect(Object.keys(refused).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 14]);
    expect(refused[3]).toContain(USCC_RULE_MESSAGES.check_character);
    expect(refused[4]).toContain('类别“金牌”无法识别');
    expect(refused[5]).toContain('YYYY-MM-DD');
    expect(refused[6]).toContain('晚于今天');
    expect(refused[7]).toContain('与第8行重复');
    expect(refused[8]).toContain('与第7行重复');
    expect(refused[9]).toContain('已登记 (already on record)');
    expect(refused[10]).toContain('不能换行');
    expect(refused[14]).toContain('应有4列，实有3列');

    const stored = await storedWith([good, municipal, twice]);
    expect(stored.map((c) => ({ uscc: c.uscc, track: c.track, issuedOn: c.issuedOn, source: c.source, issuedBy: c.issuedBy, importedBy: c.importedBy })).sort((a, b) => a.issuedOn.localeCompare(b.issuedOn))).toEqual([
      { uscc: DEMO_ENTERPRISE_USCC, track: 'standard', issuedOn: '2025-07-01', source: 'import', issuedBy: '苏州市信用办', importedBy: system.userIds.get('admin@demo.local') },
      { uscc: uscc(309), track: 'municipal-demo', issuedOn: '2025-12-20', source: 'import', issuedBy: '苏州市信用办', importedBy: system.userIds.get('admin@demo.local') },
    ]);

    // the same file again: every row is refused, the stored ones as already on record; nothing is stored twice
    const again = await admin.post('/api/certificates/import', { csv: file });
    expect(again.status).toBe(200);
    expect(again.body.accepted).toEqual([]);
    const refusedAgain = Object.fromEntries((again.body.refused as { line: number; reasons: string[] }[]).map((r) => [r.line, r.reasons.join(' | ')]));
    expect(Object.keys(refusedAgain).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14]);
    expect(refusedAgain[2]).toContain('已登记 (already on record)');
    expect(refusedAgain[13]).toContain('已登记 (already on record)');
    expect(await storedWith([good, municipal])).toHaveLength(2);
  });

  test('the Chinese header, columns in any order, a spreadsheet BOM; track words 贯标 and 省级示范', async () => {
    const a = fresh('zh-a');
    const b = fresh('zh-b');
    const file = `\uFEFF证书编号,统一社会信用代码,发证日期,类别\n${a},${uscc(311)},2023-05-06,贯标\n"${b}",${uscc(312)},2024-05-06,省级示范\n`;
    const answer = await admin.post('/api/certificates/import', { csv: file });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: [{ line: 2, uscc: uscc(311), number: a }, { line: 3, uscc: uscc(312), number: b }], refused: [] });
    const stored = await storedWith([a, b]);
    expect(Object.fromEntries(stored.map((c) => [c.number, [c.track, c.issuedBy]]))).toEqual({ [a]: ['standard', '苏州市信用办'], [b]: ['provincial-demo', '江苏省信用办'] });
  });

  test('a file that cannot be read as certificates is refused whole (400, naming csv), and nothing is stored', async () => {
    const number = fresh('whole');
    const noHeader = await admin.post('/api/certificates/import', { csv: `${uscc(313)},standard,${number},2025-01-01` });
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.fields).toEqual([{ path: 'csv', rule: expect.stringContaining('表头') }]);
    const unclosed = await admin.post('/api/certificates/import', { csv: csv(`${uscc(313)},standard,${number},2025-01-01`, `${uscc(314)},standard,"open,2025-01-01`) });
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error.message).toContain('第3行');
    const headerOnly = await admin.post('/api/certificates/import', { csv: HEADER });
    expect(headerOnly.status).toBe(400);
    // a control character anywhere is refused before the import runs
    const control = await admin.post('/api/certificates/import', { csv: csv(`${uscc(313)},standard,${number}\u0007,2025-01-01`) });
    expect(control.status).toBe(400);
    expect(control.body.error.fields[0].path).toBe('csv');
    expect((await admin.post('/api/certificates/import', {})).status).toBe(400);
    expect(await storedWith([number, `${number}\u0007`])).toEqual([]);
  });

  test('concurrent imports of one file store each certificate once; the others refuse or ask to import again', async () => {
    const numbers = Array.from({ length: 20 }, (_, i) => fresh(`race${i}`));
    const file = csv(...numbers.map((n, i) => `${uscc(400 + i)},standard,${n},2025-02-03`));
    const answers = await Promise.all(Array.from({ length: 4 }, () => admin.post('/api/certificates/import', { csv: file })));
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const stored = answers.filter((a) => a.status === 200 && a.body.accepted.length > 0);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body.accepted).toHaveLength(20);
    for (const other of answers.filter((a) => a !== stored[0] && a.status === 200)) expect(other.body.refused).toHaveLength(20);
    expect(await storedWith(numbers)).toHaveLength(20);
  });

  test('only the admin imports', async () => {
    for (const client of [city, district, enterprise, consultant]) expect((await client.post('/api/certificates/import', { csv: csv() })).status).toBe(403);
    expect((await anonymous.post('/api/certificates/import', { csv: csv() })).status).toBe(401);
  });
});

describe('certificate register: who sees what, revocation', () => {
  const own = fresh('own');
  const other = fresh('other');

  beforeAll(async () => {
    const answer = await admin.post('/api/certificates/import', { csv: csv(`${DEMO_ENTERPRISE_USCC},standard,${own},2024-01-15`, `${uscc(501)},standard,${other},2024-01-16`) });
    expect(answer.body.accepted).toHaveLength(2);
  });

  const numbersOf = (answer: { body: { certificates: { number: string }[] } }) => answer.body.certificates.map((c) => c.number);

  test('offices and the admin see the whole register; an enterprise its own; a consultant nothing', async () => {
    for (const office of [admin, city, district]) {
      const all = await office.get('/api/certificates');
      expect(all.status).toBe(200);
      expect(numbersOf(all)).toEqual(expect.arrayContaining([own, other]));
    }
    const filtered = await city.get(`/api/certificates?uscc=${uscc(501)}`);
    expect(numbersOf(filtered)).toEqual([other]);
    expect(filtered.body.certificates[0]).toMatchObject({ uscc: uscc(501), track: 'standard', issuedOn: '2024-01-16', source: 'import', importedBy: system.userIds.get('admin@demo.local') });

    const mine = await enterprise.get('/api/certificates');
    expect(mine.status).toBe(200);
    expect(numbersOf(mine)).toContain(own);
    expect(numbersOf(mine)).not.toContain(other);
    expect(mine.body.certificates.every((c: { uscc: string; importedBy?: unknown }) => c.uscc === DEMO_ENTERPRISE_USCC && c.importedBy === undefined)).toBe(true);
    expect((await enterprise.get(`/api/certificates?uscc=${uscc(501)}`)).status).toBe(403);
    expect((await consultant.get('/api/certificates')).status).toBe(403);
    expect((await anonymous.get('/api/certificates')).status).toBe(401);
    expect((await city.get('/api/certificates?uscc=nope')).status).toBe(400);
  });

  test('the admin revokes a certificate with a reason: it stays on record, marked, and no longer counts', async () => {
    const certificates = createCertificateService(system.app.orm);
    const prerequisite = { certificate: 'standard' as const, minYears: 1 };
    const names = { standard: '信用管理贯标' };
    expect(checkPrerequisite({ applicationDate: '2026-07-01', certificates: await certificates.forEnterprise(uscc(501)) }, prerequisite, names)).toBeNull();

    expect((await city.post(`/api/certificates/${encodeURIComponent(other)}/revoke`, { reason: '弄虚作假' })).status).toBe(403);
    expect((await admin.post(`/api/certificates/${encodeURIComponent(other)}/revoke`, {})).status).toBe(400);
    const revoked = await admin.post(`/api/certificates/${encodeURIComponent(other)}/revoke`, { reason: '信用承诺弄虚作假，撤销证书' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ number: other, revokedReason: '信用承诺弄虚作假，撤销证书', revokedAt: expect.any(String) });
    const again = await admin.post(`/api/certificates/${encodeURIComponent(other)}/revoke`, { reason: '再次' });
    expect(again.status).toBe(409);
    expect((await admin.post(`/api/certificates/${encodeURIComponent(fresh('none'))}/revoke`, { reason: '不存在' })).status).toBe(404);

    const listed = (await city.get(`/api/certificates?uscc=${uscc(501)}`)).body.certificates;
    expect(listed).toEqual([expect.objectContaining({ number: other, revokedReason: '信用承诺弄虚作假，撤销证书' })]);
    const held = await certificates.forEnterprise(uscc(501));
    expect(held).toEqual([{ track: 'standard', number: other, issuedOn: '2024-01-16', revoked: true }]);
    const failure = checkPrerequisite({ applicationDate: '2026-07-01', certificates: held }, prerequisite, names);
    expect(failure).toMatchObject({ rule: 'prerequisite_certificate', eligibleFrom: null });
    expect(failure!.message).toContain('已撤销');
  });

  test('a case records its certificate by number: a retry finds its own row, another holder is never overwritten', async () => {
    const em = () => system.app.orm.em.fork();
    const number = fresh('case');
    const issued = { uscc: uscc(502), track: 'municipal-demo' as const, number, issuedOn: '2026-05-01', issuedBy: '苏州市信用办', caseId: `case-x-municipal-demo-${uscc(502)}` };
    const first = await recordIssued(em(), issued);
    const retry = await recordIssued(em(), issued);
    expect(retry.id).toBe(first.id);
    expect(retry).toMatchObject({ source: 'case', caseId: issued.caseId, importedBy: null });
    await expect(recordIssued(em(), { ...issued, uscc: uscc(503), caseId: `case-x-municipal-demo-${uscc(503)}` })).rejects.toThrow(CertificateNumberTaken);
    await expect(recordIssued(em(), { ...issued, number: own, uscc: DEMO_ENTERPRISE_USCC, track: 'standard' })).rejects.toThrow(CertificateNumberTaken);
    expect(await storedWith([number])).toHaveLength(1);
    expect((await storedWith([own]))[0]).toMatchObject({ source: 'import', caseId: null });
  });
});

describe('credit service agencies (信用服务机构)', () => {
  test('the demo agencies are registered, and the demo consultant belongs to one', async () => {
    const listed = await enterprise.get('/api/agencies');
    expect(listed.status).toBe(200);
    expect(listed.body.agencies.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(['agency-demo', 'agency-jiangnan']));
    const demo = await enterprise.get('/api/agencies/agency-demo');
    expect(demo.body).toMatchObject({ id: 'agency-demo', name: '苏州示例信用服务有限公司', active: true });
    expect(demo.body.consultants).toEqual([{ userId: system.userIds.get('guwen@demo.local'), name: expect.stringContaining('李强') }]);
    expect((await anonymous.get('/api/agencies')).status).toBe(401);
    expect((await enterprise.get('/api/agencies/no-such-agency')).status).toBe(404);
    expect((await enterprise.get('/api/agencies/Bad_Id')).status).toBe(400);
  });

  test('the admin registers, changes and deactivates an agency; others may not', async () => {
    const body = { id: 'agency-test-a', name: '测试信用管理咨询有限公司', uscc: uscc(601), contactPerson: '钱明', contactPhone: '0512-55550000', address: '太仓市示例路2号' };
    for (const client of [city, district, enterprise, consultant]) expect((await client.post('/api/agencies', body)).status).toBe(403);
    const created = await admin.post('/api/agencies', body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...body, active: true });
    expect((await admin.post('/api/agencies', { ...body, id: 'agency-test-b' })).body.error.fields).toEqual([{ path: 'uscc', rule: expect.any(String) }]);
    expect((await admin.post('/api/agencies', { ...body, uscc: uscc(602) })).status).toBe(409);
    expect((await admin.post('/api/agencies', { ...body, id: 'agency-test-c', uscc: 'ABC' })).body.error.fields).toEqual([{ path: 'uscc', rule: expect.any(String) }]);
    const generated = await admin.post('/api/agencies', { ...body, id: undefined, uscc: uscc(603) });
    expect(generated.status).toBe(201);
    expect(generated.body.id).toMatch(/^agency-[0-9a-f]{8}$/);

    expect((await city.request('PATCH', '/api/agencies/agency-test-a', { name: '改名' })).status).toBe(403);
    expect((await admin.request('PATCH', '/api/agencies/agency-test-a', {})).status).toBe(400);
    expect((await admin.request('PATCH', '/api/agencies/agency-test-a', { uscc: uscc(604) })).status).toBe(400);
    const renamed = await admin.request('PATCH', '/api/agencies/agency-test-a', { name: '测试信用服务有限公司', contactPhone: '0512-55551111' });
    expect(renamed.body).toMatchObject({ name: '测试信用服务有限公司', contactPhone: '0512-55551111', address: body.address });

    const agencies = createAgencyService(system.app.orm);
    await expect(agencies.requireAgency('agency-test-a')).resolves.toMatchObject({ id: 'agency-test-a' });
    expect((await admin.request('PATCH', '/api/agencies/agency-test-a', { active: false })).body.active).toBe(false);
    // a deactivated agency is the admin's only: nobody else can find or choose it
    expect((await enterprise.get('/api/agencies')).body.agencies.map((a: { id: string }) => a.id)).not.toContain('agency-test-a');
    expect((await enterprise.get('/api/agencies/agency-test-a')).status).toBe(404);
    expect((await admin.get('/api/agencies')).body.agencies.map((a: { id: string }) => a.id)).toContain('agency-test-a');
    await expect(agencies.requireAgency('agency-test-a')).rejects.toMatchObject({ code: 'unprocessable', fields: [{ path: 'agencyId', rule: expect.any(String) }] });
    await expect(agencies.requireAgency('no-such-agency')).rejects.toMatchObject({ code: 'unprocessable', fields: [{ path: 'agencyId', rule: expect.any(String) }] });
    expect((await admin.request('PATCH', '/api/agencies/no-such-agency', { active: false })).status).toBe(404);
  });

  test('the admin adds a consultant: they log in with scope = the agency, and the agency may name them', async () => {
    const agencies = createAgencyService(system.app.orm);
    const body = { name: '冯新', email: 'Feng.Xin@Agency.example', password: 'initial-pass-1' };
    expect((await city.post('/api/agencies/agency-jiangnan/consultants', body)).status).toBe(403);
    expect((await admin.post('/api/agencies/no-such-agency/consultants', body)).status).toBe(404);
    expect((await admin.post('/api/agencies/agency-jiangnan/consultants', { ...body, password: 'short' })).body.error.fields).toEqual([{ path: 'password', rule: expect.any(String) }]);
    const added = await admin.post('/api/agencies/agency-jiangnan/consultants', body);
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ userId: expect.any(String), name: '冯新', email: 'feng.xin@agency.example', active: true });
    expect((await admin.post('/api/agencies/agency-demo/consultants', { ...body, email: 'feng.xin@agency.example' })).status).toBe(409);

    const login = await ApiClient.login(system.url, 'feng.xin@agency.example', 'initial-pass-1');
    const me = await login.get('/api/auth/me');
    expect(me.body.actor).toEqual({ userId: added.body.userId, name: '冯新', role: 'consultant', scopeId: 'agency-jiangnan' });

    // names for everyone, logins for the admin
    const seen = (await enterprise.get('/api/agencies/agency-jiangnan')).body.consultants;
    expect(seen).toEqual(expect.arrayContaining([{ userId: added.body.userId, name: '冯新' }]));
    expect(JSON.stringify(seen)).not.toContain('@');
    expect((await admin.get('/api/agencies/agency-jiangnan')).body.consultants).toEqual(expect.arrayContaining([{ userId: added.body.userId, name: '冯新', email: 'feng.xin@agency.example', active: true }]));

    await expect(agencies.requireConsultantOf('agency-jiangnan', added.body.userId)).resolves.toEqual({
      agency: expect.objectContaining({ id: 'agency-jiangnan' }),
      consultant: { userId: added.body.userId, name: '冯新' },
    });
    // a consultant of another agency, someone who is no consultant, or no user id at all
    for (const userId of [system.userIds.get('guwen@demo.local')!, system.userIds.get('qiye@demo.local')!, 'not-a-uuid']) {
      await expect(agencies.requireConsultantOf('agency-jiangnan', userId)).rejects.toMatchObject({ code: 'unprocessable', fields: [{ path: 'consultantUserId', rule: expect.any(String) }] });
    }
    await expect(agencies.requireConsultantOf('no-such-agency', added.body.userId)).rejects.toMatchObject({ fields: [{ path: 'agencyId', rule: expect.any(String) }] });
  });
});

describe.each(DRIVERS)('the registers migration on %s', (driver) => {
  test('certificates the 贯标 track issued before the register are taken into it from their cases', async () => {
    const orm = await openOrm(driver === 'postgresql' ? { driver, url: await freshPostgresUrl() } : { driver, dataDir: null });
    try {
      await orm.migrator.up({ to: 'Migration20261121_init' });
      const sql = orm.em.getConnection();
      await sql.execute(`insert into enterprises values ('${uscc(701)}', '老企业', 'shaxi', '王建国', '2015-03-01', '0512-1234567', now())`);
      for (const [id, n] of [['case-certified', 701], ['case-running', 702]] as const) {
        await sql.execute(`insert into cases values ('${id}', 'taicang-2025', 1, 2025, 'standard', '${uscc(n)}', '老企业', 'shaxi', 'district_review', 'active', '{}', 1, '${crypto.randomUUID()}', now(), now())`);
      }
      await orm.migrator.up({ to: 'Migration20261122_serverSecrets' });
      await sql.execute(`update cases set status = 'certified', certificate_number = '苏信贯标〔2025〕第007号', certificate_issued_on = '2025-07-20', closed_at = now() where id = 'case-certified'`);
      await orm.migrator.up();
      const rows = await sql.execute(`select uscc, track, number, issued_on, issued_by, source, case_id, imported_by, revoked_at from certificates`);
      expect(rows).toEqual([
        { uscc: uscc(701), track: 'standard', number: '苏信贯标〔2025〕第007号', issued_on: '2025-07-20', issued_by: '苏州市信用办', source: 'case', case_id: 'case-certified', imported_by: null, revoked_at: null },
      ]);
    } finally {
      await orm.close();
    }
  });
});
