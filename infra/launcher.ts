/**
 * The embedded default, one process: Temporal dev server (child process, SQLite under DATA_DIR),
 * PGlite under DATA_DIR, a local SMTP mail catcher, the worker and the web server.
 * `./dev start` runs this; Ctrl-C stops everything cleanly.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bootstrap } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './db/seed.ts';
import { MailCatcher } from './mail/mailCatcher.ts';
import { startDevServer } from './temporal/devServer.ts';
import { ROLE_LABELS } from '../domain/identity/roles.ts';

function temporalBinary(): string {
  if (process.env.TEMPORAL_BIN) return process.env.TEMPORAL_BIN;
  try {
    return execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('no Temporal CLI: run ./dev start (it builds one), or put `temporal` on PATH, or set TEMPORAL_BIN');
  }
}

async function main() {
  const config = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1025', ...process.env });
  const dataDir = resolve(config.dataDir);
  const [temporalHost, temporalPort] = config.temporal.address.split(':');
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);

  const smtp = new URL(config.mail.smtpUrl);
  const mailCatcher = await new MailCatcher({ host: smtp.hostname, port: Number(smtp.port) }).start();
  console.log(`mail catcher listening on ${mailCatcher.url}`);

  console.log('starting Temporal dev server…');
  const temporal = await startDevServer({
    binary: temporalBinary(),
    host: temporalHost ?? '127.0.0.1',
    port: Number(temporalPort ?? 7233),
    uiPort,
    dbFile: `${dataDir}/temporal/temporal.db`,
    log: (line) => process.env.TEMPORAL_LOG && process.stderr.write(line),
  });

  const app = await bootstrap(config, { worker: true, http: true, mailCatcher });
  const program = await seedDemo(app.orm, new Date().getFullYear());
  const url = await app.start();

  console.log(`
  企业信用管理贯标平台 is running (program ${program.id})
    web:          ${url}/
    API:          ${url}/api   (health: ${url}/healthz)
    caught mail:  ${url}/dev/mail   (SMTP ${mailCatcher.url})
    Temporal UI:  ${temporal.uiUrl}
    data:         ${dataDir}

  demo logins (password ${DEMO_PASSWORD}):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(20)} ${ROLE_LABELS[u.role]}${u.scopeId ? ` · ${u.scopeId}` : ''}`).join('\n')}

  Ctrl-C stops everything.
`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await app.stop().catch((e: unknown) => console.error('app stop:', e));
    await mailCatcher.stop().catch(() => {});
    await temporal.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
