import { describe, expect, test } from '@jest/globals';
import { JIANGSU_SELF_EVALUATION_RUBRIC as R } from '../../domain/evaluation/jiangsuRubric.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import { scoreSheet } from '../../domain/evaluation/scoring.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import type { CaseView } from '../../features/cases/caseView.ts';
import { AppError } from '../../features/errors.ts';
import { draftFiles, keepsDraft, taskDraftBody } from '../../features/tasks/taskDrafts.ts';
import { acceptanceDraftBody, acceptanceFilesView, acceptanceFormRefusal, acceptanceFormState, chosenAdjustments, keptEvidence, reviewSheetView, sheetView, UNANSWERED_NAMED, withUploadedEvidence } from '../../web/scoreSheet.ts';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const allFull = () => Object.fromEntries(rubricItems(R).map((i) => [i.id, 'full']));

describe('the evidence a sheet form sends', () => {
  test('kept from before, but those ticked for removal; new uploads added to their items', () => {
    const body = { 'evidenceIds.1.1': `${ID(1)},${ID(2)}`, 'evidenceRemove.1.1': ID(2), 'evidenceIds.2.3': ID(3), 'evidenceRemove.2.3': [ID(3)], 'evidenceIds.4.1': '' };
    const kept = keptEvidence(body);
    expect(kept).toEqual({ '1.1': [ID(1)] });
    expect(withUploadedEvidence(kept, new Map([['evidence.1.1', [{ id: ID(4) }]], ['evidence.5.2', [{ id: ID(5) }, { id: ID(6) }]], ['workSummary', [{ id: ID(7) }]]]))).toEqual({ '1.1': [ID(1), ID(4)], '5.2': [ID(5), ID(6)] });
  });
});

describe('the acceptance form', () => {
  const files = { workSummary: { id: ID(1), name: '总结.pdf' }, internalEvaluation: null, commitmentLetter: { id: ID(3), name: '承诺书.pdf' } };

  test('a partial form is refused once, naming each missing document and each item without a level as the form does', () => {
    const scores = allFull();
    delete scores['2.1'];
    delete scores['12.7'];
    const refusal = acceptanceFormRefusal(R, acceptanceFormState({ scores, evidence: {}, files, comment: '' }, null, null));
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal!.fields).toEqual([
      { path: 'acceptance.internalEvaluationFileId', rule: '请上传企业信用管理内部评估报告 (upload the internal evaluation report)' },
      { path: 'acceptance.selfEvaluation.scores.2.1', rule: '第2.1项：请选择得分 (item 2.1: required)' },
      { path: 'acceptance.selfEvaluation.scores.12.7', rule: '第12.7项：请选择得分 (item 12.7: required)' },
    ]);
    expect(refusal!.message).toMatch(/^验收材料还有 3 处需要补充/);
    const complete = { workSummary: files.workSummary, internalEvaluation: { id: ID(2), name: '评估.pdf' }, commitmentLetter: files.commitmentLetter };
    expect(acceptanceFormRefusal(R, acceptanceFormState({ scores: allFull(), evidence: {}, files: complete, comment: '' }, null, null))).toBeNull();
  });

  test('the form shows what was handed in just now, else the draft, else what was submitted before', () => {
    const previous = { workSummaryFileId: ID(11), internalEvaluationFileId: ID(12), commitmentLetterFileId: ID(13), selfEvaluation: { scores: { '1.1': 'zero' as const }, evidence: { '1.1': [ID(14)] } } };
    const draft = { comment: '草稿说明', acceptance: { workSummaryFileId: ID(21), selfEvaluation: { scores: { '1.1': 'full' as const }, evidence: {} } } };
    expect(acceptanceFormState(null, null, previous)).toEqual({ scores: { '1.1': 'zero' }, evidence: { '1.1': [ID(14)] }, comment: '', documents: { workSummary: ID(11), internalEvaluation: ID(12), commitmentLetter: ID(13) } });
    expect(acceptanceFormState(null, draft, previous)).toEqual({ scores: { '1.1': 'full' }, evidence: {}, comment: '草稿说明', documents: { workSummary: ID(21), internalEvaluation: null, commitmentLetter: null } });
    const typed = acceptanceFormState({ scores: { '2.1': 'half' }, evidence: {}, files, comment: '刚填写' }, draft, previous);
    expect(typed).toMatchObject({ scores: { '2.1': 'half' }, comment: '刚填写', documents: { workSummary: ID(1), internalEvaluation: null, commitmentLetter: ID(3) } });
  });

  test('a draft body holds what is there, parses with the draft schema, and names each of its files once', () => {
    const state = acceptanceFormState({ scores: { '1.1': 'full', '2.1': 'half' }, evidence: { '1.1': [ID(4), ID(5)] }, files, comment: '' }, null, null);
    const body = taskDraftBody.parse(acceptanceDraftBody(state));
    expect(body).toEqual({ acceptance: { workSummaryFileId: ID(1), commitmentLetterFileId: ID(3), selfEvaluation: { scores: { '1.1': 'full', '2.1': 'half' }, evidence: { '1.1': [ID(4), ID(5)] } } } });
    expect(draftFiles(body).map((f) => f.path)).toEqual(['acceptance.workSummaryFileId', 'acceptance.commitmentLetterFileId', 'acceptance.selfEvaluation.evidence.1.1.0', 'acceptance.selfEvaluation.evidence.1.1.1']);
    expect(taskDraftBody.parse({})).toEqual({});
    expect(taskDraftBody.safeParse({ acceptance: { selfEvaluation: { scores: { '1.1': 'best' } } } }).success).toBe(false);
    expect(taskDraftBody.safeParse({ outcome: 'submit' }).success).toBe(false);
  });

  test('only the acceptance materials keep a draft', () => {
    expect(keepsDraft('acceptance_submission')).toBe(true);
    expect(['review', 'self_compliance_item', 'internal_evaluation', 'no_such_kind'].map(keepsDraft)).toEqual([false, false, false, false]);
  });
});

