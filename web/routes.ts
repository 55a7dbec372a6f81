import express, { type NextFunction, type Request, type Response } from 'express';
import { engine } from 'express-handlebars';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Services } from '../features/services.ts';
import { SESSION_COOKIE, currentActor, identify } from '../http/auth.ts';
import { readCookie } from '../http/cookies.ts';
import { AppError, parseInput, toAppError } from '../features/errors.ts';
import { pathParams, refuseHostileCharacters } from '../features/validation.ts';
import { loggable } from '../infra/db/dbErrors.ts';
import type { Actor } from '../domain/identity/roles.ts';
import type { Locale } from '../domain/i18n/labels.ts';
import { LOCALE_COOKIE, localeOf } from './i18n/i18n.ts';
import { noStore, sameOriginWrites } from '../http/security.ts';
import { receiveUploads, type FormBody } from './forms.ts';
import { csrfProtection } from './security/csrf.ts';
import { DASHBOARD_ROLES } from '../domain/dashboard/dashboard.ts';
import { helpers } from './helpers.ts';
import { ACCEPTOR_ROLES, RECOMMENDING_ROLES, type PageKit, type WebOptions } from './pageKit.ts';
import { sessionPages } from './pages/session.ts';
import { inboxPages } from './pages/inbox.ts';
import { taskPages } from './pages/tasks.ts';
import { casePages } from './pages/cases.ts';
import { applyPages } from './pages/apply.ts';
import { officePages } from './pages/offices.ts';
import { publicPages } from './pages/public.ts';
import { adminPages } from './pages/admin.ts';
import { dashboardPages } from './dashboard.ts';

export type { WebOptions } from './pageKit.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const require = createRequire(import.meta.url);

type Page = Request & { actor?: Actor };

/** Server-rendered pages for each role's step, on the same services as the API: each group of pages in web/pages/. */
export function webRoutes(services: Services, options: WebOptions) {
  const web = express();
  // a sub-app sets its own X-Powered-By unless told not to, whatever the outer app did
  web.disable('x-powered-by');
  web.engine('hbs', engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: here('./views/layouts'), partialsDir: here('./views/partials'), helpers }));
  web.set('view engine', 'hbs');
  web.set('views', here('./views'));
  // templates are compiled once, whatever NODE_ENV says (Express caches views only in production):
  // a page is rendered, not re-read and re-compiled, on every request
  web.enable('view cache');
  web.use('/static', express.static(here('./public'), { maxAge: '1h' }));
  web.get('/static/htmx.min.js', (_req, res) => res.sendFile(require.resolve('htmx.org/dist/htmx.min.js')));
  // every page below depends on who asks: no browser or proxy keeps it (Back after logout shows nothing)
  web.use(noStore);
  // a state-changing request from another site is refused before its body is read
  web.use(sameOriginWrites({ publicUrl: options.publicUrl, sessionCookie: SESSION_COOKIE }));
  web.use(express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 }));
  web.use(refuseHostileCharacters);
  web.use(identify(services.auth));
  // the pages' language: the browser's choice (the switcher), set from the user's preference at login
  web.use((req, res, next) => {
    res.locals.locale = localeOf(readCookie(req, LOCALE_COOKIE));
    // where the switcher brings the reader back to: this page, or the start for a form's answer
    res.locals.currentPath = req.method === 'GET' ? req.originalUrl : '/';
    next();
  });
  const rememberLocale = (res: Response, locale: Locale) =>
    res.cookie(LOCALE_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, maxAge: 365 * 24 * 3_600_000 });
  const csrf = csrfProtection({ orm: options.orm, cookieSecure: options.cookieSecure, sessionCookie: SESSION_COOKIE });
  web.use(csrf.prepare, csrf.guard);
  /** Multipart forms: receiveUploads reads the body, then the form's own CSRF token is checked. */
  const uploadForm = [receiveUploads, csrf.checkUploadedForm];

  const render = (res: Response, view: string, data: Record<string, unknown> = {}, status = 200) => {
    const actor = currentActor(res);
    const nav = actor
      ? {
          apply: actor.role === 'enterprise',
          batches: actor.role === 'district_officer' || actor.role === 'city_officer',
          extensions: actor.role === 'city_officer',
          recommendations: RECOMMENDING_ROLES.has(actor.role),
          acceptanceSchedules: ACCEPTOR_ROLES.has(actor.role),
          dashboard: DASHBOARD_ROLES.has(actor.role),
          admin: actor.role === 'admin',
        }
      : {};
    // csrfToken comes with res.locals (csrf.prepare)
    res.status(status).render(view, { actor, nav, mailCatcher: Boolean(options.mailCatcher) && actor?.role === 'admin', ...data });
  };
  const signedIn = (req: Request, res: Response, next: NextFunction) => {
    const actor = currentActor(res);
    if (!actor) return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    (req as Page).actor = actor;
    next();
  };
  const actorOf = (req: Request) => (req as Page).actor!;
  // path parameters have schemas on the pages too: a malformed id is a 400 naming it, never a query
  const caseIdOf = (req: Request) => parseInput(pathParams.caseId, req.params.id, 'id');
  const taskIdOf = (req: Request) => parseInput(pathParams.taskId, req.params.id, 'id');
  const bodyOf = (req: Request) => {
    csrf.assertChecked(req);
    return (req.body ?? {}) as FormBody;
  };

  const kit: PageKit = { services, options, render, signedIn, actorOf, bodyOf, uploadForm, caseIdOf, taskIdOf, rememberLocale };
  for (const pages of [sessionPages, inboxPages, taskPages, casePages, applyPages, officePages, publicPages, adminPages, dashboardPages]) pages(web, kit);

  web.use((_req: Request, res: Response) => render(res, 'error', { error: new AppError('not_found', '页面不存在 (page not found)') }, 404));
  web.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
    render(res, 'error', { error: appError }, appError.status);
  });
  return web;
}
