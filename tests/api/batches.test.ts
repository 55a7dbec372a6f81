import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ApplicationForm } from '../../domain/case/model.ts';
import type { WorkflowHandle } from '@temporalio/client';
import type { Actor } from '../../domain/identity/roles.ts';
import { createBatchActivities } from '../../activities/batches/batchActivities.ts';
import { BatchCaseRecord, BatchRecord, TaskRecord } from '../../infra/db/entities.ts';
import { DEMO_USERS, createUser, publishProgram } from '../../app/seed.ts';
import { batchClaimLock, forwardBatchWorkflowId, type forwardBatch } from '../../workflows/rounds/forwardBatch.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, TEST_YEAR, startTestSystem, testProgram, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

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

  test('the forwarding is its own workflow: a claim whose request is gone is forwarded and settled all the same; a rolled-back claim forwards nothing; settling or running it again changes nothing', async () => {
    const programId = await anotherProgram();
    const other = await enterprise(302);
    const first = await awaitingForwarding(track, programId);
    const second = await awaitingForwarding(other, programId, { uscc: uscc(302), enterpriseName: '太仓示例第三机械有限公司' });

    // a claim rolled back after its workflow started (the request failed before its commit): the workflow finds nothing, and the cases still wait
    const rolledBack = await claimWithoutRequest(programId, [first, second], 'rollback');
    expect(await rolledBack.run.result()).toEqual({ claimed: false, outcomes: [], kept: null });
    expect(await storedBatchesHolding(first)).toEqual([]);
    expect(await system.app.orm.em.fork().count(TaskRecord, { caseId: { $in: [first, second] }, kind: 'forward', status: 'open' })).toBe(2);

    // a claim committed, and then nobody waits for its answer (the API process died): the batch is forwarded and settled anyway
    const { batchId } = await claimWithoutRequest(programId, [first, second], 'commit');
    const settled = await eventually('the batch settled by its workflow alone', () => system.app.orm.em.fork().findOne(BatchRecord, { id: batchId }), (b) => b?.status === 'forwarded');
    expect(settled!.caseIds).toEqual([first, second]);
    const listed = (await track.district.get('/api/batches')).body.batches.map((b: BatchRecord) => b.id);
    expect(listed).toContain(batchId);
    await eventually('both forward tasks completed in that batch', () => forwardTasks([first, second]), (tasks) => tasks.every((t) => t.status === 'completed' && (t.result as { batch?: { id: string } })?.batch?.id === batchId));
    for (const caseId of [first, second]) expect((await track.task(track.city, caseId, 'review')).caseId).toBe(caseId);

    // a retried settle with other outcomes, then the whole workflow once more: the same answer, nothing stored changes
    const before = await storedState(batchId, [first, second]);
    const settle = createBatchActivities({ orm: system.app.orm, temporal: system.app.temporal }).settleBatch;
    const refusedAll = before.claims.map((c) => ({ caseId: c.caseId, taskId: c.taskId, forwarded: false }));
    expect(await settle({ batchId, outcomes: refusedAll })).toEqual([first, second]);
    const again = await system.app.temporal.workflow.execute<typeof forwardBatch>('forwardBatch', { workflowId: forwardBatchWorkflowId(batchId), taskQueue: system.app.config.temporal.taskQueue, args: [{ batchId, actor: districtOfficer() }] });
    expect(again).toMatchObject({ claimed: true, kept: [first, second] });
    expect(again.outcomes.map((o) => [o.caseId, o.forwarded])).toEqual([
      [first, true],
      [second, true],
    ]);
    expect(await storedState(batchId, [first, second])).toEqual(before);
  });
});

/** The 沙溪镇 district officer, as the request would pass them to the workflow. */
function districtOfficer(): Actor {
  const user = DEMO_USERS.find((u) => u.email === 'shaxi@demo.local')!;
  return { userId: system.userIds.get(user.email)!, name: user.name, role: 'district_officer', scopeId: 'shaxi' };
}

async function forwardTasks(caseIds: string[]): Promise<TaskRecord[]> {
  return system.app.orm.em.fork().find(TaskRecord, { caseId: { $in: caseIds }, kind: 'forward' }, { orderBy: { caseId: 'asc' } });
}

/** What a settled batch is made of: its row, its claims and its cases' forward tasks. */
async function storedState(batchId: string, caseIds: string[]) {
  const em = system.app.orm.em.fork();
  return {
    batch: await em.findOneOrFail(BatchRecord, { id: batchId }),
    claims: await em.find(BatchCaseRecord, { batchId }, { orderBy: { taskId: 'asc' } }),
    tasks: await forwardTasks(caseIds),
  };
}

/**
 * What the request's claim does, without the request: in one transaction the batch's lock, the batch
 * and its claims, and its workflow started; held open until the workflow is waiting for that lock,
 * then committed or rolled back. Nobody waits for the workflow's answer.
 */
async function claimWithoutRequest(programId: string, caseIds: string[], end: 'commit' | 'rollback'): Promise<{ batchId: string; run: WorkflowHandle<typeof forwardBatch> }> {
  const batchId = crypto.randomUUID();
  const actor = districtOfficer();
  const open = await system.app.orm.em.fork().find(TaskRecord, { caseId: { $in: caseIds }, kind: 'forward', status: 'open' });
  let run: WorkflowHandle<typeof forwardBatch> | undefined;
  const rollback = new Error('test: the claim rolls back');
  await system.app.orm.em
    .fork()
    .transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [batchClaimLock(batchId)]);
      await tx.insert(BatchRecord, {
        id: batchId,
        number: `沙溪镇〔${TEST_YEAR}〕贯标第1批`,
        sequence: 1,
        status: 'forwarding',
        programId,
        track: 'standard',
        district: 'shaxi',
        caseIds,
        forwardedBy: actor.userId,
        forwardedByName: actor.name,
        forwardedAt: new Date(),
      });
      await tx.insertMany(BatchCaseRecord, open.map((t) => ({ taskId: t.id, caseId: t.caseId, batchId })));
      run = await system.app.temporal.workflow.start<typeof forwardBatch>('forwardBatch', { workflowId: forwardBatchWorkflowId(batchId), taskQueue: system.app.config.temporal.taskQueue, args: [{ batchId, actor }] });
      // its first step has started and waits for this transaction to end
      await eventually('the workflow reading the claim', () => run!.describe(), (d) => (d.raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'claimedBatch' && a.lastStartedTime));
      if (end === 'rollback') throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return { batchId, run: run! };
}
