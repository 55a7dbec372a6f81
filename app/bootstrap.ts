import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker, WorkflowBundleOption } from '@temporalio/worker';
import type { Express } from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from './http.ts';
import type { Config } from '../infra/config.ts';
import { migrate, openOrm, type Orm } from '../infra/db/orm.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';
import { createMailer, type Mailer } from '../infra/mail/mailer.ts';
import { createPdfRenderer } from '../infra/documents/pdf.ts';
import { connectClient, connectWorker } from '../infra/temporal/connection.ts';
import { ensureDigestSchedule } from '../infra/temporal/schedules.ts';
import { createWorker, installRuntimeLogging } from './temporalWorker.ts';
import { startWorkerHealth } from './workerHealth.ts';

export interface AppOptions {
  /** run a Temporal worker in this process (always on the embedded default: PGlite is in-process) */
  worker: boolean;
  /** serve HTTP (API + pages) */
  http: boolean;
  mailCatcher?: MailCatcher;
  workflowBundle?: WorkflowBundleOption;
}

export interface App {
  config: Config;
  orm: Orm;
  temporal: Client;
  mailer: Mailer;
  http: Express;
  /** starts the worker and listening; resolves with the base URL (or null without HTTP) */
  start(): Promise<string | null>;
  stop(): Promise<void>;
}

/** Opens the database (migrated), Temporal and SMTP, and builds the HTTP app; starts nothing yet. */
export async function bootstrap(config: Config, options: AppOptions): Promise<App> {
  const orm = await openOrm(config.database);
  await migrate(orm);
  const temporal = await connectClient(config.temporal);
  const mailer = createMailer(config.mail.smtpUrl, config.mail.from);
  // started on first use: a process that prints no document never starts Chromium
  const pdf = createPdfRenderer(config.documents.chromiumPath);
  let baseUrl = config.http.publicUrl ?? `http://${config.http.host}:${config.http.port}`;
  const http = createHttpApp({
    publicUrl: () => baseUrl,
    orm,
    temporal,
    taskQueue: config.temporal.taskQueue,
    sessionTtlHours: config.http.sessionTtlHours,
    documentWaitSeconds: config.documents.waitSeconds,
    cookieSecure: config.http.cookieSecure,
    temporalUi: { url: config.temporal.uiUrl, namespace: config.temporal.namespace },
    ...(options.mailCatcher ? { mailCatcher: options.mailCatcher } : {}),
  });

  let workerConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let server: Server | undefined;
  let health: { server: Server; url: string } | undefined;

  return {
    config,
    orm,
    temporal,
    mailer,
    http,
    async start() {
      let listeningUrl: string | null = null;
      if (options.http) {
        server = http.listen(config.http.port, config.http.host);
        await once(server, 'listening');
        const { port } = server.address() as AddressInfo;
        listeningUrl = `http://${config.http.host}:${port}`;
        baseUrl = config.http.publicUrl ?? listeningUrl;
      }
      if (options.worker) {
        installRuntimeLogging(config.logLevel);
        workerConnection = await connectWorker(config.temporal);
        worker = await createWorker({
          connection: workerConnection,
          namespace: config.temporal.namespace,
          taskQueue: config.temporal.taskQueue,
          deps: { orm, mailer, publicUrl: baseUrl, temporal, pdf },
          tuning: config.worker.tuning,
          ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : config.worker.bundlePath ? { workflowBundle: { codePath: config.worker.bundlePath } } : {}),
        });
        workerRun = worker.run();
        await ensureDigestSchedule(temporal, config.temporal.taskQueue);
        // a worker process on its own tells its platform whether it lives (the HTTP process has /healthz already)
        if (config.worker.healthPort !== null && !options.http) {
          health = await startWorkerHealth(config.worker.healthPort, config.http.host, { orm, temporal, worker: () => worker });
          listeningUrl = health.url;
        }
      }
      return listeningUrl;
    },
    async stop() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      if (health) await new Promise((resolve) => health!.server.close(resolve));
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await workerConnection?.close();
      mailer.close();
      await pdf.close();
      await temporal.connection.close();
      await orm.close();
    },
  };
}
