import { describe, expect, test } from '@jest/globals';
import { DEFAULT_GRADING, JIANGSU_SELF_EVALUATION_RUBRIC as R } from '../../domain/evaluation/jiangsuRubric.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import type { LevelChoice } from '../../domain/evaluation/rubric.ts';
import { gradeFor, scoreProblems, scoreSheet } from '../../domain/evaluation/scoring.ts';

function all(level: LevelChoice): Record<string, LevelChoice> {
  return Object.fromEntries(rubricItems(R).map((i) => [i.id, level]));
}

describe('scoreProblems', () => {
  test('a complete, valid sheet has none, with or without requireAll', () => {
    expect(scoreProblems(R, all('full'))).toEqual([]);
    expect(scoreProblems(R, all('zero'), { requireAll: true })).toEqual([]);
    expect(scoreProblems(R, {})).toEqual([]);
  });

  test('names an unknown item, including prototype names from a JSON body', () => {
    const body = JSON.parse('{"13.1": "full", "__proto__": "full", "constructor": "zero", "1.1": "full"}');
    expect(scoreProblems(R, body)).toEqual([
      { path: 'scores.13.1', rule: '评分表中没有此项 (no such item in the rubric)' },
      { path: 'scores.__proto__', rule: '评分表中没有此项 (no such item in the rubric)' },
      { path: 'scores.constructor', rule: '评分表中没有此项 (no such item in the rubric)' },
    ]);
  });

  test('names a level that is not full, half or zero', () => {
    const body = { '1.1': 'max', '1.2': null, '1.3': 10 } as unknown as Record<string, LevelChoice>;
    expect(scoreProblems(R, body)).toEqual([
      { path: 'scores.1.1', rule: '第1.1项：应为满分、半分或零分 (one of full|half|zero)' },
      { path: 'scores.1.2', rule: '第1.2项：应为满分、半分或零分 (one of full|half|zero)' },
      { path: 'scores.1.3', rule: '第1.3项：应为满分、半分或零分 (one of full|half|zero)' },
    ]);
  });

  test('rejects half where the sheet prints "——" or leaves the cell empty, accepts it where it has one', () => {
    expect(scoreProblems(R, { '1.1': 'half', '6.16': 'half', '6.17': 'half' })).toEqual([
      { path: 'scores.1.1', rule: '第1.1项：该项不设半分值 (this item has no half level)' },
      { path: 'scores.6.16', rule: '第6.16项：该项不设半分值 (this item has no half level)' },
      { path: 'scores.6.17', rule: '第6.17项：该项不设半分值 (this item has no half level)' },
    ]);
    expect(scoreProblems(R, { '2.1': 'half', '2.5': 'half', '4.1': 'half', '6.15': 'half', '11.7': 'half' })).toEqual([]);
  });

  test('with requireAll, names every missing item', () => {
    const choices = all('full');
    delete choices['3.2'];
    delete choices['12.7'];
    expect(scoreProblems(R, choices, { requireAll: true })).toEqual([
      { path: 'scores.3.2', rule: '第3.2项：请选择得分 (item 3.2: required)' },
      { path: 'scores.12.7', rule: '第12.7项：请选择得分 (item 12.7: required)' },
    ]);
    expect(scoreProblems(R, choices)).toEqual([]);
    expect(scoreProblems(R, {}, { requireAll: true })).toHaveLength(107);
  });
});

