import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import type { Orm } from '../../../infra/db/orm.ts';
import { quietBundle } from '../../support/temporalRun.ts';
import { rawCompleteUpdate, rawStartedUpdate } from './rawWorkflows.ts';

/** The one activity of the raw workflows: one row, keyed, as a projection write is. */
export function createRawActivities(orm: Orm) {
  return {
    async writeRow(key: string): Promise<void> {
      await orm.em.getConnection().execute('insert into bench_rows (key, at) values (?, now()) on conflict do nothing', [key]);
    },
  };
}

let bundle: Promise<{ code: string }> | undefined;

/**
 * A worker of the raw workflows on a task queue of its own, in the same Temporal server and against
 * the same database as the system it is compared with.
 */
export async function startRawParts(orm: Orm, temporal: Client, address: string) {
  await orm.em.getConnection().execute('create table if not exists bench_rows (key text primary key, at timestamptz not null)');
  bundle ??= quietBundle(fileURLToPath(new URL('./rawWorkflows.ts', import.meta.url)));
  const connection = await NativeConnection.connect({ address });
  const taskQueue = `raw-${crypto.randomUUID()}`;
  const worker = await Worker.create({ connection, taskQueue, workflowBundle: await bundle, activities: createRawActivities(orm) });
  const running = worker.run();
  return {
    /** Update-with-Start: the workflow starts, writes its row and answers. */
    async start(id: string): Promise<void> {
      const start = new WithStartWorkflowOperation('rawCase', { workflowId: id, taskQueue, args: [id], workflowIdConflictPolicy: 'FAIL' });
      await temporal.workflow.executeUpdateWithStart(rawStartedUpdate, { startWorkflowOperation: start });
    },
    /** One update on a running raw workflow: it writes its row and answers. */
    async complete(id: string, step: string): Promise<void> {
      await temporal.workflow.getHandle(id).executeUpdate(rawCompleteUpdate, { args: [step] });
    },
    async stop(): Promise<void> {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
