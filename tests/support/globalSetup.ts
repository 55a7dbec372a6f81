import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes.ts';

const root = new URL('../../', import.meta.url);

/**
 * Once per run: a Temporal dev server from the same binary `./dev start` uses, and the workflow
 * bundle built once (test files start workers from it). PostgreSQL comes from ./dev test.
 */
export default async function globalSetup(): Promise<void> {
  const binary = process.env.TEMPORAL_BIN;
  if (!binary) throw new Error('TEMPORAL_BIN is not set: run the suite with ./dev test');
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set: run the suite with ./dev test');

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary },
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
    },
  });
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('workflows/index.ts', root)),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  const dir = fileURLToPath(new URL('.cache/test/', root));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}workflow-bundle.js`, bundle.code);

  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  process.env.WORKFLOW_BUNDLE_PATH = `${dir}workflow-bundle.js`;
  (globalThis as { __temporalTestEnv?: TestWorkflowEnvironment }).__temporalTestEnv = env;
}
