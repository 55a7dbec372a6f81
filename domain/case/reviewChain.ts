import type { ReviewStep } from '../program/types.ts';
import type { Outcome } from './model.ts';

export type ReviewChainStep =
  | { kind: 'step'; step: ReviewStep; index: number }
  | { kind: 'correction' }
  | { kind: 'passed' }
  | { kind: 'rejected' };

/**
 * Where a case goes after a decision in a review chain: approval (or forwarding) moves it up the
 * chain, return sends it back to the enterprise (then to the first step again), rejection ends it.
 */
export function nextInChain(chain: ReviewStep[], index: number, outcome: Outcome): ReviewChainStep {
  if (outcome === 'reject') return { kind: 'rejected' };
  if (outcome === 'return') return { kind: 'correction' };
  const next = chain[index + 1];
  return next ? { kind: 'step', step: next, index: index + 1 } : { kind: 'passed' };
}
