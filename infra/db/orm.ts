import { MikroORM as PgliteORM } from '@mikro-orm/pglite';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { mkdirSync } from 'node:fs';
import { ENTITIES } from './entities.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type DatabaseConfig = { driver: 'pglite'; dataDir: string | null } | { driver: 'postgresql'; url: string };

export type Orm = MikroORM & { em: EntityManager };

/**
 * Opens the database with either driver: one set of entities, one list of migrations.
 * PGlite with dataDir null lives in memory (unit tests of the repository).
 */
export async function openOrm(database: DatabaseConfig, options: { debug?: boolean } = {}): Promise<Orm> {
  const common = {
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, snapshot: false, silent: true },
    debug: options.debug ?? false,
    allowGlobalContext: false,
  };
  if (database.driver === 'postgresql') {
    return (await PostgresORM.init({ ...common, clientUrl: database.url })) as unknown as Orm;
  }
  if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
  return (await PgliteORM.init({ ...common, ...(database.dataDir ? { dbName: database.dataDir } : {}) })) as unknown as Orm;
}

export async function migrate(orm: Orm): Promise<void> {
  await orm.migrator.up();
}
