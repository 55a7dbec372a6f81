import { expect, test } from '@jest/globals';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { TRACKS } from '../../domain/program/types.ts';

/**
 * Saved histories of real runs (recorded by tests/replay/recordHistory.ts) must replay on today's
 * workflow code: a change that would break running cases fails here, not in production.
 */
const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('every track has a saved history to replay', () => {
  // a history's file is named after its track: a new track is released with one
  for (const track of TRACKS) expect(files.filter((f) => f.startsWith(`${track}-`))).not.toEqual([]);
});

test.each(files)('replays %s without nondeterminism', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  expect(history.events?.length).toBeGreaterThan(100);
  await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } }, history);
});
