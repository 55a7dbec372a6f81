import { afterAll, expect, test } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../../app/http.ts';
import { openOrm, type Orm } from '../../infra/db/orm.ts';
import { openTestOrm } from '../support/database.ts';

const servers: Server[] = [];
const clients: Client[] = [];
afterAll(async () => {
  for (const server of servers) server.close();
  // a lazy connection that never connected refuses to close; there is nothing to close then
  for (const client of clients) await client.connection.close().catch(() => {});
});

async function healthOf(orm: Orm, temporal: Client) {
  const server = createHttpApp({ orm, temporal, taskQueue: 'health', sessionTtlHours: 1, documentWaitSeconds: 20, cookieSecure: false, publicUrl: () => 'http://127.0.0.1' }).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
  return { status: response.status, body: (await response.json()) as any };
}

test('healthz is 503 naming the database when the database does not answer', async () => {
  // the ORM connects lazily; nothing listens on port 1
  const orm = await openOrm({ driver: 'postgresql', url: 'postgresql://postgres@127.0.0.1:1/credcase' });
  const temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! }) });
  clients.push(temporal);
  const { status, body } = await healthOf(orm, temporal);
  expect(status).toBe(503);
  expect(body).toMatchObject({ ok: false, temporal: 'ok' });
  expect(body.database).toMatch(/ECONNREFUSED/);
  await orm.close();
});

test('healthz is 503 naming Temporal when Temporal does not answer', async () => {
  const orm = await openTestOrm('pglite');
  // nothing listens on port 1: the lazy connection fails when asked
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
  clients.push(temporal);
  const { status, body } = await healthOf(orm, temporal);
  await orm.close();
  expect(status).toBe(503);
  expect(body).toMatchObject({ ok: false, database: 'ok' });
  expect(body.temporal).not.toBe('ok');
});
