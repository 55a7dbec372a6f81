import { nextWorkingDay, type WorkingDayCalendar } from './workingDays.ts';

/**
 * Program deadlines are local dates in the program's time zone (Asia/Shanghai for every city
 * we serve). China has had no daylight saving since 1991, so a fixed offset is exact.
 */
export interface LocalDeadline {
  /** ISO local date, e.g. 2018-06-08 */
  date: string;
  /** local time of day, HH:MM (or HH:MM:SS, for compressed calendars in tests) */
  time: string;
  /** true: acts done at that moment are still on time; false: the deadline is the start of the day */
  inclusive: boolean;
}

const UTC_OFFSET_MINUTES: Record<string, number> = { 'Asia/Shanghai': 480 };

export function utcOffsetMinutes(timeZone: string): number {
  const offset = UTC_OFFSET_MINUTES[timeZone];
  if (offset === undefined) throw new RangeError(`unsupported program time zone: ${timeZone}`);
  return offset;
}

/** The last instant at which something counts as on time. */
export function deadlineInstant(deadline: LocalDeadline, timeZone: string): Date {
  const time = deadline.inclusive ? deadline.time : '00:00';
  const withSeconds = time.length === 5 ? `${time}:00` : time;
  const localAsUtc = Date.parse(`${deadline.date}T${withSeconds}.000Z`);
  if (Number.isNaN(localAsUtc)) throw new RangeError(`not a local date and time: ${deadline.date} ${time}`);
  // inclusive: the whole named minute (or second) still counts
  const endOfPeriod = deadline.inclusive ? (time.length === 5 ? 59_999 : 999) : -1;
  return new Date(localAsUtc - utcOffsetMinutes(timeZone) * 60_000 + endOfPeriod);
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + utcOffsetMinutes(timeZone) * 60_000).toISOString().slice(0, 10);
}

/** The local date and time (HH:MM:SS) of an instant, as an inclusive deadline ending then. */
export function localDeadlineAt(instant: Date, timeZone: string): LocalDeadline {
  const local = new Date(instant.getTime() + utcOffsetMinutes(timeZone) * 60_000).toISOString();
  return { date: local.slice(0, 10), time: local.slice(11, 19), inclusive: true };
}

/** Moves a local date to another year, keeping month and day (Feb 29 becomes Feb 28). */
export function shiftDateToYear(isoDate: string, year: number): string {
  const [, month, day] = isoDate.split('-');
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const safeDay = month === '02' && day === '29' && !leap ? '28' : day;
  return `${String(year).padStart(4, '0')}-${month}-${safeDay}`;
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * 86_400_000);
}

const FORMATS = {
  dateTime: { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
  date: { year: 'numeric', month: 'long', day: 'numeric' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

/** A formatter is costly to make and free to reuse: one per format, zone and language. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(format: keyof typeof FORMATS, timeZone: string, locale: 'zh-CN' | 'en'): Intl.DateTimeFormat {
  const key = `${format}|${timeZone}|${locale}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone, ...FORMATS[format] })));
  return made;
}

/**
 * "2018年6月8日 17:00"-style local wall time, for people (English readers get "8 June 2018 at 17:00").
 * Every date a person reads — pages, mails, feeds — is written by this or by formatLocalDate: one
 * format per language.
 */
export function formatLocal(instant: Date | string, timeZone: string, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  return formatter('dateTime', timeZone, locale).format(new Date(instant));
}

/** A calendar date as formatLocal writes its date part: "2026年9月28日", "28 September 2026" (an ISO date is a local date already). */
export function formatLocalDate(date: Date | string, timeZone: string, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const instant = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? deadlineInstant({ date, time: '12:00', inclusive: true }, timeZone) : new Date(date);
  return formatter('date', timeZone, locale).format(instant);
}

/** A local date and time as a form or an appointment holds it (2026-07-10T09:30), written for people as formatLocal does. */
export function formatLocalDateTime(localDateTime: string, timeZone: string, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  return formatLocal(localInstant(localDateTime, timeZone), timeZone, locale);
}

/** The time of day a period counted in days ends: the end of the day, as the program's own deadlines (23:59). */
export const END_OF_DAY = '23:59';

/**
 * When a period of `days` days that starts at `from` ends: at the end of the local day it reaches,
 * moved on to the next working day when that day is a weekend or holiday. A task due in 10 days
 * is due on a working day at 23:59, never at the clock time it happened to open (05:15).
 */
export function dueAfterDays(from: Date, days: number, timeZone: string, calendar: WorkingDayCalendar): Date {
  const reached = localDate(addDays(from, days), timeZone);
  return deadlineInstant({ date: nextWorkingDay(calendar, reached), time: END_OF_DAY, inclusive: true }, timeZone);
}

/** The instant of a local date and time (YYYY-MM-DDTHH:MM) in the program's zone: an appointment. */
export function localInstant(localDateTime: string, timeZone: string): Date {
  const [date = '', time = ''] = localDateTime.split('T');
  // an inclusive deadline ends with its minute; the appointment is at the minute's start
  return new Date(deadlineInstant({ date, time, inclusive: true }, timeZone).getTime() - 59_999);
}
