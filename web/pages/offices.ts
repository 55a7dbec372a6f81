import { acceptanceScheduleBody, extensionBody, batchBody } from '../../features/cases/schemas.ts';
import { AppError, parseInput, toAppError } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { Locale } from '../../domain/i18n/labels.ts';
import { personalName } from '../../domain/identity/personNames.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { TRACKS, type ProgramDefinition, type TrackId } from '../../domain/program/types.ts';
import { field, fields } from '../forms.ts';
import { translate } from '../i18n/i18n.ts';
import { ownSummaryListDistrict, summaryListAccess } from '../../domain/documents/summaryList.ts';
import { ACCEPTOR_ROLES, RECOMMENDING_ROLES, type PageKit } from '../pageKit.ts';
import type { Express, Response } from 'express';

/** The reader's language, as the pages' middleware set it. */
const localeOf = (res: Response) => res.locals.locale as Locale;
const titleOf = (res: Response, key: string) => translate(localeOf(res), key);

/** The offices' pages for work done across cases: 汇总报送, 推荐名额, 验收安排 and 延期. */
export function officePages(web: Express, kit: PageKit): void {
  const { services, render, signedIn, actorOf, bodyOf } = kit;
  // ---- 汇总报送 ----

  const batchesPage = async (actor: Actor, locale: Locale, extra: Record<string, unknown> = {}) => {
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
          // the district is in its own column: the person once, without their office again
          forwardedBy: personalName(b.forwardedByName),
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
          tracks: TRACKS.filter((id) => lists[0]!.tracks[id]).map((id) => ({ id })),
          scopeLabel:
            actor.role === 'district_officer'
              ? (lists[0]!.districts.find((d) => d.code === actor.scopeId)?.name ?? actor.scopeId)
              : translate(locale, 'offices.batches.wholeCity'),
        }
      : null;
    return { title: translate(locale, 'offices.batches.title'), mayForward: actor.role === 'district_officer', waiting, batches: rows, selected: [], summaryList, ...extra };
  };

  web.get('/batches', signedIn, async (req, res) => {
    const created = typeof req.query.forwarded === 'string' ? req.query.forwarded : null;
    render(res, 'batches', await batchesPage(actorOf(req), localeOf(res), { created }));
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
      render(res, 'batches', await batchesPage(actor, localeOf(res), { error: appError, selected: caseIds }), appError.status);
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
      render(res, 'batches', await batchesPage(actor, localeOf(res), { error: appError }), appError.status);
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
      title: titleOf(res, 'offices.recommendations.title'),
      quotas: quotas.map((q) => ({ ...q, cases: q.recommended.map((id) => ({ id, name: cases.get(id)?.enterpriseName ?? id })) })),
      waiting: waiting.map((t) => ({ ...t, track: cases.get(t.caseId)?.track ?? '' })),
    });
  });

  // ---- 验收时间另行通知: the acceptor sets one date and place for a group of waiting cases ----

  const acceptanceSchedulesPage = async (actor: Actor, locale: Locale, extra: Record<string, unknown> = {}) => {
    if (!ACCEPTOR_ROLES.has(actor.role)) throw new AppError('forbidden', '验收时间由苏州市信用办或江苏省信用办安排 (the acceptors set acceptance dates)');
    const cases = new Map((await services.cases.listCases(actor)).map((c) => [c.id, c]));
    const waiting = (await services.tasks.inbox(actor))
      .filter((t) => t.kind === 'acceptance')
      .map((t) => ({ ...t, track: cases.get(t.caseId)?.track ?? '', district: cases.get(t.caseId)?.district ?? '' }));
    return {
      title: translate(locale, 'offices.schedules.title'),
      unscheduled: waiting.filter((t) => !t.dueAt),
      scheduled: waiting.filter((t) => t.dueAt),
      selected: [],
      form: { at: '', place: '' },
      ...extra,
    };
  };

  web.get('/acceptance-schedules', signedIn, async (req, res) => {
    render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actorOf(req), localeOf(res)));
  });

  web.post('/acceptance-schedules', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const caseIds = fields(body, 'caseIds');
    const form = { at: field(body, 'at'), place: field(body, 'place') };
    if (!ACCEPTOR_ROLES.has(actor.role)) throw new AppError('forbidden', '验收时间由苏州市信用办或江苏省信用办安排 (the acceptors set acceptance dates)');
    try {
      const scheduled = await services.demonstration.scheduleAcceptance(actor, parseInput(acceptanceScheduleBody, { caseIds, ...form }));
      render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actor, localeOf(res), { done: scheduled }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      render(res, 'acceptanceSchedules', await acceptanceSchedulesPage(actor, localeOf(res), { error: appError, selected: caseIds, form }), appError.status);
    }
  });

  // ---- 延期 (city office): an enterprise of the chosen program and track, and one of its deadlines, chosen from lists ----

  /** The form's program and track: as asked (the GET form above it), else the current program's 贯标. */
  const extensionScope = async (query: Record<string, unknown>) => {
    const programs = await services.programs.list();
    const asked = typeof query.programId === 'string' ? programs.find((p) => p.id === query.programId) : undefined;
    const program = asked ?? (await services.programs.current().catch(() => programs[0] ?? null));
    const trackAsked = typeof query.track === 'string' && program?.tracks[query.track as TrackId] ? (query.track as TrackId) : null;
    const track: TrackId = trackAsked ?? (program?.tracks.standard ? 'standard' : (TRACKS.find((id) => program?.tracks[id]) ?? 'standard'));
    return { programs, program, track };
  };

  const extensionsPage = async (actor: Actor, locale: Locale, scope: Awaited<ReturnType<typeof extensionScope>>, form: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    if (actor.role !== 'city_officer') throw new AppError('forbidden', '延期由市经信委办理 (only the city office grants extensions)');
    const { programs, program, track } = scope;
    const choices = program ? await services.cases.extensionChoices(actor, program.id, track) : { programDeadlines: {}, cases: [], notApplied: [] };
    // the deadlines there are: the program's (with their dates), and those a case holds of its own (a correction period)
    const own = [...new Set(choices.cases.flatMap((c) => Object.keys(c.deadlines)))].filter((name) => !(name in choices.programDeadlines));
    const deadlines = [...Object.entries(choices.programDeadlines).map(([name, at]) => ({ name, at })), ...own.map((name) => ({ name, at: null }))];
    const byDate = (deadlines: Record<string, string>) => Object.entries(deadlines).map(([name, at]) => ({ name, at })).sort((a, b) => a.at.localeCompare(b.at));
    return {
      title: translate(locale, 'offices.extensions.title'),
      programs: programs.map((p) => ({ id: p.id, title: p.title })),
      programTitle: program?.title ?? '',
      tracks: program ? TRACKS.filter((id) => program.tracks[id]) : [],
      choices: {
        cases: choices.cases.map((c) => ({ ...c, deadlineNames: Object.keys(c.deadlines).join(' '), deadlineList: byDate(c.deadlines) })),
        notApplied: choices.notApplied,
      },
      deadlines,
      today: localDate(new Date(), program?.timeZone ?? 'Asia/Shanghai'),
      form: { programId: program?.id ?? '', track, dueTime: '23:59', ...form },
      ...extra,
    };
  };

  web.get('/extensions', signedIn, async (req, res) => {
    render(res, 'extensions', await extensionsPage(actorOf(req), localeOf(res), await extensionScope(req.query), {}));
  });

  web.post('/extensions', signedIn, async (req, res) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const form = Object.fromEntries(['programId', 'track', 'uscc', 'deadline', 'dueDate', 'dueTime', 'reason'].map((name) => [name, field(body, name)]));
    const scope = await extensionScope(form);
    try {
      const granted = await services.cases.grantExtension(actor, parseInput(extensionBody, { ...form, dueTime: form.dueTime || undefined }));
      const page = await extensionsPage(actor, localeOf(res), scope, { uscc: '', deadline: '', dueDate: '' });
      const enterpriseName = [...page.choices.cases, ...page.choices.notApplied].find((c) => c.uscc === form.uscc)?.name ?? form.uscc;
      render(res, 'extensions', { ...page, granted: { ...granted, enterpriseName } });
    } catch (error) {
      const appError = toAppError(error);
      render(res, 'extensions', await extensionsPage(actor, localeOf(res), scope, form, { error: appError }), appError.status);
    }
  });
}
