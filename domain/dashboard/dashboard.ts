import { DEADLINE_LABELS, STAGE_LABELS } from '../case/model.ts';
import { ROLE_LABELS, type Actor, type Role } from '../identity/roles.ts';
import { localDeadlineAt } from '../program/calendar.ts';
import { demonstrationStages, programDeadline } from '../program/program.ts';
import { TRACKS, type ProgramDefinition, type TrackDefinition, type TrackId } from '../program/types.ts';

/**
 * 统计看板: where a program stands, for the offices — progress against the quotas of attachment 1
 * per district, cases per stage, overdue tasks by office and the deadlines ahead. From counts the
 * database groups (never whole cases) to the numbers the charts, tables and CSV files show.
 */

/** The offices that see dashboards: a district office its own district, the others and the admin the whole city. */
export const DASHBOARD_ROLES: ReadonlySet<Role> = new Set(['district_officer', 'city_officer', 'prefecture_officer', 'province_officer', 'admin']);

/** The district a person's dashboard is limited to (null: the whole city), or 'forbidden'. */
export function dashboardScope(actor: Pick<Actor, 'role' | 'scopeId'>): { district: string | null } | 'forbidden' {
  if (!DASHBOARD_ROLES.has(actor.role)) return 'forbidden';
  return { district: actor.role === 'district_officer' ? (actor.scopeId ?? '') : null };
}

/** How far ahead the dashboard looks: program deadlines, and the tasks due soon. */
export const DEADLINES_AHEAD_DAYS = 60;
export const TASKS_DUE_SOON_DAYS = 7;
const DAY_MS = 86_400_000;

/** Cases of one track, district, stage and status: one row of `group by`. */
export interface CaseCount {
  track: string;
  district: string;
  stage: string;
  status: string;
  count: number;
}

/** Open tasks of one office: a role, and the district for district offices (null for the others). */
export interface TaskCount {
  role: string;
  district: string | null;
  open: number;
  /** past their due date */
  overdue: number;
  /** due from now to TASKS_DUE_SOON_DAYS ahead */
  dueSoon: number;
  /** the earliest due date among the overdue ones */
  oldestOverdue: string | null;
}

// ---- 1. progress against the quotas (attachment 1) ----

export interface QuotaRow {
  /** district code; 'city' for the total */
  district: string;
  districtName: string;
  /**
   * the year's target (指标); null where the plan sets none: a demonstration track's target is the
   * city's, each district only recommends (at most its recommendation quota)
   */
  target: number | null;
  /** every case of the track (申报), whatever became of it */
  applied: number;
  /** still running (办理中) */
  active: number;
  certified: number;
  /** rejected, not recommended, lapsed or failed */
  closed: number;
}

export interface QuotaProgress {
  track: TrackId;
  trackName: string;
  rows: QuotaRow[];
  /** the whole city, for city-wide readers: the city's quota where the track has one (示范), else the districts' sum */
  total: QuotaRow | null;
  /** the city-wide target of a track whose districts have none of their own (示范), for every reader */
  cityTarget: number | null;
}

const tally = (rows: CaseCount[]) => ({
  applied: rows.reduce((sum, r) => sum + r.count, 0),
  active: rows.filter((r) => r.status === 'active').reduce((sum, r) => sum + r.count, 0),
  certified: rows.filter((r) => r.status === 'certified').reduce((sum, r) => sum + r.count, 0),
});

/** The program's tracks, in the work plan's order. */
export function programTracks(program: ProgramDefinition): TrackDefinition[] {
  return TRACKS.flatMap((id) => (program.tracks[id] ? [program.tracks[id]] : []));
}

/** Per track, each district (or the reader's one) against its target, in the work plan's order of districts. */
export function quotaProgress(program: ProgramDefinition, counts: CaseCount[], district: string | null): QuotaProgress[] {
  const districts = program.districts.filter((d) => district === null || d.code === district);
  return programTracks(program).map((track) => {
    const ofTrack = counts.filter((c) => c.track === track.id);
    const row = (code: string, name: string, target: number | null, cases: CaseCount[]): QuotaRow => {
      const { applied, active, certified } = tally(cases);
      return { district: code, districtName: name, target, applied, active, certified, closed: applied - active - certified };
    };
    // a city quota makes the districts' numbers recommendation limits (推荐名额), not targets
    const cityTarget = track.cityQuota ?? null;
    const rows = districts.map((d) => row(d.code, d.name, cityTarget === null ? (d.quotas[track.id] ?? null) : null, ofTrack.filter((c) => c.district === d.code)));
    const total = district === null ? row('city', '全市', cityTarget ?? program.districts.reduce((sum, d) => sum + (d.quotas[track.id] ?? 0), 0), ofTrack) : null;
    return { track: track.id, trackName: track.name, rows, total, cityTarget };
  });
}

/** 完成率: certified of the target, in whole percent; none where there is no target. */
export function completionRate(row: Pick<QuotaRow, 'certified' | 'target'>): number | null {
  return row.target ? Math.round((row.certified / row.target) * 100) : null;
}

