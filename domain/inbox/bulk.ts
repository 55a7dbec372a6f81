/**
 * What an office does for several tasks at once from its inbox. Approving several reviews (审核)
 * with one opinion is how a district or the city works through a pile of applications or
 * acceptance materials; claiming or releasing several divides a pile among colleagues. Forwarding
 * (汇总报送) has its own page (/batches); returns, rejections, recommendations within a quota and
 * certificates are decided case by case.
 */
export const BULK_ACTIONS = ['approve', 'claim', 'release'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** At most this many tasks in one go: a page's worth. */
export const BULK_LIMIT = 50;

/** How one task of a bulk action ended. */
export type BulkStatus = 'done' | 'already' | 'refused';

/** Why a task cannot be approved together with others; null when it can. */
export function bulkApprovalRefusal(task: { kind: string; issuesCertificate: boolean }): string | null {
  if (task.kind !== 'review') return '只有审核事项可以批量同意，请逐件办理 (only reviews can be approved together: open this task)';
  if (task.issuesCertificate) return '发证须逐件填写证书编号，请逐件办理 (a certificate needs its own number: open this task)';
  return null;
}

/** Which tasks the inbox offers to select: those at least one bulk action applies to. */
export function selectable(task: { kind: string; issuesCertificate: boolean }, claimable: boolean): boolean {
  return claimable || bulkApprovalRefusal(task) === null;
}
