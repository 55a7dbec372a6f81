import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Orm } from '../infra/db/orm.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';
import { createAuthService } from './auth/authService.ts';
import { SESSION_COOKIE, identify } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { createCaseService } from './cases/caseService.ts';
import { caseRoutes, extensionRoutes } from './cases/routes.ts';
import { createBatchService } from './batches/batchService.ts';
import { batchRoutes } from './batches/routes.ts';
import { createEnterpriseService } from './enterprises/enterpriseService.ts';
import { createIdentityNumbers } from './enterprises/identityNumbers.ts';
import { draftRoutes, enterpriseRoutes } from './enterprises/routes.ts';
import { createFileService } from './files/fileService.ts';
import { fileRoutes } from './files/routes.ts';
import { openApiDocument } from './openapi.ts';
import { createMeService } from './me/meService.ts';
import { createNotificationService } from './notifications/notificationService.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { calendarFeedRoutes, meRoutes } from './me/routes.ts';
import { AppError, errorMiddleware } from './errors.ts';
import { idempotency } from './idempotency.ts';
import { refuseHostileCharacters } from './validation.ts';
import { checkHealth } from './health/health.ts';
import { createProgramService } from './programs/programService.ts';
import { programRoutes } from './programs/routes.ts';
import { createTaskService } from './tasks/taskService.ts';
import { taskRoutes } from './tasks/routes.ts';
import { webRoutes } from '../web/routes.ts';
import { loginThrottle } from '../infra/http/loginThrottle.ts';
import { noStore, sameOriginWrites, securityHeaders } from '../infra/http/security.ts';

export interface HttpDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  sessionTtlHours: number;
  cookieSecure: boolean;
  /** base of links in feeds: known once the server listens */
  publicUrl: () => string;
  /** present on the embedded default: its caught mail is shown at /dev/mail */
  mailCatcher?: MailCatcher;
}

export function createServices(deps: HttpDeps) {
  const { orm, temporal } = deps;
  const programs = createProgramService(orm);
  const auth = createAuthService(orm, deps.sessionTtlHours);
  const files = createFileService(orm);
  const identities = createIdentityNumbers(orm);
  const cases = createCaseService({ orm, temporal, taskQueue: deps.taskQueue, programs, files, identities });
  const tasks = createTaskService({ orm, temporal, cases, programs, files, identities });
  const batches = createBatchService({ orm, temporal, programs });
  const enterprises = createEnterpriseService(orm, identities);
  const me = createMeService({ orm, programs, publicUrl: () => deps.publicUrl() });
  const notifications = createNotificationService({ orm, temporal, taskQueue: deps.taskQueue, cases });
  return { programs, auth, files, cases, tasks, batches, enterprises, me, notifications };
}
export type Services = ReturnType<typeof createServices>;

/** The Express app: JSON API under /api, pages under /, health at /healthz. Listening is the caller's business. */
export function createHttpApp(deps: HttpDeps): Express {
  const services = createServices(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders({ secureTransport: deps.cookieSecure }));
  // one throttle for both logins (API and page), so guesses through either count together
  const throttle = loginThrottle();

  app.get('/healthz', async (_req, res) => {
    const report = await checkHealth(deps.orm, deps.temporal);
    res.status(report.ok ? 200 : 503).json(report);
  });

  const api = express.Router();
  api.use(noStore);
  api.use(sameOriginWrites({ publicUrl: deps.publicUrl, sessionCookie: SESSION_COOKIE }));
  api.use(express.json({ limit: '1mb' }));
  api.use(refuseHostileCharacters);
  api.use(identify(services.auth));
  api.use(idempotency(deps.orm));
  api.use('/auth', authRoutes(services.auth, deps.cookieSecure, throttle));
  api.use('/programs', programRoutes(services.programs));
  api.use('/cases', caseRoutes(services.cases));
  api.use('/extensions', extensionRoutes(services.cases));
  api.use('/tasks', taskRoutes(services.tasks));
  api.use('/batches', batchRoutes(services.batches));
  api.use('/files', fileRoutes(services.files));
  api.use('/enterprises', enterpriseRoutes(services.enterprises));
  api.use('/drafts', draftRoutes(services.enterprises));
  api.use('/me', meRoutes(services.me));
  api.use('/notifications', notificationRoutes(services.notifications));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.use((req) => {
    throw new AppError('not_found', `没有此接口 (no route) ${req.method} ${req.path}`);
  });
  api.use(errorMiddleware);
  app.use('/api', api);
  app.use('/calendar', noStore, calendarFeedRoutes(services.me), errorMiddleware);

  const pages = webRoutes(services, { orm: deps.orm, cookieSecure: deps.cookieSecure, publicUrl: deps.publicUrl, loginThrottle: throttle, mailCatcher: deps.mailCatcher });
  app.use(pages);
  // the route table is read from the app itself (the authorisation matrix test walks it); the pages are an app of their own
  app.locals.pages = pages;
  return app;
}
