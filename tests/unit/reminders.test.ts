import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { REMINDER_LABELS, reminderSchedule } from '../../domain/notifications/reminders.ts';
import type { Reminder } from '../../domain/notifications/reminders.ts';
import { deadlineInstant } from '../../domain/program/calendar.ts';
import type { ReminderPolicy } from '../../domain/program/types.ts';
import { CHINA_2018_CALENDAR } from '../../domain/program/workingDays.ts';

const TZ = 'Asia/Shanghai';
const POLICY: ReminderPolicy = { daysBefore: [7, 3, 1], onDueDay: true, overdueNotice: true, escalateAfterDaysOverdue: 3 };
/** 6/8 23:59 Shanghai, inclusive: the Taicang 2018 application deadline */
const DUE = deadlineInstant({ date: '2018-06-08', time: '23:59', inclusive: true }, TZ).toISOString();

const brief = (reminders: Reminder[]) => reminders.map((r) => [r.occurrence, r.at]);

describe('reminder schedule', () => {
  test('the deadline instant is the end of 6/8 in Shanghai', () => {
    expect(DUE).toBe('2018-06-08T15:59:59.999Z');
  });

  test('a task opened 10 days before its due date: 7, 3, 1 days before, due day, overdue, escalation after 3 days', () => {
    const reminders = reminderSchedule({ openedAt: '2018-05-29T02:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ });
    expect(brief(reminders)).toEqual([
      ['before-7', '2018-06-01T01:00:00.000Z'],
      ['before-3', '2018-06-05T01:00:00.000Z'],
      ['before-1', '2018-06-07T01:00:00.000Z'],
      ['due', '2018-06-08T01:00:00.000Z'],
      ['overdue-1', '2018-06-08T16:00:59.999Z'],
      ['escalation', '2018-06-11T01:00:00.000Z'],
    ]);
    expect(reminders.map((r) => r.kind)).toEqual(['before', 'before', 'before', 'due_day', 'overdue', 'escalation']);
    expect(reminders.slice(0, 3).map((r) => r.daysBefore)).toEqual([7, 3, 1]);
    expect(reminders[5]).toMatchObject({ kind: 'escalation', daysOverdue: 3 });
  });

  test('a task opened 2 days before gets only the 1-day, due-day, overdue and escalation reminders', () => {
    const reminders = reminderSchedule({ openedAt: '2018-06-06T06:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ });
    expect(brief(reminders)).toEqual([
      ['before-1', '2018-06-07T01:00:00.000Z'],
      ['due', '2018-06-08T01:00:00.000Z'],
      ['overdue-1', '2018-06-08T16:00:59.999Z'],
      ['escalation', '2018-06-11T01:00:00.000Z'],
    ]);
  });

  test('a before-reminder is kept only when strictly after the task opened', () => {
    const at = (openedAt: string) =>
      reminderSchedule({ openedAt, dueAt: DUE, policy: POLICY, timeZone: TZ }).map((r) => r.occurrence);
    expect(at('2018-06-01T00:59:59.999Z')).toContain('before-7');
    expect(at('2018-06-01T01:00:00.000Z')).not.toContain('before-7');
    expect(at('2018-06-01T01:00:00.000Z')).toContain('before-3');
  });

  test('a task opened on its due day gets the due-day reminder a minute later; none when due before the send time', () => {
    const opened = reminderSchedule({ openedAt: '2018-06-08T02:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ });
    expect(brief(opened).slice(0, 2)).toEqual([
      ['due', '2018-06-08T02:01:00.000Z'],
      ['overdue-1', '2018-06-08T16:00:59.999Z'],
    ]);
    // due 08:00 Shanghai: the 09:00 reminder would come too late
    const early = reminderSchedule({ openedAt: '2018-06-01T02:00:00.000Z', dueAt: '2018-06-08T00:00:00.000Z', policy: POLICY, timeZone: TZ });
    expect(early.map((r) => r.occurrence)).toEqual(['before-3', 'before-1', 'overdue-1', 'escalation']);
    expect(early[2]?.at).toBe('2018-06-08T00:01:00.000Z');
  });

  test('with a working-day calendar, day counts skip 中秋 and the National Day week and count 调休 days', () => {
    // due Sunday 2018-09-30 (a worked Sunday) at the end of the day
    const dueAt = deadlineInstant({ date: '2018-09-30', time: '23:59', inclusive: true }, TZ).toISOString();
    const input = { openedAt: '2018-09-10T02:00:00.000Z', dueAt, policy: POLICY, timeZone: TZ };
    expect(brief(reminderSchedule({ ...input, calendar: CHINA_2018_CALENDAR }))).toEqual([
      ['before-7', '2018-09-20T01:00:00.000Z'], // back over 9/29–9/25, then 9/21, 9/20: 9/22–9/24 (weekend, 中秋) skipped
      ['before-3', '2018-09-27T01:00:00.000Z'],
      ['before-1', '2018-09-29T01:00:00.000Z'], // a worked Saturday
      ['due', '2018-09-30T01:00:00.000Z'],
      ['overdue-1', '2018-09-30T16:00:59.999Z'],
      ['escalation', '2018-10-10T01:00:00.000Z'], // 10/8, 10/9, 10/10
    ]);
    expect(brief(reminderSchedule(input))).toEqual([
      ['before-7', '2018-09-23T01:00:00.000Z'],
      ['before-3', '2018-09-27T01:00:00.000Z'],
      ['before-1', '2018-09-29T01:00:00.000Z'],
      ['due', '2018-09-30T01:00:00.000Z'],
      ['overdue-1', '2018-09-30T16:00:59.999Z'],
      ['escalation', '2018-10-03T01:00:00.000Z'],
    ]);
  });

  test('with a calendar, a due date after a weekend gets its 1-day reminder on the Friday', () => {
    const dueAt = deadlineInstant({ date: '2018-06-11', time: '17:00', inclusive: true }, TZ).toISOString();
    const reminders = reminderSchedule({ openedAt: '2018-06-01T02:00:00.000Z', dueAt, policy: POLICY, timeZone: TZ, calendar: CHINA_2018_CALENDAR });
    expect(reminders.find((r) => r.occurrence === 'before-1')?.at).toBe('2018-06-08T01:00:00.000Z');
    // 3 working days after Monday 6/11: 6/12, 6/13, 6/14
    expect(reminders.find((r) => r.kind === 'escalation')?.at).toBe('2018-06-14T01:00:00.000Z');
  });

  test('escalation 0 means no escalation; switched-off kinds are left out', () => {
    const quiet: ReminderPolicy = { daysBefore: [3], onDueDay: false, overdueNotice: false, escalateAfterDaysOverdue: 0 };
    expect(brief(reminderSchedule({ openedAt: '2018-05-29T02:00:00.000Z', dueAt: DUE, policy: quiet, timeZone: TZ }))).toEqual([
      ['before-3', '2018-06-05T01:00:00.000Z'],
    ]);
    const noEscalation = reminderSchedule({
      openedAt: '2018-05-29T02:00:00.000Z',
      dueAt: DUE,
      policy: { ...POLICY, escalateAfterDaysOverdue: 0 },
      timeZone: TZ,
    });
    expect(noEscalation.map((r) => r.kind)).not.toContain('escalation');
    expect(noEscalation).toHaveLength(5);
  });

  test('send time is Shanghai wall time, given in UTC', () => {
    const reminders = reminderSchedule({ openedAt: '2018-05-29T02:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ, sendAtLocalTime: '17:30' });
    expect(reminders[0]?.at).toBe('2018-06-01T09:30:00.000Z');
    const midnight = reminderSchedule({ openedAt: '2018-05-29T02:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ, sendAtLocalTime: '00:00' });
    expect(midnight[0]?.at).toBe('2018-05-31T16:00:00.000Z'); // 6/1 00:00 in Shanghai
  });

  test('sorted by time, occurrences unique, repeated days collapse', () => {
    const reminders = reminderSchedule({
      openedAt: '2018-05-20T02:00:00.000Z',
      dueAt: DUE,
      policy: { ...POLICY, daysBefore: [1, 3, 3, 7] },
      timeZone: TZ,
    });
    const times = reminders.map((r) => r.at);
    expect([...times].sort()).toEqual(times);
    const occurrences = reminders.map((r) => r.occurrence);
    expect(new Set(occurrences).size).toBe(occurrences.length);
    expect(occurrences).toEqual(['before-7', 'before-3', 'before-1', 'due', 'overdue-1', 'escalation']);
  });

  test('a task opened after its deadline still gets its overdue notice and escalation, a minute after it opened', () => {
    const reminders = reminderSchedule({ openedAt: '2018-06-12T00:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ });
    expect(brief(reminders)).toEqual([
      ['overdue-1', '2018-06-12T00:01:00.000Z'],
      ['escalation', '2018-06-12T00:01:00.000Z'],
    ]);
  });

  test('refuses what it cannot place', () => {
    const base = { openedAt: '2018-05-29T02:00:00.000Z', dueAt: DUE, policy: POLICY, timeZone: TZ };
    expect(() => reminderSchedule({ ...base, timeZone: 'Europe/Paris' })).toThrow(/time zone/);
    expect(() => reminderSchedule({ ...base, sendAtLocalTime: '9:00' })).toThrow(RangeError);
    expect(() => reminderSchedule({ ...base, sendAtLocalTime: '24:00' })).toThrow(RangeError);
    expect(() => reminderSchedule({ ...base, openedAt: 'yesterday' })).toThrow(RangeError);
    expect(() => reminderSchedule({ ...base, dueAt: '2018-06-08' })).toThrow(RangeError);
    expect(() => reminderSchedule({ ...base, policy: { ...POLICY, daysBefore: [0] } })).toThrow(RangeError);
    expect(() => reminderSchedule({ ...base, policy: { ...POLICY, escalateAfterDaysOverdue: -1 } })).toThrow(RangeError);
  });

  test('labels in Chinese for every kind', () => {
    expect(Object.keys(REMINDER_LABELS).sort()).toEqual(['before', 'due_day', 'escalation', 'overdue']);
    for (const label of Object.values(REMINDER_LABELS)) expect(label).toMatch(/[\u4e00-\u9fff]/);
  });

  test('the module stays safe for workflow code: no Node built-ins, Intl or clock', () => {
    for (const file of ['domain/notifications/reminders.ts', 'domain/program/workingDays.ts']) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      expect(source).not.toMatch(/from ['"]node:|Intl\.|Date\.now|new Date\(\)|Math\.random/);
    }
  });
});
