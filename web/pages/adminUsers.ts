import type { Express, Request, Response } from 'express';
import { inviteBody, setPasswordBody, setPasswordToken, userIdParam, userListQuery, userUpdateBody } from '../../features/admin/schemas.ts';
import { LINK_VALID_HOURS, type UserView } from '../../features/admin/userAdmin.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { ROLES, ROLE_SCOPE, type Role } from '../../domain/identity/roles.ts';
import { field, type FormBody } from '../forms.ts';
import type { PageKit } from '../pageKit.ts';
import { sameOriginPath } from '../security/redirects.ts';
import { doneOf, filled, formFields, say } from './adminShared.ts';

const DONE = ['invited', 'saved', 'deactivated', 'activated', 'linkSent'] as const;
const INVITE_FIELDS = ['email', 'name', 'role', 'district', 'agencyId', 'uscc', 'locale'] as const;

/** The scope a user form names for its role: the district, agency or credit code field; none for the city-wide roles. */
export function scopeFromForm(role: string, body: Record<string, string>): string | null {
  const kind = ROLE_SCOPE[role as Role];
  if (kind === 'district') return body.district ?? '';
  if (kind === 'agency') return body.agencyId ?? '';
  if (kind === 'enterprise') return body.uscc ?? '';
  return null;
}

/** A user's scope back in the form's three fields. */
const scopeFields = (user: Pick<UserView, 'role' | 'scopeId'>) => {
  const kind = ROLE_SCOPE[user.role];
  return { district: kind === 'district' ? (user.scopeId ?? '') : '', agencyId: kind === 'agency' ? (user.scopeId ?? '') : '', uscc: kind === 'enterprise' ? (user.scopeId ?? '') : '' };
};

/** 用户: the list with its search and the invitation form, one user's page (role, scope, link, deactivate). */
export function adminUserPages(web: Express, kit: PageKit): void {
  const { services, render, actorOf, bodyOf } = kit;
  const userIdOf = (req: Request) => parseInput(userIdParam, req.params.userId, 'userId');

  /** What the scope fields choose from: the districts of the programs, the active agencies. */
  const choices = async (req: Request) => {
    const [programs, agencies] = await Promise.all([services.programs.list(), services.registers.agencies.list(actorOf(req))]);
    const districts = new Map(programs.flatMap((p) => p.districts.map((d) => [d.code, d.name] as const)));
    return { roles: ROLES, districts: [...districts].map(([code, name]) => ({ code, name })), agencies: agencies.filter((a) => a.active).map((a) => ({ id: a.id, name: a.name })) };
  };

  const listPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    // the search's own fields: the page's notices (?done, ?invited) are not search terms
    const { q, role, status: wanted } = filled(req.method === 'GET' ? req.query : {});
    const terms = Object.fromEntries(Object.entries({ q, role, status: wanted }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    let search: Record<string, unknown>;
    try {
      search = await services.admin.users.list(actorOf(req), parseInput(userListQuery, terms, 'query'));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code !== 'bad_request') throw error;
      search = { users: [], more: false, searchError: appError };
      status = 400;
    }
    const invited = typeof req.query.invited === 'string' ? req.query.invited : null;
    render(
      res,
      'admin/users',
      {
        title: say(res, 'users.title'),
        section: 'users',
        wide: true,
        query: terms,
        ...search,
        ...(await choices(req)),
        statuses: ['active', 'invited', 'deactivated'],
        linkHours: LINK_VALID_HOURS,
        invite: { role: 'district_officer', locale: 'zh-CN' },
        done: doneOf(req, DONE),
        invitedUser: invited ? await services.admin.users.get(actorOf(req), parseInput(userIdParam, invited, 'invited')).catch(() => null) : null,
        ...extra,
      },
      status,
    );
  };

  web.get('/admin/users', (req, res) => listPage(req, res));

  web.post('/admin/users', async (req, res) => {
    const form = formFields(bodyOf(req), INVITE_FIELDS);
    try {
      const input = parseInput(inviteBody, { email: form.email, name: form.name, role: form.role, scopeId: scopeFromForm(form.role ?? '', form), locale: form.locale || undefined });
      const user = await services.admin.users.invite(actorOf(req), input);
      res.redirect(303, `/admin/users?done=invited&invited=${user.id}`);
    } catch (error) {
      const appError = toAppError(error);
      await listPage(req, res, { error: appError, invite: form }, appError.status);
    }
  });

  const userPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    const user = await services.admin.users.get(actor, userIdOf(req));
    render(
      res,
      'admin/user',
      { title: user.name, section: 'users', user, self: user.id === actor.userId, form: { name: user.name, role: user.role, ...scopeFields(user) }, ...(await choices(req)), done: doneOf(req, DONE), ...extra },
      status,
    );
  };

  web.get('/admin/users/:userId', (req, res) => userPage(req, res));

  web.post('/admin/users/:userId', async (req, res) => {
    const userId = userIdOf(req);
    const form = formFields(bodyOf(req), ['name', 'role', 'district', 'agencyId', 'uscc']);
    try {
      await services.admin.users.update(actorOf(req), userId, parseInput(userUpdateBody, { name: form.name, role: form.role, scopeId: scopeFromForm(form.role ?? '', form) }));
      res.redirect(303, `/admin/users/${userId}?done=saved`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'not_found') throw error;
      await userPage(req, res, { error: appError, form }, appError.status);
    }
  });

  /** An action on a login from its page (or an agency's): done, then back where it was asked. */
  const act = (path: string, done: (typeof DONE)[number], run: (userId: string, req: Request) => Promise<unknown>) =>
    web.post(path, async (req, res) => {
      const userId = userIdOf(req);
      const back = sameOriginPath(field(bodyOf(req), 'back'), `/admin/users/${userId}`);
      try {
        await run(userId, req);
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code !== 'conflict') throw error;
        return userPage(req, res, { error: appError }, appError.status);
      }
      res.redirect(303, `${back}${back.includes('?') ? '&' : '?'}done=${done}`);
    });
  act('/admin/users/:userId/deactivate', 'deactivated', (userId, req) => services.admin.users.deactivate(actorOf(req), userId));
  act('/admin/users/:userId/activate', 'activated', (userId, req) => services.admin.users.activate(actorOf(req), userId));
  act('/admin/users/:userId/set-password-link', 'linkSent', (userId, req) => services.admin.users.sendLink(actorOf(req), userId));
}

