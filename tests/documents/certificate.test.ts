import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ApiClient, idempotentFetch } from '../support/http.ts';
import { decodeQr, readPdf } from '../support/pdf.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

/** The certificate a certified case prints, read back as a person and a phone would read it. */
let system: TestSystem;
let track: Track;
let caseId: string;
/** a consultant of no part in the case */
let stranger: ApiClient;
const NUMBER = '苏信用贯标〔2026〕088号';

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
  stranger = await ApiClient.login(system.url, 'guwen@demo.local', TEST_PASSWORD);
  const applied = await track.apply();
  caseId = applied.body.id;
  await track.admit(caseId);
  await track.completeChecklist(caseId);
  expect((await track.submitAcceptance(caseId)).status).toBe(200);
  expect((await track.complete(track.district, caseId, { outcome: 'approve' }, 'review')).status).toBe(200);
  expect((await track.complete(track.city, caseId, { outcome: 'approve', scoreAdjustments: [{ itemId: '3.1', level: 'zero', comment: '未见信用管理制度文件' }] }, 'review')).status).toBe(200);
  const certified = await track.complete(track.prefecture, caseId, { outcome: 'approve', certificate: { number: NUMBER, issuedOn: '2026-09-15' } }, 'review');
  expect(certified.body.status).toBe('certified');
});
afterAll(async () => {
  await system?.stop();
});

describe('attachment 4, the score sheet', () => {
  test('sections, items, criteria, maxima and the full / half / zero wording; the enterprise’s scores, the acceptance’s where it differs; subtotals, totals, grades', async () => {
    const printed = await track.enterprise.post(`/api/cases/${encodeURIComponent(caseId)}/documents/self_evaluation`);
    expect(printed.status).toBe(201);
    const pdf = await readPdf((await track.enterprise.download(`/api/files/${printed.body.fileId}`)).bytes, 'attachment4-self-evaluation');
    expect(pdf.pages).toBeGreaterThan(1);
    const { rubric } = system.program;
    const adjusted = rubric.sections.flatMap((s) => s.items).find((i) => i.id === '3.1')!;
    for (const words of ['附件4', '江苏省企业信用管理状况评价指标自评表', '太仓示例精密机械有限公司', '评分标准', '满分', '半分值', '零分', '自评', '验收', `合计（满分${rubric.total}分）`, ...rubric.sections.map((s) => s.title), adjusted.title, adjusted.levels.full.label]) {
      expect(pdf.flat).toContain(words);
    }
    // the totals: the enterprise's own, then the acceptance's with item 3.1 at zero
    expect(pdf.flat).toContain(`${rubric.total}${rubric.total - adjusted.max}`);
  });
});

describe('the certificate', () => {
  test('is printed when the case is certified: an A4 PDF with selectable Chinese, and a QR code of its public verification page', async () => {
    const view = await eventually('the certificate document', () => track.enterprise.get(`/api/cases/${encodeURIComponent(caseId)}`), (r) => (r.body.documents ?? []).some((d: any) => d.kind === 'certificate'));
    const document = view.body.documents.find((d: any) => d.kind === 'certificate');
    const file = await track.enterprise.download(`/api/files/${document.fileId}`);
    expect(file).toMatchObject({ status: 200, type: 'application/pdf' });
    const pdf = await readPdf(file.bytes, 'certificate-standard');
    expect(pdf.pages).toBe(1);
    for (const words of ['证', '江苏省信用管理贯标企业', NUMBER, '太仓示例精密机械有限公司', '2026年9月15日', '苏州市信用办', '统一社会信用代码']) expect(pdf.flat).toContain(words);
    expect(decodeQr(pdf.firstPage)).toBe(`${system.url}/verify/${encodeURIComponent(NUMBER)}`);
    // the city sees the same document; a stranger does not
    expect((await track.city.download(`/api/files/${document.fileId}`)).status).toBe(200);
    expect((await stranger.download(`/api/files/${document.fileId}`)).status).toBe(404);
  });

  test('the verification page: valid, then revoked, and an unknown number — the enterprise name only, no login', async () => {
    const page = async (number: string) => {
      const response = await idempotentFetch(`${system.url}/verify/${encodeURIComponent(number)}`);
      return { status: response.status, html: await response.text() };
    };
    const valid = await page(NUMBER);
    expect(valid.status).toBe(200);
    expect(valid.html).toContain('data-status="valid"');
    expect(valid.html).toContain('太仓示例精密机械有限公司');
    expect(valid.html).not.toMatch(/\*{8}|legalRepresentative|9132058/);

    const admin = await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD);
    expect((await admin.post(`/api/certificates/${encodeURIComponent(NUMBER)}/revoke`, { reason: '验收材料弄虚作假，撤销证书。' })).status).toBe(200);
    const revoked = await page(NUMBER);
    expect(revoked.status).toBe(200);
    expect(revoked.html).toContain('data-status="revoked"');

    const unknown = await page('苏信用贯标〔2026〕999号');
    expect(unknown.status).toBe(404);
    expect(unknown.html).toContain('data-status="unknown"');
  });
});
