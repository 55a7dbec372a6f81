import { SESSION_COOKIE, currentActor, sessionToken } from '../../http/auth.ts';
import { type AppError, parseInput, toAppError } from '../../features/errors.ts';
import { type Locale } from '../../domain/i18n/labels.ts';
import { localeOf, translate } from '../i18n/i18n.ts';
import { preferencesBody } from '../../features/me/schemas.ts';
import { field } from '../forms.ts';
import { sameOriginPath } from '../security/redirects.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

/** Signing in and out, the language switcher, and one's own notification settings. */
export function sessionPages(web: Express, kit: PageKit): void {
  const { services, options, render, signedIn, actorOf, bodyOf, rememberLocale } = kit;
  web.get('/', (_req, res) => res.redirect(currentActor(res) ? '/tasks' : '/login'));

  const loginPage = (res: Response, form: { next: string; email?: string; error?: AppError }, status = 200) =>
    render(res, 'login', { title: translate(res.locals.locale as Locale, 'login.title'), ...form, demo: Boolean(options.mailCatcher) }, status);
  web.get('/login', (req, res) => loginPage(res, { next: sameOriginPath(req.query.next) }));
  // throttled per account and per address (429 with Retry-After); a refused login shows the form again
  const loginRefused = (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    loginPage(res, { next: sameOriginPath(field(bodyOf(req), 'next')), email: field(bodyOf(req), 'email'), error: appError }, appError.status);
  };
  const logIn: RequestHandler = async (req, res) => {
    const body = bodyOf(req);
    const next = sameOriginPath(field(body, 'next'));
    try {
      const session = await services.auth.login(field(body, 'email'), field(body, 'password'));
      res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, expires: session.expiresAt });
      rememberLocale(res, localeOf((await services.me.preferences(session.actor)).locale));
      res.redirect(next);
    } catch (error) {
      const appError = toAppError(error);
      loginPage(res, { next, email: field(body, 'email'), error: appError }, appError.status);
    }
  };
  web.post('/login', options.loginThrottle, logIn, loginRefused);
  // the language switcher on every page: the browser keeps the choice, and a signed-in user's preference follows it
  web.post('/language', async (req, res) => {
    const body = bodyOf(req);
    const locale = parseInput(preferencesBody.shape.locale.unwrap(), field(body, 'locale'), 'locale');
    const actor = currentActor(res);
    if (actor) await services.me.updatePreferences(actor, { locale });
    rememberLocale(res, locale);
    res.redirect(303, sameOriginPath(field(body, 'back'), '/'));
  });

  web.post('/logout', async (req, res) => {
    const token = sessionToken(req);
    if (token) await services.auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.redirect('/login');
  });
  // ---- 通知设置: digest or single reminders, mail language, private calendar feed ----

  const mePage = (res: Response, data: Record<string, unknown>) => render(res, 'me', { title: translate(res.locals.locale as Locale, 'me.title'), ...data });
  web.get('/me', signedIn, async (req, res) => {
    mePage(res, { preferences: await services.me.preferences(actorOf(req)) });
  });

  web.post('/me', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const intent = field(body, 'intent');
    let feedUrl: string | null = null;
    if (intent === 'calendar-issue') feedUrl = (await services.me.issueCalendarToken(actor)).url;
    else if (intent === 'calendar-revoke') await services.me.revokeCalendarToken(actor);
    else await services.me.updatePreferences(actor, parseInput(preferencesBody, { digest: field(body, 'digest') === 'on', locale: field(body, 'locale') || undefined }));
    const preferences = await services.me.preferences(actor);
    // the pages follow the language chosen here from the next page on
    rememberLocale(res, localeOf(preferences.locale));
    mePage(res, { preferences, feedUrl, saved: intent !== 'calendar-issue' });
  });
}
