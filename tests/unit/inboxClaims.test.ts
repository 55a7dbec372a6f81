import { describe, expect, test } from '@jest/globals';
import type { Actor } from '../../domain/identity/roles.ts';
import { bulkApprovalRefusal, selectable } from '../../domain/inbox/bulk.ts';
import { claimRefusal, completionRefusal, heldByAnother, heldByOffice, releaseRefusal, type ClaimSubject } from '../../domain/inbox/claims.ts';

const zhang: Actor = { userId: 'u-zhang', name: '张三（沙溪镇经发中心）', role: 'district_officer', scopeId: 'shaxi' };
const li: Actor = { userId: 'u-li', name: '李四（沙溪镇经发中心）', role: 'district_officer', scopeId: 'shaxi' };
const gangqu: Actor = { userId: 'u-wang', name: '王五（港区经发局）', role: 'district_officer', scopeId: 'gangqu' };
const admin: Actor = { userId: 'u-admin', name: '管理员', role: 'admin', scopeId: null };

/** 沙溪镇's review of an application: the whole office's. */
const review = (values: Partial<ClaimSubject> = {}): ClaimSubject => ({
  kind: 'review',
  status: 'open',
  assigneeRole: 'district_officer',
  jurisdiction: 'shaxi',
  assigneeUserId: null,
  claimedByUserId: null,
  claimedByName: null,
  ...values,
});
const heldByZhang = review({ claimedByUserId: zhang.userId, claimedByName: zhang.name });

describe('an office’s task', () => {
  test('is one for a credit office with nobody named, and not the batch forwarding', () => {
    expect(heldByOffice(review())).toBe(true);
    expect(heldByOffice(review({ assigneeRole: 'city_officer', jurisdiction: null }))).toBe(true);
    expect(heldByOffice(review({ assigneeUserId: 'u-zhang' }))).toBe(false);
    expect(heldByOffice(review({ kind: 'forward' }))).toBe(false);
    expect(heldByOffice(review({ kind: 'correct_application', assigneeRole: 'enterprise', jurisdiction: '91320585MA1TC0001A' }))).toBe(false);
  });
});

describe('claiming', () => {
  test('whoever may complete it claims it; claiming one’s own claim again is fine', () => {
    expect(claimRefusal(zhang, review())).toBeNull();
    expect(claimRefusal(zhang, heldByZhang)).toBeNull();
  });

  test('a colleague’s claim is a conflict naming who holds it', () => {
    expect(claimRefusal(li, heldByZhang)).toEqual({ code: 'conflict', message: expect.stringContaining('此待办已由张三（沙溪镇经发中心）认领办理') });
    expect(claimRefusal(li, heldByZhang)!.message).toMatch(/\(the task is claimed by 张三（沙溪镇经发中心）: they complete or release it\)$/);
  });

  test('another district, the admin, a closed task, a named task and the forwarding are refused', () => {
    expect(claimRefusal(gangqu, review())?.code).toBe('forbidden');
    expect(claimRefusal(admin, review())?.code).toBe('forbidden');
    expect(claimRefusal(zhang, review({ status: 'completed' }))?.code).toBe('conflict');
    expect(claimRefusal(zhang, review({ assigneeUserId: zhang.userId }))?.code).toBe('unprocessable');
    expect(claimRefusal(zhang, review({ kind: 'forward' }))?.message).toContain('汇总报送');
  });
});

describe('completing and releasing a claimed task', () => {
  test('only the holder completes it while it is claimed', () => {
    expect(completionRefusal(zhang, heldByZhang)).toBeNull();
    expect(completionRefusal(li, heldByZhang)?.code).toBe('conflict');
    expect(completionRefusal(li, review())).toBeNull();
    expect(heldByAnother(li, heldByZhang)).toBe(zhang.name);
    expect(heldByAnother(zhang, heldByZhang)).toBeNull();
  });

  test('the holder or an admin releases it; a colleague may not; nobody holding it is released already', () => {
    expect(releaseRefusal(zhang, heldByZhang)).toBeNull();
    expect(releaseRefusal(admin, heldByZhang)).toBeNull();
    expect(releaseRefusal(li, heldByZhang)?.code).toBe('conflict');
    expect(releaseRefusal(gangqu, heldByZhang)?.code).toBe('forbidden');
    expect(releaseRefusal(li, review())).toBeNull();
  });
});

describe('bulk approval', () => {
  test('reviews can be approved together; a certificate, a checklist item or a recommendation is decided one by one', () => {
    expect(bulkApprovalRefusal({ kind: 'review', issuesCertificate: false })).toBeNull();
    expect(bulkApprovalRefusal({ kind: 'review', issuesCertificate: true })).toContain('证书编号');
    expect(bulkApprovalRefusal({ kind: 'recommend', issuesCertificate: false })).toContain('只有审核事项');
  });

  test('a row is offered for selection when one bulk action applies to it', () => {
    expect(selectable({ kind: 'review', issuesCertificate: true }, true)).toBe(true);
    expect(selectable({ kind: 'review', issuesCertificate: false }, false)).toBe(true);
    expect(selectable({ kind: 'forward', issuesCertificate: false }, false)).toBe(false);
  });
});
