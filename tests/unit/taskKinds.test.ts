import { describe, expect, test } from '@jest/globals';
import { OUTCOMES, TASK_KINDS, type CaseState, type Decision } from '../../domain/case/model.ts';
import { TASK_KIND_RULES, runsBeside } from '../../domain/tasks/index.ts';
import { completionRefusal } from '../../domain/case/authority.ts';
import { application } from '../support/fixtures.ts';

const actor = { userId: 'u', name: '周涛', role: 'city_officer' as const, scopeId: null };
const decision = (kind: Decision['kind'], payload: Decision['payload']): Decision => ({ taskId: 't', kind, stage: 's', subject: null, outcome: payload.outcome, comment: null, actor, decidedAt: '2026-06-01T00:00:00Z', payload });
const state = () => ({ application: application(), applicationVersion: 1, acceptance: null, acceptanceVersion: 0, reviewerScores: {} }) as unknown as CaseState;

describe('the task kinds, one rule set each', () => {
  test('every kind has its rules, with outcomes the API knows and a label', () => {
    expect(Object.keys(TASK_KIND_RULES).sort()).toEqual([...TASK_KINDS].sort());
    for (const rules of Object.values(TASK_KIND_RULES)) {
      expect(rules.outcomes.length).toBeGreaterThan(0);
      for (const outcome of rules.outcomes) expect(OUTCOMES).toContain(outcome);
      expect(rules.label).toMatch(/\p{Script=Han}/u);
    }
  });

  test('only the consultant’s tasks run beside the case', () => {
    expect(TASK_KINDS.filter(runsBeside).sort()).toEqual(['consultant_review', 'guidance']);
  });

  test('a correction replaces the application and counts its version; acceptance materials likewise', () => {
    const s = state();
    TASK_KIND_RULES.correct_application.effect!(s, decision('correct_application', { outcome: 'resubmit', application: application({ enterpriseName: '新名称有限公司' }) }));
    expect([s.application.enterpriseName, s.applicationVersion]).toEqual(['新名称有限公司', 2]);
    const acceptance = { workSummaryFileId: 'a', internalEvaluationFileId: 'b', commitmentLetterFileId: 'c', selfEvaluation: { scores: { '1.1': 'full' as const }, evidence: {} } };
    TASK_KIND_RULES.acceptance_submission.effect!(s, decision('acceptance_submission', { outcome: 'submit', acceptance }));
    expect([s.acceptance, s.acceptanceVersion]).toEqual([acceptance, 1]);
  });

  test('a review’s score adjustments stand beside the enterprise’s own, with who made them', () => {
    const s = state();
    TASK_KIND_RULES.review.effect!(s, decision('review', { outcome: 'approve', scoreAdjustments: [{ itemId: '4.1', level: 'half', comment: '证据不足' }] }));
    expect(s.reviewerScores['4.1']).toEqual({ itemId: '4.1', level: 'half', comment: '证据不足', actor });
  });
});

describe('each kind takes only its own payload parts', () => {
  const task = { id: 'case-x:1:district_review', kind: 'review' as const, stage: 'district_review', assignment: { role: 'district_officer' as const, jurisdiction: 'shaxi' }, openedAt: '2026-06-01T00:00:00Z', dueAt: '2026-06-10T00:00:00Z' };
  const officer = { userId: 'u', name: '陈静', role: 'district_officer' as const, scopeId: 'shaxi' };

  test('a part of another kind is refused, naming it; empty parts are as good as none', () => {
    expect(completionRefusal([task], task.id, officer, { outcome: 'approve', filing: { number: '1', filedOn: '2026-06-01' } })).toMatchObject({ code: 'invalid_payload', path: 'filing' });
    expect(completionRefusal([task], task.id, officer, { outcome: 'approve', fileIds: [], materials: {} })).toBeNull();
  });

  test('every part a kind accepts is a part of a completion', () => {
    const parts = ['application', 'fields', 'fileIds', 'acceptance', 'scoreAdjustments', 'certificate', 'batch', 'materials', 'agencyId', 'leadConsultant', 'freeOfCharge', 'filing', 'survey', 'findings', 'evaluation', 'correctionDueOn', 'quotaRound'];
    for (const rules of Object.values(TASK_KIND_RULES)) for (const part of rules.accepts) expect(parts).toContain(part);
  });
});
