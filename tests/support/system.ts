import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, type App } from '../../app/bootstrap.ts';
import { loadConfig } from '../../infra/config.ts';
import { DEMO_USERS, createUser, publishProgram, seedAgencies } from '../../app/seed.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import { localDeadlineAt } from '../../domain/program/calendar.ts';
import { freshPostgresUrl, type Driver } from './database.ts';

export const TEST_PASSWORD = 'test-password-1';
export const TEST_YEAR = 2026;

export interface TestSystem {
  app: App;
  url: string;
  mail: MailCatcher;
  program: ProgramDefinition;
  /** user id by e-mail, for the demo users */
  userIds: Map<string, string>;
  stop(): Promise<void>;
}

/**
 * The program's calendar, fixed when the system starts. Use it for deadlines long past or far away
 * only: one a test watches pass must be set when the case is ready (e.g. a city extension of that
 * case), or a slow set-up on a busy machine eats the window.
 */
export interface TestCalendar {
  applicationDue?: Date;
  acceptanceDue?: Date;
  /** compress the program's periods (review days, reminders): a "day" lasts this many ms; a period starts when its task opens */
  dayMs?: number;
  /** the demonstration tracks' publicity period, in (compressed) working days */
  publicityDays?: number;
}

/** The Taicang plan under an id of its own, its standard track's deadlines where the test wants them. */
export function testProgram(calendar: TestCalendar = {}): ProgramDefinition {
  const base = cloneProgramForYear(TAICANG_2018, TEST_YEAR);
  const now = Date.now();
  const standard = base.tracks.standard!;
  const deadlines = {
    application: localDeadlineAt(calendar.applicationDue ?? new Date(now + 30 * 86_400_000), base.timeZone),
    acceptanceMaterials: localDeadlineAt(calendar.acceptanceDue ?? new Date(now + 60 * 86_400_000), base.timeZone),
  };
  // the demonstration tracks: recommendations due in a month, packages in two
  const demonstration = (track: 'municipal-demo' | 'provincial-demo') => {
    const definition = base.tracks[track]!;
    return {
      ...definition,
      deadlines: {
        recommendation: localDeadlineAt(new Date(now + 30 * 86_400_000), base.timeZone),
        applicationPackage: localDeadlineAt(new Date(now + 60 * 86_400_000), base.timeZone),
      },
      demonstration: { ...definition.demonstration!, ...(calendar.publicityDays ? { publicityWorkingDays: calendar.publicityDays } : {}) },
    };
  };
  // The Temporal server is shared by the whole run: a program id of its own keeps workflow ids apart.
  return {
    ...base,
    id: `taicang${crypto.randomUUID().slice(0, 8)}-${TEST_YEAR}`,
    tracks: { ...base.tracks, standard: { ...standard, deadlines }, 'municipal-demo': demonstration('municipal-demo'), 'provincial-demo': demonstration('provincial-demo') },
    ...(calendar.dayMs ? { compressedDayMs: calendar.dayMs } : {}),
  };
}

/**
 * The whole system as `./dev start` runs it, on real parts: the run's Temporal server (own task
 * queue), a fresh database on the chosen driver, a real SMTP server, HTTP on a free port.
 */
export async function startTestSystem(driver: Driver = 'postgresql', calendar: TestCalendar = {}, settings: Record<string, string> = {}): Promise<TestSystem> {
  const mail = await new MailCatcher({ rejectRecipients: (a) => a.startsWith('nobody@') }).start();
  const dataDir = mkdtempSync(join(tmpdir(), 'credcase-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    HTTP_PORT: '0',
    DATABASE_DRIVER: driver,
    ...(driver === 'postgresql' ? { DATABASE_URL: await freshPostgresUrl() } : {}),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS,
    TEMPORAL_TASK_QUEUE: `test-${crypto.randomUUID()}`,
    SMTP_URL: mail.url,
    LOG_LEVEL: 'warn',
    CHROMIUM_PATH: process.env.CHROMIUM_PATH,
    ...settings,
  });
  const app = await bootstrap(config, { worker: true, http: true, mailCatcher: mail, workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH! } });
  const program = testProgram(calendar);
  await publishProgram(app.orm, program);
  const userIds = new Map<string, string>();
  for (const user of DEMO_USERS) userIds.set(user.email, await createUser(app.orm, user, TEST_PASSWORD));
  // the credit service agencies of the demo consultants (the demonstration tracks' register)
  await seedAgencies(app.orm, TEST_PASSWORD);
  const url = (await app.start())!;
  return {
    app,
    url,
    mail,
    program,
    userIds,
    async stop() {
      await app.stop();
      await mail.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
