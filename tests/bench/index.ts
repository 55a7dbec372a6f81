import type { Bench } from './harness.ts';

/** Every benchmark, in the order the report lists them. Each file adds its own. */
export const BENCHES: Bench[] = [];
