import { randomBytes } from 'node:crypto';
import { ServerSecretRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';

/**
 * A key shared by every server process, kept in the database: the first process to ask creates it
 * (the insert of a concurrent one is ignored), every process then reads the same value.
 */
export async function sharedSecret(orm: Orm, name: string): Promise<string> {
  const em = orm.em.fork();
  await em.upsert(ServerSecretRecord, { name, value: randomBytes(32).toString('base64url'), createdAt: new Date() }, { onConflictAction: 'ignore' });
  return (await em.findOneOrFail(ServerSecretRecord, { name })).value;
}
