import type { Express, Request, Response } from 'express';
import { calendarBody, cloneBody, quotasBody } from '../../features/admin/schemas.ts';
import { parseInput, toAppError } from '../../features/errors.ts';
import { pathParams } from '../../features/validation.ts';
import { labelsFor, type Locale } from '../../domain/i18n/labels.ts';
import { calendarDays, datesIn } from '../../domain/program/revisions.ts';
import { TRACKS, type ProgramDefinition, type ReviewStep } from '../../domain/program/types.ts';
import { effectiveDeadlineDate } from '../../domain/program/workingDays.ts';
import { field, type FormBody } from '../forms.ts';
import type { PageKit } from '../pageKit.ts';
import { doneOf, say } from './adminShared.ts';

const DONE = ['cloned', 'calendar', 'quotas', 'unchanged'] as const;

/** The tracks of a program, in the work plan's order. */
const tracksOf = (program: ProgramDefinition) => TRACKS.filter((id) => program.tracks[id]).map((id) => program.tracks[id]!);

/** The working-day exceptions month by month, each day with its weekday, in the reader's words. */
function calendarMonths(program: ProgramDefinition, locale: Locale) {
  const tag = locale === 'en' ? 'en-GB' : 'zh-CN';
  const monthName = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const dayName = new Intl.DateTimeFormat(tag, { day: 'numeric', weekday: 'short', timeZone: 'UTC' });
  const months = new Map<string, { label: string; days: Array<{ date: string; kind: string; label: string }> }>();
  for (const day of calendarDays(program.calendar)) {
    const at = new Date(`${day.date}T00:00:00Z`);
    const month = months.get(day.date.slice(0, 7)) ?? months.set(day.date.slice(0, 7), { label: monthName.format(at), days: [] }).get(day.date.slice(0, 7))!;
    month.days.push({ date: day.date, kind: day.kind, label: dayName.format(at) });
  }
  return [...months.values()];
}

/** A program as the admin reads it: tracks, deadlines (and the day they really fall on), districts and quotas, rubric, calendar. */
function programView(program: ProgramDefinition, locale: Locale) {
  const words = labelsFor(locale);
  const steps = (list: ReviewStep[]) => list.map((s) => ({ stage: s.stage, role: s.role, days: s.reviewDays, kind: s.kind }));
  const tracks = tracksOf(program).map((track) => ({
    id: track.id,
    name: words.track(track.id, track.name),
    deadlines: Object.entries(track.deadlines).map(([name, d]) => {
      const falls = effectiveDeadlineDate(program.calendar, d.date);
      return { name, label: words.deadline(name), date: d.date, time: d.time, falls, rolled: falls !== d.date };
    }),
    applicationReview: steps(track.applicationReview),
    acceptanceReview: steps(track.acceptanceReview),
    cityQuota: track.cityQuota ?? null,
    demonstration: track.demonstration
      ? {
          prerequisite: { track: track.demonstration.prerequisite.certificate, years: track.demonstration.prerequisite.minYears },
          recommendation: track.demonstration.recommendation.map((s) => ({ stage: s.stage, role: s.role, days: s.reviewDays, quota: s.quota })),
          acceptor: track.demonstration.acceptor,
          publicityDays: track.demonstration.publicityWorkingDays,
        }
      : null,
  }));
  const trackIds = tracks.map((t) => t.id);
  const districts = program.districts.map((d) => ({ code: d.code, name: d.name, quotas: trackIds.map((id) => d.quotas[id] ?? null) }));
  const totals = trackIds.map((id) => program.districts.reduce((sum, d) => sum + (d.quotas[id] ?? 0), 0));
  return {
    id: program.id,
    title: program.title,
    year: program.year,
    version: program.version,
    source: program.source,
    issuedBy: program.issuedBy,
    correctionDays: program.correctionDays,
    reminders: program.reminders,
    tracks,
    quotaTracks: tracks.map((t) => ({ id: t.id, name: t.name, cityQuota: t.cityQuota })),
    districts,
    totals,
    rubric: {
      title: program.rubric.title,
      total: program.rubric.total,
      sections: program.rubric.sections.map((s) => ({ id: s.id, title: s.title, max: s.max, items: s.items.length })),
      items: program.rubric.sections.reduce((sum, s) => sum + s.items.length, 0),
      grades: program.grading.bands,
    },
    calendar: {
      roll: program.calendar.rollDeadlinesToWorkingDay,
      holidays: program.calendar.holidays.length,
      workdays: program.calendar.adjustedWorkingDays.length,
      months: calendarMonths(program, locale),
    },
  };
}

