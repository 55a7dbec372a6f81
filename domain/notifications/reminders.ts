/**
 * When the reminders of one open task go out, from the program's reminder policy (program data).
 *
 * Imported by workflow code: pure and deterministic (no Node built-ins, no Intl, no clock). Every
 * instant is computed from the task's own openedAt and dueAt; the program time zone is a fixed offset.
 */
import { utcOffsetMinutes } from '../program/calendar.ts';
import type { ReminderPolicy } from '../program/types.ts';
import { addWorkingDays } from '../program/workingDays.ts';
import type { WorkingDayCalendar } from '../program/workingDays.ts';

export type ReminderKind = 'before' | 'due_day' | 'overdue' | 'escalation';

export interface Reminder {
  kind: ReminderKind;
  /** ISO instant (UTC) at which it goes out */
  at: string;
  /** 'before': days (working days with a calendar) between the send day and the due date */
  daysBefore?: number;
  /** 'escalation': days (working days with a calendar) between the due date and the send day */
  daysOverdue?: number;
  /** stable, unique within one schedule: 'before-7', 'due', 'overdue-1', 'escalation' */
  occurrence: string;
}

export interface ReminderScheduleInput {
  /** ISO instant the task opened */
  openedAt: string;
  /** ISO instant of the task's deadline: the last instant that is still on time */
  dueAt: string;
  policy: ReminderPolicy;
  /** the program's time zone (only zones with a fixed offset: Asia/Shanghai) */
  timeZone: string;
  /** local HH:MM at which day-based reminders go out; default 09:00 */
  sendAtLocalTime?: string;
  /** with a calendar, day counts are working days and day-based reminders go out on working days */
  calendar?: WorkingDayCalendar;
}

