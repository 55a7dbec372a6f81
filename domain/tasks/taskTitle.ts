import { labelsFor, type Locale } from '../i18n/labels.ts';
import type { TaskKind } from '../case/model.ts';
import { TASK_KIND_LABELS } from './index.ts';

/** A checklist item as the program names it. */
export interface ChecklistItemName {
  key: string;
  title: string;
}

/**
 * What a task asks, in the reader's words: the checklist item it is about (成立贯标工作小组), else its
 * kind (审核, 验收材料报送). Five checklist tasks are five different things, never five "自主贯标事项".
 */
export function taskTitle(task: { kind: string; subject?: string | null }, checklist: readonly ChecklistItemName[], locale: Locale): string {
  const labels = labelsFor(locale);
  const item = task.kind === 'self_compliance_item' ? checklist.find((i) => i.key === task.subject) : undefined;
  return item ? labels.checklistItem(item.key, item.title) : labels.taskKind(task.kind, TASK_KIND_LABELS[task.kind as TaskKind] ?? task.kind);
}

/** Kinds that are the one step of their stage (镇（区）初审 is a review, 汇总报送 a forwarding): the stage names them already. */
const NAMED_BY_THEIR_STAGE: ReadonlySet<string> = new Set(['review', 'forward', 'recommend']);

/** What a task asks beyond its stage's name, for a mail's subject and first line; null where the stage says it all. */
export function taskDetail(task: { kind: string; subject?: string | null }, checklist: readonly ChecklistItemName[], locale: Locale): string | null {
  return NAMED_BY_THEIR_STAGE.has(task.kind) ? null : taskTitle(task, checklist, locale);
}
