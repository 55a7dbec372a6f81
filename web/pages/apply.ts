import { draftSchema } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { labelsFor, type Locale } from '../../domain/i18n/labels.ts';
import { programDeadline } from '../../domain/program/program.ts';
import { type ProgramDefinition, type TrackId } from '../../domain/program/types.ts';
import { applicationFrom, draftFrom, field, keptFile, storeUploads, throwUploadError } from '../forms.ts';
import { TRACK_LABELS } from '../helpers.ts';
import { translate } from '../i18n/i18n.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express, Response } from 'express';

const localeOf = (res: Response) => res.locals.locale as Locale;
/** A message of the 申报 page's catalogue (web/i18n/locales/<locale>/apply.json). */
const say = (res: Response, key: string, values: Record<string, unknown> = {}) => translate(localeOf(res), `apply.${key}`, values);

const onlyEnterprises = () => new AppError('forbidden', '只有企业用户可以申报 (only an enterprise applies)');

/** 申报 (attachment 2): 贯标, 苏州市级示范, 江苏省级示范. */
export function applyPages(web: Express, kit: PageKit): void {
  const { uploadForm, services, render, signedIn, actorOf, bodyOf } = kit;

  /** The tracks the program takes applications for, with what each asks of the enterprise first. */
  const openTracks = (program: ProgramDefinition, res: Response) => {
    const labels = labelsFor(localeOf(res));
    const trackLabel = (id: string) => labels.track(id, TRACK_LABELS[id] ?? program.tracks[id as TrackId]?.name ?? id);
    return Object.values(program.tracks)
      .filter((t) => t.acceptanceReview.length || t.demonstration)
      .map((t) => {
        const prerequisite = t.demonstration?.prerequisite;
        const deadline = t.deadlines.application ?? t.deadlines.recommendation;
        return {
          id: t.id,
          label: trackLabel(t.id),
          prerequisite: prerequisite ? say(res, 'prerequisite', { needed: trackLabel(prerequisite.certificate), years: prerequisite.minYears }) : null,
          dueAt: deadline ? programDeadline(program, deadline) : null,
        };
      });
  };

  /** The track asked for, if the program takes it; else 贯标. */
  const chosenTrack = (program: ProgramDefinition, value: unknown): TrackId =>
    Object.values(program.tracks).find((t) => t.id === value && (t.acceptanceReview.length || t.demonstration))?.id ?? 'standard';

  /**
   * The page of one track: the case when the enterprise has applied (its status and a link, never
   * the old draft), else the form with what was typed, drafted or known.
   */
  const applyPage = async (res: Response, actor: Actor, track: TrackId, form: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const program = await services.programs.current();
    const existing = (await services.cases.listCases(actor)).find((c) => c.programId === program.id && c.track === track);
    const tracks = openTracks(program, res).map((t) => ({ ...t, checked: t.id === track }));
    const trackTitle = tracks.find((t) => t.checked)?.label ?? track;
    return {
      title: say(res, 'title', { track: trackTitle }),
      program,
      track,
      trackTitle,
      tracks,
      demonstration: track !== 'standard',
      form,
      existing: existing ? { id: existing.id, status: existing.status, stage: existing.stage, submittedAt: existing.submittedAt } : null,
      ...extra,
    };
  };

  web.get('/apply', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (actor.role !== 'enterprise') throw onlyEnterprises();
    const program = await services.programs.current();
    const track = chosenTrack(program, req.query.track);
    // a saved draft is the enterprise's own words: it is shown as saved, never filled over
    const draft = await services.enterprises.draft(actor, program.id, track);
    if (draft) {
      const creditReport = draft.form.creditReportFileId ? { id: draft.form.creditReportFileId, name: (await services.files.names(actor, [draft.form.creditReportFileId])).get(draft.form.creditReportFileId) ?? '' } : null;
      return render(res, 'apply', await applyPage(res, actor, track, { uscc: actor.scopeId ?? '', ...draft.form }, { draftSavedAt: draft.updatedAt, creditReport }));
    }
    const prefill = await services.enterprises.applicationPrefill(actor, track);
    const known = prefill.fromRegister || prefill.fromApplication;
    render(res, 'apply', await applyPage(res, actor, track, prefill.form, { prefill: known ? prefill : null }));
  });

  web.post('/apply', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const form = applicationFrom(body);
    let creditReport = keptFile(body, new Map(), 'creditReport');
    let track: TrackId = 'standard';
    try {
      if (actor.role !== 'enterprise') throw onlyEnterprises();
      throwUploadError(req);
      const program = await services.programs.current();
      track = chosenTrack(program, field(body, 'track'));
      creditReport = keptFile(body, await storeUploads(services.files, actor, req), 'creditReport');
      form.creditReportFileId = creditReport?.id ?? '';
      if (field(body, 'action') === 'draft') {
        const draft = await services.enterprises.saveDraft(actor, program.id, track, parseInput(draftSchema, { application: draftFrom(form) }));
        return render(res, 'apply', await applyPage(res, actor, track, form, { creditReport, draftSavedAt: draft.updatedAt, notice: say(res, 'draftSaved') }));
      }
      // what was typed goes to the use case as it is: it tells every problem of the form at once
      const caseView = await services.cases.submitApplication(actor, { programId: program.id, track, application: form });
      res.redirect(303, `/cases/${encodeURIComponent(caseView.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      // applied already: the page shows the case, and says so in plain words beside it
      const extra = appError.code === 'conflict' ? { already: appError.message } : { error: appError };
      render(res, 'apply', await applyPage(res, actor, track, form, { creditReport, ...extra }), appError.status);
    }
  });
}
