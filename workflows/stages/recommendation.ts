import type { RecommendationStep } from '../../domain/program/types.ts';
import { mail } from '../runtime/activities.ts';
import type { CaseRuntime } from '../runtime/caseRuntime.ts';

/** The deadline by which the district recommends (6月30日之前). */
export const RECOMMENDATION_DEADLINE = 'recommendation';

/**
 * 择优推荐: each level recommends the case on in turn (district → city → Suzhou), within its quota,
 * or declines it. The district's step runs against the recommendation deadline; the case lapses if
 * the district has not recommended it by then.
 */
export async function recommendation(rt: CaseRuntime, chain: RecommendationStep[]): Promise<'recommended' | 'declined' | 'lapsed'> {
  for (const [level, step] of chain.entries()) {
    const first = level === 0;
    const dueAt = first ? rt.state.deadlines[RECOMMENDATION_DEADLINE]! : rt.dueIn(step.reviewDays);
    const task = await rt.openTask('recommend', step.stage, { role: step.role, jurisdiction: rt.jurisdictionFor(step) }, dueAt, { quota: step.quota });
    const decision = await rt.awaitDecision((d) => d.taskId === task.id, first ? RECOMMENDATION_DEADLINE : null);
    if (decision === 'lapsed') {
      await rt.lapse(RECOMMENDATION_DEADLINE);
      return 'lapsed';
    }
    rt.notify(mail.notifyEnterpriseOfDecision({ ...rt.caseRef, uscc: rt.state.application.uscc, decision }));
    if (decision.outcome === 'decline') {
      await rt.close('rejected', 'not_recommended', decision.comment);
      return 'declined';
    }
  }
  return 'recommended';
}