/**
 * 设置密码: the public page an invitation's link opens (no login; the link is the credential, once).
 * An unknown link is a 404; a used or expired one says so and whom to ask (410).
 */
export function setPasswordPages(web: Express, kit: PageKit): void {
  const { services, render, bodyOf } = kit;
  const tokenOf = (req: Request) => {
    const parsed = setPasswordToken.safeParse(req.params.token);
    if (!parsed.success) throw new AppError('not_found', '链接无效 (no such link)');
    return parsed.data;
  };
  const page = (res: Response, data: Record<string, unknown>, status = 200) => {
    // the link is a credential: never passed on to another site in a Referer (same-origin, not
    // no-referrer: with no-referrer the browser sends the form's Origin as null, a cross-site write)
    res.setHeader('Referrer-Policy', 'same-origin');
    render(res, 'setPassword', { title: say(res, 'setPassword.title'), ...data }, status);
  };
  /** Where the link stands; one nobody issued is 'unknown' (404), a used or expired one 410. */
  const stateOf = (token: string) =>
    services.admin.users.linkState(token).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') return { state: 'unknown' as const };
      throw error;
    });
  const statusOf = (state: string) => (state === 'valid' ? 200 : state === 'unknown' ? 404 : 410);
  const shown = async (res: Response, token: string, extra: Record<string, unknown> = {}, status?: number) => {
    const link = await stateOf(token);
    page(res, { link, ...extra }, status ?? statusOf(link.state));
  };

  web.get('/set-password/:token', async (req, res) => {
    let token: string;
    try {
      token = tokenOf(req);
    } catch {
      return page(res, { link: { state: 'unknown' } }, 404);
    }
    await shown(res, token);
  });

  web.post('/set-password/:token', async (req, res) => {
    let token: string;
    try {
      token = tokenOf(req);
    } catch {
      return page(res, { link: { state: 'unknown' } }, 404);
    }
    const body: FormBody = bodyOf(req);
    // the link first: a form sent to a link that does not work says so, whatever it holds
    const before = await stateOf(token);
    if (before.state !== 'valid') return page(res, { link: before }, statusOf(before.state));
    try {
      const input = parseInput(setPasswordBody, { password: field(body, 'password'), confirm: field(body, 'confirm') });
      const link = await services.admin.users.setPassword(token, input.password);
      page(res, { link, done: link.state === 'valid' }, link.state === 'valid' ? 200 : 410);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code !== 'bad_request') throw error;
      await shown(res, token, { error: appError }, 400);
    }
  });
}
