import { describe, expect, test } from '@jest/globals';
import {
  TAICANG_ELIGIBILITY,
  addYears,
  checkEligibility,
  type CreditRecord,
  type EligibilityFacts,
} from '../../domain/eligibility/eligibility.ts';

const DISTRICTS = [
  { code: 'gangqu', name: '港区' },
  { code: 'shaxi', name: '沙溪镇' },
  { code: 'fuqiao', name: '浮桥镇' },
];

function facts(overrides: Partial<EligibilityFacts> = {}): EligibilityFacts {
  return {
    applicationDate: '2026-06-01',
    district: 'shaxi',
    programDistricts: DISTRICTS,
    independentLegalPerson: true,
    foundedOn: '2015-03-01',
    declaresNoSeriousDishonesty: true,
    creditRecords: [],
    ...overrides,
  };
}

function check(overrides: Partial<EligibilityFacts> = {}) {
  return checkEligibility(facts(overrides), TAICANG_ELIGIBILITY);
}

function record(kind: CreditRecord['kind'], occurredOn: string): CreditRecord {
  return { kind, occurredOn, note: '内部备注：不应出现在提示中' };
}

describe('addYears', () => {
  test('keeps month and day, and Feb 29 falls back to Feb 28 in common years', () => {
    expect(addYears('2026-06-01', -2)).toBe('2024-06-01');
    expect(addYears('2024-02-29', 2)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2028-02-29', -2)).toBe('2026-02-28');
  });

  test('refuses what is not a date', () => {
    expect(() => addYears('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addYears('2026-06-01', 1.5)).toThrow(RangeError);
  });
});

describe('application conditions (贯标申报条件)', () => {
  test('an enterprise that meets every condition has no failures', () => {
    expect(check()).toEqual([]);
  });

  test('the Taicang 2018 rules', () => {
    expect(TAICANG_ELIGIBILITY).toEqual({ minOperatingYears: 2, dishonestyLookbackYears: 3, falseCommitmentBarYears: 2 });
  });

  describe('operating ≥ 2 years', () => {
    test('founded exactly 2 years before the application date is eligible', () => {
      expect(check({ foundedOn: '2024-06-01' })).toEqual([]);
    });

    test('founded one day later is not, and the message names both dates and the latest founding date', () => {
      const failures = check({ foundedOn: '2024-06-02' });
      expect(failures).toEqual([{ rule: 'operating_years', path: 'application.foundedOn', message: expect.any(String) }]);
      expect(failures[0]!.message).toBe(
        '企业成立于2024年6月2日，至申报日2026年6月1日不满2年；须在2024年6月1日或之前成立。(founded less than 2 years before the application date)',
      );
    });

    test('an application on Feb 29 counts back to Feb 28 two years earlier', () => {
      expect(check({ applicationDate: '2028-02-29', foundedOn: '2026-02-28' })).toEqual([]);
      expect(check({ applicationDate: '2028-02-29', foundedOn: '2026-03-01' }).map((f) => f.rule)).toEqual(['operating_years']);
    });

    test('an enterprise founded on Feb 29 may apply from Mar 1 two years later', () => {
      expect(check({ applicationDate: '2026-02-28', foundedOn: '2024-02-29' }).map((f) => f.rule)).toEqual(['operating_years']);
      expect(check({ applicationDate: '2026-03-01', foundedOn: '2024-02-29' })).toEqual([]);
    });

    test('a founding date that is not a date is reported, not thrown', () => {
      const failures = check({ foundedOn: '2024-02-30' });
      expect(failures.map((f) => f.rule)).toEqual(['operating_years']);
      expect(failures[0]!.message).toContain('2024-02-30');
      expect(failures[0]!.message).toContain('不是有效日期');
    });

    test('the number of years is program data', () => {
      const failures = checkEligibility(facts({ foundedOn: '2023-06-02' }), { ...TAICANG_ELIGIBILITY, minOperatingYears: 3 });
      expect(failures[0]!.message).toContain('不满3年；须在2023年6月1日或之前成立');
    });
  });

  test('a district outside the program is named, with the districts that are allowed', () => {
    const failures = check({ district: 'luzhi' });
    expect(failures).toHaveLength(1);
    expect(failures[0]!).toMatchObject({ rule: 'district', path: 'application.district' });
    expect(failures[0]!.message).toContain('“luzhi”');
    expect(failures[0]!.message).toContain('港区、沙溪镇、浮桥镇');
    // names, not internal codes, and nothing from the rest of the application
    expect(failures[0]!.message).not.toMatch(/gangqu|shaxi|fuqiao|2015/);
    expect(failures[0]!.message).toMatch(/\(not registered in one of the program's districts\)$/);
  });

  test('an empty district is reported as missing', () => {
    const failures = check({ district: '' });
    expect(failures.map((f) => f.rule)).toEqual(['district']);
    expect(failures[0]!.message).toContain('未填写');
  });

  test('an enterprise that is not an independent legal person cannot apply', () => {
    expect(check({ independentLegalPerson: false })).toEqual([
      { rule: 'legal_person', path: 'application.independentLegalPerson', message: expect.stringContaining('独立法人资格') },
    ]);
  });

  test('the enterprise must declare that it found no serious dishonesty', () => {
    const failures = check({ declaresNoSeriousDishonesty: false });
    expect(failures).toEqual([
      { rule: 'dishonesty_declaration', path: 'application.declaresNoSeriousDishonesty', message: expect.stringContaining('近3年内无严重失信行为') },
    ]);
  });

  describe('credit records', () => {
    test('serious dishonesty 2 years ago bars the application and says when it may apply', () => {
      const failures = check({ creditRecords: [record('serious_dishonesty', '2024-06-01')] });
      expect(failures).toEqual([{ rule: 'serious_dishonesty', path: 'enterprise.creditRecords', message: expect.any(String) }]);
      expect(failures[0]!.message).toContain('2024年6月1日有严重失信行为记录');
      expect(failures[0]!.message).toContain('2027年6月1日起方可申报');
      expect(failures[0]!.message).not.toContain('内部备注');
    });

    test('serious dishonesty 4 years ago does not bar', () => {
      expect(check({ creditRecords: [record('serious_dishonesty', '2022-06-01')] })).toEqual([]);
    });

    test('serious dishonesty exactly 3 years before no longer bars; one day later still does', () => {
      expect(check({ creditRecords: [record('serious_dishonesty', '2023-06-01')] })).toEqual([]);
      expect(check({ creditRecords: [record('serious_dishonesty', '2023-06-02')] }).map((f) => f.rule)).toEqual(['serious_dishonesty']);
    });

    test('general dishonesty does not bar application', () => {
      expect(check({ creditRecords: [record('general_dishonesty', '2026-05-01')] })).toEqual([]);
    });

    test('a false commitment 1 year ago bars, naming the day the bar ends', () => {
      const failures = check({ creditRecords: [record('false_commitment', '2025-06-15')] });
      expect(failures).toEqual([{ rule: 'false_commitment_bar', path: 'enterprise.creditRecords', message: expect.any(String) }]);
      expect(failures[0]!.message).toContain('2025年6月15日被认定信用承诺弄虚作假');
      expect(failures[0]!.message).toContain('限制于2027年6月15日解除');
      expect(failures[0]!.message).toContain('2027-06-15');
    });

    test('a false commitment 3 years ago does not bar', () => {
      expect(check({ creditRecords: [record('false_commitment', '2023-06-01')] })).toEqual([]);
    });

    test('with several findings the one that bars longest is named', () => {
      const failures = check({
        creditRecords: [record('serious_dishonesty', '2024-01-10'), record('serious_dishonesty', '2025-09-30'), record('serious_dishonesty', '2020-01-01')],
      });
      expect(failures).toHaveLength(1);
      expect(failures[0]!.message).toContain('2025年9月30日');
      expect(failures[0]!.message).toContain('2028年9月30日起方可申报');
    });

    test('a record with a malformed date is refused loudly', () => {
      expect(() => check({ creditRecords: [record('serious_dishonesty', '2024/06/01')] })).toThrow(RangeError);
    });
  });

  test('every failure is reported at once, in the order of the work plan', () => {
    const failures = check({
      district: 'elsewhere',
      independentLegalPerson: false,
      foundedOn: '2025-03-01',
      declaresNoSeriousDishonesty: false,
      creditRecords: [record('serious_dishonesty', '2025-01-01'), record('false_commitment', '2025-12-01'), record('general_dishonesty', '2026-01-01')],
    });
    expect(failures.map((f) => [f.rule, f.path])).toEqual([
      ['district', 'application.district'],
      ['legal_person', 'application.independentLegalPerson'],
      ['operating_years', 'application.foundedOn'],
      ['dishonesty_declaration', 'application.declaresNoSeriousDishonesty'],
      ['serious_dishonesty', 'enterprise.creditRecords'],
      ['false_commitment_bar', 'enterprise.creditRecords'],
    ]);
    expect(failures.find((f) => f.rule === 'operating_years')!.message).toBe(
      '企业成立于2025年3月1日，至申报日2026年6月1日不满2年；须在2024年6月1日或之前成立。(founded less than 2 years before the application date)',
    );
    // every message is a Chinese sentence with an English gloss
    for (const f of failures) expect(f.message).toMatch(/^\p{Script=Han}.*。\(.+\)$/u);
  });

  test('refuses rules that are not whole years and an application date that is not a date', () => {
    expect(() => checkEligibility(facts(), { ...TAICANG_ELIGIBILITY, minOperatingYears: -1 })).toThrow(RangeError);
    expect(() => checkEligibility(facts({ applicationDate: '2026-13-01' }), TAICANG_ELIGIBILITY)).toThrow(RangeError);
  });
});
