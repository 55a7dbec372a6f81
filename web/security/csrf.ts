import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { Orm } from '../../infra/db/orm.ts';
import { readCookies } from '../../http/cookies.ts';
import { cannotBeForged, forgedRequest } from '../../http/security.ts';
import { sharedSecret } from './serverSecret.ts';

export interface CsrfOptions {
  orm: Orm;
  cookieSecure: boolean;
  /** the session cookie: a signed-in browser's tokens are bound to it */
  sessionCookie: string;
}

type CsrfRequest = Request & { csrfIdentity?: string };

const TOKEN_HEADER = 'x-csrf-token';

/** The token a request hands in: the form's `_csrf` field, else the header htmx sends. */
function tokenOf(req: Request): string | undefined {
  const field = (req.body as { _csrf?: unknown } | undefined)?._csrf;
  if (typeof field === 'string') return field;
  const header = req.headers[TOKEN_HEADER];
  return typeof header === 'string' ? header : undefined;
}

/**
 * CSRF tokens for the pages (csrf-csrf, double submit): the token sits in an httpOnly cookie and in
 * every form (`{{> csrfField}}`, and htmx's X-CSRF-Token header); an unsafe request must carry both,
 * equal, and HMAC-bound to this browser's session cookie, or, before login, to a random pre-session
 * cookie (so login CSRF fails too). The HMAC key is shared by all server processes (database).
 *
 * Multipart forms carry the token in a body that multer reads inside the route: without the header,
 * `guard` leaves them pending and `checkUploadedForm` (after receiveUploads) decides.
 */
export function csrfProtection(options: CsrfOptions) {
  const prefix = options.cookieSecure ? '__Host-' : '';
  const preSessionCookie = `${prefix}credcase_presession`;
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.cookieSecure, path: '/' } as const;
  let secret: string | undefined;
  let loading: Promise<string> | undefined;
  const pending = new WeakSet<Request>();

  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => secret ?? '',
    getSessionIdentifier: (req) => (req as CsrfRequest).csrfIdentity ?? '',
    cookieName: `${prefix}credcase_csrf`,
    cookieOptions,
    getCsrfTokenFromRequest: tokenOf,
  });

  const refuseUnlessValid = (req: Request, next: NextFunction) => (validateRequest(req) ? next() : next(forgedRequest()));

  /** Every web request: the session the token binds to, and a `csrfToken` for every render (made when a page uses it). */
  const prepare: RequestHandler = async (req, res, next) => {
    secret ??= await (loading ??= sharedSecret(options.orm, 'csrf').catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
    req.cookies = readCookies(req);
    let identity = req.cookies[options.sessionCookie] ?? req.cookies[preSessionCookie];
    if (!identity) {
      identity = randomBytes(32).toString('base64url');
      req.cookies[preSessionCookie] = identity;
      res.cookie(preSessionCookie, identity, cookieOptions);
    }
    (req as CsrfRequest).csrfIdentity = identity;
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, configurable: true, get: () => (token ??= generateCsrfToken(req, res)) });
    next();
  };

  /** Unsafe methods: the token must be valid; Bearer requests are not CSRF-able and pass. */
  const guard = (req: Request, _res: Response, next: NextFunction) => {
    if (cannotBeForged(req)) return next();
    if (req.is('multipart/form-data') && req.headers[TOKEN_HEADER] === undefined) {
      pending.add(req);
      return next();
    }
    refuseUnlessValid(req, next);
  };

  /** After receiveUploads: the multipart form's own `_csrf` field decides. */
  const checkUploadedForm = (req: Request, _res: Response, next: NextFunction) => {
    if (!pending.delete(req)) return next();
    refuseUnlessValid(req, next);
  };

  /** For whoever reads a form body: a multipart form nobody checked is refused rather than used. */
  const assertChecked = (req: Request) => {
    if (pending.has(req)) throw forgedRequest();
  };

  return { prepare, guard, checkUploadedForm, assertChecked };
}
