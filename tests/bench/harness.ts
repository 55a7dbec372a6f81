import { cpus, loadavg, totalmem } from 'node:os';
import type { Driver } from '../support/database.ts';

/**
 * The benchmarks' common ground. Each benchmark measures one of our paths and, in the same run, the
 * raw part it stands on (a bare Temporal round trip, the bare SQL, pooled nodemailer), so a row
 * reads as a ratio that means something on any machine. Timings are printed, never asserted.
 */

/** tiny: the test suite proves each benchmark works; full: the sizes the issue names. */
export type BenchSize = 'tiny' | 'full';

export interface BenchContext {
  size: BenchSize;
  /** the database drivers to run on (a benchmark that does not touch the database may ignore it) */
  drivers: Driver[];
  /** a line of progress for the person waiting (stderr); never part of the report */
  log(line: string): void;
}

/** One measurement: latencies in ms (p50/p95), a rate per second, or a single value with its unit. */
export interface Measure {
  /** what was measured, e.g. "POST /api/cases" or "executeUpdateWithStart" */
  label: string;
  p50?: number;
  p95?: number;
  /** completions per second */
  rate?: number;
  /** a single figure (seconds end to end, KiB per workflow) with its unit */
  value?: number;
  unit?: string;
  /** how many samples or items the figure stands on */
  samples: number;
}

/** How a row's ratio is read against its target. */
export type Comparison =
  /** ours.p50 / raw.p50 (lower is better) */
  | { kind: 'p50'; atMost: number }
  /** ours.p95 / raw.p95 (lower is better) */
  | { kind: 'p95'; atMost: number }
  /** ours.rate / raw.rate (higher is better) */
  | { kind: 'rate'; atLeast: number }
  /** ours.value against a fixed bound (no raw part) */
  | { kind: 'value'; atMost: number };

export interface BenchRow {
  /** the path as the issue names it */
  path: string;
  driver: Driver | '—';
  ours: Measure;
  raw?: Measure;
  target: Comparison;
  /** anything a reader needs to read the row right */
  note?: string;
}

export interface BenchResult {
  rows: BenchRow[];
  /** extra sections for the report (e.g. EXPLAIN ANALYZE), markdown */
  appendix?: string[];
}

export interface Bench {
  /** short name, for `--only` */
  name: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

// ---- measuring ----

export function percentile(samples: number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Runs work over 0..count-1, `lanes` at a time. */
export async function inLanes(count: number, lanes: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, async () => {
    while (next < count) await work(next++);
  }));
}

/** Runs `work` `count` times one after the other: p50 and p95 of each call's time. */
export async function latencies(label: string, count: number, work: (i: number) => Promise<unknown>): Promise<Measure> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await work(i);
    samples.push(performance.now() - started);
  }
  return { label, p50: percentile(samples, 50), p95: percentile(samples, 95), samples: count };
}

/** Runs `work` for items 0..count-1 with `concurrency` in flight: completions per second, and p50/p95 of each call. */
export async function throughput(label: string, count: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<Measure> {
  const samples: number[] = [];
  const started = performance.now();
  await inLanes(count, concurrency, async (i) => {
    const callStarted = performance.now();
    await work(i);
    samples.push(performance.now() - callStarted);
  });
  const seconds = (performance.now() - started) / 1000;
  return { label, rate: count / seconds, p50: percentile(samples, 50), p95: percentile(samples, 95), samples: count };
}

// ---- reading ----

/** The row's ratio as its target reads it (null: nothing to compare). */
export function ratioOf(row: BenchRow): number | null {
  const { ours, raw, target } = row;
  switch (target.kind) {
    case 'p50':
      return raw?.p50 ? ours.p50! / raw.p50 : null;
    case 'p95':
      return raw?.p95 ? ours.p95! / raw.p95 : null;
    case 'rate':
      return raw?.rate ? ours.rate! / raw.rate : null;
    case 'value':
      return null;
  }
}

export function targetMet(row: BenchRow): boolean | null {
  const { target, ours } = row;
  if (target.kind === 'value') return ours.value === undefined ? null : ours.value <= target.atMost;
  const ratio = ratioOf(row);
  if (ratio === null) return null;
  return 'atMost' in target ? ratio <= target.atMost : ratio >= target.atLeast;
}

const fixed = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));

function measureText(m: Measure | undefined): string {
  if (!m) return '—';
  const parts: string[] = [];
  if (m.p50 !== undefined) parts.push(`p50 ${fixed(m.p50)} ms`, `p95 ${fixed(m.p95)} ms`);
  if (m.rate !== undefined) parts.push(`${fixed(m.rate)}/s`);
  if (m.value !== undefined) parts.push(`${fixed(m.value, 2)} ${m.unit ?? ''}`.trim());
  return `${m.label}: ${parts.join(', ')} (n=${m.samples})`;
}

function targetText(target: Comparison): string {
  switch (target.kind) {
    case 'p50':
      return `p50 ≤ ${target.atMost}× raw`;
    case 'p95':
      return `p95 ≤ ${target.atMost}× raw`;
    case 'rate':
      return `rate ≥ ${target.atLeast}× raw`;
    case 'value':
      return `≤ ${target.atMost}`;
  }
}

/** The rows as one markdown table: ours, the raw part, the ratio, the target and whether it is met. */
export function markdownTable(rows: BenchRow[]): string {
  const lines = ['| path | driver | ours | raw part, same run | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const ratio = ratioOf(row);
    const met = targetMet(row);
    const cells = [row.path + (row.note ? ` (${row.note})` : ''), row.driver, measureText(row.ours), measureText(row.raw), ratio === null ? '—' : `${ratio.toFixed(2)}×`, targetText(row.target), met === null ? '—' : met ? 'yes' : '**no**'];
    lines.push(`| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** What the machine was doing: its size and its load averages (1, 5, 15 min). */
export function machineLine(): string {
  const [one, five, fifteen] = loadavg().map((n) => n.toFixed(2));
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${one} / ${five} / ${fifteen}`;
}
