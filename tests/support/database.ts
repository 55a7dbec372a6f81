import { randomUUID } from 'node:crypto';
import { openOrm, migrate, type Orm } from '../../infra/db/orm.ts';

export type Driver = 'postgresql' | 'pglite';
export const DRIVERS: Driver[] = ['postgresql', 'pglite'];

/** A fresh database on the run's PostgreSQL server (its own database per call). */
export async function freshPostgresUrl(): Promise<string> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the suite with ./dev test');
  const name = `credcase_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = await openOrm({ driver: 'postgresql', url: serverUrl });
  await admin.em.getConnection().execute(`create database "${name}"`);
  await admin.close();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An empty, migrated database on the given driver (PGlite in memory). */
export async function openTestOrm(driver: Driver): Promise<Orm> {
  const orm =
    driver === 'postgresql'
      ? await openOrm({ driver: 'postgresql', url: await freshPostgresUrl() })
      : await openOrm({ driver: 'pglite', dataDir: null });
  await migrate(orm);
  return orm;
}
