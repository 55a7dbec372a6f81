import { readFileSync } from 'node:fs';
import { startAppProcess } from '../support/appProcess.ts';
import { application, caseStartInput, uscc } from '../support/fixtures.ts';
import { startTestSystem } from '../support/system.ts';
import { eventually } from '../support/waits.ts';
import { TaskRecord } from '../../infra/db/entities.ts';
import { inLanes, type Bench } from './harness.ts';
import { SmtpSink } from './smtpSink.ts';

/** Workflows started before the first reading: code compiled, caches made. */
const WARM_UP = 20;

/** The resident memory of a process, in KiB (Linux). */
function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? Number.NaN);
}

/**
 * One production worker process (`node app/worker.ts`, PostgreSQL) holding 5,000 open case
 * workflows in its cache, each waiting for its district's review: its resident memory before and
 * after, per cached workflow. The worker keeps them all (WORKER_MAX_CACHED_WORKFLOWS).
 */
export const workerMemory: Bench = {
  name: 'workerMemory',
  async run({ size, log }) {
    const count = size === 'full' ? 5_000 : 20;
    const sink = await new SmtpSink().start();
    const system = await startTestSystem('postgresql', {}, { SMTP_URL: sink.url });
    const taskQueue = `memory-${crypto.randomUUID()}`;
    const config = system.app.config;
    const { child: worker, running } = startAppProcess('app/worker.ts', {
      DATABASE_DRIVER: 'postgresql',
      DATABASE_URL: config.database.driver === 'postgresql' ? config.database.url : '',
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: sink.url,
      LOG_LEVEL: 'warn',
      WORKER_MAX_CACHED_WORKFLOWS: String(count + WARM_UP + 100),
    });
    try {
      await running;
      const start = async (n: number) => {
        const input = caseStartInput(system.program, application({ uscc: uscc(n), enterpriseName: `内存基准${n}有限公司` }));
        await system.app.temporal.workflow.start('caseWorkflow', { workflowId: input.caseId, taskQueue, args: [input] });
      };
      const openTasks = () => system.app.orm.em.fork().count(TaskRecord, { status: 'open', caseId: { $like: `case-${system.program.id}-%` } });
      await inLanes(WARM_UP, 8, (i) => start(90_000 + i));
      await eventually('the warm-up cases waiting for review', openTasks, (n) => n === WARM_UP, { timeoutMs: 600_000, everyMs: 500 });
      const before = rssKiB(worker.pid!);
      log(`workerMemory: ${count} case workflows`);
      await inLanes(count, 16, (i) => start(i + 1));
      await eventually(`${count} cases waiting for review`, openTasks, (n) => n === WARM_UP + count, { timeoutMs: 1_800_000, everyMs: 1_000 });
      const after = rssKiB(worker.pid!);
      const perWorkflow = (after - before) / count;
      return {
        rows: [
          {
            path: `one worker holding ${count} open case workflows`,
            driver: 'postgresql',
            ours: { label: 'RSS growth per cached workflow', value: perWorkflow, unit: 'KiB', samples: count },
            target: { kind: 'value', atMost: 1024 },
            note: `worker RSS ${Math.round(before / 1024)} MiB → ${Math.round(after / 1024)} MiB`,
          },
        ],
      };
    } finally {
      worker.kill('SIGKILL');
      await system.stop();
      await sink.stop();
    }
  },
};
