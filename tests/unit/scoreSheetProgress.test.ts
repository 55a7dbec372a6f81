import { describe, expect, test } from '@jest/globals';
import { JIANGSU_SELF_EVALUATION_RUBRIC as R } from '../../domain/evaluation/jiangsuRubric.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import { scoreSheet } from '../../domain/evaluation/scoring.ts';
import { sheetProgress } from '../../domain/evaluation/sheetProgress.ts';

const ITEMS = rubricItems(R);
const all = (level: 'full' | 'zero') => Object.fromEntries(ITEMS.map((i) => [i.id, level]));

describe('sheetProgress: the subtotals of a sheet being filled in', () => {
  test('an empty sheet: nothing scored, every item open, each section with its own count', () => {
    const progress = sheetProgress(R, {});
    expect(progress).toMatchObject({ total: 0, max: 1000, items: 107, unanswered: 107 });
    expect(progress.sections.map((s) => [s.id, s.score, s.unanswered, s.max])).toEqual(R.sections.map((s) => [s.id, 0, s.items.length, s.max]));
    expect(progress.unansweredIds[0]).toBe('1.1');
    expect(progress.unansweredIds).toHaveLength(107);
  });

  test('the same sums as the scored sheet: per section and in all, a half level half the item', () => {
    const choices = { ...all('full'), '2.1': 'half', '3.1': 'zero' } as const;
    const progress = sheetProgress(R, choices);
    const scored = scoreSheet(R, choices);
    expect(progress.total).toBe(scored.total);
    expect(progress.sections.map((s) => s.score)).toEqual(scored.sections.map((s) => s.score));
    expect(progress.unanswered).toBe(0);
    expect(progress.unansweredIds).toEqual([]);
  });

  test('part of a sheet: the chosen items count, the open ones are named in sheet order', () => {
    const progress = sheetProgress(R, { '1.1': 'full', '1.2': 'zero', '2.1': 'half' });
    const item = (id: string) => ITEMS.find((i) => i.id === id)!;
    expect(progress.sections[0]).toMatchObject({ id: '1', score: item('1.1').max, unanswered: 4 });
    expect(progress.sections[1]).toMatchObject({ id: '2', score: item('2.1').max / 2, unanswered: R.sections[1]!.items.length - 1 });
    expect(progress.total).toBe(item('1.1').max + item('2.1').max / 2);
    expect(progress.unanswered).toBe(104);
    expect(progress.unansweredIds.slice(0, 3)).toEqual(['1.3', '1.4', '1.5']);
  });

  test('what cannot be scored counts as not chosen yet instead of refusing the sheet', () => {
    const progress = sheetProgress(R, { '1.1': 'half', '1.2': 'max', '99.1': 'full', __proto__: 'full', '1.3': 'full' });
    expect(progress.chosen).toEqual({ '1.3': 'full' });
    expect(progress.unanswered).toBe(106);
    expect(progress.unansweredIds).toContain('1.1');
  });
});
