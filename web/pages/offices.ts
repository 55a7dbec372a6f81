import { acceptanceScheduleBody, extensionBody, batchBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import { DEADLINE_LABELS } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { TRACKS, type ProgramDefinition } from '../../domain/program/types.ts';
import { field, fields } from '../forms.ts';
import { ownSummaryListDistrict, summaryListAccess } from '../../domain/documents/summaryList.ts';
import { TRACK_LABELS } from '../helpers.ts';
import { ACCEPTOR_ROLES, RECOMMENDING_ROLES, type PageKit } from '../pageKit.ts';
import type { Express } from 'express';

/** The offices' pages for work done across cases: 汇总报送, 推荐名额, 验收安排 and 延期. */
export function officePages(web: Express, kit: PageKit): void {
  const { services, render, signedIn, actorOf, bodyOf } = kit;
  // ---- 汇总报送 ----

  const batchesPage = async (actor: Actor, extra: Record<string, unknown> = {}) => {
    const batches = await services.batches.list(actor);
    const inbox = await services.tasks.inbox(actor);
    const waiting = actor.role === 'district_officer' ? inbox.filter((t) => t.kind === 'forward') : [];
    const myTasks = new Map(inbox.filter((t) => t.kind !== 'forward').map((t) => [t.caseId, t.id]));
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    const programs = new Map<string, Promise<ProgramDefinition>>();
    const programOf = (id: string) => programs.get(id) ?? programs.set(id, services.programs.latest(id)).get(id)!;
    const rows = await Promise.all(
      batches.map(async (b) => {
        const program = await programOf(b.programId).catch(() => null);
        return {
          id: b.id,
          number: b.number,
          track: b.track,
          districtName: program?.districts.find((d) => d.code === b.district)?.name ?? b.district,
          forwardedAt: b.forwardedAt,
          forwardedByName: b.forwardedByName,
          count: b.caseIds.length,
          cases: b.caseIds.map((id) => ({ id, name: cases.get(id)?.enterpriseName ?? id, stage: cases.get(id)?.stage ?? null, taskId: myTasks.get(id) ?? null })),
        };
      }),
    );
    // 汇总表 to print: a district office its district's, the city its whole city's
    const lists = actor.role === 'district_officer' || actor.role === 'city_officer' ? await services.programs.list() : [];
    const summaryList = lists.length
      ? {
          programs: lists.map((p) => ({ id: p.id, title: p.title })),
          tracks: TRACKS.filter((id) => lists[0]!.tracks[id]).map((id) => ({ id, label: lists[0]!.tracks[id]!.name })),
          scopeLabel: actor.role === 'district_officer' ? (lists[0]!.districts.find((d) => d.code === actor.scopeId)?.name ?? actor.scopeId) : '全市',
        }
      : null;
    return { title: '汇总报送', mayForward: actor.role === 'district_officer', waiting, batches: rows, selected: [], summaryList, ...extra };
  };

  web.get('/batches', signedIn, async (req, res) => {
    const created = typeof req.query.forwarded === 'string' ? req.query.forwarded : null;
    render(res, 'batches', await batchesPage(actorOf(req), { created }));
  });

  web.post('/batches', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const caseIds = fields(bodyOf(req), 'caseIds');
    try {
      if (actor.role !== 'district_officer') throw new AppError('forbidden', '汇总报送由镇（区）经发中心办理 (a district office forwards its own cases)');
      const batch = await services.batches.forward(actor, parseInput(batchBody, { caseIds }).caseIds);
      res.redirect(303, `/batches?forwarded=${encodeURIComponent(batch.id)}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'batches', await batchesPage(actor, { error: appError, selected: caseIds }), appError.status);
    }
  });

  // a 汇总表 to print, stamp and send on: printed (or the one printed before from the same cases), then downloaded
  web.post('/batches/summary-list', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (summaryListAccess(actor, ownSummaryListDistrict(actor)) !== 'allowed') throw new AppError('forbidden', '汇总表由镇（区）经发中心和市经信委打印 (for the district and city offices)');
    const body = bodyOf(req);
    try {
      const programId = parseInput(pathParams.programId, field(body, 'programId'), 'programId');
      const track = parseInput(pathParams.track, field(body, 'track'), 'track');
      const printed = await services.summaryLists.print(actor, programId, track, undefined);
      res.redirect(303, `/api/files/${printed.fileId}`);
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'batches', await batchesPage(actor, { error: appError }), appError.status);
    }
  });

  // ---- 推荐名额: what is left of each quota the office recommends within, and its waiting recommendations ----

  web.get('/recommendations', signedIn, async (req, res) => {
    const actor = actorOf(req);
    if (!RECOMMENDING_ROLES.has(actor.role)) throw new AppError('forbidden', '推荐名额仅供镇（区）、市经信委和苏州市信用办查看 (for the recommending offices)');
    const programId = typeof req.query.programId === 'string' ? parseInput(pathParams.programId, req.query.programId, 'programId') : undefined;
    const quotas = await services.demonstration.quotas(actor, programId);
    const waiting = (await services.tasks.inbox(actor)).filter((t) => t.kind === 'recommend');
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    render(res, 'recommendations', {
      title: '推荐名额',
      quotas: quotas.map((q) => ({ ...q, cases: q.recommended.map((id) => ({ id, name: cases.get(id)?.enterpriseName ?? id })) })),
      waiting: waiting.map((t) => ({ ...t, track: cases.get(t.caseId)?.track ?? '' })),
    });
  });

  // ---- 验收时间另行通知: the acceptor sets one date and place for a group of waiting cases ----

  const acceptanceSchedulesPage = async (actor: Actor, extra: Record<string, unknown> = {}) => {
    if (!ACCEPTOR_ROLES.has(actor.role)) throw new AppError('forbidden', '验收时间由苏州市信用办或江苏省信用办安排 (the acceptors set acceptance dates)');
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    const waiting = (await services.tasks.inbox(actor))
      .filter((t) => t.kind === 'acceptance')
      .map((t) => ({ ...t, track: cases.get(t.caseId)?.track ?? '', district: cases.get(t.caseId)?.district ?? '' }));
    return { title: '验收安排', unscheduled: waiting.filter((t) => !t.dueAt), scheduled: waiting.filter((t) => t.dueAt), selected: [], form: { at: '', place: '' }, ...extra };
  };

  web.get('/acceptance-schedules', signedIn, async (req, res) => {
    render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actorOf(req)));
  });

  web.post('/acceptance-schedules', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const caseIds = fields(body, 'caseIds');
    const form = { at: field(body, 'at'), place: field(body, 'place') };
    if (!ACCEPTOR_ROLES.has(actor.role)) throw new AppError('forbidden', '验收时间由苏州市信用办或江苏省信用办安排 (the acceptors set acceptance dates)');
    try {
      const scheduled = await services.demonstration.scheduleAcceptance(actor, parseInput(acceptanceScheduleBody, { caseIds, ...form }));
      render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actor, { done: scheduled }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actor, { error: appError, selected: caseIds, form }), appError.status);
    }
  });
  // ---- 延期 (city office) ----

  const extensionsPage = async (actor: Actor, form: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    if (actor.role !== 'city_officer') throw new AppError('forbidden', '延期由市经信委办理 (only the city office grants extensions)');
    const programs = await services.programs.list();
    return {
      title: '延期',
      programs: programs.map((p) => ({ id: p.id, title: p.title })),
      tracks: TRACKS.map((id) => ({ id, label: TRACK_LABELS[id] ?? id })),
      deadlineNames: Object.entries(DEADLINE_LABELS).map(([name, label]) => ({ name, label })),
      form,
      ...extra,
    };
  };

  web.get('/extensions', signedIn, async (req, res) => {
    const current = await services.programs.current().catch(() => null);
    render(res, 'extensions', await extensionsPage(actorOf(req), { programId: current?.id ?? '', track: 'standard', deadline: 'application', dueTime: '23:59' }));
  });

  web.post('/extensions', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const form = Object.fromEntries(['programId', 'track', 'uscc', 'deadline', 'dueDate', 'dueTime', 'reason'].map((name) => [name, field(body, name)]));
    try {
      const granted = await services.cases.grantExtension(actor, parseInput(extensionBody, { ...form, dueTime: form.dueTime || undefined }));
      render(res, 'extensions', await extensionsPage(actor, { ...form, reason: '' }, { granted }));
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'extensions', await extensionsPage(actor, form, { error: appError }), appError.status);
    }
  });
}
