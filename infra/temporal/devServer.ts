import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A custom search attribute as `defineSearchAttributeKey` makes it. */
export interface SearchAttributeDefinition {
  name: string;
  type: string;
}

const CLI_TYPES: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', BOOL: 'Bool', TEXT: 'Text', DATETIME: 'Datetime', DOUBLE: 'Double' };

/**
 * Dynamic configuration our processes rely on for speed: an activity the workflow schedules on its
 * own task queue is handed back with the workflow task's answer (eager execution), saving a round
 * trip through the task queue. A production cluster sets the same key (docs/deployment.md).
 */
export const DEV_SERVER_DYNAMIC_CONFIG = ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'];

/** `--search-attribute Name=Type` flags for the custom search attributes the workflows use. */
export function searchAttributeArgs(keys: SearchAttributeDefinition[]): string[] {
  return keys.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPES[key.type]}`]);
}

export interface DevServerOptions {
  binary: string;
  host: string;
  port: number;
  uiPort: number;
  /** SQLite file; the dev server keeps its state here between runs */
  dbFile: string;
  /** registered at start, so the workflows can set them (the dev server forgets nothing: they stay) */
  searchAttributes: SearchAttributeDefinition[];
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts `temporal server start-dev` with a persistent SQLite store (WAL) and our search attributes. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { binary, host, port, uiPort, dbFile } = options;
  if (await portOpen(host, port)) throw new Error(`port ${host}:${port} is taken: is another Temporal server running?`);
  mkdirSync(dirname(dbFile), { recursive: true });
  const child: ChildProcess = spawn(
    binary,
    [
      'server', 'start-dev',
      '--ip', host,
      '--port', String(port),
      '--ui-port', String(uiPort),
      '--db-filename', dbFile,
      '--sqlite-pragma', 'journal_mode=wal',
      '--sqlite-pragma', 'synchronous=normal',
      '--log-level', 'warn',
      ...DEV_SERVER_DYNAMIC_CONFIG,
      ...searchAttributeArgs(options.searchAttributes),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = options.log ?? (() => {});
  child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(host, port))) {
    if (exited) throw new Error(`temporal dev server exited during start (code ${child.exitCode})`);
    if (Date.now() > deadline) throw new Error('temporal dev server did not open its port within 60 s');
    await sleep(200);
  }
  return {
    address: `${host}:${port}`,
    uiUrl: `http://${host}:${uiPort}`,
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(forced);
    },
  };
}
