import { CREDIT_OFFICE_ROLES, type Role } from '../domain/identity/roles.ts';
import type { Locale } from '../domain/i18n/labels.ts';
import type { SelfComplianceItem } from '../domain/program/types.ts';
import { checklistFieldSpec, checklistFieldsInOrder } from '../domain/tasks/checklistFields.ts';
import type { CaseView } from '../features/cases/caseView.ts';
import { decisionRows } from './casePage.ts';
import { hasMessage, translate } from './i18n/i18n.ts';

/**
 * What a task's page shows around its form, built from the case as the services hand it over (no
 * service is called here): the decisions that came before it, and a checklist item's fields with
 * the kind of each.
 */

type TaskShown = { id: string; assigneeRole: string; openedAt: Date };
type DecisionRow = ReturnType<typeof decisionRows>[number];

/** A checklist item's title in the reader's language (the program's own title in Chinese). */
export function checklistItemTitle(item: Pick<SelfComplianceItem, 'key' | 'title'>, locale: Locale): string {
  const key = `task.checklist.items.${item.key}`;
  return locale === 'en' && hasMessage(key) ? translate(locale, key) : item.title;
}

/** The checklist items' titles by key, for decisions about one of them. */
export const checklistTitles = (items: readonly SelfComplianceItem[], locale: Locale): ReadonlyMap<string, string> => new Map(items.map((item) => [item.key, checklistItemTitle(item, locale)]));

/**
 * The decisions a task's page shows. An office deciding sees every earlier decision of the offices
 * on the case (the city the district's opinion, Suzhou the district's and the city's), oldest
 * first; anyone else sees the return that sent the case back to them, if one did: who returned it,
 * when, and what they asked to change.
 */
export function decisionsBefore(caseView: CaseView, task: TaskShown, titles: ReadonlyMap<string, string>, locale: Locale): { earlierDecisions: DecisionRow[]; returnedWith: DecisionRow | null } {
  const before = decisionRows(caseView, titles, locale).filter((d) => d.taskId !== task.id && new Date(d.at) <= new Date(task.openedAt));
  if (CREDIT_OFFICE_ROLES.has(task.assigneeRole as Role)) {
    return { earlierDecisions: before.filter((d) => CREDIT_OFFICE_ROLES.has(d.actor.role as Role)), returnedWith: null };
  }
  const last = before.at(-1) ?? null;
  return { earlierDecisions: [], returnedWith: last?.outcome === 'return' ? last : null };
}

/** A checklist field as the form asks for it: its input by kind, its label in the reader's language. */
export interface ChecklistFieldView {
  name: string;
  label: string;
  value: string;
  input: 'text' | 'textarea' | 'date' | 'number';
  maxLength: number | null;
  /** a date field's latest day (today), a count's least value */
  max: string | null;
  hint: string | null;
}

/** The fields of a checklist item's form, typed by their rules (domain/tasks/checklistFields). */
export function checklistFieldViews(item: Pick<SelfComplianceItem, 'fields'>, values: Readonly<Record<string, string>>, today: string, locale: Locale): ChecklistFieldView[] {
  return checklistFieldsInOrder(item.fields).map(([name, chinese]) => {
    const spec = checklistFieldSpec(name);
    const label = locale === 'en' ? spec.english.charAt(0).toUpperCase() + spec.english.slice(1) : chinese;
    const value = values[name] ?? '';
    switch (spec.kind) {
      case 'pastDate':
        return { name, label, value, input: 'date', maxLength: null, max: today, hint: translate(locale, 'task.checklist.hint.pastDate') };
      case 'count':
        return { name, label, value, input: 'number', maxLength: null, max: null, hint: translate(locale, 'task.checklist.hint.count') };
      case 'line':
        return { name, label, value, input: 'text', maxLength: 100, max: null, hint: null };
      case 'text':
        return { name, label, value, input: 'textarea', maxLength: 1000, max: null, hint: null };
    }
  });
}
