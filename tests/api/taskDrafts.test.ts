import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createUser } from '../../app/seed.ts';
import { FileRecord } from '../../infra/db/entities.ts';
import { ORPHAN_AGE_MS, removeOrphanFiles } from '../../infra/db/fileRetention.ts';
import { upload, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { eventually } from '../support/waits.ts';

/**
 * The draft of the acceptance materials over the API (GET/PUT /api/tasks/:taskId/draft): the
 * enterprise keeps its score sheet and files so far without handing anything in; nobody else reads
 * or writes it; the uploads it names are not removed as orphans while the task is open.
 */
let system: TestSystem;
let track: Track;
let caseId: string;
let taskId: string;
let draftUrl: string;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  track = await Track.start(system);
  caseId = (await track.apply()).body.id;
  await track.admit(caseId);
  await track.completeChecklist(caseId);
  taskId = (await eventually('the acceptance task', (): Promise<{ id: string } | null> => track.task(track.enterprise, caseId, 'acceptance_submission').catch(() => null), Boolean))!.id;
  draftUrl = `/api/tasks/${encodeURIComponent(taskId)}/draft`;
}, 180_000);
afterAll(async () => {
  await system?.stop();
});

describe('a draft of the acceptance materials', () => {
  test('none at first; saved and read back with each file named; the task stays open', async () => {
    expect((await track.enterprise.get(draftUrl)).body).toEqual({ draft: null });
    const summary = await upload(track.enterprise, '贯标工作总结报告（初稿）.pdf');
    const evidence = await upload(track.enterprise, '信用管理方针.pdf');
    const saved = await track.enterprise.put(draftUrl, {
      comment: '还差内部评估报告',
      acceptance: { workSummaryFileId: summary, selfEvaluation: { scores: { '1.1': 'full', '2.1': 'half', '3.1': 'zero' }, evidence: { '1.1': [evidence] } } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toMatchObject({
      taskId,
      comment: '还差内部评估报告',
      acceptance: { workSummaryFileId: summary, selfEvaluation: { scores: { '1.1': 'full', '2.1': 'half', '3.1': 'zero' }, evidence: { '1.1': [evidence] } } },
      fileNames: { [summary]: '贯标工作总结报告（初稿）.pdf', [evidence]: '信用管理方针.pdf' },
      savedBy: expect.any(String),
    });
    const read = await track.enterprise.get(draftUrl);
    expect(read.body.draft).toEqual(saved.body.draft);
    // saving is not handing in: the task is open, the case where it was
    const task = await track.enterprise.get(`/api/tasks/${encodeURIComponent(taskId)}`);
    expect(task.body.task.status).toBe('open');
    expect(task.body.caseView.acceptance ?? null).toBeNull();
  });

  test('a later save replaces the earlier one', async () => {
    const saved = await track.enterprise.put(draftUrl, { acceptance: { selfEvaluation: { scores: { '1.1': 'zero' } } } });
    expect(saved.status).toBe(200);
    expect(saved.body.draft).toMatchObject({ comment: '', acceptance: { selfEvaluation: { scores: { '1.1': 'zero' }, evidence: {} } }, fileNames: {} });
  });

  test('what cannot be scored is refused naming each item; a file not the enterprise’s is refused; nothing is kept', async () => {
    const bad = await track.enterprise.put(draftUrl, { acceptance: { selfEvaluation: { scores: { '1.1': 'half', '99.9': 'full' }, evidence: { '98.1': [] } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([
      { path: 'acceptance.selfEvaluation.scores.1.1', rule: '第1.1项：该项不设半分值 (this item has no half level)' },
      { path: 'acceptance.selfEvaluation.scores.99.9', rule: '评分表中没有此项 (no such item in the rubric)' },
      { path: 'acceptance.selfEvaluation.evidence.98.1', rule: '评分表中没有此项 (no such item in the rubric)' },
    ]);
    const wrongShape = await track.enterprise.put(draftUrl, { outcome: 'submit', acceptance: { selfEvaluation: { scores: { '1.1': 'best' } } } });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['acceptance.selfEvaluation.scores.1.1', 'outcome']);
    const foreign = await upload(track.district, '别人的文件.pdf');
    const refused = await track.enterprise.put(draftUrl, { acceptance: { commitmentLetterFileId: foreign } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toEqual([{ path: 'acceptance.commitmentLetterFileId', rule: '必须是您上传的文件 (must be a file you uploaded)' }]);
    expect((await track.enterprise.get(draftUrl)).body.draft.acceptance).toEqual({ selfEvaluation: { scores: { '1.1': 'zero' }, evidence: {} } });
  });

  test('only whoever may complete the task: another enterprise is told nothing (404), the district may see the case but not the draft (403)', async () => {
    await createUser(system.app.orm, { email: 'draft-other@demo.local', name: '另一企业', role: 'enterprise', scopeId: uscc(7301) }, TEST_PASSWORD);
    const other = await ApiClient.login(system.url, 'draft-other@demo.local', TEST_PASSWORD);
    expect((await other.get(draftUrl)).status).toBe(404);
    expect((await other.put(draftUrl, {})).status).toBe(404);
    expect((await track.district.get(draftUrl)).status).toBe(403);
    expect((await track.district.put(draftUrl, {})).status).toBe(403);
    const anonymous = new ApiClient(system.url);
    expect((await anonymous.get(draftUrl)).status).toBe(401);
  });

  test('a task that keeps no draft refuses one (422): the district’s review of another application', async () => {
    await createUser(system.app.orm, { email: 'draft-review@demo.local', name: '草稿测试企业', role: 'enterprise', scopeId: uscc(7302) }, TEST_PASSWORD);
    const other = await Track.start(system, 'draft-review@demo.local');
    const applied = await other.apply({ uscc: uscc(7302), enterpriseName: '太仓草稿测试精密机械有限公司' });
    expect(applied.status).toBe(201);
    const review = await eventually('the district review', (): Promise<{ id: string } | null> => other.task(other.district, applied.body.id, 'review').catch(() => null), Boolean);
    const refused = await other.district.put(`/api/tasks/${encodeURIComponent(review!.id)}/draft`, {});
    expect(refused.status).toBe(422);
    expect((await other.district.get(`/api/tasks/${encodeURIComponent(review!.id)}/draft`)).body).toEqual({ draft: null });
  });

  test('the uploads a draft names stay while the task is open; once it is completed the draft is not shown and they may go', async () => {
    const kept = await upload(track.enterprise, '草稿里的佐证材料.pdf');
    const loose = await upload(track.enterprise, '没人用的文件.pdf');
    expect((await track.enterprise.put(draftUrl, { acceptance: { selfEvaluation: { scores: {}, evidence: { '4.1': [kept] } } } })).status).toBe(200);
    const em = system.app.orm.em.fork();
    const old = new Date(Date.now() - ORPHAN_AGE_MS - 60_000);
    await em.nativeUpdate(FileRecord, { id: { $in: [kept, loose] } }, { createdAt: old });
    await removeOrphanFiles(system.app.orm);
    const left = async () => (await system.app.orm.em.fork().find(FileRecord, { id: { $in: [kept, loose] } }, { fields: ['id'] })).map((f) => f.id);
    expect(await left()).toEqual([kept]);

    expect((await track.submitAcceptance(caseId)).status).toBe(200);
    expect((await track.enterprise.get(draftUrl)).body).toEqual({ draft: null });
    expect((await track.enterprise.put(draftUrl, {})).status).toBe(409);
    await removeOrphanFiles(system.app.orm);
    expect(await left()).toEqual([]);
  });
});
