import type { Client } from '@temporalio/client';
import type { Orm } from '../../infra/db/orm.ts';

export interface HealthReport {
  ok: boolean;
  database: string;
  temporal: string;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** Healthy only when both the database and Temporal answer. */
export async function checkHealth(orm: Orm, temporal: Client): Promise<HealthReport> {
  const [database, server] = await Promise.allSettled([
    within(orm.em.fork().getConnection().execute('select 1'), 2_000),
    // a deadline, not just a race: the client's retries must stop with the answer
    temporal.connection.withDeadline(Date.now() + 2_000, () => temporal.workflowService.getSystemInfo({})),
  ]);
  const describe = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 'ok' : String((r.reason as Error).message));
  return {
    ok: database.status === 'fulfilled' && server.status === 'fulfilled',
    database: describe(database),
    temporal: describe(server),
  };
}
