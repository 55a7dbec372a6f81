import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PNG } from 'pngjs';
import { upload } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { PageClient } from '../support/pages.ts';
import { readPdf } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/** The seed's forms filled from the case, read back as text (pdftotext) and kept as page images. */
let system: TestSystem;
let track: Track;
let caseId: string;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
  const applied = await track.apply();
  caseId = applied.body.id;
  // the district approves and forwards; the city (the county-level credit office of the form) approves with a comment
  expect((await track.complete(track.district, caseId, { outcome: 'approve' }, 'review')).status).toBe(200);
  expect((await track.forward(caseId)).status).toBe(201);
  expect((await track.complete(track.city, caseId, { outcome: 'approve', comment: '材料齐全，同意贯标。' }, 'review')).status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
});

const print = (client: ApiClient, kind: string) => client.post(`/api/cases/${encodeURIComponent(caseId)}/documents/${kind}`);

describe('the seed’s forms, filled from the case', () => {
  test('attachment 2: the cover, the 15 rows in order (organisation code from the credit code, the number masked), the reasons, the opinions as recorded', async () => {
    const printed = await print(track.enterprise, 'application_form');
    expect(printed.status).toBe(201);
    const file = await track.enterprise.download(`/api/files/${printed.body.fileId}`);
    const pdf = await readPdf(file.bytes, 'attachment2-application-form');
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    const text = pdf.flat;
    for (const words of ['江苏省信用管理', '贯标企业申报表', '申报企业：', '申报日期：', '江苏省社会信用体系建设领导小组办公室制', '太仓示例精密机械有限公司']) expect(text).toContain(words);
    const labels = ['1、企业名称', '2、组织机构代码', '3、工商注册号', '4、法定代表人', '5、法定代表人身份证号', '6、成立日期', '7、注册资本', '8、所属行业', '9、所属地区', '10、注册地址', '11、经营地址', '12、邮编', '13、联系电话', '14、传真', '15、主营业务', '二、申请贯标的理由', '三、县（市、区）信用办初审意见', '四、市信用办审核意见', '五、省信用办审核意见'];
    const positions = labels.map((label) => text.indexOf(label));
    expect(labels.filter((_label, i) => positions[i]! < 0)).toEqual([]);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const view = (await track.enterprise.get(`/api/cases/${encodeURIComponent(caseId)}`)).body;
    const uscc: string = view.enterprise.uscc;
    expect(text).toContain(`${uscc.slice(8, 16)}-${uscc.slice(16, 17)}`);
    expect(text).toContain(uscc);
    expect(text).toContain(view.application.legalRepresentativeIdNumber);
    expect(text).toMatch(/\*{8}/);
    expect(text).toContain('沙溪镇');
    // the county-level block holds the city section's decision; the others are blank, waiting for their date
    expect(text).toContain('审核通过：材料齐全，同意贯标。');
    expect(text).toContain('市经信委融资与担保科');
    expect(text.match(/（单位盖章）年月日/g)?.length).toBe(2);
  });

  test('attachment 3: the commitment letter with the enterprise and its legal representative, and the signature and stamp areas', async () => {
    const printed = await print(track.enterprise, 'commitment_letter');
    const pdf = await readPdf((await track.enterprise.download(`/api/files/${printed.body.fileId}`)).bytes, 'attachment3-commitment-letter');
    expect(pdf.pages).toBe(1);
    for (const words of ['江苏省企业信用管理贯标申报信用承诺书', '太仓示例精密机械有限公司', '承诺单位（公章）', '法定代表人（签字、印章）', '两年内不再申报相关项目']) expect(pdf.flat).toContain(words);
    const view = (await track.enterprise.get(`/api/cases/${encodeURIComponent(caseId)}`)).body;
    expect(pdf.flat).toContain(view.application.legalRepresentative);
  });

  test('printing again from unchanged input gives the same file and checksum; a new decision prints anew', async () => {
    const first = await print(track.city, 'application_form');
    const again = await print(track.district, 'application_form');
    expect(again.body).toMatchObject({ fileId: first.body.fileId, sha256: first.body.sha256, generated: false });
    const view = (await track.city.get(`/api/cases/${encodeURIComponent(caseId)}`)).body;
    expect(view.documents.map((d: any) => d.kind).sort()).toEqual(['application_form', 'commitment_letter']);
  });

  test('who may not see the case may not print its documents; the certificate waits for the case to be certified', async () => {
    const stranger = await ApiClient.login(system.url, 'guwen@demo.local', TEST_PASSWORD);
    expect((await print(stranger, 'application_form')).status).toBe(404);
    expect((await print(track.enterprise, 'certificate')).status).toBe(409);
    expect((await print(track.enterprise, 'no_such_form')).status).toBe(400);
  });
});

