import { objectionBody } from '../../features/cases/schemas.ts';
import { parseInput, toAppError } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import { field } from '../forms.ts';
import { VERIFY_LIMIT, publicThrottle } from '../../http/publicThrottle.ts';
import type { Locale } from '../../domain/i18n/labels.ts';
import { translate } from '../i18n/i18n.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

/** Pages without login: 证书核验 and 示范企业公示 with its objections. */
export function publicPages(web: Express, kit: PageKit): void {
  const { services, options, render, bodyOf } = kit;
  // ---- 公示: public, no login; anyone may object (rate-limited per address, CSRF as on the login page) ----

  const publicityPage = async (res: Response, extra: Record<string, unknown> = {}) => ({
    title: translate(res.locals.locale as Locale, 'public.publicity.title'),
    cases: await services.demonstration.publicity(),
    form: {},
    ...extra,
  });

  // 证书核验: the public page a certificate's QR code leads to (no login; rate-limited)
  const verifyThrottle = publicThrottle(VERIFY_LIMIT);
  web.get('/verify/:certificateNumber', verifyThrottle, async (req, res) => {
    const certificateNumber = parseInput(pathParams.certificateNumber, req.params.certificateNumber, 'certificateNumber');
    const check = await services.registers.certificates.verify(certificateNumber);
    render(res, 'verify', { title: translate(res.locals.locale as Locale, 'public.verify.title'), check }, check.status === 'unknown' ? 404 : 200);
  });

  web.get('/publicity', async (req, res) => {
    const filed = typeof req.query.filed === 'string' ? req.query.filed : null;
    render(res, 'publicity', await publicityPage(res, { filed }));
  });

  const { objectionThrottle } = options;
  const objectionForm = (req: Request) => {
    const body = bodyOf(req);
    return { caseId: String(req.params.caseId ?? ''), name: field(body, 'name'), contact: field(body, 'contact'), text: field(body, 'text') };
  };
  /** A refused objection (a bad form, a case no longer in publicity, too many) shows the page again, what was typed kept. */
  const objectionRefused = async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(error);
    if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
    render(res, 'publicity', await publicityPage(res, { error: appError, form: objectionForm(req) }), appError.status);
  };
  const fileObjection: RequestHandler = async (req, res) => {
    const { caseId, ...objection } = objectionForm(req);
    const id = parseInput(pathParams.caseId, caseId, 'caseId');
    await services.demonstration.fileObjection(id, parseInput(objectionBody, objection));
    res.redirect(303, `/publicity?filed=${encodeURIComponent(id)}`);
  };
  web.post('/publicity/:caseId/objections', objectionThrottle, fileObjection, objectionRefused);
}
