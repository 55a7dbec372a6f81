import type { District, ProgramDefinition, TrackId } from './types.ts';
import { isWorkingDay, type WorkingDayCalendar } from './workingDays.ts';

/**
 * An admin's change to a published program: the holiday calendar of its year, or its quotas. A
 * stored version never changes: a change is the next version, which new cases pin; cases already
 * running keep the version they started under (their deadlines and quotas stay as they were told).
 */

/** A problem of one edited list, naming the dates it is about: "第3行 2026-13-01：不是有效日期". */
export interface CalendarProblem {
  field: 'holidays' | 'adjustedWorkingDays';
  rule: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The dates a person typed or pasted: one a line, or separated by commas, spaces or 、；. */
export function datesIn(text: string): string[] {
  return text
    .split(/[\s,，、;；]+/u)
    .map((token) => token.trim())
    .filter(Boolean);
}

function realDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** A year's calendar reaches into the 元旦 days either side (a period such as 2018-12-30 to 2019-01-01). */
function withinYear(date: string, year: number): boolean {
  const [y, m] = [Number(date.slice(0, 4)), date.slice(5, 7)];
  return y === year || (y === year - 1 && m === '12') || (y === year + 1 && m === '01');
}

const isWeekend = (date: string) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/**
 * What is wrong with a year's working-day exceptions, every problem at once: each date a real
 * YYYY-MM-DD in the year (or the New Year days either side), a make-up working day (调休上班) on
 * a Saturday or Sunday, and no date both a holiday and a working day.
 */
export function calendarProblems(year: number, calendar: Pick<WorkingDayCalendar, 'holidays' | 'adjustedWorkingDays'>): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const check = (field: CalendarProblem['field'], dates: string[]) => {
    const notDates = dates.filter((d) => !realDate(d));
    if (notDates.length) problems.push({ field, rule: `${notDates.join('、')}：不是有效日期，请写成 2026-10-01 的形式 (${notDates.join(', ')}: not a date, write 2026-10-01)` });
    const outside = dates.filter((d) => realDate(d) && !withinYear(d, year));
    if (outside.length) problems.push({ field, rule: `${outside.join('、')}：不在${year}年内 (${outside.join(', ')}: not in ${year})` });
  };
  check('holidays', calendar.holidays);
  check('adjustedWorkingDays', calendar.adjustedWorkingDays);
  const weekdays = calendar.adjustedWorkingDays.filter((d) => realDate(d) && !isWeekend(d));
  if (weekdays.length) problems.push({ field: 'adjustedWorkingDays', rule: `${weekdays.join('、')}：调休上班日应为周六或周日 (${weekdays.join(', ')}: a make-up working day falls on a Saturday or Sunday)` });
  const both = calendar.holidays.filter((d) => calendar.adjustedWorkingDays.includes(d));
  if (both.length) problems.push({ field: 'adjustedWorkingDays', rule: `${[...new Set(both)].join('、')}：不能既是节假日又是调休上班日 (${[...new Set(both)].join(', ')}: a holiday or a working day, not both)` });
  return problems;
}

/** Sorted, without repeats: how the calendar is kept. */
const tidy = (dates: string[]) => [...new Set(dates)].sort();

/** Did the calendar change at all? Order and repeats do not count. */
export function sameCalendar(a: WorkingDayCalendar, b: WorkingDayCalendar): boolean {
  return a.rollDeadlinesToWorkingDay === b.rollDeadlinesToWorkingDay && tidy(a.holidays).join() === tidy(b.holidays).join() && tidy(a.adjustedWorkingDays).join() === tidy(b.adjustedWorkingDays).join();
}

/** The next version of the program with this calendar (the caller checked calendarProblems). */
export function withCalendar(program: ProgramDefinition, calendar: WorkingDayCalendar): ProgramDefinition {
  return { ...structuredClone(program), version: program.version + 1, calendar: { holidays: tidy(calendar.holidays), adjustedWorkingDays: tidy(calendar.adjustedWorkingDays), rollDeadlinesToWorkingDay: calendar.rollDeadlinesToWorkingDay } };
}

/** The quotas of attachment 1: per district and track, and the city-wide target of a demonstration track. */
export interface Quotas {
  districts: Record<string, Partial<Record<TrackId, number>>>;
  city: Partial<Record<TrackId, number>>;
}

export function quotasOf(program: ProgramDefinition): Quotas {
  const city: Quotas['city'] = {};
  for (const [id, track] of Object.entries(program.tracks) as [TrackId, NonNullable<ProgramDefinition['tracks'][TrackId]>][]) {
    if (track.cityQuota !== undefined) city[id] = track.cityQuota;
  }
  return { districts: Object.fromEntries(program.districts.map((d) => [d.code, { ...d.quotas }])), city };
}

/** What changed between two sets of quotas, as "district.track" → [before, after]. */
export function quotaChanges(before: Quotas, after: Quotas): Record<string, [number | null, number | null]> {
  const changes: Record<string, [number | null, number | null]> = {};
  const compare = (key: string, a: number | undefined, b: number | undefined) => {
    if ((a ?? null) !== (b ?? null)) changes[key] = [a ?? null, b ?? null];
  };
  for (const code of new Set([...Object.keys(before.districts), ...Object.keys(after.districts)])) {
    for (const track of new Set([...Object.keys(before.districts[code] ?? {}), ...Object.keys(after.districts[code] ?? {})]) as Set<TrackId>) {
      compare(`${code}.${track}`, before.districts[code]?.[track], after.districts[code]?.[track]);
    }
  }
  for (const track of new Set([...Object.keys(before.city), ...Object.keys(after.city)]) as Set<TrackId>) compare(`city.${track}`, before.city[track], after.city[track]);
  return changes;
}

/**
 * The next version with these quotas. Only the program's own districts and tracks take a number:
 * a code or track it does not have is a RangeError (the form offers none).
 */
export function withQuotas(program: ProgramDefinition, quotas: Quotas): ProgramDefinition {
  const next = structuredClone(program);
  for (const code of Object.keys(quotas.districts)) if (!next.districts.some((d) => d.code === code)) throw new RangeError(`program ${program.id} has no district ${code}`);
  next.districts = next.districts.map((d): District => ({ ...d, quotas: { ...d.quotas, ...onlyTracks(program, quotas.districts[d.code] ?? {}) } }));
  for (const [track, quota] of Object.entries(onlyTracks(program, quotas.city)) as [TrackId, number][]) {
    next.tracks[track] = { ...next.tracks[track]!, cityQuota: quota };
  }
  return { ...next, version: program.version + 1 };
}

function onlyTracks(program: ProgramDefinition, quotas: Partial<Record<TrackId, number>>): Partial<Record<TrackId, number>> {
  for (const track of Object.keys(quotas)) if (!program.tracks[track as TrackId]) throw new RangeError(`program ${program.id} has no track ${track}`);
  return quotas;
}

/** The working-day exceptions of a calendar as a page lists them, in date order: what each date is. */
export function calendarDays(calendar: WorkingDayCalendar): Array<{ date: string; kind: 'holiday' | 'workday'; weekday: number; working: boolean }> {
  const days = [
    ...calendar.holidays.map((date) => ({ date, kind: 'holiday' as const })),
    ...calendar.adjustedWorkingDays.map((date) => ({ date, kind: 'workday' as const })),
  ].filter((d) => realDate(d.date));
  return days
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((d) => ({ ...d, weekday: new Date(`${d.date}T00:00:00Z`).getUTCDay(), working: isWorkingDay(calendar, d.date) }));
}