describe('the sheet as a form', () => {
  test('levels with their points, the chosen one checked; subtotals and what is still open', () => {
    const view = sheetView(R, { '1.1': 'full', '2.1': 'half' }, { '1.1': [ID(1), ID(2)] }, new Map([[ID(1), '方针.pdf']]));
    const [first] = view.sections;
    const item = first!.items[0]!;
    expect(item).toMatchObject({ id: '1.1', answered: true, half: null, evidenceIds: `${ID(1)},${ID(2)}`, problem: null });
    expect(item.full).toMatchObject({ choice: 'full', points: 10, label: '有文件', checked: true });
    expect(item.evidence).toEqual([{ id: ID(1), name: '方针.pdf' }, { id: ID(2), name: null }]);
    expect(first).toMatchObject({ score: 10, unanswered: 5, max: 60 });
    expect(view).toMatchObject({ total: 10 + view.sections[1]!.items[0]!.max / 2, max: 1000, items: 107, unanswered: 105 });
    expect(view.unansweredIds).toHaveLength(UNANSWERED_NAMED);
  });

  test('a refusal marks each item once: its level, or a file of its own (not of an item whose id begins the same)', () => {
    const error = new AppError('bad_request', 'x', [
      { path: 'acceptance.selfEvaluation.scores.1.2', rule: '第1.2项：请选择得分 (item 1.2: required)' },
      { path: 'acceptance.selfEvaluation.scores.1.2', rule: 'again' },
      { path: 'evidenceIds.1.1.1', rule: '必须是您上传的文件 (must be a file you uploaded)' },
      { path: 'evidence.4.10', rule: '文件为空 (must not be empty)' },
    ]);
    const items = sheetView(R, {}, {}, new Map(), error).sections.flatMap((s) => s.items);
    const problem = (id: string) => items.find((i) => i.id === id)!.problem;
    expect(problem('1.2')).toBe('第1.2项：请选择得分 (item 1.2: required)');
    expect(problem('1.1')).toBe('必须是您上传的文件 (must be a file you uploaded)');
    expect(problem('4.10')).toBe('文件为空 (must not be empty)');
    expect([problem('4.1'), problem('1.3')]).toEqual([null, null]);
  });
});

