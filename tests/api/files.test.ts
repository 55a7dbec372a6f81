import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import express from 'express';
import { readdirSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { crc32, deflateSync } from 'node:zlib';
import { toAppError } from '../../features/errors.ts';
import { compoundFileRootStreams, legacyOfficeType } from '../../features/files/contentType.ts';
import { createFileService } from '../../features/files/fileService.ts';
import { removeOrphanFiles } from '../../infra/db/fileRetention.ts';
import { SCRATCH_PREFIX } from '../../http/uploads.ts';
import { filesReferenced } from '../../domain/case/files.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { CaseFileRecord, FileRecord } from '../../infra/db/entities.ts';
import { BACKFILL_CASE_FILES } from '../../infra/db/migrations/Migration20261122_caseFiles.ts';
import { DEMO_ENTERPRISE_USCC, createUser } from '../../app/seed.ts';
import { receiveUploads, storeUploads, throwUploadError } from '../../web/forms.ts';
import { application, minimalPdf, upload } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * Files (issue 7, findings 5 and 10): who may read a file, and what an upload may be — its type told
 * from its content, bounded in count and size, streamed through scratch disk that is always cleaned,
 * kept all or none, and removed after a day when no case or draft took it up.
 */

const MB = 1024 * 1024;
const NO_STREAM = 0xffffffff;

/** A minimal OLE compound file whose root holds the given streams (no data): how doc/xls/msi begin. */
function compoundFile(streams: string[]): Buffer {
  const file = Buffer.alloc(512 * 3);
  Buffer.from('D0CF11E0A1B11AE1', 'hex').copy(file, 0);
  file.writeUInt16LE(0x3e, 0x18);
  file.writeUInt16LE(3, 0x1a);
  file.writeUInt16LE(0xfffe, 0x1c);
  file.writeUInt16LE(9, 0x1e); // 512-byte sectors
  file.writeUInt16LE(6, 0x20);
  file.writeUInt32LE(1, 0x2c); // one FAT sector…
  file.writeUInt32LE(1, 0x30); // …the directory in sector 1
  file.writeUInt32LE(4096, 0x38);
  file.writeUInt32LE(0xfffffffe, 0x3c);
  file.writeUInt32LE(0xfffffffe, 0x44);
  for (let i = 0; i < 109; i++) file.writeUInt32LE(i === 0 ? 0 : NO_STREAM, 0x4c + i * 4);
  const fat = 512;
  for (let i = 0; i < 128; i++) file.writeUInt32LE(i === 0 ? 0xfffffffd : i === 1 ? 0xfffffffe : NO_STREAM, fat + i * 4);
  const entry = (i: number, name: string, type: number, child: number, right: number) => {
    const at = 1024 + i * 128;
    file.write(name, at, 'utf16le');
    file.writeUInt16LE((name.length + 1) * 2, at + 0x40);
    file[at + 0x42] = type;
    file.writeUInt32LE(NO_STREAM, at + 0x44);
    file.writeUInt32LE(right, at + 0x48);
    file.writeUInt32LE(child, at + 0x4c);
  };
  entry(0, 'Root Entry', 5, streams.length ? 1 : NO_STREAM, NO_STREAM);
  streams.forEach((name, i) => entry(i + 1, name, 2, NO_STREAM, i + 1 < streams.length ? i + 2 : NO_STREAM));
  return file;
}

/** A 1×1 grey PNG. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([Buffer.from('89504E470D0A1A0A', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([0, 0x80]))), chunk('IEND', Buffer.alloc(0))]);
}

const WINDOWS_PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.from('This program cannot be run in DOS mode.\r\n'), Buffer.alloc(200)]);
const HTML_PAGE = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/api/me")</script></body></html>');

/** This process's upload scratch directories. */
const scratchDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith(SCRATCH_PREFIX));

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, seconds = 30): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`waited ${seconds} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let system: TestSystem;
const tokens = new Map<string, string>();
const clients = new Map<string, ApiClient>();

async function logIn(email: string): Promise<void> {
  const response = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
  tokens.set(email, ((await response.json()) as { token: string }).token);
  clients.set(email, await ApiClient.login(system.url, email, TEST_PASSWORD));
}
const client = (email: string) => clients.get(email)!;

/** GET a file as the user: its status, type and bytes. */
async function readFile(email: string, id: string) {
  const response = await fetch(`${system.url}/api/files/${id}`, { headers: { authorization: `Bearer ${tokens.get(email)}` } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, type: response.headers.get('content-type'), bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

/** A multipart POST of several parts, each { field, name, content, mime } or a text field. */
async function postForm(url: string, parts: Array<{ field: string; name?: string; content: Buffer | string; mime?: string }>, token?: string) {
  const form = new FormData();
  for (const part of parts) {
    if (part.name !== undefined) form.append(part.field, new Blob([new Uint8Array(Buffer.from(part.content))], { type: part.mime ?? 'application/pdf' }), part.name);
    else form.append(part.field, String(part.content));
  }
  const response = await fetch(url, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const fileCount = () => system.app.orm.em.fork().count(FileRecord, {});

const OUTSIDERS = ['gangqu@test.local', 'guwen2@test.local'];
const CASE_OFFICES = ['shaxi@demo.local', 'city@demo.local', 'suzhou@demo.local', 'jiangsu@demo.local', 'admin@demo.local'];

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  await createUser(system.app.orm, { email: 'gangqu@test.local', name: '港区经发局', role: 'district_officer', scopeId: 'gangqu' }, TEST_PASSWORD);
  await createUser(system.app.orm, { email: 'guwen2@test.local', name: '另一机构顾问', role: 'consultant', scopeId: 'agency-other' }, TEST_PASSWORD);
  for (const email of ['qiye@demo.local', 'guwen@demo.local', ...CASE_OFFICES, ...OUTSIDERS]) await logIn(email);
});
afterAll(async () => {
  await system?.stop();
});

describe('who may read a file', () => {
  let caseId: string;
  let reportId: string;

  test('a case file: its uploader and every office that may see the case read it; another district and an unengaged consultant get 404', async () => {
    const enterprise = client('qiye@demo.local');
    reportId = await upload(enterprise, '企业近三年信用信息查询报告.pdf');
    const submitted = await enterprise.post('/api/cases', { programId: system.program.id, application: application({ creditReportFileId: reportId }) });
    expect(submitted.status).toBe(201);
    caseId = submitted.body.id;

    const mine = await readFile('qiye@demo.local', reportId);
    expect(mine.status).toBe(200);
    expect(mine.type).toBe('application/pdf');
    expect(mine.bytes.equals(minimalPdf('企业近三年信用信息查询报告.pdf'))).toBe(true);
    for (const office of CASE_OFFICES) expect([office, (await readFile(office, reportId)).status]).toEqual([office, 200]);
    for (const outsider of [...OUTSIDERS, 'guwen@demo.local']) {
      const refused = await readFile(outsider, reportId);
      expect([outsider, refused.status]).toEqual([outsider, 404]);
      expect(refused.bytes.toString()).not.toContain('%PDF');
    }
  });

  test('a file no case took up is its uploader’s alone', async () => {
    const loose = await upload(client('qiye@demo.local'), '未提交的材料.pdf');
    expect((await readFile('qiye@demo.local', loose)).status).toBe(200);
    for (const other of [...CASE_OFFICES, ...OUTSIDERS, 'guwen@demo.local']) expect([other, (await readFile(other, loose)).status]).toEqual([other, 404]);
  });

  test('the engaged consultant reads the case files, checklist documents included; other consultants and districts still get 404', async () => {
    const track = await Track.start(system);
    await track.admit(caseId);
    const engaged = await client('qiye@demo.local').post(`/api/cases/${caseId}/consultant`, { consultantUserId: system.userIds.get('guwen@demo.local') });
    expect(engaged.status).toBe(200);
    await track.completeChecklist(caseId);
    expect((await track.submitAcceptance(caseId)).status).toBe(200);

    const linked = (await system.app.orm.em.fork().find(CaseFileRecord, { caseId })).map((l) => l.fileId);
    expect(linked).toContain(reportId);
    // the credit report, the work plan, the internal evaluation; summary, evaluation report, commitment letter, one evidence
    expect(linked.length).toBe(7);
    for (const id of linked) {
      for (const reader of ['guwen@demo.local', 'shaxi@demo.local', 'city@demo.local']) expect([reader, (await readFile(reader, id)).status]).toEqual([reader, 200]);
      for (const outsider of OUTSIDERS) expect([outsider, (await readFile(outsider, id)).status]).toEqual([outsider, 404]);
    }
  });

  test('the migration finds the same files in the cases that were there before it', async () => {
    const em = system.app.orm.em.fork();
    const pairs = async () => (await system.app.orm.em.fork().find(CaseFileRecord, {}, { orderBy: { caseId: 'asc', fileId: 'asc' } })).map((l) => `${l.caseId} ${l.fileId}`);
    const recorded = await pairs();
    expect(recorded.length).toBe(7);
    await em.nativeDelete(CaseFileRecord, {});
    await em.getConnection().execute(BACKFILL_CASE_FILES);
    expect(await pairs()).toEqual(recorded);
  });

  test('a file id that is not a UUID is a 400 naming id, not a 500', async () => {
    const response = await readFile('city@demo.local', 'not-a-uuid');
    expect(response.status).toBe(400);
    expect(response.json().error.fields).toEqual([{ path: 'id', rule: expect.stringContaining('UUID') }]);
    expect((await readFile('city@demo.local', crypto.randomUUID())).status).toBe(404);
  });

  test('the files a payload takes up are its credit report, documents, acceptance materials and evidence, once each', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => `${c.repeat(8)}-0000-4000-8000-000000000000`);
    expect(
      filesReferenced({
        application: application({ creditReportFileId: ids[0]! }),
        fileIds: [ids[1]!, ids[0]!],
        acceptance: { workSummaryFileId: ids[2]!, internalEvaluationFileId: ids[3]!, commitmentLetterFileId: ids[4]!, selfEvaluation: { scores: {}, evidence: { '1.1': [ids[5]!], '2.1': [ids[5]!] } } },
      }),
    ).toEqual(ids);
    expect(filesReferenced({})).toEqual([]);
  });
});

describe('what an upload may be (API: one file of at most 20 MB)', () => {
  const api = () => `${system.url}/api/files`;
  const token = () => tokens.get('qiye@demo.local')!;

  test('a program or a web page named .pdf is refused with 400 naming file, and nothing is stored', async () => {
    const before = await fileCount();
    for (const content of [WINDOWS_PROGRAM, HTML_PAGE, Buffer.from('只是一段文字，不是 PDF')]) {
      const response = await postForm(api(), [{ field: 'file', name: '企业近三年信用信息查询报告.pdf', content, mime: 'application/pdf' }], token());
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toEqual([{ path: 'file', rule: expect.stringContaining('PDF') }]);
      expect(response.body.error.message).toMatch(/^不接受此类文件/);
    }
    const empty = await postForm(api(), [{ field: 'file', name: 'empty.pdf', content: Buffer.alloc(0) }], token());
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields).toEqual([{ path: 'file', rule: expect.stringContaining('must not be empty') }]);
    expect(await fileCount()).toBe(before);
  });

  test('the type stored is the one the content shows, not the one the client claims', async () => {
    const image = await postForm(api(), [{ field: 'file', name: '营业执照.pdf', content: png(), mime: 'application/pdf' }], token());
    expect(image.status).toBe(201);
    expect(image.body.mime).toBe('image/png');
    expect((await readFile('qiye@demo.local', image.body.id)).type).toBe('image/png');
    const word = await postForm(api(), [{ field: 'file', name: '工作总结.doc', content: compoundFile(['WordDocument', '1Table']), mime: 'text/plain' }], token());
    expect(word.status).toBe(201);
    expect(word.body.mime).toBe('application/msword');
    const installer = await postForm(api(), [{ field: 'file', name: '工作总结.doc', content: compoundFile(['\u4840\u3f3f\u4177']), mime: 'application/msword' }], token());
    expect(installer.status).toBe(400);
  });

  test('a second file or one over 20 MB is refused naming the field, and nothing is stored', async () => {
    const before = await fileCount();
    const two = await postForm(api(), [{ field: 'file', name: 'a.pdf', content: minimalPdf('a') }, { field: 'file', name: 'b.pdf', content: minimalPdf('b') }], token());
    expect(two.status).toBe(400);
    expect(two.body.error.fields).toEqual([{ path: 'file', rule: expect.stringContaining('at most 1 file') }]);
    const large = await postForm(api(), [{ field: 'file', name: 'big.pdf', content: Buffer.concat([minimalPdf('big'), Buffer.alloc(20 * MB)]) }], token());
    expect(large.status).toBe(413);
    expect(large.body.error.fields).toEqual([{ path: 'file', rule: expect.stringContaining('20 MB') }]);
    const elsewhere = await postForm(api(), [{ field: 'document', name: 'a.pdf', content: minimalPdf('a') }], token());
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.fields[0].path).toBe('document');
    expect(await fileCount()).toBe(before);
  });

  test('an anonymous upload is refused before anything is written', async () => {
    const response = await postForm(api(), [{ field: 'file', name: 'a.pdf', content: minimalPdf('a') }]);
    expect(response.status).toBe(401);
  });
});

describe('what a web form may carry (at most 30 files, 100 MB in all)', () => {
  let server: Server;
  let formUrl: string;
  let enterprise: Actor;

  beforeAll(async () => {
    // the pages' own upload handling (web/forms.ts) on the system's file service, without the page around it
    const files = createFileService(system.app.orm);
    enterprise = { userId: system.userIds.get('qiye@demo.local')!, name: '王敏', role: 'enterprise', scopeId: DEMO_ENTERPRISE_USCC };
    const app = express();
    app.post('/form', receiveUploads, async (req, res) => {
      try {
        throwUploadError(req);
        const stored = await storeUploads(files, enterprise, req);
        res.json({ stored: Object.fromEntries([...stored].map(([field, list]) => [field, list.map((f) => f.mime)])) });
      } catch (error) {
        const refused = toAppError(error);
        res.status(refused.status).json({ error: { code: refused.code, message: refused.message, fields: refused.fields } });
      }
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address() as { port: number };
    formUrl = `http://127.0.0.1:${address.port}/form`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  test('30 documents are kept; a 31st is refused naming its field, and then none is kept', async () => {
    const documents = (n: number) => Array.from({ length: n }, (_, i) => ({ field: `evidence.${i + 1}`, name: `佐证材料${i + 1}.pdf`, content: minimalPdf(`佐证材料${i + 1}`) }));
    const before = await fileCount();
    const tooMany = await postForm(formUrl, documents(31));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields).toEqual([{ path: 'evidence.31', rule: expect.stringContaining('at most 30 file(s)') }]);
    expect(await fileCount()).toBe(before);

    const enough = await postForm(formUrl, documents(30));
    expect(enough.status).toBe(200);
    expect(await fileCount()).toBe(before + 30);
  });

  test('more than 100 MB in one request is refused naming the field that went over, and none is kept', async () => {
    const before = await fileCount();
    const bulky = (i: number) => ({ field: `evidence.${i}`, name: `扫描件${i}.pdf`, content: Buffer.concat([minimalPdf(`扫描件${i}`), Buffer.alloc(18 * MB)]) });
    const response = await postForm(formUrl, [1, 2, 3, 4, 5, 6].map(bulky));
    expect(response.status).toBe(413);
    expect(response.body.error.fields).toEqual([{ path: 'evidence.6', rule: expect.stringContaining('100 MB') }]);
    expect(await fileCount()).toBe(before);
  });

  test('one disguised file refuses the whole form: the good files with it are not kept either', async () => {
    const before = await fileCount();
    const response = await postForm(formUrl, [
      { field: 'workSummary', name: '工作总结.pdf', content: minimalPdf('工作总结') },
      { field: 'commitmentLetter', name: '承诺书.pdf', content: HTML_PAGE },
    ]);
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ path: 'commitmentLetter', rule: expect.stringContaining('PDF') }]);
    expect(await fileCount()).toBe(before);
  });

  test('a refused form’s files come back as the uploader’s own; someone else’s file id is refused naming the field', async () => {
    const own = await upload(client('qiye@demo.local'), '信用报告.pdf');
    const kept = await postForm(formUrl, [{ field: 'creditReportFileId', content: own }, { field: 'evidenceIds.1.1', content: own }]);
    expect(kept.status).toBe(200);
    const foreign = await upload(client('shaxi@demo.local'), '沙溪镇的文件.pdf');
    const refused = await postForm(formUrl, [{ field: 'creditReportFileId', content: foreign }, { field: 'evidenceIds.1.1', content: `${own},${foreign}` }]);
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['creditReportFileId', 'evidenceIds.1.1.1']);
    const malformed = await postForm(formUrl, [{ field: 'workSummaryFileId', content: 'not-a-uuid' }]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields[0].path).toBe('workSummaryFileId');
  });

  test('no scratch file outlives its request, an aborted one included', async () => {
    const boundary = `----credcase${crypto.randomUUID()}`;
    const aborted = httpRequest(formUrl, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(50 * MB) } });
    aborted.on('error', () => undefined);
    aborted.write(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    aborted.write(Buffer.alloc(2 * MB, 0x41));
    await waitFor(() => scratchDirs().length > 0, 'the aborted upload to reach the scratch disk');
    aborted.destroy();
    await waitFor(() => scratchDirs().length === 0, 'every scratch directory to be removed');
  });
});

