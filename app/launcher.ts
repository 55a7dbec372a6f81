/**
 * The embedded default, one process: Temporal dev server (child process, SQLite under DATA_DIR),
 * PGlite under DATA_DIR, a local SMTP mail catcher, the worker and the web server.
 * `./dev start` runs this; Ctrl-C stops everything cleanly.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bootstrap } from './bootstrap.ts';
import { ConfigError, loadConfig } from '../infra/config.ts';
import { DEMO_DISTRICT_OFFICERS, DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed.ts';
import { buildDemoWorldOnFreshData } from './demoWorld.ts';
import { MailCatcher } from '../infra/mail/mailCatcher.ts';
import { startDevServer } from '../infra/temporal/devServer.ts';
import { ROLE_LABELS } from '../domain/identity/roles.ts';
import { CASE_SEARCH_ATTRIBUTES } from '../workflows/searchAttributes.ts';

function temporalBinary(): string {
  if (process.env.TEMPORAL_BIN) return process.env.TEMPORAL_BIN;
  try {
    return execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no Temporal CLI: run ./dev start (it builds one), or put `temporal` on PATH, or set TEMPORAL_BIN');
  }
}

/** What has been started, newest first: stopped in that order on Ctrl-C or when a later step fails. */
const started: Array<{ name: string; stop: () => Promise<void> }> = [];

async function stopAll(): Promise<void> {
  for (const { name, stop } of started.splice(0).reverse()) {
    await stop().catch((error: unknown) => console.error(`stopping ${name}:`, error));
  }
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await stopAll();
  console.log('stopped.');
  process.exit(0);
}

async function main() {
  // first thing: Ctrl-C during start-up also stops what has started so far
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const config = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1025', LOG_LEVEL: 'warn', ...process.env });
  const dataDir = resolve(config.dataDir);
  const [temporalHost, temporalPort] = config.temporal.address.split(':');
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

  // the local mail catcher stands in for SMTP only when mail is meant to stay on this machine
  const smtp = new URL(config.mail.smtpUrl);
  let mailCatcher: MailCatcher | undefined;
  if (['127.0.0.1', 'localhost'].includes(smtp.hostname)) {
    mailCatcher = await new MailCatcher({ host: smtp.hostname, port: Number(smtp.port || 25) }).start();
    started.push({ name: 'mail catcher', stop: () => mailCatcher!.stop() });
  }

  console.log('starting Temporal dev server…');
  const temporal = await startDevServer({
    binary: temporalBinary(),
    host: temporalHost ?? '127.0.0.1',
    port: Number(temporalPort ?? 7233),
    uiPort,
    dbFile: `${dataDir}/temporal/temporal.db`,
    searchAttributes: CASE_SEARCH_ATTRIBUTES,
    log: (line) => process.env.TEMPORAL_LOG && process.stderr.write(line),
  });
  started.push({ name: 'Temporal dev server', stop: () => temporal.stop() });

  const app = await bootstrap(config, { worker: true, http: true, ...(mailCatcher ? { mailCatcher } : {}) });
  started.push({ name: 'app', stop: () => app.stop() });
  const program = await seedDemo(app.orm, new Date());
  const url = await app.start();

  console.log(`
  企业信用管理贯标平台 is running (program ${program.id})
    web:          ${url}/
    API:          ${url}/api   (health: ${url}/healthz)
    caught mail:  ${mailCatcher ? `${url}/dev/mail   (SMTP ${mailCatcher.url})` : `sent through ${smtp.host}`}
    Temporal UI:  ${temporal.uiUrl}
    data:         ${dataDir}

  demo logins (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(20)} ${ROLE_LABELS[u.role]}${u.scopeId ? ` · ${u.scopeId}` : ''}`).join('\n')}
    <district>@demo.local ${ROLE_LABELS.district_officer} · ${DEMO_DISTRICT_OFFICERS.map((u) => u.scopeId).join(', ')}

  Ctrl-C stops everything.
`);
  // on fresh data, a demo world of cases at every stage, built in the background (DEMO_WORLD=0 skips it)
  if (process.env.DEMO_WORLD !== '0') void buildDemoWorldOnFreshData({ orm: app.orm, temporal: app.temporal, taskQueue: config.temporal.taskQueue }, program, () => stopping);
}

main().catch(async (error: unknown) => {
  if (stopping) return; // a start-up step cut short by Ctrl-C; shutdown() is on it
  console.error(error instanceof ConfigError ? error.message : error);
  await stopAll();
  process.exit(1);
});
