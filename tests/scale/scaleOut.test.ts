import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type { ChildProcess } from 'node:child_process';
import { DEMO_USERS, createUser, publishProgram } from '../../app/seed.ts';
import { hashPassword } from '../../features/auth/authService.ts';
import { CaseRecord, TaskRecord, UserRecord } from '../../infra/db/entities.ts';
import { migrate, openOrm, type Orm } from '../../infra/db/orm.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { startAppProcess } from '../support/appProcess.ts';
import { freshPostgresUrl } from '../support/database.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, testProgram } from '../support/system.ts';
import { SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';
import { inLanes } from '../bench/harness.ts';

jest.setTimeout(3 * SLOW_MACHINE_TIMEOUT_MS);

/** Applications sent, spread over both API servers. */
const CASES = 24;

/**
 * The production layout by configuration only: two API server processes and two worker processes
 * (`node app/server.ts`, `node app/worker.ts`, as in deploy/compose.yaml) against one Temporal and
 * one PostgreSQL server. Applications and decisions sent to either server each take effect once,
 * and the cases' workflow tasks are handled by both workers.
 */
const children: ChildProcess[] = [];
let orm: Orm;
let mail: MailCatcher;
let temporal: Client;
const servers: string[] = [];
const workers: { pid: number; health: string }[] = [];
const program = testProgram();

/** A process of the app, killed after the tests whatever happens; its address once it runs. */
async function startProcess(script: 'app/server.ts' | 'app/worker.ts', env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const { child, running } = startAppProcess(script, env);
  children.push(child);
  const url = await running;
  if (!url) throw new Error(`${script} printed no address`);
  return { child, url };
}

beforeAll(async () => {
  const databaseUrl = await freshPostgresUrl();
  orm = await openOrm({ driver: 'postgresql', url: databaseUrl });
  // migrations run once, before the processes start (the compose file's `migrate` service)
  await migrate(orm);
  await publishProgram(orm, program);
  for (const user of DEMO_USERS) await createUser(orm, user, TEST_PASSWORD);
  const passwordHash = await hashPassword(TEST_PASSWORD);
  await orm.em.fork().insertMany(
    UserRecord,
    Array.from({ length: CASES }, (_, i) => ({ id: crypto.randomUUID(), email: `scale${i}@scale.local`, name: `扩展企业${i}`, role: 'enterprise', scopeId: uscc(8000 + i), passwordHash, active: true, locale: 'zh-CN', digest: false, calendarTokenHash: null, createdAt: new Date(), deactivatedAt: null })),
  );
  mail = await new MailCatcher().start();
  const shared = {
    DATABASE_DRIVER: 'postgresql',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS!,
    TEMPORAL_TASK_QUEUE: `scale-${crypto.randomUUID()}`,
    SMTP_URL: mail.url,
    LOG_LEVEL: 'warn',
    HTTP_PORT: '0',
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH!,
  };
  const started = await Promise.all([
    startProcess('app/server.ts', shared),
    startProcess('app/server.ts', shared),
    startProcess('app/worker.ts', { ...shared, WORKER_HEALTH_PORT: '0' }),
    startProcess('app/worker.ts', { ...shared, WORKER_HEALTH_PORT: '0' }),
  ]);
  servers.push(started[0].url, started[1].url);
  workers.push({ pid: started[2].child.pid!, health: started[2].url }, { pid: started[3].child.pid!, health: started[3].url });
  temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! }) });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await temporal?.connection.close();
  await mail?.stop();
  await orm?.close();
});

test('each process answers its health check: the servers on /healthz, the workers on their health port', async () => {
  for (const url of [...servers.map((s) => `${s}/healthz`), ...workers.map((w) => w.health)]) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, database: 'ok', temporal: 'ok' });
  }
  expect(await (await fetch(workers[0]!.health)).json()).toMatchObject({ worker: 'RUNNING' });
  // nothing else is served on a worker's health port
  expect((await fetch(workers[0]!.health.replace('/healthz', '/api/cases'))).status).toBe(404);
});

test('applications and decisions spread over two servers and two workers: each case once, each decision once', async () => {
  // every other enterprise talks to the other server
  const serverOf = (i: number) => servers[i % 2]!;
  const caseIds: string[] = new Array(CASES);
  const reviews: string[] = new Array(CASES);
  await inLanes(CASES, 8, async (i) => {
    const client = await ApiClient.login(serverOf(i), `scale${i}@scale.local`, TEST_PASSWORD);
    const response = await client.post('/api/cases', { programId: program.id, track: 'standard', application: await applicationWithReport(client, { uscc: uscc(8000 + i), enterpriseName: `扩展测试${i}精密机械有限公司` }) });
    expect(response.status).toBe(201);
    caseIds[i] = response.body.id;
    reviews[i] = (response.body.tasks as { id: string; status: string }[]).find((t) => t.status === 'open')!.id;
  });

  const em = () => orm.em.fork();
  expect(await em().count(CaseRecord, { programId: program.id })).toBe(CASES);
  expect(await em().count(TaskRecord, { caseId: { $in: caseIds }, status: 'open', stage: 'district_review' })).toBe(CASES);

  // the district office decides, its requests spread over both servers too
  const district = await Promise.all(servers.map((server) => ApiClient.login(server, 'shaxi@demo.local', TEST_PASSWORD)));
  await inLanes(CASES, 8, async (i) => {
    expect((await district[(i + 1) % 2]!.post(`/api/tasks/${encodeURIComponent(reviews[i]!)}/complete`, { outcome: 'approve', comment: '同意。' })).status).toBe(200);
  });
  expect(await em().count(TaskRecord, { caseId: { $in: caseIds }, stage: 'district_review', status: 'completed' })).toBe(CASES);
  expect(await em().count(TaskRecord, { caseId: { $in: caseIds }, stage: 'district_forwarding', status: 'open' })).toBe(CASES);

  // every case's workflow runs on, and the workflow tasks were handled by both workers
  const handledBy = new Map<string, number>();
  for (const caseId of caseIds) {
    const handle = temporal.workflow.getHandle(caseId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const identity = event.workflowTaskCompletedEventAttributes?.identity;
      if (identity) handledBy.set(identity, (handledBy.get(identity) ?? 0) + 1);
    }
  }
  const identities = [...handledBy.keys()];
  expect(identities.map((id) => Number(id.split('@')[0])).sort()).toEqual(workers.map((w) => w.pid).sort());
  console.log(`workflow tasks per worker: ${[...handledBy].map(([id, n]) => `${id} ${n}`).join(', ')}`);

  // and the district heard of each case once, whichever process sent the mail
  await eventually('the district’s mail about each case', () => mail.messages.filter((m) => m.envelopeTo.includes('shaxi@demo.local')).length, (n) => n >= CASES);
  const subjects = mail.messages.filter((m) => m.envelopeTo.includes('shaxi@demo.local')).map((m) => m.messageId);
  expect(new Set(subjects).size).toBe(subjects.length);
});
