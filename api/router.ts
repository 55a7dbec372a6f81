import express, { type RequestHandler, type Router } from 'express';
import type { Orm } from '../infra/db/orm.ts';
import { SESSION_COOKIE, identify } from '../http/auth.ts';
import { authRoutes } from './auth/routes.ts';
import { batchRoutes } from './batches/routes.ts';
import { caseRoutes, extensionRoutes } from './cases/routes.ts';
import { documentRoutes } from './cases/documentRoutes.ts';
import { draftRoutes, enterpriseRoutes } from './enterprises/routes.ts';
import { AppError, errorMiddleware } from '../features/errors.ts';
import { fileRoutes } from './files/routes.ts';
import { noStore, sameOriginWrites } from '../http/security.ts';
import { idempotency } from './idempotency.ts';
import { calendarFeedRoutes, meRoutes } from './me/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { openApiDocument } from './openapi.ts';
import { programRoutes } from './programs/routes.ts';
import { summaryListRoutes } from './documents/routes.ts';
import { agencyRoutes, certificateRoutes } from './registers/routes.ts';
import { demonstrationRoutes, publicityRoutes } from './demonstration/routes.ts';
import type { Services } from '../features/services.ts';
import { taskRoutes } from './tasks/routes.ts';
import { taskDraftRoutes } from './tasks/draftRoutes.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { refuseHostileCharacters } from '../features/validation.ts';

export interface ApiOptions {
  orm: Orm;
  cookieSecure: boolean;
  publicUrl: () => string;
  /** the login throttle, shared with the login page */
  loginThrottle: RequestHandler[];
  /** the public objection throttle, shared with the publicity page */
  objectionThrottle: RequestHandler;
}

/** The JSON API, mounted at /api: same-origin writes, parsed and checked bodies, the actor, repeats, then the features. */
export function apiRouter(services: Services, options: ApiOptions): Router {
  const api = express.Router();
  api.use(noStore);
  api.use(sameOriginWrites({ publicUrl: options.publicUrl, sessionCookie: SESSION_COOKIE }));
  api.use(express.json({ limit: '1mb' }));
  api.use(refuseHostileCharacters);
  api.use(identify(services.auth));
  api.use(idempotency(options.orm));
  api.use('/auth', authRoutes(services.auth, options.cookieSecure, options.loginThrottle));
  api.use('/programs', programRoutes(services.programs));
  api.use('/programs', summaryListRoutes(services.summaryLists));
  api.use('/cases', caseRoutes(services.cases));
  api.use('/cases', documentRoutes(services.documents));
  api.use('/extensions', extensionRoutes(services.cases));
  api.use('/tasks', taskRoutes(services.tasks, services.inbox));
  api.use('/tasks', taskDraftRoutes(services.taskDrafts));
  api.use('/batches', batchRoutes(services.batches));
  api.use('/files', fileRoutes(services.files));
  api.use('/enterprises', enterpriseRoutes(services.enterprises));
  api.use('/drafts', draftRoutes(services.enterprises));
  api.use('/me', meRoutes(services.me));
  api.use('/notifications', notificationRoutes(services.notifications));
  api.use('/certificates', certificateRoutes(services.registers.certificates));
  api.use('/agencies', agencyRoutes(services.registers.agencies));
  api.use('/publicity', publicityRoutes(services.demonstration, options.objectionThrottle));
  api.use('/dashboard', dashboardRoutes(services.dashboards));
  api.use('/admin', adminRoutes(services.admin));
  api.use('/', demonstrationRoutes(services.demonstration));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  api.use((req) => {
    throw new AppError('not_found', `没有此接口 (no route) ${req.method} ${req.path}`);
  });
  api.use(errorMiddleware);
  return api;
}

/** The private calendar feed: the token in the URL is the credential, as calendar apps need. */
export function calendarRouter(services: Services): Router {
  const feed = express.Router();
  feed.use(noStore, calendarFeedRoutes(services.me), errorMiddleware);
  return feed;
}