export const REMINDER_LABELS: Readonly<Record<ReminderKind, string>> = {
  before: '即将到期提醒',
  due_day: '今日到期提醒',
  overdue: '逾期通知',
  escalation: '逾期督办（报主管部门）',
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const KIND_ORDER: Record<ReminderKind, number> = { before: 0, due_day: 1, overdue: 2, escalation: 3 };

function parseInstant(value: string, what: string): number {
  const ms = typeof value === 'string' && ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an ISO instant: ${String(value)}`);
  return ms;
}

function checkPolicy(policy: ReminderPolicy): void {
  for (const n of policy.daysBefore) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`reminder daysBefore must be whole days ≥ 1: ${n}`);
  }
  const escalate = policy.escalateAfterDaysOverdue;
  if (!Number.isSafeInteger(escalate) || escalate < 0) {
    throw new RangeError(`escalateAfterDaysOverdue must be whole days ≥ 0: ${escalate}`);
  }
}

/**
 * The reminders of a task opened at openedAt and due at dueAt, sorted by time. Every reminder is
 * strictly after openedAt:
 * - 'before' N: at sendAtLocalTime on the local date N days (working days with a calendar) before the
 *   due date's local date; left out unless after openedAt and before dueAt (a task that opened
 *   already that close to its deadline gets no such reminder).
 * - 'due_day': at sendAtLocalTime on the due date, or one minute after openedAt if that is later;
 *   left out unless before dueAt. With a calendar it stays on the due date even if that is not a
 *   working day (the deadline is that day; a program that rolls deadlines never has such a due date).
 * - 'overdue' (policy.overdueNotice): one minute after dueAt.
 * - 'escalation' (escalateAfterDaysOverdue > 0): at sendAtLocalTime on the local date that many days
 *   (working days with a calendar) after the due date.
 * 'overdue' and 'escalation' of a task that opened after them go out one minute after openedAt.
 */
export function reminderSchedule(input: ReminderScheduleInput): Reminder[] {
  const { policy, calendar } = input;
  const offsetMs = utcOffsetMinutes(input.timeZone) * MINUTE_MS;
  const sendAt = input.sendAtLocalTime ?? '09:00';
  if (!LOCAL_TIME.test(sendAt)) throw new RangeError(`sendAtLocalTime must be HH:MM: ${sendAt}`);
  checkPolicy(policy);
  const opened = parseInstant(input.openedAt, 'openedAt');
  const due = parseInstant(input.dueAt, 'dueAt');
  const dueLocalDate = new Date(due + offsetMs).toISOString().slice(0, 10);

  const localDateShifted = (days: number): string =>
    calendar
      ? addWorkingDays(calendar, dueLocalDate, days)
      : new Date(Date.parse(`${dueLocalDate}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
  const sendInstant = (localDate: string): number => Date.parse(`${localDate}T${sendAt}:00.000Z`) - offsetMs;
  const notBeforeOpened = (ms: number): number => Math.max(ms, opened + MINUTE_MS);

  const reminders: { reminder: Reminder; ms: number }[] = [];
  const add = (ms: number, reminder: Omit<Reminder, 'at'>): void => {
    reminders.push({ ms, reminder: { ...reminder, at: new Date(ms).toISOString() } });
  };

  for (const n of [...new Set(policy.daysBefore)]) {
    const ms = sendInstant(localDateShifted(-n));
    if (ms > opened && ms < due) add(ms, { kind: 'before', daysBefore: n, occurrence: `before-${n}` });
  }
  if (policy.onDueDay) {
    const ms = notBeforeOpened(sendInstant(dueLocalDate));
    if (ms < due) add(ms, { kind: 'due_day', occurrence: 'due' });
  }
  if (policy.overdueNotice) {
    add(notBeforeOpened(due + MINUTE_MS), { kind: 'overdue', occurrence: 'overdue-1' });
  }
  const escalateAfter = policy.escalateAfterDaysOverdue;
  if (escalateAfter > 0) {
    const ms = notBeforeOpened(sendInstant(localDateShifted(escalateAfter)));
    add(ms, { kind: 'escalation', daysOverdue: escalateAfter, occurrence: 'escalation' });
  }

  return reminders
    .sort(
      (a, b) =>
        a.ms - b.ms ||
        KIND_ORDER[a.reminder.kind] - KIND_ORDER[b.reminder.kind] ||
        (b.reminder.daysBefore ?? 0) - (a.reminder.daysBefore ?? 0),
    )
    .map((r) => r.reminder);
}

/**
 * The same policy on a compressed calendar, where a "day" lasts `dayMs` milliseconds (demos and
 * tests watch a month pass in a minute): offsets from the due instant, no local-time alignment.
 */
export function compressedReminderSchedule(input: { openedAt: string; dueAt: string; policy: ReminderPolicy; dayMs: number }): Reminder[] {
  const opened = Date.parse(input.openedAt);
  const due = Date.parse(input.dueAt);
  const { policy, dayMs } = input;
  const at = (ms: number) => new Date(ms).toISOString();
  const reminders: Reminder[] = [];
  for (const days of [...new Set(policy.daysBefore)].sort((a, b) => b - a)) {
    const when = due - days * dayMs;
    if (when > opened) reminders.push({ kind: 'before', at: at(when), daysBefore: days, occurrence: `before-${days}` });
  }
  const dueDay = due - dayMs / 2;
  if (policy.onDueDay && dueDay > opened) reminders.push({ kind: 'due_day', at: at(dueDay), occurrence: 'due' });
  if (policy.overdueNotice) reminders.push({ kind: 'overdue', at: at(Math.max(due + 1_000, opened + 1_000)), occurrence: 'overdue-1' });
  if (policy.escalateAfterDaysOverdue > 0) {
    reminders.push({ kind: 'escalation', at: at(Math.max(due + policy.escalateAfterDaysOverdue * dayMs, opened + 1_000)), daysOverdue: policy.escalateAfterDaysOverdue, occurrence: 'escalation' });
  }
  return reminders.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
