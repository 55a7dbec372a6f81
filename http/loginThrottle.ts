import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { AppError } from '../features/errors.ts';

export interface LoginLimits {
  windowMs: number;
  /** failed logins per account (e-mail, lowercased) and window */
  perAccount: number;
  /** failed logins per client address (IPv6: per /56) and window */
  perAddress: number;
}

export const LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60_000, perAccount: 10, perAddress: 50 };

/** The account a login names, as the login itself reads it; null when the body names none. */
function accountOf(req: Request): string | null {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || !email.trim()) return null;
  return email.trim().toLowerCase().slice(0, 320);
}

/** The 429: Retry-After (seconds until the window ends) and a message the login form can show. */
function refuse(req: Request, res: Response, next: NextFunction): void {
  const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
  const seconds = Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  res.setHeader('Retry-After', String(seconds));
  next(
    new AppError('too_many_requests', `登录失败次数过多，请 ${minutes} 分钟后再试 (too many failed logins: try again in ${minutes} min)`, [
      { path: 'email', rule: `retry after ${seconds} s` },
    ]),
  );
}

/**
 * Throttling of password guessing, per account and per client address: failed logins count, a
 * successful one does not (skipSuccessfulRequests). Create it once and put the same handlers in front
 * of every login route (web and API), so both count together.
 * The counts live in this process's memory: several server processes each count on their own; a
 * shared store (e.g. rate-limit-postgresql) makes the limits hold across them.
 */
export function loginThrottle(limits: LoginLimits = LOGIN_LIMITS): RequestHandler[] {
  const common = { windowMs: limits.windowMs, skipSuccessfulRequests: true, standardHeaders: false, legacyHeaders: false, handler: refuse } as const;
  const perAddress = rateLimit({ ...common, limit: limits.perAddress, keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown') });
  const perAccount = rateLimit({ ...common, limit: limits.perAccount, skip: (req) => accountOf(req) === null, keyGenerator: (req) => accountOf(req) ?? '' });
  return [perAddress, perAccount];
}
