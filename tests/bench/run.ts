/**
 * `./dev bench [--size tiny|full] [--only a,b] [--drivers postgresql,pglite] [--no-write]`: runs the
 * benchmarks against a Temporal dev server of its own and the PostgreSQL server ./dev started,
 * prints one table (ours, the raw part in the same run, the ratio, the target) and writes it, with
 * the date and the machine's load before and after, to docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installRuntimeLogging } from '../../app/temporalWorker.ts';
import { DRIVERS, type Driver } from '../support/database.ts';
import { startRunTemporal } from '../support/temporalRun.ts';
import { machineLine, markdownTable, type BenchContext, type BenchRow, type BenchSize } from './harness.ts';
import { BENCHES } from './index.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'full' },
    only: { type: 'string' },
    drivers: { type: 'string', default: DRIVERS.join(',') },
    'no-write': { type: 'boolean', default: false },
  },
});
const size = values.size as BenchSize;
if (size !== 'tiny' && size !== 'full') throw new Error(`--size must be tiny or full, not ${values.size}`);
const drivers = values.drivers.split(',').map((d) => d.trim()) as Driver[];
for (const driver of drivers) if (!DRIVERS.includes(driver)) throw new Error(`--drivers: ${driver} is not one of ${DRIVERS.join(', ')}`);
const only = values.only?.split(',').map((n) => n.trim());
const chosen = only ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
if (only && chosen.length !== only.length) throw new Error(`--only: unknown benchmark in ${only.join(', ')}; there are ${BENCHES.map((b) => b.name).join(', ')}`);

const loadBefore = machineLine();
// the SDK's runtime is configured once per process, before the dev server's connection makes one
installRuntimeLogging('warn');
const temporal = await startRunTemporal();
const ctx: BenchContext = { size, drivers, log: (line) => process.stderr.write(`[bench] ${line}\n`) };
const rows: BenchRow[] = [];
const appendix: string[] = [];
const started = new Date();
try {
  for (const bench of chosen) {
    ctx.log(`${bench.name} …`);
    const result = await bench.run(ctx);
    rows.push(...result.rows);
    appendix.push(...(result.appendix ?? []));
    console.log(markdownTable(result.rows));
  }
} finally {
  await temporal.teardown();
}
const loadAfter = machineLine();
const report = [
  '# Benchmarks',
  '',
  `Run on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`./dev bench${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\`, Node ${process.version}, size ${size}.`,
  '',
  `- machine before: ${loadBefore}`,
  `- machine after: ${loadAfter}`,
  '',
  'Each row measures our path and, in the same run, the raw part it stands on; the ratio is what the target reads.',
  '',
  markdownTable(rows),
  '',
  ...appendix.flatMap((section) => [section, '']),
].join('\n');
console.log(`\nmachine before: ${loadBefore}\nmachine after:  ${loadAfter}`);
if (!values['no-write']) {
  writeFileSync(new URL('../../docs/benchmarks.md', import.meta.url), report);
  console.log('written to docs/benchmarks.md');
}
process.exit(0);
