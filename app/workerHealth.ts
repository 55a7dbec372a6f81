import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHealth } from '../api/health/health.ts';
import type { Orm } from '../infra/db/orm.ts';

/**
 * A worker process's health for its platform (container healthcheck, load balancer): GET /healthz
 * answers 200 while the worker runs and the database and Temporal answer, else 503 with which part
 * failed. Nothing else is served, and nothing about cases.
 */
export async function startWorkerHealth(port: number, host: string, parts: { orm: Orm; temporal: Client; worker: () => Worker | undefined }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404).end();
      return;
    }
    void checkHealth(parts.orm, parts.temporal).then((health) => {
      const state = parts.worker()?.getState() ?? 'INITIALIZED';
      const ok = health.ok && state === 'RUNNING';
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok, worker: state, database: health.database, temporal: health.temporal }));
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}/healthz` };
}
