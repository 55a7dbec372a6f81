import { consultantBody, creditRecordBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import { mayReadIdNumber } from '../../domain/case/authority.ts';
import { CREDIT_OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { type Locale } from '../../domain/i18n/labels.ts';
import { formatLocalDate } from '../../domain/program/calendar.ts';
import { translate } from '../i18n/i18n.ts';
import { field, storeUploads, throwUploadError, type FormBody } from '../forms.ts';
import { scoreTable } from '../viewModels.ts';
import { demonstrationFacts } from '../demonstration.ts';
import { consultantChoices, engagedAs } from '../consultantDirectory.ts';
import {
  acceptanceVersions,
  applicationVersions,
  changesShown,
  checklistDetails,
  deadlineRows,
  decisionRows,
  filesListed,
  mayAct,
  personName,
  temporalWorkflowUrl,
  timelineOf,
} from '../casePage.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, Response } from 'express';

/** The enterprise, or the district that receives its paper, hands back the signed scan of a form. */
const mayHandBackScans = (actor: Actor, document: { signable: boolean; status: string }) =>
  document.signable && document.status !== 'none' && (actor.role === 'enterprise' || actor.role === 'district_officer');

/** A read the reader's role may not make (403) or whose subject it may not see (404): the page leaves that part out. */
async function ifAllowed<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    const status = toAppError(error).status;
    if (status === 403 || status === 404) return null;
    throw error;
  }
}

/** The full identity number is revealed on the case page to the offices that verify it (the enterprise sees its own number masked here). */
const mayRevealOnPage = (actor: Actor, subject: { enterpriseUscc: string; district: string }) => CREDIT_OFFICE_ROLES.has(actor.role) && mayReadIdNumber(actor, subject);

const CREDIT_KINDS = creditRecordBody.shape.kind.options;
const CREDIT_OFFICES_ONLY = '信用记录由各级信用办登记 (credit records are recorded by the credit offices)';
const REVEAL_OFFICES_ONLY = '完整证件号码仅供核验身份的镇（区）经发中心和市经信委查看 (the full number is for the offices that verify it)';

/** What a credit-record form sends, as typed (shown again after a refusal). */
const creditEntry = (body: FormBody) => ({ kind: field(body, 'kind'), occurredOn: field(body, 'occurredOn'), note: field(body, 'note') });

