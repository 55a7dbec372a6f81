/**
 * A worker that dies the hard way (SIGKILL) the moment the SMTP server has accepted its first mail,
 * before it can record that: the crash the delivery log must survive without a duplicate.
 * Run by tests/track/crash.test.ts with DATABASE_URL, SMTP_URL, TEMPORAL_ADDRESS, TASK_QUEUE, WORKFLOW_BUNDLE_PATH.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { openOrm } from '../../infra/db/orm.ts';
import { createMailer, type Mailer } from '../../infra/mail/mailer.ts';
import { createWorker, installRuntimeLogging } from '../../app/temporalWorker.ts';
import { createPdfRenderer } from '../../infra/documents/pdf.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

installRuntimeLogging('error');
const orm = await openOrm({ driver: 'postgresql', url: env('DATABASE_URL') });
const real = createMailer(env('SMTP_URL'), 'dying <dying@credcase.local>');
const mailer: Mailer = {
  ...real,
  async send(mail) {
    await real.send(mail);
    process.kill(process.pid, 'SIGKILL');
    return new Promise<never>(() => {});
  },
};
const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
const worker = await createWorker({
  connection,
  namespace: 'default',
  taskQueue: env('TASK_QUEUE'),
  deps: { orm, mailer, publicUrl: 'http://127.0.0.1', temporal: new Client({ connection: await Connection.connect({ address: env('TEMPORAL_ADDRESS') }) }), pdf: createPdfRenderer(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  workflowBundle: { codePath: env('WORKFLOW_BUNDLE_PATH') },
});
console.log('dying worker ready');
await worker.run();