/** 工作方案: the list with its clone form, one program's view, and the forms that make its next version. */
export function adminProgramPages(web: Express, kit: PageKit): void {
  const { services, render, actorOf, bodyOf } = kit;
  const programIdOf = (req: Request) => parseInput(pathParams.programId, req.params.programId, 'programId');
  const locale = (res: Response) => res.locals.locale as Locale;

  const listPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const programs = await services.admin.programs.list(actorOf(req));
    render(res, 'admin/programs', { title: say(res, 'programs.title'), section: 'programs', programs: programs.map((p) => ({ ...p, nextYear: p.year + 1 })), ...extra }, status);
  };

  web.get('/admin/programs', (req, res) => listPage(req, res));

  web.post('/admin/programs/:programId/clone', async (req, res) => {
    const programId = programIdOf(req);
    const year = field(bodyOf(req), 'year');
    try {
      const next = await services.admin.programs.clone(actorOf(req), programId, parseInput(cloneBody, { year }).year);
      res.redirect(303, `/admin/programs/${encodeURIComponent(next.id)}?done=cloned`);
    } catch (error) {
      const appError = toAppError(error);
      await listPage(req, res, { error: appError, cloning: { programId, year } }, appError.status);
    }
  });

  web.get('/admin/programs/:programId', async (req, res) => {
    const { program, versions } = await services.admin.programs.view(actorOf(req), programIdOf(req));
    render(res, 'admin/program', { title: program.title, section: 'programs', wide: true, program: programView(program, locale(res)), versions, done: doneOf(req, DONE) });
  });

  // ---- 节假日安排: the year's holidays and make-up working days, as the next version ----

  const calendarPage = async (req: Request, res: Response, form: Record<string, string> | null, extra: Record<string, unknown> = {}, status = 200) => {
    const { program, versions } = await services.admin.programs.view(actorOf(req), programIdOf(req));
    const calendar = program.calendar;
    render(
      res,
      'admin/calendar',
      {
        title: say(res, 'calendar.title', { year: program.year }),
        section: 'programs',
        program: programView(program, locale(res)),
        runningCases: versions.reduce((sum, v) => sum + v.cases, 0),
        form: form ?? { holidays: calendar.holidays.join('\n'), adjustedWorkingDays: calendar.adjustedWorkingDays.join('\n'), roll: calendar.rollDeadlinesToWorkingDay ? 'yes' : 'no', baseVersion: String(program.version) },
        ...extra,
      },
      status,
    );
  };

  web.get('/admin/programs/:programId/calendar', (req, res) => calendarPage(req, res, null));

  web.post('/admin/programs/:programId/calendar', async (req, res) => {
    const body = bodyOf(req);
    const form = { holidays: field(body, 'holidays'), adjustedWorkingDays: field(body, 'adjustedWorkingDays'), roll: field(body, 'roll'), baseVersion: field(body, 'baseVersion') };
    try {
      const input = parseInput(calendarBody, {
        holidays: datesIn(form.holidays),
        adjustedWorkingDays: datesIn(form.adjustedWorkingDays),
        rollDeadlinesToWorkingDay: form.roll === 'yes' ? true : form.roll === 'no' ? false : undefined,
        baseVersion: form.baseVersion || undefined,
      });
      const revision = await services.admin.programs.reviseCalendar(actorOf(req), programIdOf(req), input);
      res.redirect(303, `/admin/programs/${encodeURIComponent(revision.program.id)}?done=${revision.changed ? 'calendar' : 'unchanged'}#calendar`);
    } catch (error) {
      const appError = toAppError(error);
      await calendarPage(req, res, form, { error: appError }, appError.status);
    }
  });

  // ---- 名额 (attachment 1): each district's quota per track, the demonstration tracks' city targets ----

  const quotasPage = async (req: Request, res: Response, typed: FormBody | null, extra: Record<string, unknown> = {}, status = 200) => {
    const { program } = await services.admin.programs.view(actorOf(req), programIdOf(req));
    const view = programView(program, locale(res));
    const value = (name: string, current: number | null) => (typed ? field(typed, name) : current === null ? '' : String(current));
    render(
      res,
      'admin/quotas',
      {
        title: say(res, 'quotas.title'),
        section: 'programs',
        program: view,
        baseVersion: typed ? field(typed, 'baseVersion') : String(program.version),
        rows: view.districts.map((d) => ({ ...d, cells: view.quotaTracks.map((t, i) => ({ track: t.id, trackName: t.name, name: `q.${d.code}.${t.id}`, path: `districts.${d.code}.${t.id}`, value: value(`q.${d.code}.${t.id}`, d.quotas[i] ?? null) })) })),
        cityRow: view.quotaTracks.map((t) => ({ track: t.id, trackName: t.name, name: `city.${t.id}`, path: `city.${t.id}`, value: t.cityQuota === null ? null : value(`city.${t.id}`, t.cityQuota) })),
        ...extra,
      },
      status,
    );
  };

  web.get('/admin/programs/:programId/quotas', (req, res) => quotasPage(req, res, null));

  web.post('/admin/programs/:programId/quotas', async (req, res) => {
    const body = bodyOf(req);
    try {
      // an empty box keeps the number the program has: only what is typed is sent
      const districts: Record<string, Record<string, string>> = {};
      const city: Record<string, string> = {};
      for (const [name, raw] of Object.entries(body)) {
        const value = typeof raw === 'string' ? raw.trim() : '';
        if (!value) continue;
        const [head, code, track] = name.split('.');
        if (head === 'q' && code && track) (districts[code] ??= {})[track] = value;
        else if (head === 'city' && code && !track) city[code] = value;
      }
      const input = parseInput(quotasBody, { districts, city, baseVersion: field(body, 'baseVersion') || undefined });
      const revision = await services.admin.programs.reviseQuotas(actorOf(req), programIdOf(req), input);
      res.redirect(303, `/admin/programs/${encodeURIComponent(revision.program.id)}?done=${revision.changed ? 'quotas' : 'unchanged'}#quotas`);
    } catch (error) {
      const appError = toAppError(error);
      await quotasPage(req, res, body, { error: appError }, appError.status);
    }
  });
}
