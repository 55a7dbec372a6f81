import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { NativeConnection } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { NotificationRecord } from '../../infra/db/entities.ts';
import { createWorker } from '../../app/temporalWorker.ts';
import { application, caseStartInput, uscc } from '../support/fixtures.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';
import { createPdfRenderer } from '../../infra/documents/pdf.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/** the mail activity's start-to-close timeout (workflows/runtime/activities.ts): the healthy worker retries only once it has run out */
const MAIL_ACTIVITY_TIMEOUT_MS = 10_000;

/**
 * The proof asked for: a worker killed between "SMTP accepted the mail" and "the log says sent".
 * A child process runs the worker and SIGKILLs itself right after the SMTP server's 250; a healthy
 * worker then takes over the case. The mail must have gone out exactly once.
 */
let system: TestSystem;
let connection: NativeConnection | undefined;
let dying: ChildProcess | undefined;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
});
afterAll(async () => {
  // a failed run must not leave the worker process behind
  if (dying && dying.exitCode === null && dying.signalCode === null) dying.kill('SIGKILL');
  await connection?.close();
  await system?.stop();
});

test('a worker killed between send and record: the retry does not send twice', async () => {
  const taskQueue = `crash-${crypto.randomUUID()}`;
  const input = caseStartInput(system.program, application({ uscc: uscc(81), enterpriseName: '崩溃测试八十一有限公司' }));
  const config = system.app.config;
  dying = spawn(process.execPath, ['tests/support/dyingWorker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: config.database.driver === 'postgresql' ? config.database.url : '',
      SMTP_URL: config.mail.smtpUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      TASK_QUEUE: taskQueue,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const worker = dying;
  await new Promise<void>((resolve, reject) => {
    const slow = setTimeout(() => reject(new Error(`the dying worker was not ready within ${PATIENCE_MS} ms`)), PATIENCE_MS);
    worker.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && (clearTimeout(slow), resolve()));
    worker.once('exit', () => (clearTimeout(slow), reject(new Error('the dying worker exited before it was ready'))));
  });
  const handle = await system.app.temporal.workflow.start('caseWorkflow', { workflowId: input.caseId, taskQueue, args: [input] });

  const [code, signal] = (await once(worker, 'exit')) as [number | null, string | null];
  expect([code, signal]).toEqual([null, 'SIGKILL']);
  const sent = () => system.mail.messages.filter((m) => m.subject.includes('崩溃测试八十一') && m.envelopeTo.includes('shaxi@demo.local'));
  expect(sent()).toHaveLength(1);
  const row = async () => system.app.orm.em.fork().findOneOrFail(NotificationRecord, { caseId: input.caseId, recipient: 'shaxi@demo.local' });
  expect((await row()).status).toBe('sending');

  // a healthy worker takes over; the mail activity is retried once its timeout runs out
  connection = await NativeConnection.connect({ address: config.temporal.address });
  const healthy = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    deps: { orm: system.app.orm, mailer: system.app.mailer, publicUrl: system.url, temporal: system.app.temporal, pdf: createPdfRenderer(process.env.CHROMIUM_PATH!) },
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! },
  });
  await healthy.runUntil(async () => {
    try {
      await eventually('the retried mail activity to settle the row', row, (r) => r.status !== 'sending', { timeoutMs: MAIL_ACTIVITY_TIMEOUT_MS + PATIENCE_MS });
    } finally {
      await handle.terminate('test over');
    }
  });
  expect(await row()).toMatchObject({ status: 'uncertain', attempts: 1 });
  expect(sent()).toHaveLength(1);
}, MAIL_ACTIVITY_TIMEOUT_MS + SLOW_MACHINE_TIMEOUT_MS);
