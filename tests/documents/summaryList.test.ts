import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createUser } from '../../app/seed.ts';
import { chineseDate } from '../../domain/documents/documents.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { PageClient } from '../support/pages.ts';
import { readPdf } from '../support/pdf.ts';
import { TEST_PASSWORD, TEST_YEAR, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * 汇总表: a district's list of a track's cases (镇（区）汇总后报经信委) and the city's (汇总后报苏州市
 * 信用办), printed from the cases as they stand, read back as text (pdftotext) and kept as page images.
 */
let system: TestSystem;
/** the demo enterprise and a second one, both of 沙溪镇; a third of 港区 */
let shaxi: Track;
let shaxiSecond: Track;
let gangqu: Track;
let gangquOfficer: ApiClient;
const cases: Record<'first' | 'second' | 'port', { id: string; name: string; uscc: string; appliedOn: string }> = {} as never;

let portList: { fileId: string; sha256: string };

const TITLE = `${TEST_YEAR}年度太仓市信用管理贯标企业汇总表`;
const COLUMNS = ['序号', '镇（区）', '企业名称', '统一社会信用代码', '类别', '当前阶段', '状态', '申报日期'];

async function enterprise(email: string, n: number): Promise<Track> {
  await createUser(system.app.orm, { email, name: `企业用户${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

async function apply(track: Track, key: keyof typeof cases, overrides: Record<string, string>) {
  const applied = await track.apply(overrides);
  expect(applied.status).toBe(201);
  const view = (await track.enterprise.get(`/api/cases/${encodeURIComponent(applied.body.id)}`)).body;
  cases[key] = { id: applied.body.id, name: view.enterprise.name, uscc: view.enterprise.uscc, appliedOn: chineseDate(localDate(new Date(view.submittedAt), system.program.timeZone)) };
}

const print = (client: ApiClient, body?: unknown, track = 'standard') => client.post(`/api/programs/${system.program.id}/summary-lists/${track}`, body);
const read = async (client: ApiClient, fileId: string, artefact: string) => {
  const file = await client.download(`/api/files/${fileId}`);
  expect(file.status).toBe(200);
  expect(file.type).toContain('application/pdf');
  return readPdf(file.bytes, artefact);
};

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  shaxi = await Track.start(system);
  shaxiSecond = await enterprise('shaxi-second@demo.local', 702);
  gangqu = await enterprise('gangqu-port@demo.local', 701);
  await createUser(system.app.orm, { email: 'gangqu@demo.local', name: '赵磊（港区经发局）', role: 'district_officer', scopeId: 'gangqu' }, TEST_PASSWORD);
  gangquOfficer = await ApiClient.login(system.url, 'gangqu@demo.local', TEST_PASSWORD);
  await apply(shaxi, 'first', {});
  await apply(shaxiSecond, 'second', { uscc: uscc(702), enterpriseName: '太仓沙溪示例纺织有限公司' });
  await apply(gangqu, 'port', { uscc: uscc(701), enterpriseName: '太仓港区示例物流有限公司', district: 'gangqu', registeredAddress: '太仓市港区北环路1号', businessAddress: '太仓市港区北环路1号' });
});
afterAll(async () => {
  await system?.stop();
});

describe('汇总表 (the batch lists), district and city', () => {
  test('a district’s list: the title and district, the columns, its cases in application order with code, track, stage and date; no other district’s', async () => {
    const printed = await print(shaxi.district);
    expect(printed.status).toBe(201);
    expect(printed.body).toEqual({ fileId: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), generated: true });
    const pdf = await read(shaxi.district, printed.body.fileId, 'summary-list-district');
    expect(pdf.pages).toBe(1);
    const text = pdf.flat;
    expect(text).toContain(TITLE);
    expect(text).toContain('（沙溪镇）');
    const positions = COLUMNS.map((label) => text.indexOf(label));
    expect(COLUMNS.filter((_label, i) => positions[i]! < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const c of [cases.first, cases.second]) for (const words of [c.name, c.uscc, c.appliedOn]) expect(text).toContain(words);
    expect(text.indexOf(cases.first.name)).toBeLessThan(text.indexOf(cases.second.name));
    expect(text).toContain('信用管理贯标');
    expect(text).toContain('镇（区）初审');
    expect(text).toContain('办理中');
    expect(text).toContain('共2家');
    expect(text).toContain('报送：太仓市经济和信息化委员会融资与担保科');
    for (const words of ['填报单位（盖章）', '联系人', '联系电话', '填报日期']) expect(text).toContain(words);
    expect(text).not.toContain(cases.port.name);
    expect(text).not.toContain(cases.port.uscc);
  });

  test('the city’s list: every district’s cases, by district as the work plan orders them (港区 before 沙溪镇)', async () => {
    const printed = await print(shaxi.city);
    expect(printed.status).toBe(201);
    const text = (await read(shaxi.city, printed.body.fileId, 'summary-list-city')).flat;
    expect(text).toContain(TITLE);
    expect(text).toContain('（全市）');
    expect(text).toContain('报送：苏州市信用办');
    for (const c of Object.values(cases)) for (const words of [c.name, c.uscc]) expect(text).toContain(words);
    expect(text.indexOf(cases.port.name)).toBeLessThan(text.indexOf(cases.first.name));
    expect(text.indexOf(cases.first.name)).toBeLessThan(text.indexOf(cases.second.name));
    expect(text).toContain('港区');
    expect(text).toContain('共3家');
    // a city office may print any district’s list too, and the higher offices the city’s
    const district = await print(shaxi.prefecture, { district: 'gangqu' });
    expect(district.status).toBe(201);
    portList = district.body;
    const port = (await read(shaxi.prefecture, district.body.fileId, 'summary-list-port')).flat;
    expect(port).toContain('（港区）');
    expect(port).toContain(cases.port.name);
    expect(port).not.toContain(cases.first.name);
  });

  test('printed again with nothing changed: the same file and checksum, not printed anew; a case that moves on prints the list anew', async () => {
    const first = await print(shaxi.district, {});
    const again = await print(shaxi.district, { district: 'shaxi' });
    expect(first.body.generated).toBe(false);
    expect(again.body).toEqual({ fileId: first.body.fileId, sha256: first.body.sha256, generated: false });
    const city = await print(shaxi.city, { district: null });
    const cityAgain = await print(shaxi.prefecture);
    expect(cityAgain.body).toEqual({ ...city.body, generated: false });

    // the district approves the first case: it waits to be forwarded (汇总报送)
    expect((await shaxi.complete(shaxi.district, cases.first.id, { outcome: 'approve' }, 'review')).status).toBe(200);
    const moved = await print(shaxi.district);
    expect(moved.status).toBe(201);
    expect(moved.body.generated).toBe(true);
    expect(moved.body.fileId).not.toBe(first.body.fileId);
    expect(moved.body.sha256).not.toBe(first.body.sha256);
    const text = (await read(shaxi.district, moved.body.fileId, 'summary-list-district-moved')).flat;
    expect(text).toContain('镇（区）汇总报送');
    expect(text).toContain('镇（区）初审');
    // the city's list holds the case too: printed anew as well
    const cityMoved = await print(shaxi.city);
    expect(cityMoved.body.generated).toBe(true);
    expect((await read(shaxi.city, cityMoved.body.fileId, 'summary-list-city-moved')).flat).toContain('镇（区）汇总报送');
    // 港区's list, printed before by the prefecture, did not change: its office gets that one
    expect((await print(gangquOfficer)).body).toEqual({ ...portList, generated: false });
  });

  test('who may print: a district office only its own (another district’s or the city’s: 404), enterprises and consultants 403, a district not in the program 400', async () => {
    expect((await print(shaxi.district, { district: 'gangqu' })).status).toBe(404);
    expect((await print(shaxi.district, { district: null })).status).toBe(404);
    expect((await print(shaxi.enterprise)).status).toBe(403);
    const consultant = await ApiClient.login(system.url, 'guwen@demo.local', TEST_PASSWORD);
    expect((await print(consultant)).status).toBe(403);
    const admin = await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD);
    expect((await print(admin)).status).toBe(403);
    const unknown = await print(shaxi.city, { district: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].path).toBe('district');
    expect((await print(shaxi.city, { district: 'shaxi', extra: 1 })).status).toBe(400);
    expect((await print(shaxi.city, {}, 'gold')).status).toBe(400);
    expect((await shaxi.city.post('/api/programs/no-such-program/summary-lists/standard', {})).status).toBe(404);
  });

  test('the file: downloaded by those who may have the list, not found for another district’s office or an enterprise', async () => {
    const list = (await print(shaxi.district)).body;
    expect((await shaxi.district.download(`/api/files/${list.fileId}`)).status).toBe(200);
    expect((await shaxi.city.download(`/api/files/${list.fileId}`)).status).toBe(200);
    expect((await shaxi.prefecture.download(`/api/files/${list.fileId}`)).status).toBe(200);
    expect((await gangquOfficer.download(`/api/files/${list.fileId}`)).status).toBe(404);
    expect((await shaxi.enterprise.download(`/api/files/${list.fileId}`)).status).toBe(404);
    const city = (await print(shaxi.city)).body;
    expect((await shaxi.district.download(`/api/files/${city.fileId}`)).status).toBe(404);
    expect((await shaxi.city.download(`/api/files/${city.fileId}`)).status).toBe(200);
  });

  test('the /batches page: the district office and the city print their list with one button', async () => {
    const token = (client: ApiClient) => (client as unknown as { token: string }).token;
    const district = PageClient.withSession(system.url, token(shaxi.district));
    const page = await district.get('/batches');
    expect(page.html).toContain('打印汇总表（沙溪镇）');
    const printed = await district.post('/batches/summary-list', { programId: system.program.id, track: 'standard' });
    expect(printed.status).toBe(303);
    const current = (await print(shaxi.district)).body;
    expect(printed.location).toBe(`/api/files/${current.fileId}`);

    const city = PageClient.withSession(system.url, token(shaxi.city));
    expect((await city.get('/batches')).html).toContain('打印汇总表（全市）');
    const cityPrinted = await city.post('/batches/summary-list', { programId: system.program.id, track: 'standard' });
    expect(cityPrinted.location).toBe(`/api/files/${(await print(shaxi.city)).body.fileId}`);

    const refused = await district.post('/batches/summary-list', { programId: system.program.id, track: 'gold' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('data-path="track"');
  });
});
