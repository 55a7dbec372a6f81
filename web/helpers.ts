import { AppError } from '../features/errors.ts';
import { type Outcome, type TaskKind } from '../domain/case/model.ts';
import { TASK_KIND_LABELS } from '../domain/tasks/index.ts';
import type { Role } from '../domain/identity/roles.ts';
import { labelsFor, type Locale } from '../domain/i18n/labels.ts';
import { inLanguage } from '../domain/i18n/bilingual.ts';
import { personalName } from '../domain/identity/personNames.ts';
import { formatLocal, formatLocalDate, formatLocalDateTime } from '../domain/program/calendar.ts';
import { hasMessage, localeOf, translate } from './i18n/i18n.ts';

export const TRACK_LABELS: Record<string, string> = { standard: '信用管理贯标', 'municipal-demo': '苏州市级示范创建', 'provincial-demo': '江苏省级示范创建' };

/** The rule named for a field path in an AppError, for the field's own line in the form. */
export function problemFor(error: unknown, path: unknown, locale: Locale = 'zh-CN'): string {
  if (!(error instanceof AppError) || typeof path !== 'string') return '';
  return inLanguage(error.fields.find((f) => f.path === path)?.rule ?? '', locale);
}

/** The reader's language, from the page's root data (res.locals.locale), in a helper's options. */
const localeIn = (options: unknown): Locale => localeOf((options as { data?: { root?: { locale?: unknown } } } | undefined)?.data?.root?.locale);
const labelsIn = (options: unknown) => labelsFor(localeIn(options));

export const helpers = {
  /** a message of the catalogue (web/i18n/locales) in the reader's language: {{t "inbox.title"}} */
  t: (key: string, options: { hash?: Record<string, unknown> }) => translate(localeIn(options), key, options.hash),
  /** a message or rule written "中文 (english)" in the reader's language */
  say: (text: unknown, options: unknown) => inLanguage(String(text ?? ''), localeIn(options)),
  stageLabel: (stage: string, options: unknown) => labelsIn(options).stage(stage),
  roleLabel: (role: string, options: unknown) => labelsIn(options).role(role as Role) ?? role,
  /** a person's own name, where their office is shown beside it (陈静, not 陈静（沙溪镇经发中心） · 镇（区）经发中心) */
  personalName: (name: unknown) => personalName(String(name ?? '')),
  statusLabel: (status: string, options: unknown) => labelsIn(options).status(status),
  outcomeLabel: (outcome: string, options: unknown) => labelsIn(options).outcome(outcome as Outcome) ?? outcome,
  kindLabel: (kind: string, options: unknown) => labelsIn(options).taskKind(kind, TASK_KIND_LABELS[kind as TaskKind] ?? kind),
  trackLabel: (track: string, options: unknown) => labelsIn(options).track(track, TRACK_LABELS[track] ?? track),
  deadlineLabel: (name: string, options: unknown) => labelsIn(options).deadline(name),
  localTime: (instant: Date | string | null, options: unknown) => (instant ? formatLocal(instant, 'Asia/Shanghai', localeIn(options)) : ''),
  /** a task's due date; none yet: the date is announced later (验收时间另行通知) */
  dueLabel: (instant: Date | string | null | undefined, options: unknown) => (instant ? formatLocal(instant, 'Asia/Shanghai', localeIn(options)) : labelsIn(options).dateToBeAnnounced),
  /** a local date and time as a datetime-local field holds it (2026-07-01T09:30), written as localTime writes instants */
  localDateTime: (value: string | null | undefined, options: unknown) => (value ? formatLocalDateTime(value, 'Asia/Shanghai', localeIn(options)) : ''),
  /** a calendar date (2026-09-28, or an instant's local date), in the same words as localTime's date */
  localDate: (value: Date | string | null | undefined, options: unknown) => (value ? formatLocalDate(value, 'Asia/Shanghai', localeIn(options)) : ''),
  fieldProblem: (error: unknown, path: unknown, options: unknown) => problemFor(error, path, localeIn(options)),
  eq: (a: unknown, b: unknown) => a === b,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  not: (value: unknown) => !value,
  includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
  json: (value: unknown) => JSON.stringify(value, null, 2),
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
  inc: (n: unknown) => Number(n) + 1,
  lt: (a: unknown, b: unknown) => Number(a) < Number(b),
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  minus: (a: unknown, b: unknown) => Number(a) - Number(b),
  /** a field as the form names it (catalogue `fields.<path>`), or '' when the rule names it itself (第4.1项：…) or it has no name */
  fieldLabel: (path: unknown, rule: unknown, options: unknown) =>
    /^第[^项]{1,12}项/.test(String(rule ?? '')) || !hasMessage(`fields.${String(path)}`) ? '' : translate(localeIn(options), `fields.${String(path)}`),
  /** the head of a checksum, enough for a person to compare two prints */
  short: (value: unknown) => String(value ?? '').slice(0, 12),
  join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ',') : ''),
};
