import { describe, expect, test } from '@jest/globals';
import { deadlineInstant, formatLocal, shiftDateToYear } from '../../domain/program/calendar.ts';

describe('program calendar (Asia/Shanghai)', () => {
  test('an inclusive deadline ends at the last millisecond of its local minute', () => {
    const instant = deadlineInstant({ date: '2018-06-08', time: '23:59', inclusive: true }, 'Asia/Shanghai');
    expect(instant.toISOString()).toBe('2018-06-08T15:59:59.999Z');
  });

  test('an exclusive deadline ends before the local day starts', () => {
    const instant = deadlineInstant({ date: '2018-06-08', time: '17:00', inclusive: false }, 'Asia/Shanghai');
    expect(instant.toISOString()).toBe('2018-06-07T15:59:59.999Z');
  });

  test('refuses a time zone it cannot place and a malformed date', () => {
    expect(() => deadlineInstant({ date: '2018-06-08', time: '17:00', inclusive: true }, 'Europe/Paris')).toThrow(/time zone/);
    expect(() => deadlineInstant({ date: '2018-13-08', time: '17:00', inclusive: true }, 'Asia/Shanghai')).toThrow(/local date/);
  });

  test('shifting to another year keeps month and day, and Feb 29 falls back in common years', () => {
    expect(shiftDateToYear('2018-07-31', 2026)).toBe('2026-07-31');
    expect(shiftDateToYear('2024-02-29', 2026)).toBe('2026-02-28');
    expect(shiftDateToYear('2024-02-29', 2028)).toBe('2028-02-29');
  });

  test('formats instants as Shanghai wall time', () => {
    expect(formatLocal('2018-06-08T15:59:00.000Z', 'Asia/Shanghai')).toBe('2018年6月8日 23:59');
  });
});
