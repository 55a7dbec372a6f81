import { describe, expect, test } from '@jest/globals';
import { maskIdentityNumbers, kindOfAction } from '../../domain/audit/auditTrail.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import { calendarDays, calendarProblems, datesIn, quotaChanges, quotasOf, sameCalendar, withCalendar, withQuotas } from '../../domain/program/revisions.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import { addWorkingDays } from '../../domain/program/workingDays.ts';

const program2027 = cloneProgramForYear(TAICANG_2018, 2027);

describe('a year’s holiday calendar, as the admin edits it', () => {
  test('dates come one a line, or separated by commas, spaces or 、；', () => {
    expect(datesIn('2027-01-01\n2027-02-06, 2027-02-07、2027-02-08；2027-02-09  \r\n\n')).toEqual(['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
    expect(datesIn('  ')).toEqual([]);
  });

  test('every wrong date is named at once, by list', () => {
    const problems = calendarProblems(2027, {
      holidays: ['2027-13-01', '2027-02-30', 'tomorrow', '2025-10-01', '2026-12-31', '2028-01-01', '2027-05-01'],
      // 2027-05-03 is a Monday; 2027-05-01 is a holiday and a working day at once
      adjustedWorkingDays: ['2027-05-03', '2027-05-01', '2027-02-20'],
    });
    const holidays = problems.filter((p) => p.field === 'holidays').map((p) => p.rule);
    const workdays = problems.filter((p) => p.field === 'adjustedWorkingDays').map((p) => p.rule);
    expect(holidays).toHaveLength(2);
    expect(holidays[0]).toMatch(/^2027-13-01、2027-02-30、tomorrow：不是有效日期/);
    // the New Year days either side belong to the year; a date further away does not
    expect(holidays[1]).toMatch(/^2025-10-01：不在2027年内/);
    expect(workdays.join('\n')).toContain('2027-05-03：调休上班日应为周六或周日');
    expect(workdays.join('\n')).toContain('2027-05-01：不能既是节假日又是调休上班日');
    expect(workdays.join('\n')).not.toContain('2027-02-20');
  });

  test('a good calendar has no problem; the next version keeps it sorted without repeats and counts its working days by it', () => {
    const calendar = { holidays: ['2027-10-04', '2027-10-01', '2027-10-01'], adjustedWorkingDays: ['2027-09-26'], rollDeadlinesToWorkingDay: true };
    expect(calendarProblems(2027, calendar)).toEqual([]);
    const next = withCalendar(program2027, calendar);
    expect(next.version).toBe(program2027.version + 1);
    expect(next.id).toBe(program2027.id);
    expect(next.calendar).toEqual({ holidays: ['2027-10-01', '2027-10-04'], adjustedWorkingDays: ['2027-09-26'], rollDeadlinesToWorkingDay: true });
    // the original is not touched: a stored version never changes
    expect(program2027.calendar.holidays).not.toContain('2027-10-04');
    // Thursday 30 September + 1 working day: Friday 1 October is a holiday now, so Tuesday 5 October
    expect(addWorkingDays(next.calendar, '2027-09-30', 1)).toBe('2027-10-05');
    expect(sameCalendar(next.calendar, { ...calendar, holidays: ['2027-10-04', '2027-10-01'] })).toBe(true);
    expect(sameCalendar(next.calendar, { ...calendar, rollDeadlinesToWorkingDay: false })).toBe(false);
  });

  test('the days listed in date order, each a day off or a working day, with its weekday', () => {
    const days = calendarDays({ holidays: ['2027-10-01'], adjustedWorkingDays: ['2027-09-26'], rollDeadlinesToWorkingDay: false });
    expect(days).toEqual([
      { date: '2027-09-26', kind: 'workday', weekday: 0, working: true },
      { date: '2027-10-01', kind: 'holiday', weekday: 5, working: false },
    ]);
  });
});

describe('quotas (attachment 1) as the next version', () => {
  test('the changed numbers only, per district and track and for the city', () => {
    const next = withQuotas(TAICANG_2018, { districts: { shaxi: { standard: 6 }, kejiao: { standard: 3 } }, city: { 'municipal-demo': 5 } });
    expect(next.version).toBe(2);
    expect(next.districts.find((d) => d.code === 'shaxi')!.quotas).toEqual({ standard: 6, 'municipal-demo': 1, 'provincial-demo': 1 });
    expect(next.tracks['municipal-demo']!.cityQuota).toBe(5);
    expect(quotaChanges(quotasOf(TAICANG_2018), quotasOf(next))).toEqual({ 'shaxi.standard': [4, 6], 'city.municipal-demo': [4, 5] });
    expect(TAICANG_2018.districts.find((d) => d.code === 'shaxi')!.quotas.standard).toBe(4);
  });

  test('a district or track the program does not have is refused', () => {
    expect(() => withQuotas(TAICANG_2018, { districts: { nowhere: { standard: 1 } }, city: {} })).toThrow(/no district nowhere/);
    expect(() => withQuotas(TAICANG_2018, { districts: {}, city: { gold: 1 } as never })).toThrow(/no track gold/);
  });
});

describe('the audit log’s text', () => {
  test('anything shaped like an identity number is masked, valid or mistyped; credit codes and short numbers stay', () => {
    expect(maskIdentityNumbers('法定代表人身份证号320585197503121232有误')).toBe('法定代表人身份证号320585********1232有误');
    expect(maskIdentityNumbers('id 32058519750312123x, again 320585197503121231.')).toBe('id 320585********123X, again 320585********1231.');
    expect(maskIdentityNumbers('USCC 91320585MA1TC0001A, phone 13800138000')).toBe('USCC 91320585MA1TC0001A, phone 13800138000');
  });

  test('an admin action’s kind is its prefix', () => {
    expect(kindOfAction('user.invited')).toBe('user');
    expect(kindOfAction('program.calendar')).toBe('program');
    expect(kindOfAction('register.certificates_imported')).toBe('register');
  });
});
