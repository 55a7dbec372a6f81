import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { AppError } from '../features/errors.ts';
import { readCookie } from './cookies.ts';

/**
 * Security headers for every answer (helmet): a CSP without inline script or style, no framing,
 * nosniff, a referrer that never carries a path off-site. HSTS and upgrade-insecure-requests only
 * where the site is served over TLS (COOKIE_SECURE): on plain http they would break the embedded default.
 */
export function securityHeaders(options: { secureTransport: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        ...(options.secureTransport ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: options.secureTransport ? { maxAge: 31_536_000 } : false,
  });
}

/** Answers that depend on who asks are never kept by a browser or proxy (Back after logout shows nothing). */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** A request authenticated by an `Authorization: Bearer` header: a browser never adds one by itself, so it is not CSRF-able. */
export function hasBearer(req: Request): boolean {
  return /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** GET, HEAD and OPTIONS change nothing (the routes keep it so), so neither check applies to them. */
export const isSafeMethod = (req: Request) => SAFE_METHODS.has(req.method);

/** A request no other site can forge: a safe method, or one carrying a bearer token rather than a cookie. */
export const cannotBeForged = (req: Request): boolean => isSafeMethod(req) || hasBearer(req);

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Where an unsafe request says it comes from: its Origin, else its Referer's origin; undefined when neither is sent. */
function claimedOrigin(req: Request): string | null | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === 'null' ? null : originOf(origin);
  const referer = req.headers.referer;
  return referer === undefined ? undefined : originOf(referer);
}

/**
 * The Origin check: a state-changing request from a browser must come from this site. Browsers send
 * Origin on every POST; a foreign (or opaque "null") one is refused, and so is a request that rides on
 * the session cookie without naming where it comes from. Bearer requests and safe methods pass, and so do
 * non-browser clients without cookie or Origin (the web forms' CSRF token still guards those).
 */
export function sameOriginWrites(options: { publicUrl: () => string; sessionCookie: string }): RequestHandler {
  return (req, _res, next) => {
    if (cannotBeForged(req)) return next();
    const claimed = claimedOrigin(req);
    if (claimed === undefined) {
      if (readCookie(req, options.sessionCookie) === undefined) return next();
      return next(new AppError('forbidden', '请求未注明来源，已拒绝；请从本站页面提交 (cross-site request refused: no Origin header)', [{ path: '(origin)', rule: 'same origin' }]));
    }
    const own = [`${req.protocol}://${req.host}`, originOf(options.publicUrl())];
    if (claimed !== null && own.includes(claimed)) return next();
    next(new AppError('forbidden', '跨站请求已拒绝：请求不是从本站页面发出的 (cross-site request refused: the Origin is not this site)', [{ path: '(origin)', rule: 'same origin' }]));
  };
}

/** The answer to a state-changing request whose CSRF token is missing or not this session's. */
export function forgedRequest(): AppError {
  return new AppError('forbidden', '页面已过期或无法确认来自本站，请刷新页面后重新提交 (invalid or missing CSRF token: reload the page and submit again)', [
    { path: '_csrf', rule: 'a valid token from this site' },
  ]);
}
