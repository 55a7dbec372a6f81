import { readFile } from 'node:fs/promises';
import type { Express, Request, Response } from 'express';
import { inviteBody } from '../../features/admin/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { agencyCreateBody, agencyUpdateBody, certificateImportBody } from '../../features/registers/schemas.ts';
import type { ImportReport } from '../../features/registers/certificateService.ts';
import { pathParams } from '../../features/validation.ts';
import { receivedUploads, removeScratch } from '../../http/uploads.ts';
import { field, throwUploadError } from '../forms.ts';
import type { PageKit } from '../pageKit.ts';
import { doneOf, formFields, say } from './adminShared.ts';

const AGENCY_FIELDS = ['id', 'uscc', 'name', 'contactPerson', 'contactPhone', 'address'] as const;
const DONE = ['created', 'saved', 'deactivatedAgency', 'activatedAgency', 'consultantInvited', 'deactivated', 'activated', 'linkSent'] as const;
/** An import file larger than this is not a register of certificates. */
const CSV_MAX_BYTES = 2 * 1024 * 1024;

/** The file's text: UTF-8 (with or without BOM), else GB 18030 as Chinese spreadsheets save CSV. */
function csvText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** 信用服务机构 (list, register, edit, deactivate; consultants invited or removed) and 证书导入. */
export function adminRegisterPages(web: Express, kit: PageKit): void {
  const { services, render, actorOf, bodyOf, uploadForm } = kit;
  const agencyIdOf = (req: Request) => parseInput(pathParams.agencyId, req.params.agencyId, 'agencyId');

  // ---- 信用服务机构 ----

  const agenciesPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    const agencies = await services.registers.agencies.list(actor);
    const consultants = await Promise.all(agencies.map((a) => services.admin.users.consultantsOf(actor, a.id)));
    render(
      res,
      'admin/agencies',
      { title: say(res, 'agencies.title'), section: 'agencies', agencies: agencies.map((a, i) => ({ ...a, consultants: consultants[i]!.filter((c) => c.status !== 'deactivated').length })), form: {}, ...extra },
      status,
    );
  };

  web.get('/admin/agencies', (req, res) => agenciesPage(req, res));

  web.post('/admin/agencies', async (req, res) => {
    const form = formFields(bodyOf(req), AGENCY_FIELDS);
    try {
      const agency = await services.admin.registers.createAgency(actorOf(req), parseInput(agencyCreateBody, { ...form, id: form.id || undefined }));
      res.redirect(303, `/admin/agencies/${encodeURIComponent(agency.id)}?done=created`);
    } catch (error) {
      const appError = toAppError(error);
      await agenciesPage(req, res, { error: appError, form }, appError.status);
    }
  });

  const agencyPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = actorOf(req);
    const agency = await services.registers.agencies.get(actor, agencyIdOf(req));
    const consultants = await services.admin.users.consultantsOf(actor, agency.id);
    render(res, 'admin/agency', { title: agency.name, section: 'agencies', agency, consultants, form: agency, invite: { locale: 'zh-CN' }, done: doneOf(req, DONE), ...extra }, status);
  };

  web.get('/admin/agencies/:agencyId', (req, res) => agencyPage(req, res));

  // one form edits the agency; its two buttons deactivate it (it can no longer be chosen) or take it back
  web.post('/admin/agencies/:agencyId', async (req, res) => {
    const agencyId = agencyIdOf(req);
    const body = bodyOf(req);
    const intent = field(body, 'intent');
    const form = formFields(body, AGENCY_FIELDS);
    try {
      const change = intent === 'deactivate' ? { active: false } : intent === 'activate' ? { active: true } : { name: form.name, contactPerson: form.contactPerson, contactPhone: form.contactPhone, address: form.address };
      await services.admin.registers.updateAgency(actorOf(req), agencyId, parseInput(agencyUpdateBody, change));
      res.redirect(303, `/admin/agencies/${encodeURIComponent(agencyId)}?done=${intent === 'deactivate' ? 'deactivatedAgency' : intent === 'activate' ? 'activatedAgency' : 'saved'}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'not_found') throw error;
      await agencyPage(req, res, { error: appError, form: { ...form, id: agencyId } }, appError.status);
    }
  });

  // a consultant is a user of the agency: invited with a set-password link like any other
  web.post('/admin/agencies/:agencyId/consultants', async (req, res) => {
    const agencyId = agencyIdOf(req);
    const invite = formFields(bodyOf(req), ['name', 'email', 'locale']);
    try {
      await services.admin.users.invite(actorOf(req), parseInput(inviteBody, { ...invite, locale: invite.locale || undefined, role: 'consultant', scopeId: agencyId }));
      res.redirect(303, `/admin/agencies/${encodeURIComponent(agencyId)}?done=consultantInvited#consultants`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'not_found') throw error;
      // named as the consultant form's fields, not the agency form's of the same names
      const named = new AppError(appError.code, appError.message, appError.fields.map((f) => ({ ...f, path: `consultant.${f.path}` })));
      await agencyPage(req, res, { error: named, invite }, appError.status);
    }
  });

  // ---- 证书导入: certificates issued before the system, from the offices' CSV ----

  const certificatesPage = (res: Response, extra: { report?: ImportReport; fileName?: string; error?: AppError } = {}, status = 200) =>
    render(res, 'admin/certificates', { title: say(res, 'certificates.title'), section: 'certificates', ...extra }, status);

  web.get('/admin/certificates', (_req, res) => certificatesPage(res));

  web.post('/admin/certificates/import', ...uploadForm, async (req, res) => {
    try {
      throwUploadError(req);
      const upload = receivedUploads(req).find((u) => u.field === 'csv');
      if (!upload || upload.size === 0) throw new AppError('bad_request', '请选择要导入的 CSV 文件 (choose the CSV file to import)', [{ path: 'csv', rule: '请选择 CSV 文件 (choose a CSV file)' }]);
      if (upload.size > CSV_MAX_BYTES) throw new AppError('payload_too_large', '文件过大，证书导入文件最多 2 MB (at most 2 MB)', [{ path: 'csv', rule: '最多 2 MB (at most 2 MB)' }]);
      const { csv } = parseInput(certificateImportBody, { csv: csvText(await readFile(upload.path)) });
      const report = await services.admin.registers.importCertificates(actorOf(req), csv, upload.name);
      certificatesPage(res, { report, fileName: upload.name });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') throw error;
      certificatesPage(res, { error: appError }, appError.status);
    } finally {
      await removeScratch(req);
    }
  });
}
