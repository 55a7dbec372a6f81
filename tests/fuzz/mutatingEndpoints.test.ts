import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { z } from 'zod';
import { acceptanceScheduleBody, batchBody, completeTaskBody, consultantBody, creditRecordBody, draftSchema, extensionBody, holdBody, objectionBody, signedScanBody, submitApplicationBody } from '../../features/cases/schemas.ts';
import { agencyConsultantBody, agencyCreateBody, agencyUpdateBody, certificateImportBody, revokeBody } from '../../features/registers/schemas.ts';
import { preferencesBody } from '../../features/me/schemas.ts';
import { summaryListBody } from '../../features/documents/schemas.ts';
import { bulkBody, savedFilterBody } from '../../features/tasks/inboxSchemas.ts';
import { inviteBody } from '../../features/admin/schemas.ts';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * Property-based fuzzing of every mutating endpoint, from its own schema: a valid body, then one
 * thing made wrong — a field of the wrong type, a required field missing, an unknown field, a
 * hostile string (control characters, bidirectional overrides, oversized) — or a harmless but odd
 * string (emoji, zero-width, SQL, markup) with a required field missing; and the whole body with
 * the wrong content type or encoding. Every answer is a 4xx JSON error naming a field, never a 5xx
 * or a hang; nothing is stored; the server answers afterwards.
 */
interface Endpoint {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH';
  path: () => string;
  client: () => ApiClient;
  schema: z.ZodType;
  valid: () => Record<string, unknown>;
}

type Leaf = { path: string[]; kind: string; required: boolean };

/** The fields of a schema, walked through its wrappers: where each is, what type, whether required. */
function leaves(schema: z.ZodType, path: string[] = [], required = true): Leaf[] {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return leaves(def.innerType, path, false);
    case 'pipe':
      return leaves(def.in, path, required);
    case 'object':
      return [{ path, kind: 'object', required }, ...Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, inner]) => leaves(inner, [...path, key], true))];
    default:
      return [{ path, kind: def.type as string, required }];
  }
}

const HOSTILE = ['NUL\u0000公司', '铃\u0007声', '右\u202E向覆盖', '隔离\u2066文字', 'line\u0085break', '\uD800孤立代理', 'x'.repeat(100_000)];
const ODD_BUT_HARMLESS = ['😀🏢𠀀', 'zero\u200Bwidth', "'; DROP TABLE cases; --", '<script>alert(1)</script>', '  ', '‮'.normalize()];

const WRONG_TYPE: Record<string, unknown[]> = {
  string: [12345, true, { a: 1 }, ['x']],
  number: ['not a number', { a: 1 }, [1], true],
  boolean: ['yes', 1, { a: 1 }],
  enum: ['not-a-choice', 7, { a: 1 }],
  array: ['x', { a: 1 }, 5],
  record: ['x', [1, 2], 5],
  object: ['x', [1, 2], 5],
};

