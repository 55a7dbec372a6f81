/**
 * `npm run bundle [file]`: the workflow code bundled ahead (default dist/workflow-bundle.js), for
 * workers started with WORKFLOW_BUNDLE_PATH: they start in a second, and every worker of a
 * release runs the very same bundle.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { WORKFLOWS_PATH } from './temporalWorker.ts';

const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)`);
