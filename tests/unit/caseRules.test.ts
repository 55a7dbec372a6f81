import { describe, expect, test } from '@jest/globals';
import { actorMayComplete, actorMaySeeCase, completionRefusal } from '../../domain/case/authority.ts';
import type { TaskRef } from '../../domain/case/model.ts';
import { caseIdFor } from '../../domain/case/model.ts';
import { nextAfterReview } from '../../domain/case/reviewChain.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { ReviewStep } from '../../domain/program/types.ts';

const chain: ReviewStep[] = [
  { stage: 'district_review', role: 'district_officer', reviewDays: 5 },
  { stage: 'city_review', role: 'city_officer', reviewDays: 10 },
];
const shaxiOfficer: Actor = { userId: 'u1', name: '陈静', role: 'district_officer', scopeId: 'shaxi' };
const fuqiaoOfficer: Actor = { ...shaxiOfficer, userId: 'u2', scopeId: 'fuqiao' };
const cityOfficer: Actor = { userId: 'u3', name: '周涛', role: 'city_officer', scopeId: null };
const task: TaskRef = {
  id: 'c:1:district_review',
  kind: 'review',
  stage: 'district_review',
  assignment: { role: 'district_officer', jurisdiction: 'shaxi' },
  openedAt: '2026-06-01T00:00:00.000Z',
  dueAt: '2026-06-06T00:00:00.000Z',
};

describe('review chain', () => {
  test('approval moves up the chain, then admits the case to self-compliance', () => {
    expect(nextAfterReview(chain, 0, 'approve')).toEqual({ kind: 'review', step: chain[1], index: 1 });
    expect(nextAfterReview(chain, 1, 'approve')).toEqual({ kind: 'finished', status: 'admitted', stage: 'self_compliance' });
  });
  test('return goes to correction and rejection ends the case, at any step', () => {
    expect(nextAfterReview(chain, 1, 'return')).toEqual({ kind: 'correction' });
    expect(nextAfterReview(chain, 0, 'reject')).toEqual({ kind: 'finished', status: 'rejected', stage: 'rejected' });
  });
});

describe('who may complete a task', () => {
  test('the role within the jurisdiction, or anyone of the role for city-wide tasks', () => {
    expect(actorMayComplete(shaxiOfficer, task)).toBe(true);
    expect(actorMayComplete(fuqiaoOfficer, task)).toBe(false);
    expect(actorMayComplete(cityOfficer, task)).toBe(false);
    expect(actorMayComplete(cityOfficer, { assignment: { role: 'city_officer', jurisdiction: null } })).toBe(true);
  });

  test('refusals name what is wrong', () => {
    expect(completionRefusal(null, task.id, shaxiOfficer, { outcome: 'approve' })?.code).toBe('task_closed');
    expect(completionRefusal(task, 'other', shaxiOfficer, { outcome: 'approve' })?.code).toBe('task_closed');
    expect(completionRefusal(task, task.id, fuqiaoOfficer, { outcome: 'approve' })?.code).toBe('wrong_actor');
    expect(completionRefusal(task, task.id, shaxiOfficer, { outcome: 'return', comment: '  ' })).toMatchObject({ code: 'invalid_payload', path: 'comment' });
    expect(completionRefusal(task, task.id, shaxiOfficer, { outcome: 'return', comment: '缺少信用报告' })).toBeNull();
    expect(completionRefusal(task, task.id, shaxiOfficer, { outcome: 'approve' })).toBeNull();
  });

  test('a review task does not take a resubmission', () => {
    const refusal = completionRefusal(task, task.id, shaxiOfficer, { outcome: 'resubmit', application: {} as never });
    expect(refusal).toMatchObject({ code: 'invalid_payload', path: 'outcome' });
  });
});

describe('who may see a case', () => {
  const subject = { district: 'shaxi', enterpriseUscc: '91320585MA1TC0001A' };
  test('its enterprise, its district, the city and above', () => {
    expect(actorMaySeeCase({ ...shaxiOfficer, role: 'enterprise', scopeId: '91320585MA1TC0001A' }, subject)).toBe(true);
    expect(actorMaySeeCase({ ...shaxiOfficer, role: 'enterprise', scopeId: '91350100M000100Y43' }, subject)).toBe(false);
    expect(actorMaySeeCase(shaxiOfficer, subject)).toBe(true);
    expect(actorMaySeeCase(fuqiaoOfficer, subject)).toBe(false);
    expect(actorMaySeeCase(cityOfficer, subject)).toBe(true);
  });
});

test('case ids are the business key: program, track, enterprise', () => {
  expect(caseIdFor('taicang-2026', 'standard', '91320585MA1TC0001A')).toBe('case-taicang-2026-standard-91320585MA1TC0001A');
});
