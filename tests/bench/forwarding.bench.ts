import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem } from '../support/system.ts';
import { inLanes, type Bench, type BenchRow } from './harness.ts';
import { applicants, apply, complete, openTaskAt } from './population.ts';

/**
 * 汇总报送 of a district's approved cases in one batch: one request, measured from sending it to its
 * answer, by which every case has taken its forward decision and the batch is settled (one unit).
 * The cases are brought to the district's forwarding through the API first (not measured).
 */
export const forwarding: Bench = {
  name: 'forwarding',
  async run({ size, drivers, log }) {
    const cases = size === 'full' ? 400 : 3;
    const rows: BenchRow[] = [];
    for (const driver of drivers) {
      const system = await startTestSystem(driver);
      try {
        log(`forwarding on ${driver}: ${cases} cases to the district's forwarding`);
        const people = await applicants(system, cases, 1);
        const district = await ApiClient.login(system.url, 'shaxi@demo.local', TEST_PASSWORD);
        const caseIds: string[] = new Array(cases);
        await inLanes(cases, 8, async (i) => {
          const { caseId, taskId } = await apply(system, people[i]!);
          await complete(district, taskId, { outcome: 'approve', comment: '同意。' });
          caseIds[i] = caseId;
        });
        log(`forwarding on ${driver}: one batch of ${cases}`);
        const started = performance.now();
        const response = await district.post('/api/batches', { caseIds });
        const seconds = (performance.now() - started) / 1000;
        if (response.status !== 201 || response.body.caseIds.length !== cases) throw new Error(`the batch answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
        // every case moved on: its city review is open
        const sample = caseIds.filter((_, i) => i % Math.max(1, Math.floor(cases / 10)) === 0);
        for (const caseId of sample) await openTaskAt(district, caseId, 'city_review');
        rows.push({ path: `forwarding ${cases} cases in one batch, end to end`, driver, ours: { label: 'POST /api/batches', value: seconds, unit: 's', samples: cases }, target: { kind: 'value', atMost: 5 } });
      } finally {
        await system.stop();
      }
    }
    return { rows };
  },
};