// ---- 2. cases per stage ----

export interface StageStep {
  stage: string;
  /** a stage where a case has ended: certified, rejected, not recommended, failed, lapsed */
  closed: boolean;
}

/**
 * A track's stages in the order a case goes through them, as its definition lays them out; a
 * correction follows the first review that can return to it, and the endings come last.
 */
export function trackStages(track: TrackDefinition): StageStep[] {
  const open = (stages: string[]) => stages.map((stage) => ({ stage, closed: false }));
  const closed = (stages: string[]) => stages.map((stage) => ({ stage, closed: true }));
  const withCorrection = (chain: { stage: string }[], correction: string) => (chain.length ? [chain[0]!.stage, correction, ...chain.slice(1).map((s) => s.stage)] : []);
  if (track.demonstration) {
    return [
      ...open(demonstrationStages(track.demonstration)),
      ...closed(['certified', 'not_recommended', 'failed', 'lapsed']),
    ];
  }
  return [
    ...open([...withCorrection(track.applicationReview, 'correction'), 'self_compliance', ...withCorrection(track.acceptanceReview, 'acceptance_correction')]),
    ...closed(['certified', 'rejected', 'failed', 'lapsed']),
  ];
}

/** Where a stage sits: the track's order; a stage the order does not know goes before the endings (a case is in it). */
const ENDINGS = new Set(['certified', 'rejected', 'not_recommended', 'failed', 'lapsed']);

export interface StageFunnel {
  track: TrackId;
  trackName: string;
  steps: (StageStep & { count: number })[];
  total: number;
}

/** Per track, how many cases stand at each stage, every stage of the track shown (none there: 0). */
export function stageFunnel(program: ProgramDefinition, counts: CaseCount[]): StageFunnel[] {
  return programTracks(program).map((track) => {
    const here = new Map<string, number>();
    for (const c of counts) if (c.track === track.id) here.set(c.stage, (here.get(c.stage) ?? 0) + c.count);
    const steps = trackStages(track);
    const known = new Set(steps.map((s) => s.stage));
    const others = [...here.keys()].filter((stage) => !known.has(stage)).sort();
    const firstEnding = steps.findIndex((s) => s.closed);
    const ordered = [...steps.slice(0, firstEnding), ...others.map((stage) => ({ stage, closed: ENDINGS.has(stage) })), ...steps.slice(firstEnding)];
    return {
      track: track.id,
      trackName: track.name,
      steps: ordered.map((s) => ({ ...s, count: here.get(s.stage) ?? 0 })),
      total: [...here.values()].reduce((sum, n) => sum + n, 0),
    };
  });
}

// ---- 3. overdue tasks by office, and the tasks due soon ----

export interface OfficeLoad {
  role: Role;
  /** the district of a district office; null for the others */
  district: string | null;
  districtName: string | null;
  open: number;
  overdue: number;
  dueSoon: number;
  /** whole days the longest-overdue task is late (0 when none is) */
  longestOverdueDays: number;
}

/** The offices from the district up, then the parties outside them. */
const OFFICE_ORDER: Role[] = ['district_officer', 'city_officer', 'prefecture_officer', 'province_officer', 'admin', 'enterprise', 'consultant'];

/**
 * Open tasks per office: district offices one by one (the work plan's order), the city and the
 * offices above, then enterprises and consultants as one row each; offices with no open task left out.
 */
export function officeLoad(program: ProgramDefinition, counts: TaskCount[], now: Date): OfficeLoad[] {
  const offices = new Map<string, OfficeLoad>();
  for (const c of counts) {
    if (!OFFICE_ORDER.includes(c.role as Role)) continue;
    const role = c.role as Role;
    const district = role === 'district_officer' ? c.district : null;
    const key = `${role}:${district ?? ''}`;
    const office = offices.get(key) ?? {
      role,
      district,
      districtName: district === null ? null : (program.districts.find((d) => d.code === district)?.name ?? district),
      open: 0,
      overdue: 0,
      dueSoon: 0,
      longestOverdueDays: 0,
    };
    office.open += c.open;
    office.overdue += c.overdue;
    office.dueSoon += c.dueSoon;
    if (c.oldestOverdue) office.longestOverdueDays = Math.max(office.longestOverdueDays, Math.max(1, Math.ceil((now.getTime() - Date.parse(c.oldestOverdue)) / DAY_MS)));
    offices.set(key, office);
  }
  const districtIndex = (code: string | null) => {
    const at = program.districts.findIndex((d) => d.code === code);
    return at < 0 ? program.districts.length : at;
  };
  return [...offices.values()].sort(
    (a, b) => OFFICE_ORDER.indexOf(a.role) - OFFICE_ORDER.indexOf(b.role) || districtIndex(a.district) - districtIndex(b.district) || (a.district ?? '').localeCompare(b.district ?? ''),
  );
}

