import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Orm } from '../infra/db/orm.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';
import { checkHealth } from '../api/health/health.ts';
import { loginThrottle } from '../http/loginThrottle.ts';
import { OBJECTION_LIMIT, publicThrottle } from '../http/publicThrottle.ts';
import { securityHeaders } from '../http/security.ts';
import { apiRouter, calendarRouter } from '../api/router.ts';
import { createServices } from '../features/services.ts';
import { webRoutes } from '../web/routes.ts';

export interface HttpDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  sessionTtlHours: number;
  documentWaitSeconds: number;
  cookieSecure: boolean;
  /** base of links in feeds: known once the server listens */
  publicUrl: () => string;
  /** present on the embedded default: its caught mail is shown at /dev/mail */
  mailCatcher?: MailCatcher;
  /** where the operators open a case's workflow (the Temporal Web UI) */
  temporalUi?: { url: string; namespace: string };
}

/** The HTTP app: JSON API under /api, pages under /, health at /healthz, on one set of use cases. Listening is the caller's business. */
export function createHttpApp(deps: HttpDeps): Express {
  const services = createServices(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders({ secureTransport: deps.cookieSecure }));
  // one throttle for both logins (API and page), so guesses through either count together
  const throttle = loginThrottle();
  // and one for the public's objections, through the page or the API
  const objectionThrottle = publicThrottle(OBJECTION_LIMIT);

  app.get('/healthz', async (_req, res) => {
    const report = await checkHealth(deps.orm, deps.temporal);
    res.status(report.ok ? 200 : 503).json(report);
  });
  app.use('/api', apiRouter(services, { orm: deps.orm, cookieSecure: deps.cookieSecure, publicUrl: deps.publicUrl, loginThrottle: throttle, objectionThrottle }));
  app.use('/calendar', calendarRouter(services));

  const pages = webRoutes(services, { orm: deps.orm, cookieSecure: deps.cookieSecure, publicUrl: deps.publicUrl, loginThrottle: throttle, objectionThrottle, mailCatcher: deps.mailCatcher, temporalUi: deps.temporalUi });
  app.use(pages);
  // the route table is read from the app itself (the authorisation matrix test walks it); the pages are an app of their own
  app.locals.pages = pages;
  return app;
}
