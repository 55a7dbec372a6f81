import { describe, expect, test } from '@jest/globals';
import { cloneProgramForYear, findDistrict, programDeadline, requireTrack } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';

describe('the Taicang 2018 program as data', () => {
  test('has the nine districts of attachment 1 and their 35 standard-compliance places', () => {
    expect(TAICANG_2018.districts.map((d) => d.name)).toEqual([
      '港区', '高新区', '旅游度假区', '科教新城', '城厢镇', '沙溪镇', '璜泾镇', '双凤镇', '浮桥镇',
    ]);
    expect(TAICANG_2018.districts.reduce((sum, d) => sum + (d.quotas.standard ?? 0), 0)).toBe(35);
    expect(findDistrict(TAICANG_2018, 'kejiao')?.quotas.standard).toBe(3);
  });

  test('keeps the work plan deadlines: 6/8, 7/31, 6/30, 8/15, 11/30', () => {
    expect(requireTrack(TAICANG_2018, 'standard').deadlines.application?.date).toBe('2018-06-08');
    expect(requireTrack(TAICANG_2018, 'standard').deadlines.acceptanceMaterials?.date).toBe('2018-07-31');
    expect(requireTrack(TAICANG_2018, 'municipal-demo').deadlines.recommendation?.date).toBe('2018-06-30');
    expect(requireTrack(TAICANG_2018, 'municipal-demo').deadlines.applicationPackage?.date).toBe('2018-08-15');
    expect(requireTrack(TAICANG_2018, 'provincial-demo').deadlines.applicationPackage?.date).toBe('2018-11-30');
    expect(requireTrack(TAICANG_2018, 'municipal-demo').cityQuota).toBe(4);
    expect(requireTrack(TAICANG_2018, 'provincial-demo').cityQuota).toBe(1);
  });

  test('cloned to a new year: new id, every deadline moved, the original untouched', () => {
    const next = cloneProgramForYear(TAICANG_2018, 2026);
    expect(next.id).toBe('taicang-2026');
    expect(next.year).toBe(2026);
    expect(next.title).toBe('2026年太仓市企业信用管理贯标和示范创建工作方案');
    const dates = Object.values(next.tracks).flatMap((t) => Object.values(t.deadlines).map((d) => d.date));
    expect(dates.length).toBe(6);
    expect(dates.every((d) => d.startsWith('2026-'))).toBe(true);
    expect(requireTrack(TAICANG_2018, 'standard').deadlines.application?.date).toBe('2018-06-08');
  });
});

describe('deadlines and the working-day calendar', () => {
  const deadline = { date: '2018-10-01', time: '17:00', inclusive: true };

  test('a deadline on a public holiday stays put unless the program rolls deadlines', () => {
    expect(programDeadline(TAICANG_2018, deadline).toISOString()).toBe('2018-10-01T09:00:59.999Z');
    const rolling = { ...TAICANG_2018, calendar: { ...TAICANG_2018.calendar, rollDeadlinesToWorkingDay: true } };
    // 国庆 2018: 10/1–10/7 off, so the next working day is Monday 10/8
    expect(programDeadline(rolling, deadline).toISOString()).toBe('2018-10-08T09:00:59.999Z');
  });

  test('a cloned program takes that year’s official holidays, or weekends only where none are known', () => {
    expect(cloneProgramForYear(TAICANG_2018, 2026).calendar.holidays).toContain('2026-10-01');
    expect(cloneProgramForYear(TAICANG_2018, 2031).calendar).toEqual({ holidays: [], adjustedWorkingDays: [], rollDeadlinesToWorkingDay: false });
  });
});
