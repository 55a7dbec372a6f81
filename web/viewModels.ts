import { DEADLINE_LABELS } from '../domain/case/model.ts';
import type { CaseView, SelfEvaluationView } from '../features/cases/caseView.ts';
import type { AppError } from '../features/errors.ts';
import { LEVEL_CHOICES, type LevelChoice, type Rubric, type RubricItem } from '../domain/evaluation/rubric.ts';
import type { ProgramDefinition } from '../domain/program/types.ts';

export const LEVEL_NAMES: Record<LevelChoice, string> = { full: '满分', half: '半分', zero: '零分' };


export function deadlineLabel(name: string): string {
  return DEADLINE_LABELS[name] ?? name;
}

/** The problems of an error whose path starts with a prefix: which rows of a sheet to mark. */
function problemsUnder(error: AppError | undefined, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of error?.fields ?? []) if (f.path.startsWith(prefix)) out.set(f.path.slice(prefix.length), f.rule);
  return out;
}

export interface SheetLevelView {
  choice: LevelChoice;
  name: string;
  label: string;
  points: number;
  checked: boolean;
}

export interface SheetItemView {
  id: string;
  title: string;
  criterion: string;
  /** the first item of its 评价内容 group: where the group's title and maximum are printed */
  groupStart: boolean;
  groupMax: number;
  max: number;
  full: SheetLevelView;
  /** null where the sheet prints "——" */
  half: SheetLevelView | null;
  zero: SheetLevelView;
  evidence: string[];
  problem: string | null;
}

export interface SheetSectionView {
  id: string;
  title: string;
  max: number;
  items: SheetItemView[];
}

function levelOf(item: RubricItem, choice: LevelChoice, chosen: string | undefined): SheetLevelView | null {
  const level = item.levels[choice];
  return level ? { choice, name: LEVEL_NAMES[choice], label: level.label, points: level.points, checked: chosen === choice } : null;
}

/**
 * Attachment 4 as a form: every item of the pinned rubric by section, with the levels it has. The
 * refusals of its rows are found under `at` (the 贯标 acceptance's self-evaluation, or a
 * demonstration case's internal evaluation).
 */
export function sheetView(rubric: Rubric, scores: Record<string, string>, evidence: Record<string, string[]>, error?: AppError, at = 'acceptance.selfEvaluation'): SheetSectionView[] {
  const scoreProblems = problemsUnder(error, `${at}.scores.`);
  const evidenceProblems = problemsUnder(error, `${at}.evidence.`);
  return rubric.sections.map((section) => {
    const groupOf = new Map<string, { max: number; first: string }>();
    for (const group of section.groups) for (const id of group.itemIds) groupOf.set(id, { max: group.max, first: group.itemIds[0]! });
    return {
      id: section.id,
      title: section.title,
      max: section.max,
      items: section.items.map((item) => ({
        id: item.id,
        title: item.title,
        criterion: item.criterion,
        groupStart: groupOf.get(item.id)?.first === item.id,
        groupMax: groupOf.get(item.id)?.max ?? item.max,
        max: item.max,
        full: levelOf(item, 'full', scores[item.id])!,
        half: levelOf(item, 'half', scores[item.id]),
        zero: levelOf(item, 'zero', scores[item.id])!,
        evidence: evidence[item.id] ?? [],
        problem: scoreProblems.get(item.id) ?? [...evidenceProblems].find(([path]) => path.startsWith(`${item.id}.`))?.[1] ?? null,
      })),
    };
  });
}

export interface AdjustmentRowView {
  id: string;
  title: string;
  max: number;
  /** the enterprise's own level, and the level in force after earlier reviewers */
  own: string;
  current: string;
  options: Array<{ choice: LevelChoice; text: string; selected: boolean }>;
  comment: string;
  problem: string | null;
}

/** The unified acceptance's table: each item with the enterprise's level and a way to change it. */
export function adjustmentView(
  program: ProgramDefinition,
  caseView: CaseView,
  chosen: Record<string, string>,
  comments: Record<string, string>,
  error?: AppError,
): Array<{ id: string; title: string; rows: AdjustmentRowView[] }> {
  const own = caseView.acceptance?.selfEvaluation.scores ?? {};
  const earlier = caseView.selfEvaluation?.adjustments ?? {};
  const problems = problemsUnder(error, 'scoreAdjustments.');
  const sent = chosenAdjustments(program.rubric, chosen, comments).map((a) => a.itemId);
  const describe = (item: RubricItem, choice: string | undefined) => {
    const level = choice ? item.levels[choice as LevelChoice] : null;
    return level ? `${LEVEL_NAMES[choice as LevelChoice]}（${level.label}，${level.points}分）` : '未评';
  };
  return program.rubric.sections.map((section) => ({
    id: section.id,
    title: section.title,
    rows: section.items.map((item) => ({
      id: item.id,
      title: item.title,
      max: item.max,
      own: describe(item, own[item.id]),
      current: describe(item, earlier[item.id]?.level ?? own[item.id]),
      options: LEVEL_CHOICES.flatMap((choice) => {
        const level = item.levels[choice];
        return level ? [{ choice, text: `${LEVEL_NAMES[choice]} ${level.points}分（${level.label}）`, selected: chosen[item.id] === choice }] : [];
      }),
      comment: comments[item.id] ?? '',
      problem: problems.get(item.id) ?? [...problems].find(([path]) => path.startsWith(`${sent.indexOf(item.id)}.`))?.[1] ?? null,
    })),
  }));
}

/**
 * The adjustments a reviewer chose, in sheet order: a row counts when a level is chosen. The API's
 * paths scoreAdjustments.<i> name the i-th of this list.
 */
export function chosenAdjustments(rubric: Rubric, chosen: Record<string, string>, comments: Record<string, string>) {
  return rubric.sections
    .flatMap((s) => s.items)
    .filter((item) => chosen[item.id])
    .map((item) => ({ itemId: item.id, level: chosen[item.id]!, comment: comments[item.id] ?? '' }));
}

export interface ScoreRowView {
  id: string;
  title: string;
  max: number;
  own: number;
  reviewed: number | null;
  differs: boolean;
}

/** The self-evaluation totals per section, the enterprise's and the reviewers' side by side. */
export function scoreTable(view: SelfEvaluationView | null) {
  if (!view) return null;
  const reviewed = view.reviewed;
  const rows: ScoreRowView[] = view.enterprise.sections.map((section, i) => {
    const other = reviewed?.sections[i]?.score ?? null;
    return { id: section.id, title: section.title, max: section.max, own: section.score, reviewed: other, differs: other !== null && other !== section.score };
  });
  return {
    rows,
    total: { max: view.enterprise.max, own: view.enterprise.total, reviewed: reviewed?.total ?? null },
    grade: { own: view.enterprise.grade, reviewed: reviewed?.grade ?? null },
    gaps: (reviewed ?? view.enterprise).gaps,
    adjustments: Object.entries(view.adjustments).map(([itemId, a]) => ({ itemId, level: LEVEL_NAMES[a.level as LevelChoice] ?? a.level, comment: a.comment, by: (a as { actorName?: string }).actorName ?? '' })),
    complete: view.enterprise.complete,
  };
}

/** The case's deadlines in force, labelled, soonest first. */
export function deadlineList(caseView: CaseView) {
  return Object.entries(caseView.deadlines)
    .map(([name, at]) => ({ name, label: deadlineLabel(name), at }))
    .sort((a, b) => a.at.localeCompare(b.at));
}
