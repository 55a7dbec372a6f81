import { describe, expect, test } from '@jest/globals';
import {
  addWorkingDays,
  CHINA_2018_CALENDAR,
  CHINA_2026_CALENDAR,
  effectiveDeadlineDate,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
} from '../../domain/program/workingDays.ts';
import type { WorkingDayCalendar } from '../../domain/program/workingDays.ts';

const WEEKENDS_ONLY: WorkingDayCalendar = { holidays: [], adjustedWorkingDays: [], rollDeadlinesToWorkingDay: false };
const CN2018 = CHINA_2018_CALENDAR;
const CN2018_ROLLING: WorkingDayCalendar = { ...CHINA_2018_CALENDAR, rollDeadlinesToWorkingDay: true };

describe('working days', () => {
  test('Monday to Friday work, Saturday and Sunday do not', () => {
    expect(isWorkingDay(WEEKENDS_ONLY, '2018-06-08')).toBe(true); // Friday
    expect(isWorkingDay(WEEKENDS_ONLY, '2018-06-09')).toBe(false); // Saturday
    expect(isWorkingDay(WEEKENDS_ONLY, '2018-06-10')).toBe(false); // Sunday
    expect(isWorkingDay(WEEKENDS_ONLY, '2018-06-11')).toBe(true); // Monday
  });

  test('the 2018 National Day week is off, and the weekend before it is worked (调休)', () => {
    expect(isWorkingDay(CN2018, '2018-09-28')).toBe(true);
    expect(isWorkingDay(CN2018, '2018-09-29')).toBe(true); // Saturday, worked
    expect(isWorkingDay(CN2018, '2018-09-30')).toBe(true); // Sunday, worked
    for (const day of ['01', '02', '03', '04', '05', '06', '07']) {
      expect(isWorkingDay(CN2018, `2018-10-${day}`)).toBe(false);
    }
    expect(isWorkingDay(CN2018, '2018-10-08')).toBe(true);
    // without the holiday data the same week is ordinary
    expect(isWorkingDay(WEEKENDS_ONLY, '2018-09-29')).toBe(false);
    expect(isWorkingDay(WEEKENDS_ONLY, '2018-10-02')).toBe(true);
  });

  test('single-day holidays on a Monday and the 调休 Saturdays of 2018', () => {
    expect(isWorkingDay(CN2018, '2018-06-18')).toBe(false); // 端午
    expect(isWorkingDay(CN2018, '2018-09-24')).toBe(false); // 中秋
    expect(isWorkingDay(CN2018, '2018-02-24')).toBe(true); // Saturday after 春节
    expect(isWorkingDay(CN2018, '2018-04-28')).toBe(true); // Saturday before 劳动节
    expect(isWorkingDay(CN2018, '2018-12-29')).toBe(true); // Saturday before 2019 元旦
    expect(isWorkingDay(CN2018, '2018-12-31')).toBe(false);
  });

  test('adding working days skips weekends and holidays and counts 调休 days', () => {
    expect(addWorkingDays(WEEKENDS_ONLY, '2018-06-08', 1)).toBe('2018-06-11');
    expect(addWorkingDays(WEEKENDS_ONLY, '2018-06-09', 1)).toBe('2018-06-11');
    expect(addWorkingDays(WEEKENDS_ONLY, '2018-06-08', 5)).toBe('2018-06-15');
    expect(addWorkingDays(CN2018, '2018-09-28', 1)).toBe('2018-09-29');
    expect(addWorkingDays(CN2018, '2018-09-28', 3)).toBe('2018-10-08');
    expect(addWorkingDays(CN2018, '2018-09-30', 1)).toBe('2018-10-08');
    expect(addWorkingDays(CN2018, '2018-02-14', 1)).toBe('2018-02-22'); // across 春节
    // a 5-working-day publicity period starting the day after 9/27
    expect(addWorkingDays(CN2018, '2018-09-27', 5)).toBe('2018-10-09');
  });

  test('zero working days is the day itself when it is worked, else the next working day', () => {
    expect(addWorkingDays(CN2018, '2018-09-29', 0)).toBe('2018-09-29');
    expect(addWorkingDays(CN2018, '2018-10-03', 0)).toBe('2018-10-08');
    expect(addWorkingDays(WEEKENDS_ONLY, '2018-06-10', 0)).toBe('2018-06-11');
  });

  test('negative counts go back', () => {
    expect(addWorkingDays(WEEKENDS_ONLY, '2018-06-11', -1)).toBe('2018-06-08');
    expect(addWorkingDays(WEEKENDS_ONLY, '2018-06-10', -1)).toBe('2018-06-08');
    expect(addWorkingDays(CN2018, '2018-10-08', -1)).toBe('2018-09-30');
    expect(addWorkingDays(CN2018, '2018-10-08', -3)).toBe('2018-09-28');
    expect(addWorkingDays(CN2018, '2018-10-03', -1)).toBe('2018-09-30');
    expect(addWorkingDays(CN2018, '2018-09-25', -1)).toBe('2018-09-21'); // 中秋 Monday skipped
  });

  test('working days between two dates count (from, to]', () => {
    expect(workingDaysBetween(CN2018, '2018-09-28', '2018-10-08')).toBe(3);
    expect(workingDaysBetween(CN2018, '2018-10-08', '2018-09-28')).toBe(-3);
    expect(workingDaysBetween(CN2018, '2018-10-03', '2018-10-03')).toBe(0);
    expect(workingDaysBetween(WEEKENDS_ONLY, '2018-06-08', '2018-06-15')).toBe(5);
    expect(workingDaysBetween(CN2018, '2018-09-27', addWorkingDays(CN2018, '2018-09-27', 5))).toBe(5);
  });

  test('the next working day', () => {
    expect(nextWorkingDay(CN2018, '2018-09-30')).toBe('2018-09-30');
    expect(nextWorkingDay(CN2018, '2018-10-01')).toBe('2018-10-08');
    expect(nextWorkingDay(CN2018, '2018-12-30')).toBe('2019-01-02'); // the 2019 元旦 block reaches into 2018
    expect(nextWorkingDay(WEEKENDS_ONLY, '2018-06-09')).toBe('2018-06-11');
  });

  test('a deadline on a holiday rolls to the next working day only where the program says so', () => {
    expect(effectiveDeadlineDate(CN2018_ROLLING, '2018-10-03')).toBe('2018-10-08');
    expect(effectiveDeadlineDate(CN2018_ROLLING, '2018-06-09')).toBe('2018-06-11');
    expect(effectiveDeadlineDate(CN2018_ROLLING, '2018-09-30')).toBe('2018-09-30'); // a worked Sunday
    expect(effectiveDeadlineDate(CN2018_ROLLING, '2018-06-08')).toBe('2018-06-08');
    expect(effectiveDeadlineDate(CN2018, '2018-10-03')).toBe('2018-10-03');
    expect(effectiveDeadlineDate({ ...CHINA_2026_CALENDAR, rollDeadlinesToWorkingDay: true }, '2026-10-03')).toBe('2026-10-08');
  });

  test('malformed dates and counts are refused', () => {
    for (const bad of ['2018-13-01', '2018-02-29', '2018-04-31', '2018-2-3', '20180203', '', '2018-06-08T00:00', 'abc']) {
      expect(() => isWorkingDay(CN2018, bad)).toThrow(RangeError);
    }
    expect(() => addWorkingDays(CN2018, '2018-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(CN2018, '2018-06-08', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(CN2018, '2018-06-08', Number.NaN)).toThrow(RangeError);
    expect(() => workingDaysBetween(CN2018, '2018-06-08', '2018-06-31')).toThrow(RangeError);
    expect(() => nextWorkingDay(CN2018, 'x')).toThrow(RangeError);
    expect(() => effectiveDeadlineDate(CN2018, '2018-00-10')).toThrow(RangeError);
    expect(isWorkingDay(WEEKENDS_ONLY, '2024-02-29')).toBe(true);
  });

  test('does not depend on the machine time zone', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(addWorkingDays(CN2018, '2018-09-28', 3)).toBe('2018-10-08');
      process.env.TZ = 'Pacific/Kiritimati';
      expect(addWorkingDays(CN2018, '2018-09-28', 3)).toBe('2018-10-08');
      expect(isWorkingDay(WEEKENDS_ONLY, '2018-06-09')).toBe(false);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe('State Council holiday schedules (国务院办公厅部分节假日安排)', () => {
  const schedules: [number, WorkingDayCalendar, number][] = [
    [2018, CHINA_2018_CALENDAR, 250],
    [2026, CHINA_2026_CALENDAR, 248],
  ];

  test.each(schedules)('%i: valid dates, 调休 only on weekends, no day in both lists', (year, calendar) => {
    const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
    for (const day of [...calendar.holidays, ...calendar.adjustedWorkingDays]) {
      expect(() => isWorkingDay(calendar, day)).not.toThrow();
      expect(day >= `${year}-01-01` && day <= `${year + 1}-01-07`).toBe(true);
    }
    for (const day of calendar.adjustedWorkingDays) expect([0, 6]).toContain(weekday(day));
    expect(calendar.holidays.filter((d) => calendar.adjustedWorkingDays.includes(d))).toEqual([]);
    expect(new Set(calendar.holidays).size).toBe(calendar.holidays.length);
    expect(calendar.rollDeadlinesToWorkingDay).toBe(false);
  });

  test.each(schedules)('%i: the number of working days in the year', (year, calendar, workingDays) => {
    expect(workingDaysBetween(calendar, `${year - 1}-12-31`, `${year}-12-31`)).toBe(workingDays);
  });

  test('2026: the nine-day Spring Festival, the five-day Labour Day and their worked Saturdays', () => {
    const cal = CHINA_2026_CALENDAR;
    expect(isWorkingDay(cal, '2026-02-13')).toBe(true);
    expect(isWorkingDay(cal, '2026-02-14')).toBe(true); // Saturday, worked
    expect(workingDaysBetween(cal, '2026-02-14', '2026-02-23')).toBe(0);
    expect(addWorkingDays(cal, '2026-02-14', 1)).toBe('2026-02-24');
    expect(isWorkingDay(cal, '2026-02-28')).toBe(true);
    expect(addWorkingDays(cal, '2026-04-30', 1)).toBe('2026-05-06');
    expect(isWorkingDay(cal, '2026-05-09')).toBe(true);
    expect(isWorkingDay(cal, '2026-01-04')).toBe(true); // Sunday after 元旦
    expect(isWorkingDay(cal, '2026-09-20')).toBe(true);
    expect(isWorkingDay(cal, '2026-10-10')).toBe(true);
    expect(isWorkingDay(cal, '2026-10-07')).toBe(false);
  });
});
