import type { AcceptanceSubmission } from '../domain/case/model.ts';
import { LEVEL_CHOICES, rubricItems, type LevelChoice, type Rubric, type RubricItem } from '../domain/evaluation/rubric.ts';
import { scoreProblems } from '../domain/evaluation/scoring.ts';
import { sheetProgress } from '../domain/evaluation/sheetProgress.ts';
import type { ProgramDefinition } from '../domain/program/types.ts';
import type { CaseView, SelfEvaluationView } from '../features/cases/caseView.ts';
import { AppError, type FieldProblem } from '../features/errors.ts';
import type { TaskDraftBody, TaskDraftView } from '../features/tasks/taskDrafts.ts';
import { field, fields, type FormBody, type KeptFile } from './forms.ts';

/**
 * The 1000-point score sheet (attachment 4) on the pages: the enterprise's form with its subtotals,
 * its draft and its evidence; the reviewers' item-by-item view with their adjustments; the section
 * totals of a case. Words are the catalogue's (sheet.json); the rubric's own wording stays as the
 * program defines it.
 */

/** A file as a page lists it: its original name when the actor may read it, else null (the page says "a file"). */
export interface NamedFile {
  id: string;
  name: string | null;
}

const named = (ids: readonly string[], names: ReadonlyMap<string, string>): NamedFile[] => ids.map((id) => ({ id, name: names.get(id) ?? null }));

/** The rules of an error whose path starts with a prefix, by the rest of the path: which rows of a sheet to mark. */
function problemsUnder(error: AppError | undefined, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of error?.fields ?? []) if (f.path.startsWith(prefix) && !out.has(f.path.slice(prefix.length))) out.set(f.path.slice(prefix.length), f.rule);
  return out;
}

/** The first rule under `<itemId>` or `<itemId>.<n>` (an item's files), not under a longer item id. */
const ruleOfItem = (problems: Map<string, string>, itemId: string): string | null =>
  problems.get(itemId) ?? [...problems].find(([path]) => path.startsWith(`${itemId}.`) && /^\d+$/.test(path.slice(itemId.length + 1)))?.[1] ?? null;

// ---- the form: levels as choices, subtotals, evidence ----

export interface SheetLevelView {
  choice: LevelChoice;
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
  answered: boolean;
  evidence: NamedFile[];
  /** the evidence kept from before, as the form carries it (ids joined by commas) */
  evidenceIds: string;
  problem: string | null;
}

export interface SheetSectionView {
  id: string;
  title: string;
  max: number;
  score: number;
  unanswered: number;
  items: SheetItemView[];
}

export interface SheetView {
  sections: SheetSectionView[];
  total: number;
  max: number;
  items: number;
  unanswered: number;
  /** the first unanswered items, to jump to */
  unansweredIds: string[];
}

/** How many unanswered items the sheet's summary names (the count says how many there are in all). */
export const UNANSWERED_NAMED = 12;

function levelOf(item: RubricItem, choice: LevelChoice, chosen: string | undefined): SheetLevelView | null {
  const level = item.levels[choice];
  return level ? { choice, label: level.label, points: level.points, checked: chosen === choice } : null;
}

/**
 * Attachment 4 as a form: every item of the pinned rubric by section, its levels as choices with
 * their points, the evidence kept for it by name, and the subtotals of what is chosen so far (the
 * page's script keeps them current while levels are chosen). The refusals of its rows are found
 * under `at` (the 贯标 acceptance's self-evaluation, or a demonstration case's internal evaluation).
 */
