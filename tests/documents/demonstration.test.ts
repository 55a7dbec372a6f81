import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PDFDocument, PageSizes, StandardFonts } from '@pdfme/pdf-lib';
import { PNG } from 'pngjs';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { DocumentProgressRecord } from '../../infra/db/entities.ts';
import { Demonstration } from '../support/demonstration.ts';
import { upload } from '../support/fixtures.ts';
import type { ApiClient } from '../support/http.ts';
import { readPdf } from '../support/pdf.ts';
import { PageClient } from '../support/pages.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { eventually } from '../support/waits.ts';

/**
 * The demonstration tracks' documents: attachment 5 (the recommendation form) for both tracks, and
 * the application package bound from the case's materials — cover, contents with page numbers, every
 * item in the work plan's order — read back with poppler.
 */
let system: TestSystem;
let demo: Demonstration;
let municipalCaseId: string;

/** A material whose every page says which it is and which page of it this is. */
async function markedPdf(key: string, pages: number, size: [number, number] = PageSizes.A4): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) pdf.addPage(size).drawText(`MATERIAL ${key} PAGE ${n}`, { x: 60, y: size[1] - 80, size: 14, font });
  return Buffer.from(await pdf.save());
}

/** A photo of a signed receipt: a small PNG. */
function scanPng(): Buffer {
  const png = new PNG({ width: 120, height: 160 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

/** What each package material is, uploaded with content the test can find again. */
const MATERIAL_CONTENT: Record<string, () => Promise<{ name: string; content: Buffer }>> = {
  contract: async () => ({ name: '咨询辅导合同.pdf', content: await markedPdf('contract', 2) }),
  survey_report: async () => ({ name: '现场调查报告.pdf', content: await markedPdf('survey_report', 1, PageSizes.Letter) }),
  survey_receipt: async () => ({ name: '现场调查回执.png', content: scanPng() }),
  internal_evaluation_report: async () => ({ name: '内部评估报告.pdf', content: await markedPdf('internal_evaluation_report', 3) }),
  work_plan: async () => ({ name: '示范创建工作计划.pdf', content: await markedPdf('work_plan', 1) }),
  evaluation_report: async () => ({ name: '评价报告.pdf', content: await markedPdf('evaluation_report', 2) }),
  evaluation_feedback: async () => ({ name: '书面反馈意见.pdf', content: await markedPdf('evaluation_feedback', 1) }),
  demonstration_application_form: async () => ({ name: '示范企业申报表.pdf', content: await markedPdf('demonstration_application_form', 2) }),
  // damaged: it passes as a PDF by its first bytes but cannot be read; the package says so on a page of its own
  legal_person_credit_report: async () => ({ name: '社会法人信用信息查询报告.pdf', content: Buffer.from('%PDF-1.7\n1 0 obj broken beyond repair\n', 'latin1') }),
};

beforeAll(async () => {
  // a print request answers at once (202) and the document's status follows the printing: the path a long package takes
  system = await startTestSystem('postgresql', {}, { DOCUMENT_WAIT_SECONDS: '0' });
  demo = await Demonstration.start(system);
  // the package's materials carry their own names and pages (the other materials stay the usual one-page PDFs)
  const usual = demo.materials.bind(demo);
  demo.materials = async (client: ApiClient, ...keys: string[]) => {
    const entries: [string, string][] = [];
    for (const key of keys) {
      const made = await MATERIAL_CONTENT[key]?.();
      entries.push([key, made ? await upload(client, made.name, made.content) : Object.values(await usual(client, key))[0]!]);
    }
    return Object.fromEntries(entries);
  };
  await demo.importCertificates([{ uscc: DEMO_ENTERPRISE_USCC, track: 'standard', number: '太贯〔2024〕301', issuedOn: '2024-06-01' }]);
  const applied = await demo.apply('municipal-demo');
  expect(applied.status).toBe(201);
  municipalCaseId = applied.body.id;
});
afterAll(async () => {
  await system?.stop();
});

const documentsPath = (caseId: string, kind: string) => `/api/cases/${encodeURIComponent(caseId)}/documents/${kind}`;

/** The document printed (following a long binding to its end) and downloaded. */
async function printed(client: ApiClient, caseId: string, kind: string): Promise<{ fileId: string; sha256: string; bytes: Buffer }> {
  const started = await client.post(documentsPath(caseId, kind));
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ kind, status: 'printing' });
  const ready = (await eventually(`${kind} printed`, async () => (await client.get(documentsPath(caseId, kind))).body, (d) => d.status === 'ready')).file;
  return { fileId: ready.fileId, sha256: ready.sha256, bytes: (await client.download(`/api/files/${ready.fileId}`)).bytes };
}

describe('attachment 5: the recommendation form', () => {
  test('municipal: the enterprise, the 贯标 certificate from the register, no serious dishonesty, its example, and the district’s opinion as recorded', async () => {
    const before = await readPdf((await printed(demo.enterprise, municipalCaseId, 'recommendation_form')).bytes, 'attachment5-recommendation-municipal-before');
    expect(before.text.match(/年\s+月\s+日/g)?.length).toBe(2);

    const recommended = await demo.complete(demo.district, municipalCaseId, 'recommend', { outcome: 'recommend', comment: '该企业信用管理体系健全，同意推荐。', materials: await demo.materials(demo.district, 'recommendation_form') });
    expect(recommended.status).toBe(200);
    const pdf = await readPdf((await printed(demo.district, municipalCaseId, 'recommendation_form')).bytes, 'attachment5-recommendation-municipal');
    expect(pdf.pages).toBe(1);
    const year = system.program.year;
    for (const words of [`${year}年度苏州市级信用管理示范企业推荐表`, '附件5', '推荐单位（盖章）：沙溪镇', '一、企业基本情况', '太仓示例精密机械有限公司', DEMO_ENTERPRISE_USCC, '二、申报条件', '证书编号太贯〔2024〕301', '失信记录近3年内无严重失信行为记录', '三、示范带动性', '镇（区）推荐意见', '推荐：该企业信用管理体系健全，同意推荐。', '市经信委推荐意见']) {
      expect(pdf.flat).toContain(words);
    }
    // the city has not decided: its block waits for its stamp and date
    expect(pdf.text.match(/年\s+月\s+日/g)?.length).toBe(1);
    expect(pdf.flat).not.toContain('苏州市信用办推荐意见');
  });

  test('documents of the other track are refused with the field named; the list shows the track’s own', async () => {
    const refused = await demo.enterprise.post(documentsPath(municipalCaseId, 'application_form'));
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields[0].path).toBe('documentKind');
    const listed = (await demo.enterprise.get(`/api/cases/${encodeURIComponent(municipalCaseId)}/documents`)).body.documents;
    expect(listed.map((d: any) => d.kind)).toEqual(['recommendation_form', 'application_package', 'certificate']);
    // the stamped form the district handed in with its recommendation is the form's signed copy
    expect(listed.find((d: any) => d.kind === 'recommendation_form')).toMatchObject({
      status: 'ready',
      signable: true,
      scans: [expect.objectContaining({ name: 'recommendation_form.pdf', handedInWith: 'recommend', ofCurrentPrint: null })],
    });
  });
});

