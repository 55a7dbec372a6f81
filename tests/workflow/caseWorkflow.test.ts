import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CaseState } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { TaskRecord } from '../../infra/db/entities.ts';
import type { caseWorkflow } from '../../workflows/tracks/standardTrack.ts';
import { caseSettledUpdate, caseStateQuery, completeTaskUpdate } from '../../workflows/case/messages.ts';
import { CASE_DISTRICT, CASE_STAGE, CASE_TRACK, PROGRAM_YEAR } from '../../workflows/searchAttributes.ts';
import { application, caseStartInput, uscc } from '../support/fixtures.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/** The case workflow driven straight through Temporal (no API in front), on the embedded PGlite driver. */
let system: TestSystem;
const shaxi: Actor = { userId: crypto.randomUUID(), name: '陈静', role: 'district_officer', scopeId: 'shaxi' };
const fuqiao: Actor = { userId: crypto.randomUUID(), name: '孙磊', role: 'district_officer', scopeId: 'fuqiao' };
const city: Actor = { userId: crypto.randomUUID(), name: '周涛', role: 'city_officer', scopeId: null };

beforeAll(async () => {
  system = await startTestSystem('pglite');
});
afterAll(async () => {
  await system?.stop();
});

async function startCase(n: number): Promise<{ handle: WorkflowHandle<typeof caseWorkflow>; state: CaseState }> {
  const input = caseStartInput(system.program, application({ uscc: uscc(n), enterpriseName: `测试企业${n}` }));
  const handle = await system.app.temporal.workflow.start<typeof caseWorkflow>('caseWorkflow', {
    workflowId: input.caseId,
    taskQueue: system.app.config.temporal.taskQueue,
    args: [input],
  });
  return { handle, state: await handle.executeUpdate(caseSettledUpdate) };
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

describe('case workflow', () => {
  test('the update validator is the authority: wrong actor, closed task, invalid payload', async () => {
    const { handle, state } = await startCase(1);
    const taskId = state.openTasks[0]!.id;
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: fuqiao, payload: { outcome: 'approve' } }] }))).toBe('wrong_actor');
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: city, payload: { outcome: 'approve' } }] }))).toBe('wrong_actor');
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: shaxi, payload: { outcome: 'reject' } }] }))).toBe('invalid_payload');
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: 'made-up', actor: shaxi, payload: { outcome: 'approve' } }] }))).toBe('task_closed');
    // rejected updates leave no trace in the case
    expect((await handle.query(caseStateQuery)).decisions).toEqual([]);
  });

  test('two officers deciding the same task at once: exactly one decision counts', async () => {
    const { handle, state } = await startCase(2);
    const taskId = state.openTasks[0]!.id;
    const colleague: Actor = { ...shaxi, userId: crypto.randomUUID(), name: '沙溪同事' };
    const results = await Promise.allSettled([
      handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: shaxi, payload: { outcome: 'approve' } }] }),
      handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: colleague, payload: { outcome: 'reject', comment: '材料不全' } }] }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(((failed.reason as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('task_closed');
    expect((await handle.query(caseStateQuery)).decisions).toHaveLength(1);
  });

  test('a rejection ends the workflow; search attributes and the projection say so', async () => {
    const { handle, state } = await startCase(3);
    const after = await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: state.openTasks[0]!.id, actor: shaxi, payload: { outcome: 'reject', comment: '成立不满两年' } }],
    });
    expect(after).toMatchObject({ stage: 'rejected', status: 'rejected', openTasks: [], closure: { reason: '成立不满两年' } });
    const result = await handle.result();
    expect(result.decisions).toEqual([expect.objectContaining({ outcome: 'reject', comment: '成立不满两年', actor: shaxi })]);

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(CASE_STAGE)).toBe('rejected');
    expect(description.typedSearchAttributes.get(CASE_TRACK)).toBe('standard');
    expect(description.typedSearchAttributes.get(CASE_DISTRICT)).toBe('shaxi');
    expect(description.typedSearchAttributes.get(PROGRAM_YEAR)).toBe(2026);
    const task = await system.app.orm.em.fork().findOneOrFail(TaskRecord, { id: state.openTasks[0]!.id });
    expect(task).toMatchObject({ status: 'completed', outcome: 'reject', completedBy: shaxi.userId });
    await system.mail.waitFor((m) => m.envelopeTo.includes('shaxi@demo.local') && m.subject.startsWith('【待办】测试企业3'), 1, PATIENCE_MS);
  });

  test('district approval, batch forwarding and city approval open the self-compliance checklist; each office mailed once', async () => {
    const { handle, state } = await startCase(4);
    const forwarding = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: state.openTasks[0]!.id, actor: shaxi, payload: { outcome: 'approve' } }] });
    expect(forwarding.openTasks).toEqual([expect.objectContaining({ kind: 'forward', stage: 'district_forwarding', assignment: { role: 'district_officer', jurisdiction: 'shaxi' } })]);
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: forwarding.openTasks[0]!.id, actor: shaxi, payload: { outcome: 'forward' } }] }))).toBe('invalid_payload');
    const batch = { id: crypto.randomUUID(), number: '沙溪镇〔2026〕贯标第1批', forwardedAt: new Date().toISOString() };
    const atCity = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: forwarding.openTasks[0]!.id, actor: shaxi, payload: { outcome: 'forward', batch } }] });
    expect(atCity.openTasks).toEqual([expect.objectContaining({ stage: 'city_review', assignment: { role: 'city_officer', jurisdiction: null } })]);
    const admitted = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: atCity.openTasks[0]!.id, actor: city, payload: { outcome: 'approve' } }] });
    expect(admitted).toMatchObject({ stage: 'self_compliance', status: 'active' });
    expect(admitted.openTasks.map((t) => t.subject)).toEqual(['working_group', 'work_plan', 'credit_department', 'training', 'internal_evaluation', 'acceptance']);

    // the acceptance materials wait for the checklist
    const enterprise: Actor = { userId: crypto.randomUUID(), name: '企业', role: 'enterprise', scopeId: admitted.application.uscc };
    const submission = admitted.openTasks.find((t) => t.kind === 'acceptance_submission')!;
    const acceptance = { workSummaryFileId: 'a', internalEvaluationFileId: 'b', commitmentLetterFileId: 'c', selfEvaluation: { scores: { '1.1': 'full' as const }, evidence: {} } };
    expect(await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: submission.id, actor: enterprise, payload: { outcome: 'submit', acceptance } }] }))).toBe('invalid_payload');
    // checklist items completed at the same moment both count
    const items = admitted.openTasks.filter((t) => t.kind === 'self_compliance_item').slice(0, 3);
    await Promise.all(items.map((t) => handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: t.id, actor: enterprise, payload: { outcome: 'done', fileIds: ['f'] } }] })));
    expect(Object.keys((await handle.query(caseStateQuery)).checklist).sort()).toEqual(items.map((t) => t.subject).sort());
    // mail goes out beside the case, each in its own time: wait for all three, then count
    const forCase = (to: string) => system.mail.to(to).filter((m) => m.subject.includes('测试企业4'));
    await system.mail.waitFor((m) => m.envelopeTo.includes('shaxi@demo.local') && m.subject.includes('测试企业4'), 2, PATIENCE_MS);
    await system.mail.waitFor((m) => m.envelopeTo.includes('city@demo.local') && m.subject.includes('测试企业4'), 1, PATIENCE_MS);
    expect(forCase('shaxi@demo.local')).toHaveLength(2); // review, then forwarding
    expect(forCase('city@demo.local')).toHaveLength(1);
    await handle.terminate('test over');
  });
});
