/**
 * The reminders of many tasks falling due at one instant, each sent by our real `sendReminder`
 * activity as a case's reminder loop sends it (same options as workflows/runtime/activities.ts' mail).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../../activities/index.ts';
import type { TaskRef } from '../../../domain/case/model.ts';

const mail = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface BurstInput {
  /** cases bench-<first>… as tests/bench/loader.ts made them */
  first: number;
  count: number;
  dueAt: string;
}

export async function reminderBurst({ first, count, dueAt }: BurstInput): Promise<number> {
  const sends = Array.from({ length: count }, (_, i) => {
    const caseId = `bench-${first + i}`;
    const task: TaskRef = { id: `${caseId}:burst:district_review`, kind: 'review', stage: 'district_review', assignment: { role: 'district_officer', jurisdiction: 'shaxi' }, openedAt: dueAt, dueAt };
    return mail.sendReminder({ caseId, task, reminder: { kind: 'due_day', at: dueAt, occurrence: 'due' } });
  });
  const sent = await Promise.all(sends);
  return sent.reduce((sum, s) => sum + s.recipients, 0);
}
