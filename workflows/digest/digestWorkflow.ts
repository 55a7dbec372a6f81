import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';
import { localDate } from '../../domain/program/calendar.ts';

const { sendDigests, removeOrphanFiles } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One morning's digests (a Temporal Schedule starts this every day at 08:00 Asia/Shanghai), and the
 * day's clean-up of uploads nobody handed in.
 */
export async function digestWorkflow(): Promise<{ day: string; sent: number; bounced: string[]; orphanFilesRemoved: number }> {
  const day = localDate(new Date(), 'Asia/Shanghai');
  const digests = await sendDigests({ day });
  const { removed } = await removeOrphanFiles();
  return { day, ...digests, orphanFilesRemoved: removed };
}
