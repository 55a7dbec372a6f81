/**
 * Working days (工作日) of a program year: Monday to Friday, less the public holidays (法定节假日),
 * plus the weekend days worked instead (调休上班), as the State Council publishes them each year.
 *
 * All arithmetic is on ISO local dates (YYYY-MM-DD) with UTC-based Date math, so the machine's time
 * zone never matters; it is deterministic and safe in workflow code.
 */
export interface WorkingDayCalendar {
  /** ISO local dates that are public holidays (法定节假日 days off), e.g. '2026-10-01' */
  holidays: string[];
  /** ISO local dates that are weekend days worked instead (调休上班) */
  adjustedWorkingDays: string[];
  /** roll a deadline that falls on a non-working day to the next working day */
  rollDeadlinesToWorkingDay: boolean;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of an ISO local date; RangeError unless it is a real YYYY-MM-DD date. */
function dayNumber(isoDate: string): number {
  const match = typeof isoDate === 'string' ? ISO_DATE.exec(isoDate) : null;
  if (!match) throw new RangeError(`not an ISO local date (YYYY-MM-DD): ${String(isoDate)}`);
  const [, y = '', m = '', d = ''] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`not an ISO local date (YYYY-MM-DD): ${isoDate}`);
  }
  return Math.floor(date.getTime() / DAY_MS);
}

function isoFromDayNumber(days: number): string {
  const date = new Date(days * DAY_MS);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`date out of range: day ${days}`);
  return date.toISOString().slice(0, 10);
}

