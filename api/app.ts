import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Orm } from '../infra/db/orm.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';
import { createAuthService } from './auth/authService.ts';
import { identify } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { createCaseService } from './cases/caseService.ts';
import { caseRoutes } from './cases/routes.ts';
import { AppError, errorMiddleware } from './errors.ts';
import { checkHealth } from './health/health.ts';
import { createProgramService } from './programs/programService.ts';
import { programRoutes } from './programs/routes.ts';
import { createTaskService } from './tasks/taskService.ts';
import { taskRoutes } from './tasks/routes.ts';
import { webRoutes } from '../web/routes.ts';

export interface HttpDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  sessionTtlHours: number;
  cookieSecure: boolean;
  /** present on the embedded default: its caught mail is shown at /dev/mail */
  mailCatcher?: MailCatcher;
}

export function createServices(deps: HttpDeps) {
  const programs = createProgramService(deps.orm);
  const auth = createAuthService(deps.orm, deps.sessionTtlHours);
  const cases = createCaseService({ orm: deps.orm, temporal: deps.temporal, taskQueue: deps.taskQueue, programs });
  const tasks = createTaskService({ orm: deps.orm, temporal: deps.temporal, cases });
  return { programs, auth, cases, tasks };
}
export type Services = ReturnType<typeof createServices>;

/** The Express app: JSON API under /api, pages under /, health at /healthz. Listening is the caller's business. */
export function createHttpApp(deps: HttpDeps): Express {
  const services = createServices(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', async (_req, res) => {
    const report = await checkHealth(deps.orm, deps.temporal);
    res.status(report.ok ? 200 : 503).json(report);
  });

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(identify(services.auth));
  api.use('/auth', authRoutes(services.auth, deps.cookieSecure));
  api.use('/programs', programRoutes(services.programs));
  api.use('/cases', caseRoutes(services.cases));
  api.use('/tasks', taskRoutes(services.tasks));
  api.use((req) => {
    throw new AppError('not_found', `no route ${req.method} ${req.originalUrl}`);
  });
  api.use(errorMiddleware);
  app.use('/api', api);

  app.use(webRoutes(services, { cookieSecure: deps.cookieSecure, mailCatcher: deps.mailCatcher }));
  return app;
}
