import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Services } from '../features/services.ts';
import type { Actor } from '../domain/identity/roles.ts';
import type { Locale } from '../domain/i18n/labels.ts';
import type { Orm } from '../infra/db/orm.ts';
import type { MailCatcher } from '../infra/mail/mailCatcher.ts';
import type { FormBody } from './forms.ts';

export interface WebOptions {
  orm: Orm;
  cookieSecure: boolean;
  publicUrl: () => string;
  /** the login throttle, the same handlers as in front of POST /api/auth/login (both count together) */
  loginThrottle: RequestHandler[];
  /** the public objection throttle, the same handler as in front of the API's objections */
  objectionThrottle: RequestHandler;
  mailCatcher?: MailCatcher | undefined;
  /** the Temporal Web UI (base URL and namespace): each case page links its workflow there for the operators */
  temporalUi?: { url: string; namespace: string } | undefined;
}

/** Who recommends within a quota (推荐名额), and who sets acceptance dates (the acceptors): as the API's rules. */
export const RECOMMENDING_ROLES: ReadonlySet<string> = new Set(['district_officer', 'city_officer', 'prefecture_officer']);
export const ACCEPTOR_ROLES: ReadonlySet<string> = new Set(['prefecture_officer', 'province_officer']);

/** A page in the layout, with the header's navigation for the signed-in actor. */
export type Render = (res: Response, view: string, data?: Record<string, unknown>, status?: number) => void;

/** What every group of pages (web/pages/*.ts) is built from: the services and the pages' common steps. */
export interface PageKit {
  services: Services;
  options: WebOptions;
  render: Render;
  /** sends an anonymous visitor to log in, and back here afterwards */
  signedIn: (req: Request, res: Response, next: NextFunction) => void;
  /** the signed-in actor (after signedIn) */
  actorOf: (req: Request) => Actor;
  /** a form's fields, once its CSRF token has been checked */
  bodyOf: (req: Request) => FormBody;
  /** a multipart form: uploads read, then the form's own CSRF token checked */
  uploadForm: RequestHandler[];
  /** path parameters have schemas on the pages too: a malformed id is a 400 naming it, never a query */
  caseIdOf: (req: Request) => string;
  taskIdOf: (req: Request) => string;
  /** keeps the reader's language in the browser */
  rememberLocale: (res: Response, locale: Locale) => void;
}
