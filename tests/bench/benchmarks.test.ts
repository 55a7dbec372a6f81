import { describe, expect, test } from '@jest/globals';
import { markdownTable, type BenchContext } from './harness.ts';
import { BENCHES } from './index.ts';

/**
 * Each benchmark once at tiny size: it runs, measures our path and its raw part, and its row reads.
 * Timings are never asserted here; they belong to `./dev bench` and docs/benchmarks.md.
 */
const ctx: BenchContext = { size: 'tiny', drivers: ['postgresql', 'pglite'], log: () => {} };

describe('benchmarks at tiny size', () => {
  test('there are benchmarks for every path the issue names', () => {
    expect(BENCHES.map((b) => b.name)).toEqual(['writes', 'forwarding', 'inbox', 'reminders', 'workerMemory']);
  });

  test.each(BENCHES.map((b) => [b.name, b] as const))('%s measures', async (_name, bench) => {
    const { rows } = await bench.run(ctx);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const figures = [row.ours.p50, row.ours.rate, row.ours.value].filter((n) => n !== undefined);
      expect(figures.length).toBeGreaterThan(0);
      for (const n of figures) expect(Number.isFinite(n) && n! >= 0).toBe(true);
      if (row.raw) expect([row.raw.p50, row.raw.rate, row.raw.value].some((n) => n !== undefined && Number.isFinite(n))).toBe(true);
    }
    expect(markdownTable(rows)).toContain(rows[0]!.path);
  });
});
