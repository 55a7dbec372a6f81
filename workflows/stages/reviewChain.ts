import type { Decision } from '../../domain/case/model.ts';
import { nextInChain } from '../../domain/case/reviewChain.ts';
import type { ReviewStep } from '../../domain/program/types.ts';
import { mail } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';
import { correction, type CorrectionStep } from './correction.ts';

export type ChainResult = { result: 'passed' | 'rejected'; decision: Decision } | { result: 'lapsed' };

/**
 * A chain of reviews in turn (the program's steps: district review, forwarding, city review, …).
 * Each decision is mailed to the enterprise; a return sends the case to the given correction and the
 * chain starts again from its first step.
 */
export async function reviewChain(rt: CaseRuntime, chain: ReviewStep[], onReturn: CorrectionStep): Promise<ChainResult> {
  let index = 0;
  for (;;) {
    const step = chain[index]!;
    const task = await rt.openTask(step.kind === 'forward' ? 'forward' : 'review', step.stage, { role: step.role, jurisdiction: rt.jurisdictionFor(step) }, rt.dueIn(step.reviewDays), {
      adjustsScores: step.adjustsScores ?? false,
      issuesCertificate: step.issuesCertificate ?? false,
    });
    const decision = await rt.awaitDecision((d) => d.taskId === task.id, null);
    if (decision === 'lapsed') throw new Error('unreachable: reviews have no lapsing deadline');
    rt.notify(mail.notifyEnterpriseOfDecision({ ...rt.caseRef, uscc: rt.state.application.uscc, decision }));
    const next = nextInChain(chain, index, decision.outcome);
    if (next.kind === 'passed' || next.kind === 'rejected') return { result: next.kind, decision };
    if (next.kind === 'step') {
      index = next.index;
      continue;
    }
    if (!(await correction(rt, onReturn))) return { result: 'lapsed' };
    index = 0;
  }
}
