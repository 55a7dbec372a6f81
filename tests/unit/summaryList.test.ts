import { describe, expect, test } from '@jest/globals';
import { summaryList, summaryListAccess, summaryListScope, summaryListTitle, type SummaryCase } from '../../domain/documents/summaryList.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';

const at = (iso: string) => new Date(iso);
const entry = (name: string, district: string, submittedAt: string, overrides: Partial<SummaryCase> = {}): SummaryCase => ({
  enterpriseName: name,
  enterpriseUscc: `USCC-${name}`,
  district,
  stage: 'district_review',
  status: 'active',
  submittedAt: at(submittedAt),
  ...overrides,
});

describe('汇总表 (the batch lists)', () => {
  test('the title from the program’s year, city and the track’s name', () => {
    expect(summaryListTitle(TAICANG_2018, '信用管理贯标')).toBe('2018年度太仓市信用管理贯标企业汇总表');
    // a name that already says 企业 is not told so twice
    expect(summaryListTitle(TAICANG_2018, '苏州市级信用管理示范企业创建')).toBe('2018年度太仓市苏州市级信用管理示范企业创建汇总表');
    expect(summaryList(TAICANG_2018, 'standard', 'shaxi', []).scopeLabel).toBe('（沙溪镇）');
    expect(summaryList(TAICANG_2018, 'standard', null, []).scopeLabel).toBe('');
  });

  test('rows by district in the work plan’s order, then by application date; numbered from 1', () => {
    const cases = [
      entry('沙溪乙', 'shaxi', '2018-06-03T02:00:00Z'),
      entry('港区甲', 'gangqu', '2018-06-05T02:00:00Z'),
      entry('沙溪甲', 'shaxi', '2018-06-01T02:00:00Z'),
      entry('浮桥甲', 'fuqiao', '2018-05-30T02:00:00Z'),
      entry('港区乙', 'gangqu', '2018-06-04T02:00:00Z'),
    ];
    const { rows } = summaryList(TAICANG_2018, 'standard', null, cases);
    expect(rows.map((r) => [r.number, r.districtName, r.enterpriseName])).toEqual([
      [1, '港区', '港区乙'],
      [2, '港区', '港区甲'],
      [3, '沙溪镇', '沙溪甲'],
      [4, '沙溪镇', '沙溪乙'],
      [5, '浮桥镇', '浮桥甲'],
    ]);
    // the same cases in another order: the same list
    expect(summaryList(TAICANG_2018, 'standard', null, [...cases].reverse()).rows).toEqual(rows);
  });

  test('a district’s list holds only its cases; the stage, status and local application date in words', () => {
    const cases = [
      entry('沙溪甲', 'shaxi', '2018-06-07T16:30:00Z', { stage: 'self_compliance' }),
      entry('港区甲', 'gangqu', '2018-06-05T02:00:00Z'),
      entry('沙溪乙', 'shaxi', '2018-06-01T02:00:00Z', { stage: 'rejected', status: 'rejected' }),
    ];
    const { rows } = summaryList(TAICANG_2018, 'standard', 'shaxi', cases);
    expect(rows).toEqual([
      { number: 1, districtName: '沙溪镇', enterpriseName: '沙溪乙', uscc: 'USCC-沙溪乙', stageLabel: '申报未通过', statusLabel: '申报未通过', appliedOn: '2018年6月1日' },
      // 16:30 UTC is past midnight in Taicang: the local date
      { number: 2, districtName: '沙溪镇', enterpriseName: '沙溪甲', uscc: 'USCC-沙溪甲', stageLabel: '自主贯标', statusLabel: '办理中', appliedOn: '2018年6月8日' },
    ]);
  });

  test('a district unknown to the program comes last, under its code', () => {
    const { rows } = summaryList(TAICANG_2018, 'standard', null, [entry('旧镇甲', 'oldtown', '2018-05-01T02:00:00Z'), entry('浮桥甲', 'fuqiao', '2018-06-01T02:00:00Z')]);
    expect(rows.map((r) => r.districtName)).toEqual(['浮桥镇', 'oldtown']);
  });

  test('who may have a list: a district office its own, the city and higher offices any, nobody else', () => {
    const district = { role: 'district_officer', scopeId: 'shaxi' } as const;
    expect(summaryListAccess(district, 'shaxi')).toBe('allowed');
    expect(summaryListAccess(district, 'gangqu')).toBe('not_found');
    expect(summaryListAccess(district, null)).toBe('not_found');
    for (const role of ['city_officer', 'prefecture_officer', 'province_officer'] as const) {
      expect(summaryListAccess({ role, scopeId: null }, null)).toBe('allowed');
      expect(summaryListAccess({ role, scopeId: null }, 'gangqu')).toBe('allowed');
    }
    for (const role of ['enterprise', 'consultant', 'admin'] as const) expect(summaryListAccess({ role, scopeId: null }, null)).toBe('forbidden');
    expect([summaryListScope(null), summaryListScope('shaxi')]).toEqual(['city', 'shaxi']);
  });
});