describe('orphan files', () => {
  test('files older than a day that no case and no draft took up are removed; the others stay', async () => {
    const enterprise = client('qiye@demo.local');
    const [orphan, drafted, recent] = [await upload(enterprise, '孤立文件.pdf'), await upload(enterprise, '草稿中的报告.pdf'), await upload(enterprise, '刚上传的文件.pdf')];
    const saved = await enterprise.put(`/api/drafts/${system.program.id}/standard`, { application: { creditReportFileId: drafted } });
    expect(saved.status).toBe(200);
    const em = system.app.orm.em.fork();
    const inCases = (await em.find(CaseFileRecord, {})).map((l) => l.fileId);
    expect(inCases.length).toBeGreaterThan(0);
    const dayAndHourAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await em.nativeUpdate(FileRecord, { id: { $ne: recent } }, { createdAt: dayAndHourAgo });

    const loose = (await em.find(FileRecord, { id: { $nin: [...inCases, drafted, recent] } }, { fields: ['id'] })).map((f) => f.id);
    expect(loose).toContain(orphan);
    expect(await removeOrphanFiles(system.app.orm)).toBe(loose.length);

    const left = new Set((await system.app.orm.em.fork().find(FileRecord, {}, { fields: ['id'] })).map((f) => f.id));
    expect(left.has(orphan)).toBe(false);
    for (const id of [...inCases, drafted, recent]) expect(left.has(id)).toBe(true);
    expect(await removeOrphanFiles(system.app.orm)).toBe(0);
  });
});

describe('legacy office documents by their compound-file streams', () => {
  test('doc, xls and ppt are told by their root stream; other compound files and broken ones are not documents', () => {
    expect(legacyOfficeType(compoundFile(['WordDocument']))).toBe('application/msword');
    expect(legacyOfficeType(compoundFile(['SummaryInformation', 'Workbook']))).toBe('application/vnd.ms-excel');
    expect(legacyOfficeType(compoundFile(['PowerPoint Document']))).toBe('application/vnd.ms-powerpoint');
    expect(legacyOfficeType(compoundFile(['\u4840\u3f3f\u4177']))).toBeNull();
    expect(compoundFileRootStreams(compoundFile(['a', 'b', 'c']))).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    expect(compoundFileRootStreams(compoundFile(['WordDocument']).subarray(0, 700))).toEqual([]);
    expect(compoundFileRootStreams(Buffer.alloc(10))).toEqual([]);
  });
});
