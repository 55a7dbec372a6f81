import { rubricItems, type LevelChoice, type Rubric } from './rubric.ts';
import { scoreProblems, scoreSheet } from './scoring.ts';

export interface SectionProgress {
  id: string;
  max: number;
  /** the points of the levels chosen so far */
  score: number;
  items: number;
  unanswered: number;
}

/** A score sheet while it is being filled in: what is chosen so far, and what is still open. */
export interface SheetProgress {
  /** the valid choices among those given, by item */
  chosen: Record<string, LevelChoice>;
  sections: SectionProgress[];
  total: number;
  max: number;
  items: number;
  unanswered: number;
  /** items still without a level, in sheet order */
  unansweredIds: string[];
}

/**
 * The subtotals of a sheet being filled in (a form, a draft): the same sums as scoreSheet, but a
 * choice that could not be scored (an unknown item, a level the item does not have) counts as not
 * chosen yet instead of refusing the whole sheet, so a page can always show where the filling stands.
 */
export function sheetProgress(rubric: Rubric, choices: Readonly<Record<string, string>>): SheetProgress {
  const invalid = new Set(scoreProblems(rubric, choices as Record<string, LevelChoice>).map((p) => p.path.slice('scores.'.length)));
  const chosen: Record<string, LevelChoice> = {};
  for (const item of rubricItems(rubric)) {
    if (Object.hasOwn(choices, item.id) && !invalid.has(item.id)) chosen[item.id] = choices[item.id] as LevelChoice;
  }
  const sheet = scoreSheet(rubric, chosen);
  const sections = rubric.sections.map((section, i) => {
    const unanswered = section.items.filter((item) => !Object.hasOwn(chosen, item.id)).length;
    return { id: section.id, max: section.max, score: sheet.sections[i]!.score, items: section.items.length, unanswered };
  });
  const items = rubricItems(rubric);
  const unansweredIds = items.filter((item) => !Object.hasOwn(chosen, item.id)).map((item) => item.id);
  return {
    chosen,
    sections,
    total: sheet.total,
    max: sheet.max,
    items: items.length,
    unanswered: unansweredIds.length,
    unansweredIds,
  };
}
