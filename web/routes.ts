import express, { type NextFunction, type Request, type Response } from 'express';
import { engine } from 'express-handlebars';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Services } from '../api/app.ts';
import { SESSION_COOKIE, currentActor, identify, sessionToken } from '../api/auth/middleware.ts';
import { completeTaskBody, submitApplicationBody } from '../api/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../api/errors.ts';
import { OUTCOME_LABELS, STAGE_LABELS, STATUS_LABELS } from '../domain/case/model.ts';
import type { Actor } from '../domain/identity/roles.ts';
import { ROLE_LABELS } from '../domain/identity/roles.ts';
import { formatLocal } from '../domain/program/calendar.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const require = createRequire(import.meta.url);

const helpers = {
  stageLabel: (stage: string) => STAGE_LABELS[stage] ?? stage,
  roleLabel: (role: string) => ROLE_LABELS[role as keyof typeof ROLE_LABELS] ?? role,
  statusLabel: (status: string) => STATUS_LABELS[status as keyof typeof STATUS_LABELS] ?? status,
  outcomeLabel: (outcome: string) => OUTCOME_LABELS[outcome as keyof typeof OUTCOME_LABELS] ?? outcome,
  localTime: (instant: Date | string | null) => (instant ? formatLocal(instant, 'Asia/Shanghai') : ''),
  eq: (a: unknown, b: unknown) => a === b,
  json: (value: unknown) => JSON.stringify(value, null, 2),
};

type Page = Request & { actor?: Actor };

/** Server-rendered pages for each role's step, on the same services as the API. */
export function webRoutes(services: Services, options: { cookieSecure: boolean; mailCatcher?: MailCatcher | undefined }) {
  const web = express();
  web.engine('hbs', engine({ extname: '.hbs', defaultLayout: 'main', layoutsDir: here('./views/layouts'), partialsDir: here('./views/partials'), helpers }));
  web.set('view engine', 'hbs');
  web.set('views', here('./views'));
  web.use('/static', express.static(here('./public'), { maxAge: '1h' }));
  web.get('/static/htmx.min.js', (_req, res) => res.sendFile(require.resolve('htmx.org/dist/htmx.min.js')));
  web.use(express.urlencoded({ extended: false, limit: '1mb' }));
  web.use(identify(services.auth));

  const render = (res: Response, view: string, data: Record<string, unknown> = {}, status = 200) => {
    res.status(status).render(view, { actor: currentActor(res), mailCatcher: Boolean(options.mailCatcher), ...data });
  };
  const signedIn = (req: Request, res: Response, next: NextFunction) => {
    const actor = currentActor(res);
    if (!actor) return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    (req as Page).actor = actor;
    next();
  };
  const actorOf = (req: Request) => (req as Page).actor!;

  web.get('/', (_req, res) => res.redirect(currentActor(res) ? '/tasks' : '/login'));

  web.get('/login', (req, res) => render(res, 'login', { next: req.query.next ?? '/tasks', demo: Boolean(options.mailCatcher) }));
  web.post('/login', async (req, res) => {
    const next = typeof req.body.next === 'string' && req.body.next.startsWith('/') ? req.body.next : '/tasks';
    try {
      const session = await services.auth.login(String(req.body.email ?? ''), String(req.body.password ?? ''));
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, expires: session.expiresAt });
      res.redirect(next);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'login', { next, email: req.body.email, error: appError.message, demo: Boolean(options.mailCatcher) }, appError.status);
    }
  });
  web.post('/logout', async (req, res) => {
    const token = sessionToken(req);
    if (token) await services.auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.redirect('/login');
  });

  web.get('/tasks', signedIn, async (req, res) => {
    render(res, 'tasks', { tasks: await services.tasks.inbox(actorOf(req)) });
  });

  web.get('/tasks/:id', signedIn, async (req, res) => {
    const { task, caseView, mayComplete } = await services.tasks.getTask(actorOf(req), String(req.params.id));
    const { districts } = await services.programs.latest(caseView.programId);
    render(res, 'task', { task, caseView, mayComplete, districts, form: caseView.application });
  });

  web.post('/tasks/:id/complete', signedIn, async (req, res) => {
    const taskId = String(req.params.id);
    const body = req.body as Record<string, string>;
    const payload =
      body.outcome === 'resubmit'
        ? { outcome: 'resubmit', comment: body.comment, application: applicationFrom(body) }
        : { outcome: body.outcome, comment: body.comment };
    try {
      const parsed = parseInput(completeTaskBody, payload);
      const caseView = await services.tasks.completeTask(actorOf(req), taskId, parsed);
      res.redirect(303, `/cases/${encodeURIComponent(caseView.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      const { task, caseView, mayComplete } = await services.tasks.getTask(actorOf(req), taskId);
      const { districts } = await services.programs.latest(caseView.programId);
      render(res, 'task', { task, caseView, mayComplete, districts, form: body.outcome === 'resubmit' ? applicationFrom(body) : caseView.application, error: appError, comment: body.comment }, appError.status);
    }
  });

  web.get('/cases', signedIn, async (req, res) => {
    render(res, 'cases', { cases: await services.cases.listCases(actorOf(req)) });
  });
  web.get('/cases/:id', signedIn, async (req, res) => {
    render(res, 'case', { caseView: await services.cases.getCase(actorOf(req), String(req.params.id)) });
  });

  web.get('/apply', signedIn, async (req, res) => {
    const program = await services.programs.current();
    render(res, 'apply', { program, form: { uscc: actorOf(req).scopeId ?? '' } });
  });
  web.post('/apply', signedIn, async (req, res) => {
    const body = req.body as Record<string, string>;
    try {
      const parsed = parseInput(submitApplicationBody, { track: 'standard', application: applicationFrom(body) });
      const caseView = await services.cases.submitApplication(actorOf(req), parsed);
      res.redirect(303, `/cases/${encodeURIComponent(caseView.id)}`);
    } catch (error) {
      const program = await services.programs.current();
      const appError = toAppError(error);
      render(res, 'apply', { program, form: applicationFrom(body), error: appError }, appError.status);
    }
  });

  if (options.mailCatcher) {
    const catcher = options.mailCatcher;
    web.get('/dev/mail', (_req, res) => {
      render(res, 'mail', { messages: [...catcher.messages].reverse(), smtp: catcher.url });
    });
  }

  web.use((_req: Request, res: Response) => render(res, 'error', { error: new AppError('not_found', '页面不存在 (page not found)') }, 404));
  web.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.originalUrl}:`, error);
    render(res, 'error', { error: appError }, appError.status);
  });
  return web;
}

function applicationFrom(body: Record<string, string>) {
  return {
    enterpriseName: body.enterpriseName,
    uscc: body.uscc,
    legalRepresentative: body.legalRepresentative,
    foundedOn: body.foundedOn,
    district: body.district,
    contactPhone: body.contactPhone,
    reasons: body.reasons,
  };
}
