import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ROLE_LABELS, type Actor, type Role } from '../domain/identity/roles.ts';
import { AppError } from '../features/errors.ts';
import type { AuthService } from '../features/auth/authService.ts';
import { readCookie } from './cookies.ts';

export const SESSION_COOKIE = 'credcase_session';

export function sessionToken(req: Request): string | undefined {
  const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  return bearer ?? readCookie(req, SESSION_COOKIE);
}

/** Puts the acting user (or null) on res.locals.actor for every request. */
export function identify(auth: AuthService): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = sessionToken(req);
    res.locals.actor = token ? await auth.actorForToken(token) : null;
    next();
  };
}

export function currentActor(res: Response): Actor | null {
  return (res.locals.actor as Actor | null | undefined) ?? null;
}

/** The acting user, or a 401. With roles, also a 403 for anyone else. */
export function requireActor(res: Response, ...roles: Role[]): Actor {
  const actor = currentActor(res);
  if (!actor) throw new AppError('unauthenticated', '请先登录 (log in first)');
  if (roles.length > 0 && !roles.includes(actor.role)) {
    throw new AppError('forbidden', `仅限${roles.map((role) => ROLE_LABELS[role]).join('、')}办理 (only ${roles.join(', ')} may do this)`);
  }
  return actor;
}
