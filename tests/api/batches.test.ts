import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ApplicationForm } from '../../domain/case/model.ts';
import { BatchRecord, TaskRecord } from '../../infra/db/entities.ts';
import { createUser, publishProgram } from '../../app/seed.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, testProgram, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/** 汇总报送 (issue 7, finding 6): a batch exists only when its forwarding happened, bounded, numbered per program. */
let system: TestSystem;
let track: Track;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
});
afterAll(async () => {
  await system?.stop();
});

/** A program of the same year as the system's, published beside it. */
async function anotherProgram(): Promise<string> {
  const program = testProgram();
  await publishProgram(system.app.orm, program);
  return program.id;
}

/** Another enterprise of 沙溪镇, logged in with the same district and city officers. */
async function enterprise(n: number): Promise<Track> {
  const email = `batch${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业用户${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

/** The enterprise applies to the program and the district approves: the case waits for forwarding. */
async function awaitingForwarding(applicant: Track, programId: string, overrides: Partial<ApplicationForm> = {}): Promise<string> {
  const applied = await applicant.enterprise.post('/api/cases', { programId, application: await applicationWithReport(applicant.enterprise, overrides) });
  expect(applied.status).toBe(201);
  const caseId: string = applied.body.id;
  expect((await applicant.complete(applicant.district, caseId, { outcome: 'approve' }, 'review')).status).toBe(200);
  await applicant.task(applicant.district, caseId, 'forward');
  return caseId;
}

async function storedBatchesHolding(caseId: string): Promise<BatchRecord[]> {
  const all = await system.app.orm.em.fork().find(BatchRecord, {});
  return all.filter((b) => b.caseIds.includes(caseId));
}

describe('汇总报送 (batch forwarding)', () => {
  test('ten concurrent forwardings of one case: one batch, the other nine 409, nothing else stored', async () => {
    const caseId = await awaitingForwarding(track, system.program.id);
    const answers = await Promise.all(Array.from({ length: 10 }, () => track.forward(caseId)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const created = answers.find((a) => a.status === 201)!.body;
    expect(created.caseIds).toEqual([caseId]);
    const held = await storedBatchesHolding(caseId);
    expect(held.map((b) => b.id)).toEqual([created.id]);
    const listed = (await track.district.get('/api/batches')).body.batches.filter((b: BatchRecord) => b.caseIds.includes(caseId));
    expect(listed.map((b: BatchRecord) => b.id)).toEqual([created.id]);
    // the case went on to the city, in that batch
    expect((await track.task(track.city, caseId, 'review')).caseId).toBe(caseId);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.error.fields[0].path).toMatch(/^caseIds/);
  });

  test('more than 500 cases in one request: 400 naming caseIds, before any lookup', async () => {
    const ids = Array.from({ length: 501 }, (_, i) => `case-${system.program.id}-standard-${uscc(i + 1)}`);
    const answer = await track.forward(...ids);
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields).toEqual([{ path: 'caseIds', rule: expect.stringContaining('500') }]);
  });

  test('a case id of the wrong shape: 400 naming it', async () => {
    const good = `case-${system.program.id}-standard-${uscc(1)}`;
    const answer = await track.forward(good, 'case-x', `case-${system.program.id}-standard-${'9'.repeat(300)}`, `case-${system.program.id}-gold-${uscc(1)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['caseIds.1', 'caseIds.2', 'caseIds.2', 'caseIds.3']);
    expect((await track.district.post('/api/batches', { caseIds: [good, 42] })).status).toBe(400);
    expect((await track.district.post('/api/batches', { caseIds: [] })).status).toBe(400);
  });

  test('two programs of the same year, forwarding from one district: both numbered 第1批, no clash', async () => {
    const [first, second] = [await anotherProgram(), await anotherProgram()];
    const firstCase = await awaitingForwarding(track, first);
    const secondCase = await awaitingForwarding(track, second);
    const a = await track.forward(firstCase, firstCase);
    const b = await track.forward(secondCase);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.caseIds).toEqual([firstCase]);
    expect(a.body.number).toBe(b.body.number);
    expect(a.body.number).toMatch(/^沙溪镇〔\d{4}〕贯标第1批$/);
  });

  test('a case its workflow refuses leaves the batch; the batch holds exactly the cases forwarded', async () => {
    const programId = await anotherProgram();
    const other = await enterprise(301);
    const going = await awaitingForwarding(track, programId);
    const gone = await awaitingForwarding(other, programId, { uscc: uscc(301), enterpriseName: '太仓示例第二机械有限公司' });
    // the case stops running between its approval and its forwarding (its inbox row still says open)
    await system.app.temporal.workflow.getHandle(gone).terminate('test: the case stopped');
    const answer = await track.forward(going, gone);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body.error.fields).toEqual([{ path: 'caseIds.1', rule: expect.any(String) }]);
    expect(answer.body.error.message).toContain(gone);
    const [batch, ...more] = await storedBatchesHolding(going);
    expect(more).toEqual([]);
    expect(batch!.caseIds).toEqual([going]);
    expect(await storedBatchesHolding(gone)).toEqual([]);
    // a batch of only refused cases is not kept at all
    const again = await track.forward(gone);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(await storedBatchesHolding(gone)).toEqual([]);
  });

  test('the batch list shows only real batches: each holds cases forwarded in it, no case in two', async () => {
    const { batches } = (await track.district.get('/api/batches')).body as { batches: BatchRecord[] };
    expect(batches.length).toBeGreaterThanOrEqual(4);
    const stored = await system.app.orm.em.fork().find(BatchRecord, {});
    expect(stored.map((b) => b.id).sort()).toEqual(batches.map((b) => b.id).sort());
    const seen = new Set<string>();
    for (const batch of batches) {
      expect(batch.caseIds.length).toBeGreaterThan(0);
      for (const caseId of batch.caseIds) {
        expect(seen.has(caseId)).toBe(false);
        seen.add(caseId);
        const forwarded = await system.app.orm.em.fork().findOneOrFail(TaskRecord, { caseId, kind: 'forward' });
        expect(forwarded).toMatchObject({ status: 'completed', result: { batch: { id: batch.id, number: batch.number } } });
      }
    }
  });
});
