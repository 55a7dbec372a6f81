import type { ReviewStep } from '../program/types.ts';
import type { CaseStatus, ReviewOutcome } from './model.ts';

export type ReviewChainStep =
  | { kind: 'review'; step: ReviewStep; index: number }
  | { kind: 'correction' }
  | { kind: 'finished'; status: Exclude<CaseStatus, 'active'>; stage: string };

/**
 * Where the application goes after a reviewer's decision: approval moves it up the chain,
 * return sends it back to the enterprise (then to the first reviewer again), rejection ends it.
 */
export function nextAfterReview(chain: ReviewStep[], index: number, outcome: ReviewOutcome): ReviewChainStep {
  if (outcome === 'reject') return { kind: 'finished', status: 'rejected', stage: 'rejected' };
  if (outcome === 'return') return { kind: 'correction' };
  const next = chain[index + 1];
  if (next) return { kind: 'review', step: next, index: index + 1 };
  return { kind: 'finished', status: 'admitted', stage: 'self_compliance' };
}
