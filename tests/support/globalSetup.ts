import { startRunTemporal } from './temporalRun.ts';

/** Once per run: the run's Temporal server and workflow bundle (test files start workers from it). PostgreSQL comes from ./dev test. */
export default async function globalSetup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set: run the suite with ./dev test');
  (globalThis as { __temporalTestEnv?: unknown }).__temporalTestEnv = await startRunTemporal();
}