export function sheetView(
  rubric: Rubric,
  scores: Readonly<Record<string, string>>,
  evidence: Readonly<Record<string, readonly string[]>>,
  names: ReadonlyMap<string, string>,
  error?: AppError,
  at = 'acceptance.selfEvaluation',
): SheetView {
  const progress = sheetProgress(rubric, scores);
  const scoreRules = problemsUnder(error, `${at}.scores.`);
  const evidenceRules = new Map([...problemsUnder(error, `${at}.evidence.`), ...problemsUnder(error, 'evidenceIds.'), ...problemsUnder(error, 'evidence.')]);
  return {
    sections: rubric.sections.map((section, i) => {
      const groupOf = new Map<string, { max: number; first: string }>();
      for (const group of section.groups) for (const id of group.itemIds) groupOf.set(id, { max: group.max, first: group.itemIds[0]! });
      return {
        id: section.id,
        title: section.title,
        max: section.max,
        score: progress.sections[i]!.score,
        unanswered: progress.sections[i]!.unanswered,
        items: section.items.map((item) => {
          const chosen = progress.chosen[item.id];
          const kept = evidence[item.id] ?? [];
          return {
            id: item.id,
            title: item.title,
            criterion: item.criterion,
            groupStart: groupOf.get(item.id)?.first === item.id,
            groupMax: groupOf.get(item.id)?.max ?? item.max,
            max: item.max,
            full: levelOf(item, 'full', chosen)!,
            half: levelOf(item, 'half', chosen),
            zero: levelOf(item, 'zero', chosen)!,
            answered: chosen !== undefined,
            evidence: named(kept, names),
            evidenceIds: kept.join(','),
            problem: scoreRules.get(item.id) ?? ruleOfItem(evidenceRules, item.id),
          };
        }),
      };
    }),
    total: progress.total,
    max: progress.max,
    items: progress.items,
    unanswered: progress.unanswered,
    unansweredIds: progress.unansweredIds.slice(0, UNANSWERED_NAMED),
  };
}

// ---- what the form sends: evidence kept, removed and added ----

/**
 * The evidence a sheet's form keeps from before, by item: the ids it carries (`evidenceIds.<item>`,
 * joined by commas) but those ticked for removal (`evidenceRemove.<item>`).
 */
export function keptEvidence(body: FormBody): Record<string, string[]> {
  const evidence: Record<string, string[]> = {};
  for (const key of Object.keys(body)) {
    if (!key.startsWith('evidenceIds.')) continue;
    const itemId = key.slice('evidenceIds.'.length);
    const removed = new Set(fields(body, `evidenceRemove.${itemId}`));
    // the first value only, as storeUploads checks the carried ids: the actor's own uploads
    const ids = field(body, key).split(',').filter((id) => id && !removed.has(id));
    if (ids.length) evidence[itemId] = [...new Set(ids)];
  }
  return evidence;
}

/** The evidence with the files just uploaded in `evidence.<item>` added to their items. */
export function withUploadedEvidence(evidence: Record<string, string[]>, stored: ReadonlyMap<string, ReadonlyArray<{ id: string }>>): Record<string, string[]> {
  const out = { ...evidence };
  for (const [fieldName, list] of stored) {
    if (!fieldName.startsWith('evidence.')) continue;
    const itemId = fieldName.slice('evidence.'.length);
    out[itemId] = [...(out[itemId] ?? []), ...list.map((f) => f.id)];
  }
  return out;
}

// ---- the acceptance materials: the form, its draft, its refusal ----

/** The three documents of the acceptance materials, by the form's field names. */
export const ACCEPTANCE_DOCUMENTS = ['workSummary', 'internalEvaluation', 'commitmentLetter'] as const;
export type AcceptanceDocument = (typeof ACCEPTANCE_DOCUMENTS)[number];
const idField = (name: AcceptanceDocument) => `${name}FileId` as const;

/** What the acceptance form shows: as handed in just now, as drafted, as submitted before, or empty. */
export interface AcceptanceFormState {
  scores: Record<string, string>;
  evidence: Record<string, string[]>;
  documents: Record<AcceptanceDocument, string | null>;
  comment: string;
}

export function acceptanceFormState(
  input: { scores: Record<string, string>; evidence: Record<string, string[]>; files: Record<string, KeptFile | null>; comment: string } | null,
  draft: Pick<TaskDraftView, 'acceptance' | 'comment'> | null,
  previous: AcceptanceSubmission | null | undefined,
): AcceptanceFormState {
  if (input) {
    return { scores: input.scores, evidence: input.evidence, comment: input.comment, documents: documentsFrom((name) => input.files[name]?.id) };
  }
  const source = draft?.acceptance ?? previous;
  return {
    scores: { ...(source?.selfEvaluation?.scores ?? {}) },
    evidence: { ...(source?.selfEvaluation?.evidence ?? {}) },
    comment: draft?.comment ?? '',
    documents: documentsFrom((name) => source?.[idField(name)]),
  };
}

