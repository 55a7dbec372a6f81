import { randomBytes } from 'node:crypto';
import { ServerSecretRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';

/**
 * A key shared by every server process, kept in the database: the first process to ask creates it
 * (the insert of a concurrent one is ignored), every process then reads the same stored value.
 */
export async function sharedSecret(orm: Orm, name: string): Promise<string> {
  await orm.em.fork().upsert(ServerSecretRecord, { name, value: randomBytes(32).toString('base64url'), createdAt: new Date() }, { onConflictAction: 'ignore' });
  return (await orm.em.fork().findOneOrFail(ServerSecretRecord, { name })).value;
}