function at(body: Record<string, unknown>, path: string[]): Record<string, unknown> | null {
  let current: unknown = body;
  for (const key of path.slice(0, -1)) {
    if (!current || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current && typeof current === 'object' ? (current as Record<string, unknown>) : null;
}

type Mutation = (body: Record<string, unknown>) => void;

function present(body: Record<string, unknown>, path: string[]): boolean {
  const parent = at(body, path);
  return parent !== null && path.at(-1)! in parent;
}

/** Mutations that make a valid body invalid, each one thing, drawn from the schema's own fields. */
function invalidations(schema: z.ZodType, valid: Record<string, unknown>): fc.Arbitrary<{ label: string; apply: Mutation }> {
  // only fields the valid body has: changing an absent optional field would change nothing
  const fields = leaves(schema).filter((leaf) => leaf.path.length > 0 && present(valid, leaf.path));
  const required = fields.filter((leaf) => leaf.required);
  const set = (leaf: Leaf, value: unknown): Mutation => (body) => {
    const parent = at(body, leaf.path);
    if (parent) parent[leaf.path.at(-1)!] = value;
  };
  const remove = (leaf: Leaf): Mutation => (body) => {
    const parent = at(body, leaf.path);
    if (parent) delete parent[leaf.path.at(-1)!];
  };
  const options: fc.Arbitrary<{ label: string; apply: Mutation }>[] = [];
  const typed = fields.filter((leaf) => WRONG_TYPE[leaf.kind]);
  if (typed.length) {
    options.push(fc.constantFrom(...typed).chain((leaf) => fc.constantFrom(...WRONG_TYPE[leaf.kind]!).map((value) => ({ label: `${leaf.path.join('.')} = ${JSON.stringify(value)}`, apply: set(leaf, value) }))));
  }
  if (required.length) options.push(fc.constantFrom(...required).map((leaf) => ({ label: `without ${leaf.path.join('.')}`, apply: remove(leaf) })));
  const objects = [{ path: [] as string[] }, ...fields.filter((leaf) => leaf.kind === 'object')];
  const known = new Set(leaves(schema).map((leaf) => leaf.path.at(-1)));
  options.push(
    fc.tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !known.has(key) && !['__proto__', 'constructor', 'prototype'].includes(key))).map(([object, key]) => ({
      label: `unknown field ${[...object.path, key].join('.')}`,
      apply: (body: Record<string, unknown>) => {
        const target = object.path.length ? at(body, [...object.path, key])! : body;
        target[key] = 'surplus';
      },
    })),
  );
  const strings = fields.filter((leaf) => leaf.kind === 'string');
  if (strings.length) {
    options.push(fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...HOSTILE)).map(([leaf, text]) => ({ label: `${leaf.path.join('.')} hostile ${JSON.stringify(text.slice(0, 12))}`, apply: set(leaf, text) })));
    if (required.length) {
      options.push(
        fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...ODD_BUT_HARMLESS), fc.constantFrom(...required)).map(([leaf, text, missing]) => ({
          label: `${leaf.path.join('.')} = ${JSON.stringify(text)} without ${missing.path.join('.')}`,
          apply: (body: Record<string, unknown>) => {
            set(leaf, text)(body);
            remove(missing)(body);
          },
        })),
      );
    }
  }
  return fc.oneof(...options);
}

let system: TestSystem;
let track: Track;
let admin: ApiClient;
let caseId: string;
let reviewTaskId: string;
let validApplication: Record<string, unknown>;
const consultantId = () => system.userIds.get('guwen@demo.local')!;

const TABLES = ['cases', 'tasks', 'case_events', 'application_versions', 'enterprise_credit_records', 'deadline_extensions', 'files', 'drafts', 'batches', 'batch_cases', 'identity_numbers', 'programs', 'users', 'certificates', 'agencies', 'objections', 'summary_lists'];
async function counts(): Promise<Record<string, number>> {
  const connection = system.app.orm.em.fork().getConnection();
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await connection.execute(`select count(*)::int as n from "${table}"`))[0].n;
  return out;
}

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
  admin = await ApiClient.login(system.url, 'admin@demo.local', TEST_PASSWORD);
  validApplication = { ...(await applicationWithReport(track.enterprise)) };
  const applied = await track.enterprise.post('/api/cases', { programId: system.program.id, application: validApplication });
  expect(applied.status).toBe(201);
  caseId = applied.body.id;
  reviewTaskId = (await track.task(track.district, caseId, 'review')).id;
}, 120_000);
afterAll(async () => {
  await system?.stop();
});