describe('scoreSheet', () => {
  test('an all-full sheet scores 1000, every section and group at its maximum, no gaps', () => {
    const sheet = scoreSheet(R, all('full'));
    expect(sheet.total).toBe(1000);
    expect(sheet.max).toBe(1000);
    expect(sheet.sections.map((s) => s.score)).toEqual([60, 100, 100, 50, 100, 100, 100, 100, 100, 50, 100, 40]);
    for (const s of sheet.sections) {
      expect(s.score).toBe(s.max);
      for (const g of s.groups) expect([g.title, g.score]).toEqual([g.title, g.max]);
    }
    expect(sheet.gaps).toEqual([]);
    expect(sheet.scoredItems).toBe(107);
    expect(sheet.complete).toBe(true);
  });

  test('an all-zero sheet scores 0 and lists every item as a gap', () => {
    const sheet = scoreSheet(R, all('zero'));
    expect(sheet.total).toBe(0);
    expect(sheet.sections.every((s) => s.score === 0 && s.groups.every((g) => g.score === 0))).toBe(true);
    expect(sheet.gaps).toHaveLength(107);
    expect(sheet.gaps[0]).toEqual({ itemId: '1.1', sectionTitle: '信用管理方针和目标', title: '确定信用管理方针并形成文件', max: 10 });
    expect(sheet.gaps.map((g) => g.itemId)).toEqual(rubricItems(R).map((i) => i.id));
    expect(sheet.complete).toBe(true);
  });

  test('an empty sheet scores 0, is incomplete and has no gaps', () => {
    const sheet = scoreSheet(R, {});
    expect(sheet).toMatchObject({ total: 0, gaps: [], scoredItems: 0, complete: false });
  });

  test('a mixed sheet, computed by hand', () => {
    const choices = all('full');
    choices['1.1'] = 'zero'; // -10
    choices['2.1'] = 'half'; // 30 → 15
    choices['2.5'] = 'zero'; // -20
    choices['6.15'] = 'half'; // 5 → 2.5
    choices['11.7'] = 'half'; // 10 → 5
    choices['12.7'] = 'half'; // 5 → 2.5
    delete choices['8.1']; // unscored: counts 0 (-40)
    const sheet = scoreSheet(R, choices);
    expect(sheet.sections.map((s) => s.score)).toEqual([50, 65, 100, 50, 100, 97.5, 100, 60, 100, 50, 95, 37.5]);
    expect(sheet.total).toBe(905);
    expect(sheet.sections[0]?.groups).toEqual([
      { title: '信用管理方针', max: 30, score: 20 },
      { title: '信用管理目标', max: 30, score: 30 },
    ]);
    expect(sheet.sections[1]?.groups).toEqual([
      { title: '信用管理部门建立', max: 30, score: 15 },
      { title: '信用管理部门职责', max: 20, score: 20 },
      { title: '信用管理部门经费', max: 20, score: 20 },
      { title: '信用管理人员', max: 30, score: 10 },
    ]);
    expect(sheet.sections[5]?.groups.at(-1)).toEqual({ title: '信用档案的保管和使用', max: 20, score: 17.5 });
    expect(sheet.sections[7]?.groups[0]).toEqual({ title: '合同签订前', max: 40, score: 0 });
    expect(sheet.gaps).toEqual([
      { itemId: '1.1', sectionTitle: '信用管理方针和目标', title: '确定信用管理方针并形成文件', max: 10 },
      { itemId: '2.5', sectionTitle: '企业信用管理的组织', title: '专职/兼职情况', max: 20 },
    ]);
    expect(sheet.scoredItems).toBe(106);
    expect(sheet.complete).toBe(false);
    expect(gradeFor(DEFAULT_GRADING, R, sheet.total, choices[R.dishonestyItemId])).toEqual({
      grade: 'B', uncappedGrade: 'AAA', cappedBy: 'general_dishonesty',
    });
  });

  test('refuses choices with problems (callers validate first)', () => {
    expect(() => scoreSheet(R, { '1.1': 'half' })).toThrow(RangeError);
    expect(() => scoreSheet(R, { '99.1': 'full' })).toThrow(/scores\.99\.1/);
  });
});

describe('gradeFor', () => {
  const grade = (total: number, level?: LevelChoice) => gradeFor(DEFAULT_GRADING, R, total, level);

  test('bands: AAA ≥ 900, AA ≥ 800, A ≥ 700, B ≥ 600, else C', () => {
    const cases: [number, string][] = [
      [1000, 'AAA'], [900, 'AAA'], [899.5, 'AA'], [800, 'AA'], [799.5, 'A'], [700, 'A'],
      [699.5, 'B'], [600, 'B'], [599.5, 'C'], [0, 'C'],
    ];
    for (const [total, expected] of cases) {
      expect([total, grade(total)]).toEqual([total, { grade: expected, uncappedGrade: expected, cappedBy: null }]);
      expect([total, grade(total, 'full')]).toEqual([total, { grade: expected, uncappedGrade: expected, cappedBy: null }]);
    }
  });

  test('general dishonesty (half) keeps the grade below A', () => {
    expect(grade(950, 'half')).toEqual({ grade: 'B', uncappedGrade: 'AAA', cappedBy: 'general_dishonesty' });
    expect(grade(850, 'half')).toEqual({ grade: 'B', uncappedGrade: 'AA', cappedBy: 'general_dishonesty' });
    expect(grade(700, 'half')).toEqual({ grade: 'B', uncappedGrade: 'A', cappedBy: 'general_dishonesty' });
    // already below A: the cap does not bite
    expect(grade(650, 'half')).toEqual({ grade: 'B', uncappedGrade: 'B', cappedBy: null });
    expect(grade(300, 'half')).toEqual({ grade: 'C', uncappedGrade: 'C', cappedBy: null });
  });

  test('serious dishonesty (zero) keeps the grade below B', () => {
    expect(grade(950, 'zero')).toEqual({ grade: 'C', uncappedGrade: 'AAA', cappedBy: 'serious_dishonesty' });
    expect(grade(600, 'zero')).toEqual({ grade: 'C', uncappedGrade: 'B', cappedBy: 'serious_dishonesty' });
    expect(grade(599, 'zero')).toEqual({ grade: 'C', uncappedGrade: 'C', cappedBy: null });
  });

  test('refuses a total outside the sheet and a cap with no band below it', () => {
    expect(() => grade(1000.5)).toThrow(RangeError);
    expect(() => grade(-1)).toThrow(RangeError);
    expect(() => grade(Number.NaN)).toThrow(RangeError);
    const noBelow = { ...DEFAULT_GRADING, dishonestyCaps: { half: 'A', zero: 'C' } };
    expect(() => gradeFor(noBelow, R, 950, 'zero')).toThrow(/below the dishonesty cap C/);
    const unknownCap = { ...DEFAULT_GRADING, dishonestyCaps: { half: 'A+', zero: 'B' } };
    expect(() => gradeFor(unknownCap, R, 950, 'half')).toThrow(/not a grade band/);
  });
});