const documentsFrom = (idOf: (name: AcceptanceDocument) => string | undefined): Record<AcceptanceDocument, string | null> =>
  Object.fromEntries(ACCEPTANCE_DOCUMENTS.map((name) => [name, idOf(name) || null])) as Record<AcceptanceDocument, string | null>;

/** Every file the acceptance form holds: whose names the page needs. */
export const acceptanceFileIds = (state: AcceptanceFormState): string[] => [...Object.values(state.documents).filter((id): id is string => !!id), ...Object.values(state.evidence).flat()];

/** The draft body of what the acceptance form holds: whatever is there, nothing required. */
export function acceptanceDraftBody(state: AcceptanceFormState): TaskDraftBody {
  const documents = Object.fromEntries(ACCEPTANCE_DOCUMENTS.flatMap((name) => (state.documents[name] ? [[idField(name), state.documents[name]]] : [])));
  return {
    ...(state.comment ? { comment: state.comment } : {}),
    acceptance: { ...documents, selfEvaluation: { scores: state.scores as Record<string, LevelChoice>, evidence: state.evidence } },
  };
}

const DOCUMENT_RULES: Record<AcceptanceDocument, string> = {
  workSummary: '请上传企业贯标工作总结报告 (upload the work summary report)',
  internalEvaluation: '请上传企业信用管理内部评估报告 (upload the internal evaluation report)',
  commitmentLetter: '请上传签字盖章的贯标申报信用承诺书 (upload the signed and stamped commitment letter)',
};

/**
 * Everything the acceptance form still lacks, at once: each missing document and each item without
 * a level (第2.1项：请选择得分), named as the form names them; null when nothing is missing.
 */
export function acceptanceFormRefusal(rubric: Rubric, state: AcceptanceFormState): AppError | null {
  const problems: FieldProblem[] = [
    ...ACCEPTANCE_DOCUMENTS.filter((name) => !state.documents[name]).map((name) => ({ path: `acceptance.${idField(name)}`, rule: DOCUMENT_RULES[name] })),
    ...scoreProblems(rubric, state.scores as Record<string, LevelChoice>, { requireAll: true }).map((p) => ({ path: `acceptance.selfEvaluation.${p.path}`, rule: p.rule })),
  ];
  if (!problems.length) return null;
  return new AppError('bad_request', `验收材料还有 ${problems.length} 处需要补充，已在表中逐项标出 (still missing from the acceptance materials: ${problems.length}, each marked in the form)`, problems);
}

// ---- the reviewers: every item with its level, points and evidence; adjustments beside it ----

export interface LevelView {
  choice: LevelChoice;
  label: string;
  points: number;
}

export interface ReviewRowView {
  id: string;
  title: string;
  max: number;
  /** the enterprise's own level, and the level in force after earlier reviewers */
  own: LevelView | null;
  current: LevelView | null;
  /** an earlier reviewer changed it */
  adjusted: { comment: string; by: string } | null;
  evidence: NamedFile[];
  /** the reviewer's choice, when this review adjusts scores */
  options: Array<LevelView & { selected: boolean }> | null;
  comment: string;
  problem: string | null;
}

export interface ReviewSectionView {
  id: string;
  title: string;
  max: number;
  own: number;
  current: number;
  rows: ReviewRowView[];
}

const levelView = (item: RubricItem, choice: string | undefined): LevelView | null => {
  const level = choice ? item.levels[choice as LevelChoice] : null;
  return level ? { choice: choice as LevelChoice, label: level.label, points: level.points } : null;
};

/**
 * The acceptance check, item by item: the enterprise's level with its points and evidence, the level
 * in force after earlier reviewers, and (when this review adjusts scores) the reviewer's choice and
 * reason beside each item.
 */
