import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { CaseEventRecord } from '../../infra/db/entities.ts';
import { loggable, summariseDbError } from '../../infra/db/dbErrors.ts';
import { openOrm, migrate, type Orm } from '../../infra/db/orm.ts';

/** A real database error (PGlite in memory): what may be logged of it holds none of its parameters. */
let orm: Orm;
beforeAll(async () => {
  orm = await openOrm({ driver: 'pglite', dataDir: null });
  await migrate(orm);
});
afterAll(async () => {
  await orm?.close();
});

test('a refused write is a data error, and its summary and log line carry no parameter', async () => {
  const secret = '320585197503121232';
  const failure = await orm.em
    .fork()
    .insert(CaseEventRecord, { key: `k-${secret}`, caseId: 'x', kind: 'k', at: new Date(), actorId: 'not-a-uuid', actorName: secret, detail: { secret } })
    .then(() => null, (error: unknown) => error as Error);
  expect(failure).not.toBeNull();
  expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).toContain(secret);
  const summary = summariseDbError(failure!);
  expect(summary.dataError).toBe(true);
  expect(summary.sqlState).toMatch(/^22/);
  expect(summary.message).not.toContain(secret);
  expect(String(loggable(failure))).not.toContain(secret);
});

test('errors that are not the database’s are logged as they are', () => {
  const error = new Error('plain');
  expect(loggable(error)).toBe(error);
});
