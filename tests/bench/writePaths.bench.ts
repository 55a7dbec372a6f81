import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem } from '../support/system.ts';
import { latencies, throughput, type Bench, type BenchRow } from './harness.ts';
import { applicants, apply, complete } from './population.ts';
import { startRawParts } from './raw/rawParts.ts';

/** 8 requests in flight: the "8 at a time". */
const CONCURRENCY = 8;

/**
 * The write paths a person waits on, against the least Temporal can do for the same request, in
 * the same run: an application (`POST /api/cases`) against Update-with-Start on a workflow that
 * writes one row; a decision (`POST /api/tasks/:id/complete`, the district's review) against
 * `executeUpdate` on a workflow that writes one row. Each one at a time (p50/p95) and 8 at a time (rate).
 */
export const writePaths: Bench = {
  name: 'writes',
  async run({ size, drivers, log }) {
    const cases = size === 'full' ? 200 : 4;
    const sequential = cases / 2;
    const rows: BenchRow[] = [];
    for (const driver of drivers) {
      const system = await startTestSystem(driver);
      const raw = await startRawParts(system.app.orm, system.app.temporal, system.app.config.temporal.address);
      try {
        log(`writes on ${driver}: ${cases} enterprises`);
        const people = await applicants(system, cases, 1);
        const rawIds = Array.from({ length: cases }, () => `raw-${crypto.randomUUID()}`);
        // warm both paths (first requests compile code and open connections)
        const warm = await applicants(system, 2, 90_001);
        for (const person of warm) await apply(system, person);
        await raw.start(`raw-warm-${crypto.randomUUID()}`);

        const taskIds: string[] = new Array(cases);
        log(`writes on ${driver}: applications one at a time`);
        const rawStart = await latencies('Update-with-Start', sequential, (i) => raw.start(rawIds[i]!));
        const createOne = await latencies('POST /api/cases', sequential, async (i) => {
          taskIds[i] = (await apply(system, people[i]!)).taskId;
        });
        log(`writes on ${driver}: applications ${CONCURRENCY} at a time`);
        const rawStartRate = await throughput('Update-with-Start', cases - sequential, CONCURRENCY, (i) => raw.start(rawIds[sequential + i]!));
        const createRate = await throughput('POST /api/cases', cases - sequential, CONCURRENCY, async (i) => {
          taskIds[sequential + i] = (await apply(system, people[sequential + i]!)).taskId;
        });

        const district = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
        const approve = { outcome: 'approve', comment: '材料齐全，同意。' };
        log(`writes on ${driver}: decisions one at a time`);
        const rawUpdate = await latencies('executeUpdate', sequential, (i) => raw.complete(rawIds[i]!, 'review'));
        const completeOne = await latencies('POST /api/tasks/:id/complete', sequential, (i) => complete(district, taskIds[i]!, approve));
        log(`writes on ${driver}: decisions ${CONCURRENCY} at a time`);
        const rawUpdateRate = await throughput('executeUpdate', cases - sequential, CONCURRENCY, (i) => raw.complete(rawIds[sequential + i]!, 'review'));
        const completeRate = await throughput('POST /api/tasks/:id/complete', cases - sequential, CONCURRENCY, (i) => complete(district, taskIds[sequential + i]!, approve));

        rows.push(
          { path: 'an application, one at a time', driver, ours: createOne, raw: rawStart, target: { kind: 'p50', atMost: 4 } },
          { path: `applications, ${CONCURRENCY} at a time`, driver, ours: createRate, raw: rawStartRate, target: { kind: 'rate', atLeast: 0.5 } },
          { path: 'a decision, one at a time', driver, ours: completeOne, raw: rawUpdate, target: { kind: 'p50', atMost: 2 } },
          { path: `decisions, ${CONCURRENCY} at a time`, driver, ours: completeRate, raw: rawUpdateRate, target: { kind: 'rate', atLeast: 0.5 } },
        );
      } finally {
        await raw.stop();
        await system.stop();
      }
    }
    return { rows };
  },
};