describe('the application package', () => {
  beforeAll(async () => {
    await demo.done(demo.city, municipalCaseId, 'recommend', { outcome: 'recommend' });
    await demo.contract(municipalCaseId);
    await demo.creation(municipalCaseId);
    await demo.applicationPackage(municipalCaseId);
  });

  test('a blue cover, the contents with the page each item starts on, then every item in the work plan’s order, page numbers on every page after the cover', async () => {
    const first = await printed(demo.enterprise, municipalCaseId, 'application_package');
    const pdf = await readPdf(first.bytes, 'package-municipal-cover', [2, 5, 6, 16]);
    const pages = pdf.text.split('\f');
    // cover 1, contents 1, contract 2, survey report 1 + receipt 1, internal evaluation 3, plan 1, evaluation 2 + feedback 1, form 2, the damaged report's notice 1
    expect(pdf.pages).toBe(16);
    const flat = (n: number) => pages[n - 1]!.replace(/\s+/g, '');

    expect(flat(1)).toContain(`${system.program.year}年度`);
    for (const words of ['苏州市信用管理示范企业', '申报材料', '太仓示例精密机械有限公司', '苏州示例信用服务有限公司', '沙溪镇']) expect(flat(1)).toContain(words);
    // blue textured paper, as printed: the cover's background is blue
    const cover = PNG.sync.read(pdf.firstPage);
    const at = (x: number, y: number) => cover.data.subarray((cover.width * y + x) * 4, (cover.width * y + x) * 4 + 3);
    const [r, g, b] = at(20, 20);
    expect(b!).toBeGreaterThan(r! + 30);
    expect(b!).toBeGreaterThan(g!);

    // the contents: each item with the page it starts on, in the work plan's order
    expect(flat(2)).toContain('目录');
    const expected: Array<[string, string, number, string | null]> = [
      ['①', '封面（统一用蓝色皮纹纸）', 1, null],
      ['②', '目录', 2, null],
      ['③', '信用服务机构与企业签订的合同（经苏州市信用办盖章鉴定）', 3, 'MATERIAL contract PAGE 1'],
      ['④', '现场调查报告及企业负责人签字的现场调查回执', 5, 'MATERIAL survey_report PAGE 1'],
      ['⑤', '企业信用管理内部评估报告', 7, 'MATERIAL internal_evaluation_report PAGE 1'],
      ['⑥', '企业信用管理示范创建工作计划', 10, 'MATERIAL work_plan PAGE 1'],
      ['⑦', '企业信用管理评价报告及企业书面反馈意见', 11, 'MATERIAL evaluation_report PAGE 1'],
      ['⑧', '苏州市信用管理示范企业申报表', 14, 'MATERIAL demonstration_application_form PAGE 1'],
      ['⑨', '社会法人信用信息查询报告', 16, null],
    ];
    let from = -1;
    for (const [number, title, page, marker] of expected) {
      const line = pages[1]!.split('\n').find((l) => l.includes(number));
      expect({ number, line: line?.replace(/\s+/g, '') }).toEqual({ number, line: expect.stringContaining(title.replace(/\s+/g, '')) });
      expect({ number, page: Number(/(\d+)\s*$/.exec(line!)?.[1]) }).toEqual({ number, page });
      const position = flat(2).indexOf(number);
      expect(position).toBeGreaterThan(from);
      from = position;
      if (marker) expect({ number, text: pages[page - 1] }).toEqual({ number, text: expect.stringContaining(marker) });
    }
    // a page of another size is placed on A4; the scan of the receipt is a page of its own
    expect(pages[5]).not.toMatch(/MATERIAL/);
    expect(pages[15]).toContain('无法读取');
    expect(pages[15]).toContain('社会法人信用信息查询报告.pdf');
    // page numbers on every page after the cover
    for (let n = 2; n <= 16; n++) expect({ n, text: pages[n - 1] }).toEqual({ n, text: expect.stringMatching(new RegExp(`-\\s*${n}\\s*-`)) });
    expect(pages[0]).not.toMatch(/-\s*1\s*-/);

    // the binding reported its progress item by item, to the end
    const progress = await system.app.orm.em.fork().findOneOrFail(DocumentProgressRecord, { caseId: municipalCaseId, kind: 'application_package' });
    expect(progress).toMatchObject({ done: 10, total: 10 });

    // nothing changed: the same file and checksum, not bound again
    const again = await printed(demo.city, municipalCaseId, 'application_package');
    expect({ fileId: again.fileId, sha256: again.sha256 }).toEqual({ fileId: first.fileId, sha256: first.sha256 });
    const status = (await demo.city.get(documentsPath(municipalCaseId, 'application_package'))).body;
    expect(status).toMatchObject({ status: 'ready', file: { fileId: first.fileId, sha256: first.sha256 }, signable: false, scans: [] });
    expect((await system.app.temporal.workflow.getHandle(`document-${municipalCaseId}-application_package`).result())).toMatchObject({ fileId: first.fileId, generated: false });

    // in the pages: 生成 leads to the document's page, which follows the printing and then offers the download
    const login = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: system.url }, body: JSON.stringify({ email: 'city@demo.local', password: TEST_PASSWORD }) });
    const browserless = PageClient.withSession(system.url, ((await login.json()) as { token: string }).token);
    const documentPage = `/cases/${encodeURIComponent(municipalCaseId)}/documents/application_package`;
    await browserless.get(`/cases/${encodeURIComponent(municipalCaseId)}`);
    const asked = await browserless.post(documentPage);
    expect({ status: asked.status, location: asked.location }).toEqual({ status: 303, location: documentPage });
    const page = await eventually('the package page offering the download', () => browserless.get(documentPage), (p) => p.html.includes('id="document-download"'));
    expect(page.html).toContain(`href="/api/files/${first.fileId}"`);
    expect(page.html).toContain('示范企业申报材料');
    expect(page.html).not.toContain('http-equiv="refresh"');
  });

  test('the package is for those who may see the case; its scan is not handed back', async () => {
    const stranger = await demo.districtOfficer('gangqu.documents@demo.local', 'gangqu');
    expect((await stranger.post(documentsPath(municipalCaseId, 'application_package'))).status).toBe(404);
    expect((await stranger.get(documentsPath(municipalCaseId, 'application_package'))).status).toBe(404);
    const fileId = await upload(demo.enterprise, '扫描件.pdf');
    const refused = await demo.enterprise.post(`${documentsPath(municipalCaseId, 'application_package')}/scans`, { fileId });
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields[0].path).toBe('documentKind');
  });
});

describe('attachment 5 of the provincial track', () => {
  test('Suzhou’s block follows the city’s; the prerequisite is the Suzhou demonstration certificate', async () => {
    const { client, uscc } = await demo.enterpriseUser(611);
    await demo.importCertificates([{ uscc, track: 'municipal-demo', number: '苏示〔2024〕611', issuedOn: '2024-09-01' }]);
    const applied = await demo.apply('provincial-demo', client, { uscc, enterpriseName: '太仓省级示范推荐表有限公司' });
    expect(applied.status).toBe(201);
    const pdf = await readPdf((await printed(client, applied.body.id, 'recommendation_form')).bytes, 'attachment5-recommendation-provincial');
    for (const words of [`${system.program.year}年度江苏省级信用管理示范企业推荐表`, '太仓省级示范推荐表有限公司', '苏示〔2024〕611', '在全省同行业中', '镇（区）推荐意见', '市经信委推荐意见', '苏州市信用办推荐意见']) expect(pdf.flat).toContain(words);
    expect(pdf.text.match(/年\s+月\s+日/g)?.length).toBe(3);
  });
});
