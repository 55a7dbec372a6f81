import { LEVEL_CHOICES, rubricItems } from './rubric.ts';
import type { GradingPolicy, LevelChoice, Rubric, RubricItem } from './rubric.ts';

export interface ScoreProblem {
  path: string;
  rule: string;
}

export interface SectionScore {
  id: string;
  title: string;
  max: number;
  score: number;
  groups: { title: string; max: number; score: number }[];
}

/** An item scored zero: what the enterprise still has to put in place (or evidence). */
export interface ScoreGap {
  itemId: string;
  sectionTitle: string;
  title: string;
  max: number;
}

export interface ScoreSheet {
  total: number;
  max: number;
  sections: SectionScore[];
  gaps: ScoreGap[];
  scoredItems: number;
  complete: boolean;
}

export type DishonestyCap = 'general_dishonesty' | 'serious_dishonesty';

export interface GradeResult {
  grade: string;
  uncappedGrade: string;
  /** set only when the dishonesty cap actually lowered the grade */
  cappedBy: DishonestyCap | null;
}

function itemIndex(rubric: Rubric): Map<string, RubricItem> {
  // a Map, not the choices object's keys, so '__proto__' or 'constructor' never resolve to an item
  return new Map(rubricItems(rubric).map((item) => [item.id, item]));
}

function isLevelChoice(value: unknown): value is LevelChoice {
  return typeof value === 'string' && (LEVEL_CHOICES as readonly string[]).includes(value);
}

/**
 * Every reason `choices` (item id → level) cannot be scored against `rubric`. Choices usually come
 * from a request body, so values are checked at run time whatever their static type says.
 * With `requireAll`, every item of the sheet must be scored (a submitted self-evaluation).
 */
export function scoreProblems(
  rubric: Rubric,
  choices: Record<string, LevelChoice>,
  options: { requireAll?: boolean } = {},
): ScoreProblem[] {
  const items = itemIndex(rubric);
  const problems: ScoreProblem[] = [];
  for (const [id, level] of Object.entries(choices as Record<string, unknown>)) {
    const path = `scores.${id}`;
    const item = items.get(id);
    if (!item) problems.push({ path, rule: '评分表中没有此项 (no such item in the rubric)' });
    else if (!isLevelChoice(level)) problems.push({ path, rule: `第${id}项：应为满分、半分或零分 (one of ${LEVEL_CHOICES.join('|')})` });
    else if (level === 'half' && item.levels.half === null) {
      problems.push({ path, rule: `第${id}项：该项不设半分值 (this item has no half level)` });
    }
  }
  if (options.requireAll) {
    for (const id of items.keys()) {
      if (!Object.hasOwn(choices, id)) problems.push({ path: `scores.${id}`, rule: `第${id}项：请选择得分 (item ${id}: required)` });
    }
  }
  return problems;
}

function pointsFor(item: RubricItem, level: LevelChoice | undefined): number {
  if (level === undefined) return 0;
  // scoreProblems has ruled out a missing half level before we get here
  return item.levels[level]?.points ?? 0;
}

/**
 * The sheet's totals per group, section and overall. Unscored items count 0 and leave the sheet
 * incomplete; items scored zero are listed as gaps. Callers validate with scoreProblems first.
 */
export function scoreSheet(rubric: Rubric, choices: Record<string, LevelChoice>): ScoreSheet {
  const problems = scoreProblems(rubric, choices);
  if (problems.length > 0) {
    throw new RangeError(`invalid scores: ${problems.map((p) => `${p.path} (${p.rule})`).join('; ')}`);
  }
  const level = (id: string): LevelChoice | undefined => (Object.hasOwn(choices, id) ? choices[id] : undefined);
  const gaps: ScoreGap[] = [];
  let scoredItems = 0;
  let itemCount = 0;
  const sections: SectionScore[] = rubric.sections.map((section) => {
    const points = new Map<string, number>();
    for (const item of section.items) {
      const choice = level(item.id);
      itemCount += 1;
      if (choice !== undefined) scoredItems += 1;
      if (choice === 'zero') gaps.push({ itemId: item.id, sectionTitle: section.title, title: item.title, max: item.max });
      points.set(item.id, pointsFor(item, choice));
    }
    const sum = (ids: Iterable<string>): number => {
      let total = 0;
      for (const id of ids) total += points.get(id) ?? 0;
      return total;
    };
    return {
      id: section.id,
      title: section.title,
      max: section.max,
      score: sum(points.keys()),
      groups: section.groups.map((g) => ({ title: g.title, max: g.max, score: sum(g.itemIds) })),
    };
  });
  return {
    total: sections.reduce((t, s) => t + s.score, 0),
    max: rubric.total,
    sections,
    gaps,
    scoredItems,
    complete: scoredItems === itemCount,
  };
}

/**
 * The grade for a total: the first band (best first) whose minimum it reaches; then, when the
 * dishonesty item is at half (general) or zero (serious), no better than the best band strictly
 * below that level's cap grade.
 */
export function gradeFor(
  policy: GradingPolicy,
  rubric: Rubric,
  total: number,
  dishonestyLevel: LevelChoice | undefined,
): GradeResult {
  if (!Number.isFinite(total) || total < 0 || total > rubric.total) {
    throw new RangeError(`total ${total} is outside 0..${rubric.total}`);
  }
  const bandIndex = policy.bands.findIndex((b) => total >= b.minScore);
  const band = policy.bands[bandIndex];
  if (!band) throw new RangeError(`no grade band covers total ${total}`);
  const uncapped = { grade: band.grade, uncappedGrade: band.grade, cappedBy: null };
  if (dishonestyLevel !== 'half' && dishonestyLevel !== 'zero') return uncapped;

  const capGrade = policy.dishonestyCaps[dishonestyLevel];
  const capIndex = policy.bands.findIndex((b) => b.grade === capGrade);
  if (capIndex < 0) throw new RangeError(`dishonesty cap ${capGrade} is not a grade band`);
  const below = policy.bands[capIndex + 1];
  if (!below) throw new RangeError(`no grade band below the dishonesty cap ${capGrade}`);
  if (bandIndex > capIndex) return uncapped;
  return {
    grade: below.grade,
    uncappedGrade: band.grade,
    cappedBy: dishonestyLevel === 'half' ? 'general_dishonesty' : 'serious_dishonesty',
  };
}