export function reviewSheetView(
  program: ProgramDefinition,
  caseView: CaseView,
  names: ReadonlyMap<string, string>,
  adjusting: { chosen: Record<string, string>; comments: Record<string, string>; error?: AppError | undefined } | null,
): ReviewSectionView[] {
  const own = caseView.acceptance?.selfEvaluation.scores ?? {};
  const evidence = caseView.acceptance?.selfEvaluation.evidence ?? {};
  const earlier = caseView.selfEvaluation?.adjustments ?? {};
  const problems = problemsUnder(adjusting?.error, 'scoreAdjustments.');
  // the API's paths scoreAdjustments.<i> name the i-th adjustment sent
  const sent = adjusting ? chosenAdjustments(program.rubric, adjusting.chosen, adjusting.comments).map((a) => a.itemId) : [];
  const enterprise = caseView.selfEvaluation?.enterprise.sections ?? [];
  const reviewed = caseView.selfEvaluation?.reviewed?.sections ?? enterprise;
  return program.rubric.sections.map((section, i) => ({
    id: section.id,
    title: section.title,
    max: section.max,
    own: enterprise[i]?.score ?? 0,
    current: reviewed[i]?.score ?? 0,
    rows: section.items.map((item) => {
      const adjustment = earlier[item.id] as { level: string; comment: string; actorName?: string } | undefined;
      return {
        id: item.id,
        title: item.title,
        max: item.max,
        own: levelView(item, own[item.id]),
        current: levelView(item, adjustment?.level ?? own[item.id]),
        adjusted: adjustment ? { comment: adjustment.comment, by: adjustment.actorName ?? '' } : null,
        evidence: named(evidence[item.id] ?? [], names),
        options: adjusting
          ? LEVEL_CHOICES.flatMap((choice) => {
              const level = levelView(item, choice);
              return level ? [{ ...level, selected: adjusting.chosen[item.id] === choice }] : [];
            })
          : null,
        comment: adjusting?.comments[item.id] ?? '',
        problem: problems.get(item.id) ?? ruleOfAdjustment(problems, sent.indexOf(item.id)),
      };
    }),
  }));
}

/** The rule under the i-th adjustment sent (`<i>` or `<i>.comment`), not under an item id that begins with the same digits. */
const ruleOfAdjustment = (problems: Map<string, string>, index: number): string | null =>
  index < 0 ? null : ([...problems].find(([path]) => new RegExp(`^${index}(\\.[a-zA-Z]\\w*)?$`).test(path))?.[1] ?? null);

/**
 * The adjustments a reviewer chose, in sheet order: a row counts when a level is chosen. The API's
 * paths scoreAdjustments.<i> name the i-th of this list.
 */
export function chosenAdjustments(rubric: Rubric, chosen: Record<string, string>, comments: Record<string, string>) {
  return rubricItems(rubric)
    .filter((item) => chosen[item.id])
    .map((item) => ({ itemId: item.id, level: chosen[item.id]!, comment: comments[item.id] ?? '' }));
}

/** The documents and evidence of the acceptance materials handed in, each by its original name. */
export function acceptanceFilesView(acceptance: AcceptanceSubmission | null | undefined, names: ReadonlyMap<string, string>) {
  if (!acceptance) return null;
  return {
    documents: ACCEPTANCE_DOCUMENTS.map((name) => ({ key: name, ...named([acceptance[idField(name)]], names)[0]! })),
    evidence: Object.entries(acceptance.selfEvaluation.evidence ?? {}).map(([itemId, ids]) => ({ itemId, files: named(ids, names) })),
  };
}

/** Every file of the acceptance materials handed in: whose names a reviewer's page needs. */
export const submittedFileIds = (acceptance: AcceptanceSubmission | null | undefined): string[] =>
  acceptance ? [...ACCEPTANCE_DOCUMENTS.map((name) => acceptance[idField(name)]), ...Object.values(acceptance.selfEvaluation.evidence ?? {}).flat()] : [];

// ---- a case's totals ----

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
    adjustments: Object.entries(view.adjustments).map(([itemId, a]) => ({ itemId, level: a.level, comment: a.comment, by: (a as { actorName?: string }).actorName ?? '' })),
    complete: view.enterprise.complete,
  };
}