const ENDPOINTS: Endpoint[] = [
  {
    name: 'apply',
    method: 'POST',
    path: () => '/api/cases',
    client: () => track.enterprise,
    schema: submitApplicationBody,
    // another enterprise year would be a new case: the body is made invalid every time
    valid: () => ({ programId: system.program.id, track: 'standard', application: { ...validApplication } }),
  },
  { name: 'complete a task', method: 'POST', path: () => `/api/tasks/${encodeURIComponent(reviewTaskId)}/complete`, client: () => track.district, schema: completeTaskBody, valid: () => ({ outcome: 'return', comment: '请补充材料' }) },
  {
    name: 'grant an extension',
    method: 'POST',
    path: () => '/api/extensions',
    client: () => track.city,
    schema: extensionBody,
    valid: () => ({ programId: system.program.id, track: 'standard', uscc: uscc(880), deadline: 'application', dueDate: '2099-06-30', dueTime: '17:00', reason: '企业材料延迟提交' }),
  },
  { name: 'hold a deadline', method: 'POST', path: () => `/api/cases/${caseId}/deadlines/acceptanceMaterials/suspend`, client: () => track.city, schema: holdBody, valid: () => ({ reason: '企业停产整顿' }) },
  { name: 'hand back a signed scan', method: 'POST', path: () => `/api/cases/${caseId}/documents/commitment_letter/scans`, client: () => track.enterprise, schema: signedScanBody, valid: () => ({ fileId: '6f1c2a4e-8b7d-4c3e-9f10-2a3b4c5d6e7f' }) },
  { name: 'engage a consultant', method: 'POST', path: () => `/api/cases/${caseId}/consultant`, client: () => track.enterprise, schema: consultantBody, valid: () => ({ consultantUserId: consultantId() }) },
  {
    name: 'record a credit finding',
    method: 'POST',
    path: () => `/api/enterprises/${DEMO_ENTERPRISE_USCC}/credit-records`,
    client: () => track.city,
    schema: creditRecordBody,
    valid: () => ({ kind: 'general_dishonesty', occurredOn: '2025-03-01', note: '欠税公告' }),
  },
  { name: 'claim several tasks', method: 'POST', path: () => '/api/tasks/bulk', client: () => track.district, schema: bulkBody, valid: () => ({ action: 'claim', taskIds: [reviewTaskId], comment: '统一办理' }) },
  { name: 'save an inbox filter', method: 'POST', path: () => '/api/tasks/filters', client: () => track.district, schema: savedFilterBody, valid: () => ({ name: '本周到期的审核' }) },
  { name: 'save a draft', method: 'PUT', path: () => `/api/drafts/${system.program.id}/standard`, client: () => track.enterprise, schema: draftSchema, valid: () => ({ application: { enterpriseName: '草稿企业', reasons: '理由写了一半' } }) },
  { name: 'forward a batch', method: 'POST', path: () => '/api/batches', client: () => track.district, schema: batchBody, valid: () => ({ caseIds: [caseId] }) },
  { name: 'print a summary list', method: 'POST', path: () => `/api/programs/${system.program.id}/summary-lists/standard`, client: () => track.district, schema: summaryListBody, valid: () => ({ district: 'shaxi' }) },
  { name: 'change preferences', method: 'PUT', path: () => '/api/me/preferences', client: () => track.enterprise, schema: preferencesBody, valid: () => ({ digest: true, locale: 'zh-CN' }) },
  // the demonstration tracks and their registers
  { name: 'set an acceptance date', method: 'POST', path: () => '/api/acceptance-schedules', client: () => track.prefecture, schema: acceptanceScheduleBody, valid: () => ({ caseIds: [caseId], at: '2099-06-30T09:30', place: '苏州市信用办会议室' }) },
  { name: 'object in publicity', method: 'POST', path: () => `/api/publicity/${caseId}/objections`, client: () => track.enterprise, schema: objectionBody, valid: () => ({ name: '张三', contact: '13800000000', text: '该企业曾拖欠供应商货款，请核实。' }) },
  { name: 'import certificates', method: 'POST', path: () => '/api/certificates/import', client: () => admin, schema: certificateImportBody, valid: () => ({ csv: `uscc,track,number,issuedOn\n${uscc(881)},standard,太贯〔2024〕881,2024-06-01` }) },
  { name: 'revoke a certificate', method: 'POST', path: () => `/api/certificates/${encodeURIComponent('太贯〔2024〕881')}/revoke`, client: () => admin, schema: revokeBody, valid: () => ({ reason: '验收材料弄虚作假' }) },
  { name: 'register an agency', method: 'POST', path: () => '/api/agencies', client: () => admin, schema: agencyCreateBody, valid: () => ({ uscc: uscc(882), name: '示例信用服务有限公司', contactPerson: '李强', contactPhone: '0512-12345678', address: '苏州市示例路1号' }) },
  { name: 'change an agency', method: 'PATCH', path: () => '/api/agencies/agency-demo', client: () => admin, schema: agencyUpdateBody, valid: () => ({ contactPhone: '0512-87654321' }) },
  { name: 'invite a user', method: 'POST', path: () => '/api/admin/users', client: () => admin, schema: inviteBody, valid: () => ({ email: 'xinyonghu@demo.local', name: '周涛', role: 'city_officer', locale: 'zh-CN' }) },
  { name: 'add a consultant', method: 'POST', path: () => '/api/agencies/agency-demo/consultants', client: () => admin, schema: agencyConsultantBody, valid: () => ({ name: '赵六', email: 'zhaoliu@demo.local', password: 'initial-password-1' }) },
];

