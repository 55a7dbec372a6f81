import { draftSchema, submitApplicationBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { programDeadline } from '../../domain/program/program.ts';
import { type ProgramDefinition, type TrackId } from '../../domain/program/types.ts';
import { applicationFrom, draftFrom, field, keptFile, storeUploads, throwUploadError } from '../forms.ts';
import { TRACK_LABELS } from '../helpers.ts';
import type { PageKit } from '../pageKit.ts';
import type { Express } from 'express';

/** 申报 (attachment 2): 贯标, 苏州市级示范, 江苏省级示范. */
export function applyPages(web: Express, kit: PageKit): void {
  const { uploadForm, services, render, signedIn, actorOf, bodyOf } = kit;
  // ---- 申报 (attachment 2): 贯标, 苏州市级示范, 江苏省级示范 ----

  /** The tracks the program takes applications for, with what each asks of the enterprise first. */
  const openTracks = (program: ProgramDefinition) =>
    Object.values(program.tracks)
      .filter((t) => t.acceptanceReview.length || t.demonstration)
      .map((t) => {
        const prerequisite = t.demonstration?.prerequisite;
        const needed = prerequisite ? (program.tracks[prerequisite.certificate]?.name ?? prerequisite.certificate) : null;
        const deadline = t.deadlines.application ?? t.deadlines.recommendation;
        return {
          id: t.id,
          label: TRACK_LABELS[t.id] ?? t.name,
          name: t.name,
          prerequisite: prerequisite ? `须通过${needed}验收${prerequisite.minYears}年以上，且近3年无严重失信行为` : null,
          dueAt: deadline ? programDeadline(program, deadline) : null,
        };
      });

  /** The track asked for, if the program takes it; else 贯标. */
  const chosenTrack = (program: ProgramDefinition, value: unknown): TrackId => openTracks(program).find((t) => t.id === value)?.id ?? 'standard';

  const applyPage = async (actor: Actor, track: TrackId, form: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const program = await services.programs.current();
    const existing = (await services.cases.listCases(actor)).find((c) => c.programId === program.id && c.track === track);
    const tracks = openTracks(program).map((t) => ({ ...t, checked: t.id === track }));
    const label = TRACK_LABELS[track] ?? track;
    return { title: `${label}申报`, program, track, trackTitle: label, tracks, demonstration: track !== 'standard', form, existing: existing ?? null, ...extra };
  };

  web.get('/apply', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (actor.role !== 'enterprise') throw new AppError('forbidden', '只有企业用户可以申报 (only an enterprise applies)');
    const program = await services.programs.current();
    const track = chosenTrack(program, req.query.track);
    const draft = await services.enterprises.draft(actor, program.id, track);
    const form = { uscc: actor.scopeId ?? '', ...(draft?.form ?? {}) };
    render(res, 'apply', await applyPage(actor, track, form, { draftSavedAt: draft?.updatedAt ?? null, creditReport: draft?.form.creditReportFileId ? { id: draft.form.creditReportFileId, name: '草稿中已上传的报告' } : null }));
  });

  web.post('/apply', signedIn, ...uploadForm, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const form = applicationFrom(body);
    let creditReport = keptFile(body, new Map(), 'creditReport');
    let track: TrackId = 'standard';
    try {
      if (actor.role !== 'enterprise') throw new AppError('forbidden', '只有企业用户可以申报 (only an enterprise applies)');
      throwUploadError(req);
      const program = await services.programs.current();
      track = chosenTrack(program, field(body, 'track'));
      creditReport = keptFile(body, await storeUploads(services.files, actor, req), 'creditReport');
      form.creditReportFileId = creditReport?.id ?? '';
      if (field(body, 'action') === 'draft') {
        const draft = await services.enterprises.saveDraft(actor, program.id, track, parseInput(draftSchema, { application: draftFrom(form) }));
        return render(res, 'apply', await applyPage(actor, track, form, { creditReport, draftSavedAt: draft.updatedAt, notice: '草稿已保存。' }));
      }
      const parsed = parseInput(submitApplicationBody, { programId: program.id, track, application: form });
      const caseView = await services.cases.submitApplication(actor, parsed);
      res.redirect(303, `/cases/${encodeURIComponent(caseView.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      render(res, 'apply', await applyPage(actor, track, form, { creditReport, error: appError }), appError.status);
    }
  });
}
