import { localDate, utcOffsetMinutes } from '../program/calendar.ts';
import type { TrackId } from '../program/types.ts';

/** The due-date filters of the inbox: past due (逾期), or due by the end of this week (本周到期). */
export const DUE_FILTERS = ['overdue', 'week'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

/** Soonest due first (undated last), or latest first (undated still last: a date to be announced is no deadline). */
export const INBOX_SORTS = ['due', '-due'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

/** Rows per page of the inbox. */
export const INBOX_PAGE_SIZE = 50;

/** What a person asks their inbox to show: every part optional but the order and the page. */
export interface InboxFilter {
  track?: TrackId | undefined;
  stage?: string | undefined;
  district?: string | undefined;
  due?: DueFilter | undefined;
  /** part of an enterprise's name, its credit code (USCC) or the case's code */
  q?: string | undefined;
  sort: InboxSort;
  /** the page's number, as the pages count it (shown; without a cursor, pages before it are skipped) */
  page: number;
  /** keyset paging: the page starts after this row, or ends before it (domain/inbox/cursor.ts) */
  after?: string | undefined;
  before?: string | undefined;
}

export const DEFAULT_FILTER: InboxFilter = { sort: 'due', page: 1 };

/** The parts that narrow the list (order and page do not). */
const NARROWING = ['track', 'stage', 'district', 'due', 'q'] as const;

/** Whether the filter narrows the list at all: an empty answer then means "none of these", not "nothing to do". */
export function isNarrowed(filter: InboxFilter): boolean {
  return NARROWING.some((key) => filter[key] !== undefined);
}

/**
 * The filter as a query string, with only what differs from the defaults and in a fixed order, so
 * one filter has one address (a saved filter's link, the form's own address, the pages' links).
 */
export function filterQuery(filter: InboxFilter, change: Partial<InboxFilter> = {}): string {
  const merged = { ...filter, ...change };
  const params = new URLSearchParams();
  for (const key of NARROWING) {
    const value = merged[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  if (merged.sort !== DEFAULT_FILTER.sort) params.set('sort', merged.sort);
  if (merged.page !== DEFAULT_FILTER.page) params.set('page', String(merged.page));
  if (merged.after) params.set('after', merged.after);
  else if (merged.before) params.set('before', merged.before);
  return params.toString();
}

/** What a saved filter keeps: what narrows and the order, never the page it was on. */
export function savedPart(filter: InboxFilter): InboxFilter {
  const { after: _after, before: _before, ...kept } = filter;
  return { ...kept, page: 1 };
}

/** A local calendar week, Monday 00:00 to the next Monday 00:00, as instants. */
export function weekOf(now: Date, timeZone: string): { start: Date; end: Date } {
  const today = localDate(now, timeZone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const startLocal = Date.parse(`${today}T00:00:00Z`) - weekday * 86_400_000;
  const start = new Date(startLocal - utcOffsetMinutes(timeZone) * 60_000);
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}

/**
 * The instants a due filter keeps, for the query: overdue is due before now; this week is not yet
 * due and due before the week ends (Sunday midnight, local).
 */
export function dueWindow(due: DueFilter, now: Date, timeZone: string): { from: Date | null; before: Date } {
  return due === 'overdue' ? { from: null, before: now } : { from: now, before: weekOf(now, timeZone).end };
}

/** A task's due date as a person counts it: whole local days, today being 0. */
export type DueState = { kind: 'undated' } | { kind: 'overdue'; days: number } | { kind: 'due'; days: number };

/**
 * Days left (or overdue) in local calendar days: a task due tonight is due today (0 days left); one
 * due yesterday evening is 1 day overdue; one due earlier today and past it is overdue today (0).
 */
export function dueState(dueAt: Date | string | null, now: Date, timeZone: string): DueState {
  if (dueAt === null) return { kind: 'undated' };
  const due = new Date(dueAt);
  const days = Math.round((Date.parse(localDate(due, timeZone)) - Date.parse(localDate(now, timeZone))) / 86_400_000);
  return due.getTime() < now.getTime() ? { kind: 'overdue', days: Math.max(0, -days) } : { kind: 'due', days };
}