async function send(client: ApiClient, method: string, path: string, body: string | Uint8Array, headers: Record<string, string>) {
  const token = (client as unknown as { token: string }).token;
  const response = await fetch(`${system.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers }, body, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  const json: any = (() => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  })();
  return { status: response.status, json };
}

function refusedNamingAField(answer: { status: number; json: any }, label: string) {
  const ok = answer.status >= 400 && answer.status < 500 && ![401, 403, 404].includes(answer.status) && Array.isArray(answer.json?.error?.fields) && answer.json.error.fields.length > 0 && answer.json.error.fields.every((f: any) => typeof f.path === 'string' && f.path.length > 0 && typeof f.rule === 'string');
  if (!ok) throw new Error(`${label}: expected a 4xx naming a field, got ${answer.status} ${JSON.stringify(answer.json)?.slice(0, 300)}`);
}

describe.each(ENDPOINTS)('$method $name', (endpoint) => {
  test('one thing wrong in the body: a 4xx naming a field, nothing stored', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(invalidations(endpoint.schema, endpoint.valid()), async (mutation) => {
        const body = structuredClone(endpoint.valid());
        mutation.apply(body);
        const answer = await send(endpoint.client(), endpoint.method, endpoint.path(), JSON.stringify(body), { 'content-type': 'application/json' });
        refusedNamingAField(answer, `${endpoint.name}, ${mutation.label}`);
      }),
      { numRuns: 30 },
    );
    expect(await counts()).toEqual(before);
  }, 180_000);

  test('the wrong content type or encoding: a 4xx, nothing stored', async () => {
    const before = await counts();
    const valid = JSON.stringify(endpoint.valid());
    const variants: Array<[string, string | Uint8Array, Record<string, string>]> = [
      ['text/plain', valid, { 'content-type': 'text/plain' }],
      ['form-encoded', new URLSearchParams({ body: valid }).toString(), { 'content-type': 'application/x-www-form-urlencoded' }],
      ['utf-16 charset', valid, { 'content-type': 'application/json; charset=utf-16' }],
      ['garbage gzip', new Uint8Array(Buffer.from('definitely not gzip')), { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
      ['unknown encoding', valid, { 'content-type': 'application/json', 'content-encoding': 'zstd-x' }],
      ['truncated JSON', valid.slice(0, Math.max(1, valid.length - 3)), { 'content-type': 'application/json' }],
    ];
    for (const [label, body, headers] of variants) {
      const answer = await send(endpoint.client(), endpoint.method, endpoint.path(), body, headers);
      if (!(answer.status >= 400 && answer.status < 500)) throw new Error(`${endpoint.name}, ${label}: expected a 4xx, got ${answer.status}`);
      expect(answer.json?.error?.message).toEqual(expect.any(String));
    }
    expect(await counts()).toEqual(before);
  }, 60_000);
});

test('the server still answers, and the case is as it was', async () => {
  expect((await new ApiClient(system.url).get('/healthz')).status).toBe(200);
  const view = await track.district.get(`/api/cases/${caseId}`);
  expect(view.body).toMatchObject({ stage: 'district_review', status: 'active', applicationVersion: 1 });
  expect(admin).toBeDefined();
});
