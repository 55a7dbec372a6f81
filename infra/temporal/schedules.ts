import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

/** The daily digest: every morning at 08:00 in Taicang, one run, never two at once. Idempotent. */
export async function ensureDigestSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: `daily-digest-${taskQueue}`,
      spec: { calendars: [{ hour: 8, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: { type: 'startWorkflow', workflowType: 'digestWorkflow', taskQueue, args: [] },
      policies: { overlap: 'SKIP', catchupWindow: '1 hour' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
