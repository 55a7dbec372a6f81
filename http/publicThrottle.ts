import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { AppError } from '../features/errors.ts';

/**
 * A limit on what the public may send without logging in (objections in publicity): per client
 * address (IPv6: per /56) and window. Counted in this process's memory, like the login throttle.
 */
export function publicThrottle(options: { windowMs: number; limit: number; what: string; countRefused?: boolean }): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: false,
    legacyHeaders: false,
    // what was refused (a bad form, a case not in publicity) does not use up the allowance, unless
    // the refusals are what must be limited (guessing certificate numbers)
    skipFailedRequests: !options.countRefused,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler(req: Request, res: Response, next: NextFunction) {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const seconds = Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000));
      res.setHeader('Retry-After', String(seconds));
      next(new AppError('too_many_requests', `提交过于频繁，请 ${Math.ceil(seconds / 60)} 分钟后再试 (too many ${options.what}: try again in ${seconds} s)`));
    },
  });
}

/** Objections per address: a person objects once or twice; a flood is refused. */
export const OBJECTION_LIMIT = { windowMs: 60 * 60_000, limit: 10, what: 'objections' };

/** Certificate checks per address: enough for an office checking a stack, too few to guess numbers. */
export const VERIFY_LIMIT = { windowMs: 60_000, limit: 30, what: 'certificate checks', countRefused: true };
