import { consultantBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { type Locale } from '../../domain/i18n/labels.ts';
import { translate } from '../i18n/i18n.ts';
import { field, storeUploads, throwUploadError } from '../forms.ts';
import { deadlineList, scoreTable } from '../viewModels.ts';
import { demonstrationFacts } from '../demonstration.ts';
import { consultantChoices, engagedAs } from '../consultantDirectory.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express } from 'express';

/** The enterprise, or the district that receives its paper, hands back the signed scan of a form. */
const mayHandBackScans = (actor: Actor, document: { signable: boolean; status: string }) =>
  document.signable && document.status !== 'none' && (actor.role === 'enterprise' || actor.role === 'district_officer');

/** The case list and one case: its stages, tasks, decisions, documents, consultant and mails. */
export function casePages(web: Express, kit: PageKit): void {
  const { uploadForm, services, render, signedIn, actorOf, bodyOf, caseIdOf } = kit;
  // ---- cases ----

  web.get('/cases', signedIn, async (req, res) => {
    render(res, 'cases', { title: translate(res.locals.locale as Locale, 'cases.title'), cases: await services.cases.listCases(actorOf(req)) });
  });

  const casePage = async (actor: Actor, caseId: string, extra: Record<string, unknown> = {}) => {
    const caseView = await services.cases.getCase(actor, caseId);
    const program = await services.programs.version(caseView.programId, caseView.programVersion);
    const demo = await demonstrationFacts(services, actor, caseView, program);
    const checklistTitles = new Map(caseView.checklist.map((c) => [c.key, c.title]));
    // a task's jurisdiction is the district code or the enterprise's own credit code: name the district, skip the rest
    const placeOf = (jurisdiction: string | null | undefined) => (jurisdiction === caseView.enterprise.district ? caseView.enterprise.districtName : null);
    const mayEngageConsultant = actor.role === 'enterprise' && caseView.status === 'active' && caseView.stage === 'self_compliance';
    // the directory chosen from; after a refusal the choice sent stays chosen
    const chosenConsultant = typeof extra.consultantUserId === 'string' ? extra.consultantUserId : caseView.consultantUserId;
    return {
      title: caseView.enterprise.name,
      caseView,
      deadlines: deadlineList(caseView),
      scores: scoreTable(caseView.selfEvaluation),
      checklistDone: caseView.checklist.filter((c) => c.done).length,
      tasks: caseView.tasks.map((t) => ({ ...t, subjectTitle: t.subject ? (checklistTitles.get(t.subject) ?? null) : null, where: placeOf(t.jurisdiction) })),
      decisions: caseView.decisions.map((d) => ({ ...d, subjectTitle: d.subject ? (checklistTitles.get(d.subject) ?? null) : null })),
      mayEngageConsultant,
      consultantDirectory: mayEngageConsultant ? consultantChoices(await services.registers.agencies.directory(actor), chosenConsultant) : [],
      engagedConsultant: engagedAs(caseView.consultant),
      demo,
      documents: (await services.documents.list(actor, caseId)).map((d) => ({ ...d, mayHandBack: mayHandBackScans(actor, d) })),
      ...extra,
    };
  };

  web.get('/cases/:id', signedIn, async (req, res) => {
    render(res, 'case', await casePage(actorOf(req), caseIdOf(req)));
  });

  // a document to print, sign and stamp: printed (or the one printed before from the same input), then
  // downloaded; a package still being bound is followed on its own page
  web.post('/cases/:id/documents/:documentKind', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
      const printed = await services.documents.print(actor, caseId, kind);
      res.redirect(303, printed.status === 'ready' ? `/api/files/${printed.fileId}` : `/cases/${encodeURIComponent(caseId)}/documents/${kind}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status === 404) throw appError;
      render(res, 'case', await casePage(actor, caseId, { error: appError }), appError.status);
    }
  });

  web.get('/cases/:id/documents/:documentKind', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
    const caseView = await services.cases.getCase(actor, caseId);
    const document = await services.documents.status(actor, caseId, kind);
    render(res, 'document', { title: document.label, caseView, document: { ...document, mayHandBack: mayHandBackScans(actor, document) } });
  });

  // the signed and stamped form, scanned, handed back against the printed document
  web.post('/cases/:id/documents/:documentKind/scans', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
      await services.documents.requireScanHandler(actor, caseId, kind);
      throwUploadError(req);
      const scan = (await storeUploads(services.files, actor, req)).get('scan')?.[0];
      if (!scan) throw new AppError('bad_request', '请选择签字盖章后的扫描件 (choose the signed scan)', [{ path: 'scan', rule: '必填 (required)' }]);
      await services.documents.attachSignedScan(actor, caseId, kind, scan.id);
      res.redirect(303, `/cases/${encodeURIComponent(caseId)}#documents`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status === 404) throw appError;
      render(res, 'case', await casePage(actor, caseId, { error: appError }), appError.status);
    }
  });

  web.post('/cases/:id/consultant', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    const consultantUserId = field(bodyOf(req), 'consultantUserId').trim();
    try {
      await services.cases.requireConsultantEngager(actor, caseId);
      const parsed = parseInput(consultantBody, { consultantUserId });
      await services.cases.assignConsultant(actor, caseId, parsed.consultantUserId);
      res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'case', await casePage(actor, caseId, { error: appError, consultantUserId }), appError.status);
    }
  });

  // an office sends a failed or uncertain mail again (the same use case as POST /api/notifications/:key/resend)
  web.post('/cases/:id/notifications/:notificationKey/resend', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const notificationKey = parseInput(pathParams.notificationKey, req.params.notificationKey, 'notificationKey');
      await services.notifications.resend(actor, notificationKey, caseId);
      res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'case', await casePage(actor, caseId, { error: appError }), appError.status);
    }
  });
}