/** An office as people name it: 沙溪镇 镇（区）经发中心, 市经信委融资与担保科. */
export function officeName(office: Pick<OfficeLoad, 'role' | 'districtName'>, roleLabel: (role: Role) => string = (role) => ROLE_LABELS[role]): string {
  return office.districtName ? `${office.districtName} ${roleLabel(office.role)}` : roleLabel(office.role);
}

// ---- 4. the program's deadlines ahead ----

export interface DeadlineAhead {
  track: TrackId;
  trackName: string;
  /** the deadline's name in the program (application, acceptanceMaterials, …) */
  name: string;
  /** the instant it falls at, working-day rolling applied (ISO) */
  at: string;
  /** the local date and time, YYYY-MM-DD HH:MM */
  local: string;
  /** whole days from now, rounded up: due later today reads 1 */
  daysLeft: number;
}

/** The program's deadlines from now to `days` ahead, soonest first. */
export function deadlinesAhead(program: ProgramDefinition, now: Date, days = DEADLINES_AHEAD_DAYS): DeadlineAhead[] {
  const until = now.getTime() + days * DAY_MS;
  return programTracks(program)
    .flatMap((track) =>
      Object.entries(track.deadlines).map(([name, deadline]) => {
        const at = programDeadline(program, deadline);
        const local = localDeadlineAt(at, program.timeZone);
        return { track: track.id, trackName: track.name, name, at: at.toISOString(), local: `${local.date} ${local.time.slice(0, 5)}`, daysLeft: Math.ceil((at.getTime() - now.getTime()) / DAY_MS) };
      }),
    )
    .filter((d) => Date.parse(d.at) >= now.getTime() && Date.parse(d.at) <= until)
    .sort((a, b) => a.at.localeCompare(b.at) || a.track.localeCompare(b.track));
}

// ---- the whole dashboard ----

export interface Dashboard {
  program: { id: string; title: string; year: number };
  /** the district the reader sees (a district office), or null for the whole city */
  district: { code: string; name: string } | null;
  /** when the counts were read (ISO) */
  readAt: string;
  quotas: QuotaProgress[];
  stages: StageFunnel[];
  offices: OfficeLoad[];
  deadlines: DeadlineAhead[];
}

export function dashboard(program: ProgramDefinition, district: string | null, cases: CaseCount[], tasks: TaskCount[], now: Date): Dashboard {
  const own = district === null ? null : { code: district, name: program.districts.find((d) => d.code === district)?.name ?? district };
  return {
    program: { id: program.id, title: program.title, year: program.year },
    district: own,
    readAt: now.toISOString(),
    quotas: quotaProgress(program, cases, district),
    stages: stageFunnel(program, cases),
    offices: officeLoad(program, tasks, now),
    deadlines: deadlinesAhead(program, now),
  };
}

// ---- CSV: one file per chart, for Excel ----

export const DASHBOARD_CHARTS = ['quotas', 'stages', 'overdue', 'deadlines', 'due-soon'] as const;
export type DashboardChart = (typeof DASHBOARD_CHARTS)[number];

export function isDashboardChart(value: unknown): value is DashboardChart {
  return DASHBOARD_CHARTS.includes(value as DashboardChart);
}

/** A cell as Excel reads it: quoted when it must be; text that Excel would take for a formula starts with '. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** UTF-8 with a byte-order mark and CRLF lines: Excel on Chinese Windows opens it as Chinese. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const percent = (rate: number | null) => (rate === null ? '' : `${rate}%`);

/** A chart's numbers as a CSV file, with Chinese column headers. */
export function dashboardCsv(data: Dashboard, chart: DashboardChart): string {
  switch (chart) {
    case 'quotas':
      return toCsv(
        ['项目', '镇（区）', '目标', '已申报', '办理中', '已通过', '未通过或失效', '完成率'],
        data.quotas.flatMap((q) =>
          [...q.rows, ...(q.total ? [q.total] : [])].map((r) => [q.trackName, r.districtName, r.target, r.applied, r.active, r.certified, r.closed, percent(completionRate(r))]),
        ),
      );
    case 'stages':
      return toCsv(
        ['项目', '序号', '环节', '案件数'],
        data.stages.flatMap((f) => f.steps.map((s, i) => [f.trackName, i + 1, STAGE_LABELS[s.stage] ?? s.stage, s.count])),
      );
    case 'overdue':
      return toCsv(
        ['办理部门', '镇（区）', '逾期待办数', '在办待办数', '最长逾期天数'],
        data.offices.map((o) => [ROLE_LABELS[o.role], o.districtName ?? '', o.overdue, o.open, o.longestOverdueDays]),
      );
    case 'due-soon':
      return toCsv(
        ['办理部门', '镇（区）', `${TASKS_DUE_SOON_DAYS}天内到期待办数`, '在办待办数'],
        data.offices.map((o) => [ROLE_LABELS[o.role], o.districtName ?? '', o.dueSoon, o.open]),
      );
    case 'deadlines':
      return toCsv(
        ['项目', '期限', '截止时间', '剩余天数'],
        data.deadlines.map((d) => [d.trackName, DEADLINE_LABELS[d.name] ?? d.name, d.local, d.daysLeft]),
      );
  }
}