/** The pages as a person signed in sees them. */
async function pageAs(email: string): Promise<PageClient> {
  const response = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: system.url }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
  return PageClient.withSession(system.url, ((await response.json()) as { token: string }).token);
}

describe('signed scans handed back against the printed form', () => {
  const scans = (client: ApiClient, kind: string, fileId: string) => client.post(`/api/cases/${encodeURIComponent(caseId)}/documents/${kind}/scans`, { fileId });
  const documents = async (client: ApiClient) => (await client.get(`/api/cases/${encodeURIComponent(caseId)}/documents`)).body.documents as any[];

  test('the enterprise uploads the signed 承诺书; everyone who sees the case lists and downloads it; the same file again changes nothing', async () => {
    const printedLetter = (await documents(track.enterprise)).find((d) => d.kind === 'commitment_letter');
    expect(printedLetter).toMatchObject({ status: 'ready', signable: true, scans: [] });
    const scan = PNG.sync.write(new PNG({ width: 40, height: 60 }));
    const fileId = await upload(track.enterprise, '承诺书（已签字盖章）.png', scan);
    const handed = await scans(track.enterprise, 'commitment_letter', fileId);
    expect(handed.status).toBe(201);
    expect(handed.body).toMatchObject({ fileId, name: '承诺书（已签字盖章）.png', ofCurrentPrint: true, handedInWith: null });
    expect((await scans(track.enterprise, 'commitment_letter', fileId)).status).toBe(201);

    const listed = (await documents(track.city)).find((d) => d.kind === 'commitment_letter');
    expect(listed.scans).toEqual([expect.objectContaining({ fileId, name: '承诺书（已签字盖章）.png', ofCurrentPrint: true })]);
    expect((await track.city.download(`/api/files/${fileId}`)).bytes.equals(scan)).toBe(true);
    // the case page lists it under its form, with the upload form for the enterprise only
    const row = async (email: string) => {
      const page = await (await pageAs(email)).get(`/cases/${encodeURIComponent(caseId)}`);
      return /<tr id="document-commitment_letter"[^]*?<\/tr>/.exec(page.html)?.[0] ?? '';
    };
    const enterpriseRow = await row('qiye@demo.local');
    expect(enterpriseRow).toContain('承诺书（已签字盖章）.png');
    expect(enterpriseRow).toContain('name="scan"');
    const cityRow = await row('city@demo.local');
    expect(cityRow).toContain('承诺书（已签字盖章）.png');
    expect(cityRow).not.toContain('name="scan"');
  });

  test('refused: the offices above, strangers, forms not printed, documents not signed, files not one’s own or not a scan', async () => {
    const own = await upload(track.enterprise, '扫描件.pdf');
    expect((await scans(track.city, 'commitment_letter', own)).status).toBe(403);
    const stranger = await ApiClient.login(system.url, 'guwen@demo.local', TEST_PASSWORD);
    expect((await scans(stranger, 'commitment_letter', own)).status).toBe(404);

    const notPrinted = await scans(track.enterprise, 'self_evaluation', own);
    expect(notPrinted.status).toBe(409);
    expect(notPrinted.body.error.message).toContain('请先打印');
    const certificate = await scans(track.enterprise, 'certificate', own);
    expect(certificate.status).toBe(409);
    expect(certificate.body.error.fields[0].path).toBe('documentKind');

    const districtUpload = await upload(track.district, '镇区扫描件.pdf');
    const foreign = await scans(track.enterprise, 'application_form', districtUpload);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields[0].path).toBe('fileId');
    // the district receives the paper and may hand in its scan
    expect((await scans(track.district, 'application_form', districtUpload)).status).toBe(201);

    // a GIF is a document the system takes, but not a scan of a signed form
    const gif = await upload(track.enterprise, '动图.gif', Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
    const notAScan = await scans(track.enterprise, 'application_form', gif);
    expect(notAScan.status).toBe(400);
    expect(notAScan.body.error.message).toContain('扫描件应为 PDF 或 JPEG/PNG 图片');
    // nothing refused was kept against the form
    const form = (await documents(track.enterprise)).find((d) => d.kind === 'application_form');
    expect(form.scans.map((s: any) => s.fileId)).toEqual([districtUpload]);
  });
});
