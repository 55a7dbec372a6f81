import type { Express } from 'express';
import { completionRate, officeName, DEADLINES_AHEAD_DAYS, type Dashboard, type DashboardChart, type OfficeLoad, type QuotaRow } from '../domain/dashboard/dashboard.ts';
import { barChart } from '../domain/dashboard/svg.ts';
import { labelsFor, type Locale } from '../domain/i18n/labels.ts';
import { formatLocal, formatLocalDate } from '../domain/program/calendar.ts';
import { currentActor } from '../http/auth.ts';
import { dashboardProgramId, type ProgramChoice } from '../features/dashboard/dashboardService.ts';
import { translate } from './i18n/i18n.ts';
import type { PageKit } from './pageKit.ts';

/** The charts' colours: certified green, running blue, ended grey, the quota's mark and the late in warm colours. */
const COLOURS = {
  certified: '#15803d',
  active: '#2563eb',
  closed: '#9ca3af',
  target: '#c2410c',
  overdue: '#b91c1c',
  dueSoon: '#d97706',
  open: '#bfdbfe',
  deadline: '#7c3aed',
};

/** The page's charts and tables in the reader's language; the numbers are the domain's. */
export function dashboardView(data: Dashboard, programs: ProgramChoice[], locale: Locale) {
  const t = (key: string, values: Record<string, unknown> = {}) => translate(locale, `dashboard.${key}`, values);
  const labels = labelsFor(locale);
  const trackName = (track: string, chinese: string) => labels.track(track, chinese);
  const csv = (chart: DashboardChart) => `/api/dashboard/${chart}.csv?programId=${encodeURIComponent(data.program.id)}`;

  const quotaNote = (r: QuotaRow) =>
    r.target === null ? t('quotas.noteNoTarget', { applied: r.applied, certified: r.certified }) : t('quotas.note', { applied: r.applied, certified: r.certified, target: r.target });
  const quotas = data.quotas.map((q) => {
    const row = (r: QuotaRow) => {
      const rate = completionRate(r);
      return { ...r, target: r.target ?? '—', districtName: r.district === 'city' ? t('quotas.total') : r.districtName, rate: rate === null ? '—' : `${rate}%` };
    };
    return {
      track: q.track,
      trackName: trackName(q.track, q.trackName),
      rows: q.rows.map(row),
      total: q.total ? row(q.total) : null,
      // the whole city above the districts' chart: its target would dwarf theirs on one scale
      totalNote: q.total ? quotaNote(q.total) : null,
      cityTarget: q.cityTarget,
      svg: barChart({
        id: `chart-quotas-${q.track}`,
        title: `${t('quotas.title')} · ${trackName(q.track, q.trackName)}`,
        legend: [
          { name: t('quotas.certified'), fill: COLOURS.certified },
          { name: t('quotas.active'), fill: COLOURS.active },
          { name: t('quotas.closed'), fill: COLOURS.closed },
        ],
        target: { name: t('quotas.target'), fill: COLOURS.target },
        empty: t('empty'),
        rows: q.rows.map((r) => ({
          label: r.districtName,
          segments: [
            { value: r.certified, fill: COLOURS.certified, name: t('quotas.certified') },
            { value: r.active, fill: COLOURS.active, name: t('quotas.active') },
            { value: r.closed, fill: COLOURS.closed, name: t('quotas.closed') },
          ],
          target: r.target,
          note: quotaNote(r),
        })),
      }),
    };
  });

  const stages = data.stages.map((f) => {
    const steps = f.steps.map((s) => ({ ...s, label: labels.stage(s.stage) }));
    return {
      track: f.track,
      trackName: trackName(f.track, f.trackName),
      total: f.total,
      // a track nobody applied to: one line saying so, not a column of empty stages
      steps: f.total ? steps : [],
      svg: barChart({
        id: `chart-stages-${f.track}`,
        title: `${t('stages.title')} · ${trackName(f.track, f.trackName)}`,
        empty: t('stages.none'),
        legend: [
          { name: t('stages.running'), fill: COLOURS.active },
          { name: t('stages.certified'), fill: COLOURS.certified },
          { name: t('stages.ended'), fill: COLOURS.closed },
        ],
        rows: (f.total ? steps : []).map((s) => ({
          label: s.label,
          segments: [{ value: s.count, fill: s.stage === 'certified' ? COLOURS.certified : s.closed ? COLOURS.closed : COLOURS.active, name: t('stages.cases') }],
          note: t('stages.note', { n: s.count }),
        })),
      }),
    };
  });

  const office = (o: OfficeLoad) => ({ ...o, name: officeName(o, (role) => labels.role(role)) });
  const offices = data.offices.map(office);
  /** Each office's open tasks as a bar: the part this chart is about (overdue, due soon) and the rest. */
  const officeChart = (id: string, part: { count: (o: (typeof offices)[number]) => number; name: string; rest: string; fill: string; title: string; note: (o: (typeof offices)[number]) => string }) => ({
    rows: offices,
    svg: barChart({
      id,
      title: part.title,
      empty: t('overdue.none'),
      legend: [
        { name: part.name, fill: part.fill },
        { name: part.rest, fill: COLOURS.open },
      ],
      rows: offices.map((o) => ({
        label: o.name,
        segments: [
          { value: part.count(o), fill: part.fill, name: part.name },
          { value: o.open - part.count(o), fill: COLOURS.open, name: part.rest },
        ],
        note: part.note(o),
      })),
    }),
  });
  const overdue = officeChart('chart-overdue', {
    count: (o) => o.overdue,
    name: t('overdue.overdue'),
    rest: t('overdue.onTime'),
    fill: COLOURS.overdue,
    title: t('overdue.title'),
    note: (o) => (o.overdue ? t('overdue.note', { overdue: o.overdue, open: o.open, days: o.longestOverdueDays }) : t('overdue.noteNone', { open: o.open })),
  });
  const dueSoon = officeChart('chart-due-soon', {
    count: (o) => o.dueSoon,
    name: t('dueSoon.dueSoon'),
    rest: t('dueSoon.later'),
    fill: COLOURS.dueSoon,
    title: t('dueSoon.title'),
    note: (o) => t('dueSoon.note', { dueSoon: o.dueSoon, open: o.open }),
  });

  const deadlineRows = data.deadlines.map((d) => ({
    ...d,
    trackName: trackName(d.track, d.trackName),
    trackShort: t(`tracks.${d.track}`),
    label: labels.deadline(d.name),
    when: formatLocal(d.at, 'Asia/Shanghai', locale),
  }));
  const deadlines = {
    rows: deadlineRows,
    svg: barChart({
      id: 'chart-deadlines',
      title: t('deadlines.title', { days: DEADLINES_AHEAD_DAYS }),
      empty: t('deadlines.none', { days: DEADLINES_AHEAD_DAYS }),
      max: DEADLINES_AHEAD_DAYS,
      legend: [{ name: t('deadlines.legend', { days: DEADLINES_AHEAD_DAYS }), fill: COLOURS.deadline }],
      rows: deadlineRows.map((d) => ({
        label: `${d.label} · ${d.trackShort}`,
        segments: [{ value: d.daysLeft, fill: d.daysLeft <= 7 ? COLOURS.overdue : COLOURS.deadline, name: t('deadlines.daysLeft') }],
        note: t('deadlines.note', { date: formatLocalDate(d.at, 'Asia/Shanghai', locale), days: d.daysLeft }),
      })),
    }),
  };

  return {
    programId: data.program.id,
    programTitle: data.program.title,
    programs: programs.map((p) => ({ ...p, selected: p.id === data.program.id })),
    scope: data.district ? data.district.name : null,
    readAt: formatLocal(data.readAt, 'Asia/Shanghai', locale),
    days: { ahead: DEADLINES_AHEAD_DAYS },
    quotas,
    stages,
    overdue,
    dueSoon,
    deadlines,
    csv: { quotas: csv('quotas'), stages: csv('stages'), overdue: csv('overdue'), dueSoon: csv('due-soon'), deadlines: csv('deadlines') },
  };
}

/** 统计看板 for the offices from the district up: GET /dashboard?programId=… (the CSV files come from the API). */
export function dashboardPages(web: Express, deps: Pick<PageKit, 'services' | 'render' | 'signedIn'>): void {
  const { services, render, signedIn } = deps;
  web.get('/dashboard', signedIn, async (req, res) => {
    const locale = res.locals.locale as Locale;
    const data = await services.dashboards.read(currentActor(res)!, dashboardProgramId(req.query));
    render(res, 'dashboard', { title: translate(locale, 'dashboard.title'), wide: true, ...dashboardView(data, await services.dashboards.programChoices(), locale) });
  });
}
