/**
 * The raw parts our paths are compared with: the least a Temporal workflow can do for the same
 * request. Each writes one row through a local activity, as a case's step writes its projection.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { createRawActivities } from './rawParts.ts';

const { writeRow } = proxyLocalActivities<ReturnType<typeof createRawActivities>>({ startToCloseTimeout: '30 seconds' });

export const rawStartedUpdate = defineUpdate<string>('rawStarted');
export const rawCompleteUpdate = defineUpdate<string, [string]>('rawComplete');

/** Started with an update (Update-with-Start): writes one row, answers, then waits for completions. */
export async function rawCase(id: string): Promise<void> {
  let written = false;
  let done = false;
  setHandler(rawStartedUpdate, async () => {
    await condition(() => written);
    return id;
  });
  setHandler(rawCompleteUpdate, async (step) => {
    await writeRow(`${id}:${step}`);
    done = true;
    return step;
  });
  await writeRow(`${id}:started`);
  written = true;
  await condition(() => done);
}