function workingOn(calendar: WorkingDayCalendar, days: number): boolean {
  const iso = isoFromDayNumber(days);
  if (calendar.holidays.includes(iso)) return false;
  if (calendar.adjustedWorkingDays.includes(iso)) return true;
  const weekday = new Date(days * DAY_MS).getUTCDay(); // 0 Sunday … 6 Saturday
  return weekday !== 0 && weekday !== 6;
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer: ${n}`);
}

/** Monday–Friday unless a holiday; Saturday and Sunday only when an adjusted working day (调休). */
export function isWorkingDay(calendar: WorkingDayCalendar, isoDate: string): boolean {
  return workingOn(calendar, dayNumber(isoDate));
}

/** isoDate if it is a working day, else the next working day after it. */
export function nextWorkingDay(calendar: WorkingDayCalendar, isoDate: string): string {
  let days = dayNumber(isoDate);
  while (!workingOn(calendar, days)) days += 1;
  return isoFromDayNumber(days);
}

/**
 * The date n working days after isoDate (the start date itself never counts): Friday + 1 is Monday,
 * Saturday + 1 is Monday too. n = 0 is isoDate when it is a working day, else the next working day.
 * Negative n counts back the same way: Monday − 1 is the Friday before, Sunday − 1 is Friday.
 */
export function addWorkingDays(calendar: WorkingDayCalendar, isoDate: string, n: number): string {
  requireInteger(n, 'working days');
  let days = dayNumber(isoDate);
  if (n === 0) return nextWorkingDay(calendar, isoDate);
  const step = n > 0 ? 1 : -1;
  let remaining = Math.abs(n);
  while (remaining > 0) {
    days += step;
    if (workingOn(calendar, days)) remaining -= 1;
  }
  return isoFromDayNumber(days);
}

/**
 * Working days in (fromIso, toIso]: the day after `from` up to and including `to`, so a publicity
 * period that starts the day after `from` and ends on `to` is this many working days long.
 * Negative when `to` is before `from` (minus the working days in (to, from]); 0 when equal.
 */
export function workingDaysBetween(calendar: WorkingDayCalendar, fromIso: string, toIso: string): number {
  const from = dayNumber(fromIso);
  const to = dayNumber(toIso);
  if (to < from) return -workingDaysBetween(calendar, toIso, fromIso);
  let count = 0;
  for (let days = from + 1; days <= to; days += 1) if (workingOn(calendar, days)) count += 1;
  return count;
}

/** The date a deadline on isoDate really falls on: rolled to the next working day only where the program says so. */
export function effectiveDeadlineDate(calendar: WorkingDayCalendar, isoDate: string): string {
  return calendar.rollDeadlinesToWorkingDay ? nextWorkingDay(calendar, isoDate) : isoFromDayNumber(dayNumber(isoDate));
}

/**
 * 国务院办公厅关于2018年部分节假日安排的通知（国办发明电〔2017〕12号，2017年11月30日）:
 * 元旦 1/1; 春节 2/15–2/21, 2/11 (Sun) and 2/24 (Sat) worked; 清明 4/5–4/7, 4/8 (Sun) worked;
 * 劳动节 4/29–5/1, 4/28 (Sat) worked; 端午 6/18; 中秋 9/24; 国庆 10/1–10/7, 9/29 (Sat) and 9/30 (Sun) worked.
 * The end of 2018 follows 国务院办公厅关于2019年部分节假日安排的通知（国办发明电〔2018〕15号，2018年12月4日）:
 * 元旦 2018-12-30 to 2019-01-01, 2018-12-29 (Sat) worked (the whole block is listed, so a deadline
 * rolled from the last days of 2018 lands on 2019-01-02).
 * Every day off of each 放假调休 period is listed, weekend days included. Whether deadlines roll is
 * the program's choice, not the State Council's: a program takes `{ ...CHINA_2018_CALENDAR, rollDeadlinesToWorkingDay: true }`.
 */
export const CHINA_2018_CALENDAR: WorkingDayCalendar = {
  holidays: [
    '2018-01-01',
    '2018-02-15', '2018-02-16', '2018-02-17', '2018-02-18', '2018-02-19', '2018-02-20', '2018-02-21',
    '2018-04-05', '2018-04-06', '2018-04-07',
    '2018-04-29', '2018-04-30', '2018-05-01',
    '2018-06-18',
    '2018-09-24',
    '2018-10-01', '2018-10-02', '2018-10-03', '2018-10-04', '2018-10-05', '2018-10-06', '2018-10-07',
    '2018-12-30', '2018-12-31', '2019-01-01',
  ],
  adjustedWorkingDays: [
    '2018-02-11', '2018-02-24',
    '2018-04-08',
    '2018-04-28',
    '2018-09-29', '2018-09-30',
    '2018-12-29',
  ],
  rollDeadlinesToWorkingDay: false,
};

/**
 * 国务院办公厅关于2026年部分节假日安排的通知（国务院办公厅，2025年11月4日；新华社北京11月4日电全文）:
 * 元旦 1/1–1/3, 1/4 (Sun) worked; 春节 2/15–2/23, 2/14 (Sat) and 2/28 (Sat) worked; 清明 4/4–4/6;
 * 劳动节 5/1–5/5, 5/9 (Sat) worked; 端午 6/19–6/21; 中秋 9/25–9/27;
 * 国庆 10/1–10/7, 9/20 (Sun) and 10/10 (Sat) worked.
 * Every day off of each period is listed, weekend days included. Any 2026 dates the 2027 notice may
 * add (a 元旦 period reaching back into December) are not known yet and not listed.
 */
export const CHINA_2026_CALENDAR: WorkingDayCalendar = {
  holidays: [
    '2026-01-01', '2026-01-02', '2026-01-03',
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
    '2026-04-04', '2026-04-05', '2026-04-06',
    '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
    '2026-06-19', '2026-06-20', '2026-06-21',
    '2026-09-25', '2026-09-26', '2026-09-27',
    '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
  ],
  adjustedWorkingDays: [
    '2026-01-04',
    '2026-02-14', '2026-02-28',
    '2026-05-09',
    '2026-09-20', '2026-10-10',
  ],
  rollDeadlinesToWorkingDay: false,
};
