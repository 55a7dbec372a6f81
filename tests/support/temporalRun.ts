import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../infra/temporal/devServer.ts';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes.ts';

const root = new URL('../../', import.meta.url);

/**
 * A Temporal dev server from the same binary `./dev start` uses (same flags), and the workflow
 * bundle built once; their addresses go into the environment (TEMPORAL_TEST_ADDRESS,
 * WORKFLOW_BUNDLE_PATH), where startTestSystem and the test files find them. For the test suite
 * and the benchmarks alike.
 */
export async function startRunTemporal(): Promise<TestWorkflowEnvironment> {
  const binary = process.env.TEMPORAL_BIN;
  if (!binary) throw new Error('TEMPORAL_BIN is not set: run through ./dev');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary },
      searchAttributes: CASE_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
      extraArgs: DEV_SERVER_DYNAMIC_CONFIG,
    },
  });
  const bundle = await quietBundle(fileURLToPath(new URL('workflows/index.ts', root)));
  const dir = fileURLToPath(new URL('.cache/test/', root));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}workflow-bundle.js`, bundle.code);
  process.env.TEMPORAL_TEST_ADDRESS = env.address;
  process.env.WORKFLOW_BUNDLE_PATH = `${dir}workflow-bundle.js`;
  return env;
}

/** Workflow code bundled with only the bundler's warnings and errors said. */
export function quietBundle(workflowsPath: string): Promise<{ code: string }> {
  return bundleWorkflowCode({ workflowsPath, logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} } });
}