/** The case list and one case: its timeline, decisions, materials with versions, checklist, documents and the actions the reader may take. */
export function casePages(web: Express, kit: PageKit): void {
  const { uploadForm, services, options, render, signedIn, actorOf, bodyOf, caseIdOf } = kit;
  const localeOf = (res: Response) => res.locals.locale as Locale;
  const caseUrl = (caseId: string, anchor = '') => `/cases/${encodeURIComponent(caseId)}${anchor}`;

  web.get('/cases', signedIn, async (req, res) => {
    render(res, 'cases', { title: translate(localeOf(res), 'cases.title'), cases: await services.cases.listCases(actorOf(req)) });
  });

  const casePage = async (res: Response, actor: Actor, caseId: string, extra: Record<string, unknown> = {}) => {
    const locale = localeOf(res);
    const caseView = await services.cases.getCase(actor, caseId);
    const subject = { enterpriseUscc: caseView.enterprise.uscc, district: caseView.enterprise.district };
    const [program, names, documents, accessLog, creditRecords] = await Promise.all([
      services.programs.version(caseView.programId, caseView.programVersion),
      services.files.names(actor, filesListed(caseView)),
      services.documents.list(actor, caseId),
      // the rules of the API: who may read the reveals and the credit records (others are not shown them)
      ifAllowed(services.enterprises.accessLog(actor, subject.enterpriseUscc)),
      ifAllowed(services.enterprises.creditRecords(actor, subject.enterpriseUscc)),
    ]);
    const demo = await demonstrationFacts(services, actor, caseView, program);
    const checklistTitles = new Map(caseView.checklist.map((c) => [c.key, c.title]));
    // a task's jurisdiction is the district code or the enterprise's own credit code: name the district, skip the rest
    const placeOf = (jurisdiction: string | null | undefined) => (jurisdiction === caseView.enterprise.district ? caseView.enterprise.districtName : null);
    const mayEngageConsultant = actor.role === 'enterprise' && caseView.status === 'active' && caseView.stage === 'self_compliance';
    // the directory chosen from; after a refusal the choice sent stays chosen
    const chosenConsultant = typeof extra.consultantUserId === 'string' ? extra.consultantUserId : caseView.consultantUserId;
    const timeline = timelineOf(program, caseView, locale, new Date());
    const checklist = checklistDetails(program, caseView, actor, names);
    return {
      title: caseView.enterprise.name,
      caseView,
      programYear: program.year,
      certificateIssuedOn: caseView.certificate?.issuedOn ? formatLocalDate(caseView.certificate.issuedOn, program.timeZone, locale) : null,
      timeline,
      deadlines: deadlineRows(timeline, caseView, locale),
      scores: scoreTable(caseView.selfEvaluation),
      checklist,
      checklistDone: checklist.filter((c) => c.done).length,
      // the checklist once self-compliance has opened it (a demonstration case has none)
      checklistOpened: !demo && caseView.tasks.some((t) => t.kind === 'self_compliance_item'),
      tasks: caseView.tasks.map((t) => ({
        ...t,
        subjectTitle: t.subject ? (checklistTitles.get(t.subject) ?? null) : null,
        where: placeOf(t.jurisdiction),
        completedBy: personName(t.completedByName, t.assigneeRole),
        mayAct: mayAct(actor, t),
      })),
      decisions: decisionRows(caseView, checklistTitles, locale),
      versions: applicationVersions(program, caseView, names, locale),
      creditReportName: names.get(caseView.application.creditReportFileId) ?? null,
      acceptanceVersions: acceptanceVersions(caseView, names),
      identity: {
        masked: caseView.application.legalRepresentativeIdNumber,
        mayReveal: mayRevealOnPage(actor, subject),
        showsLog: accessLog !== null,
        accessLog: accessLog?.map((a) => ({ ...a, person: personName(a.actorName, a.actorRole) })) ?? [],
      },
      credit: creditRecords
        ? { records: creditRecords.map((r) => ({ ...r, occurredOn: formatLocalDate(r.occurredOn, program.timeZone, locale), person: personName(r.recordedByName, '') })), mayRecord: CREDIT_OFFICE_ROLES.has(actor.role), kinds: CREDIT_KINDS }
        : null,
      creditEntry: { kind: '', occurredOn: '', note: '' },
      mayEngageConsultant,
      consultantDirectory: mayEngageConsultant ? consultantChoices(await services.registers.agencies.directory(actor), chosenConsultant) : [],
      engagedConsultant: engagedAs(caseView.consultant),
      demo,
      documents: documents.map((d) => ({ ...d, mayHandBack: mayHandBackScans(actor, d) })),
      // the operators follow the case's workflow in the Temporal Web UI
      temporalLink: actor.role === 'admin' && options.temporalUi ? temporalWorkflowUrl(options.temporalUi, caseView.id) : null,
      ...extra,
    };
  };

  /** A form of the case page refused: the page again with the error named (what the reader may not see stays a 404). */
  const refused = async (res: Response, actor: Actor, caseId: string, error: unknown, extra: Record<string, unknown> = {}) => {
    const appError = toAppError(error);
    if (appError.status === 404) throw appError;
    render(res, 'case', await casePage(res, actor, caseId, { error: appError, ...extra }), appError.status);
  };

  web.get('/cases/:id', signedIn, async (req, res) => {
    render(res, 'case', await casePage(res, actorOf(req), caseIdOf(req)));
  });

  // any version of the application, read-only (the number masked as everywhere), with what it changed against the one before
  web.get('/cases/:id/application/versions/:version', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    const version = parseInput(pathParams.version, req.params.version, 'version');
    const caseView = await services.cases.getCase(actor, caseId);
    const shown = caseView.applicationVersions.find((v) => v.version === version);
    if (!shown) throw new AppError('not_found', `申报表没有第 ${version} 版 (no version ${version} of the application)`);
    const locale = localeOf(res);
    const program = await services.programs.version(caseView.programId, caseView.programVersion);
    const names = await services.files.names(actor, caseView.applicationVersions.map((v) => v.form.creditReportFileId));
    render(res, 'applicationVersion', {
      title: translate(locale, 'cases.versions.pageTitle', { version, name: caseView.enterprise.name }),
      caseView,
      version: shown,
      current: version === caseView.applicationVersion,
      others: caseView.applicationVersions.filter((v) => v.version !== version).map((v) => v.version),
      changes: shown.changes ? changesShown(program, shown.changes, names, locale) : null,
      creditReportName: names.get(shown.form.creditReportFileId) ?? null,
    });
  });

  // item 12 of the API on the page: the full number, once, on this answer; the look is logged like the API's
  web.post('/cases/:id/reveal-id-number', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    bodyOf(req);
    const record = await services.cases.caseRecord(actor, caseId);
    if (!mayRevealOnPage(actor, { enterpriseUscc: record.enterpriseUscc, district: record.district })) throw new AppError('forbidden', REVEAL_OFFICES_ONLY);
    const { legalRepresentativeIdNumber } = await services.enterprises.revealIdNumber(actor, record.enterpriseUscc);
    render(res, 'case', await casePage(res, actor, caseId, { revealedIdNumber: legalRepresentativeIdNumber }));
  });

  // a credit finding (失信记录、虚假承诺) recorded by an office, as POST /api/enterprises/:uscc/credit-records
  web.post('/cases/:id/credit-records', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    const entry = creditEntry(bodyOf(req));
    const record = await services.cases.caseRecord(actor, caseId);
    if (!CREDIT_OFFICE_ROLES.has(actor.role)) throw new AppError('forbidden', CREDIT_OFFICES_ONLY);
    try {
      await services.enterprises.recordCredit(actor, record.enterpriseUscc, parseInput(creditRecordBody, entry, 'creditRecord'));
      res.redirect(303, caseUrl(caseId, '#credit-records'));
    } catch (error) {
      await refused(res, actor, caseId, error, { creditEntry: entry, creditFormOpen: true });
    }
  });

  // a document to print, sign and stamp: printed (or the one printed before from the same input), then
  // downloaded; a package still being bound is followed on its own page
  web.post('/cases/:id/documents/:documentKind', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const kind = parseInput(pathParams.documentKind, req.params.documentKind, 'documentKind');
      const printed = await services.documents.print(actor, caseId, kind);
      res.redirect(303, printed.status === 'ready' ? `/api/files/${printed.fileId}` : caseUrl(caseId, `/documents/${kind}`));
    } catch (error) {
      await refused(res, actor, caseId, error);
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
      res.redirect(303, caseUrl(caseId, '#documents'));
    } catch (error) {
      await refused(res, actor, caseId, error);
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
      res.redirect(303, caseUrl(caseId));
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'case', await casePage(res, actor, caseId, { error: appError, consultantUserId }), appError.status);
    }
  });

  // an office sends a failed or uncertain mail again (the same use case as POST /api/notifications/:key/resend)
  web.post('/cases/:id/notifications/:notificationKey/resend', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseId = caseIdOf(req);
    try {
      const notificationKey = parseInput(pathParams.notificationKey, req.params.notificationKey, 'notificationKey');
      await services.notifications.resend(actor, notificationKey, caseId);
      res.redirect(303, caseUrl(caseId));
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'case', await casePage(res, actor, caseId, { error: appError }), appError.status);
    }
  });
}