describe('the acceptance check, item by item', () => {
  const scores = { ...(allFull() as Record<string, 'full'>), '2.1': 'half' as const, '3.1': 'zero' as const };
  const caseView = {
    acceptance: { workSummaryFileId: ID(1), internalEvaluationFileId: ID(2), commitmentLetterFileId: ID(3), selfEvaluation: { scores, evidence: { '1.1': [ID(4)] } } },
    selfEvaluation: { enterprise: scoreSheet(R, scores), reviewed: scoreSheet(R, { ...scores, '5.1': 'zero' }), adjustments: { '5.1': { itemId: '5.1', level: 'zero', comment: '未见制度文件', actorName: '周涛' } } },
  } as unknown as CaseView;
  const program = { rubric: R } as ProgramDefinition;
  const names = new Map([[ID(4), '信用管理方针.pdf']]);
  const rows = (view: ReturnType<typeof reviewSheetView>) => new Map(view.flatMap((s) => s.rows).map((r) => [r.id, r]));

  test('each item with the enterprise’s level and points, its evidence by name, the level in force after an adjustment', () => {
    const view = reviewSheetView(program, caseView, names, null);
    const row = rows(view);
    expect(row.get('2.1')).toMatchObject({ own: { choice: 'half', points: 15, label: '有部门行使信用管理职能' }, adjusted: null, options: null });
    expect(row.get('1.1')!.evidence).toEqual([{ id: ID(4), name: '信用管理方针.pdf' }]);
    expect(row.get('5.1')).toMatchObject({ own: { choice: 'full' }, current: { choice: 'zero', points: 0 }, adjusted: { comment: '未见制度文件', by: '周涛' } });
    expect(view.find((s) => s.id === '5')).toMatchObject({ own: 100, current: 100 - row.get('5.1')!.max });
    expect(acceptanceFilesView(caseView.acceptance, names)).toEqual({
      documents: [{ key: 'workSummary', id: ID(1), name: null }, { key: 'internalEvaluation', id: ID(2), name: null }, { key: 'commitmentLetter', id: ID(3), name: null }],
      evidence: [{ itemId: '1.1', files: [{ id: ID(4), name: '信用管理方针.pdf' }] }],
    });
  });

  test('adjusting: the levels to choose beside each item; a refusal of the i-th adjustment marks its item only', () => {
    const chosen = { '2.1': 'zero', '3.2': 'full' };
    const error = new AppError('bad_request', 'x', [
      { path: 'scoreAdjustments.1.comment', rule: '第3.2项：请说明调整理由 (item 3.2: say why the score changes)' },
      { path: 'scoreAdjustments.1.1', rule: '第1.1项：该项不设半分值 (this item has no half level)' },
    ]);
    const row = rows(reviewSheetView(program, caseView, names, { chosen, comments: { '2.1': '无文件' }, error }));
    expect(row.get('2.1')!.options!.map((o) => [o.choice, o.points, o.selected])).toEqual([['full', 30, false], ['half', 15, false], ['zero', 0, true]]);
    expect(row.get('2.1')).toMatchObject({ comment: '无文件', problem: null });
    expect(row.get('3.2')!.problem).toBe('第3.2项：请说明调整理由 (item 3.2: say why the score changes)');
    expect(row.get('1.1')!.problem).toBe('第1.1项：该项不设半分值 (this item has no half level)');
    expect(chosenAdjustments(R, chosen, {})).toEqual([{ itemId: '2.1', level: 'zero', comment: '' }, { itemId: '3.2', level: 'full', comment: '' }]);
  });
});
