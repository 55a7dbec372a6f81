import type { Bench } from './harness.ts';
import { forwarding } from './forwarding.bench.ts';
import { inbox } from './inbox.bench.ts';
import { reminders } from './reminders.bench.ts';
import { workerMemory } from './workerMemory.bench.ts';
import { writePaths } from './writePaths.bench.ts';

/** Every benchmark, in the order the report lists them. Each file adds its own. */
export const BENCHES: Bench[] = [writePaths, forwarding, inbox, reminders, workerMemory];
