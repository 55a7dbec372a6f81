import type { ApplicationComparison } from '../domain/application/compare.ts';
import { actorMayComplete } from '../domain/case/authority.ts';
import { deadlineStates } from '../domain/case/deadlineStates.ts';
import { caseTimeline } from '../domain/case/timeline.ts';
import { labelsFor, type Locale } from '../domain/i18n/labels.ts';
import { personalName } from '../domain/identity/personNames.ts';
import { ROLE_LABELS, type Actor, type Role } from '../domain/identity/roles.ts';
import { checklistFieldsInOrder } from '../domain/tasks/checklistFields.ts';
import type { ProgramDefinition, TrackId } from '../domain/program/types.ts';
import type { CaseView } from '../features/cases/caseView.ts';
import { translate } from './i18n/i18n.ts';
import { acceptanceFilesView, submittedFileIds } from './scoreSheet.ts';

/**
 * The case page's parts, built from the case as the services hand it over (no service is called
 * here): the stage timeline, the decisions with office and person, the application's versions and
 * what each correction changed, the checklist's details, the acceptance materials by name.
 */

/** File id → original name, for the files the reader may open (features/files names()). */
export type FileNames = ReadonlyMap<string, string>;

/**
 * A person as the page names them beside their office: the demo's and many real accounts carry the
 * office in the name (陈静（沙溪镇经发中心）), which the page already shows; said once, not twice.
 * null where nothing but the office is left (系统管理员).
 */
export function personName(name: string | null | undefined, role: string): string | null {
  const person = personalName(name ?? '');
  return person && person !== ROLE_LABELS[role as Role] ? person : null;
}

export interface OfficeContext {
  districtName: string;
  /** the engaged consultant: whose agency to name */
  consultant: CaseView['consultant'];
}

/** The office that acted, in the reader's language: the role, with the district of a district office and the agency of the case's consultant. */
export function officeOf(actor: { id: string | null; role: string }, context: OfficeContext, locale: Locale): string {
  const role = labelsFor(locale).role(actor.role as Role) ?? actor.role;
  if (actor.role === 'district_officer') return `${role} · ${context.districtName}`;
  if (actor.role === 'consultant' && context.consultant?.agencyName && context.consultant.userId === actor.id) return `${role} · ${context.consultant.agencyName}`;
  return role;
}

/** Each decision with its office and person once each, the time and the comment. */
export function decisionRows(caseView: CaseView, checklistTitles: ReadonlyMap<string, string>, locale: Locale) {
  const context = { districtName: caseView.enterprise.districtName, consultant: caseView.consultant };
  return caseView.decisions.map((d) => ({
    ...d,
    office: officeOf(d.actor, context, locale),
    person: personName(d.actor.name, d.actor.role),
    subjectTitle: d.subject ? (checklistTitles.get(d.subject) ?? null) : null,
  }));
}

/** The stage timeline of the case, with its deadlines named in the reader's language. */
export function timelineOf(program: ProgramDefinition, caseView: CaseView, locale: Locale, now: Date) {
  const track = program.tracks[caseView.track as TrackId];
  if (!track) return [];
  const labels = labelsFor(locale);
  return caseTimeline(track, caseView, now).map((step) => ({ ...step, deadlineName: step.deadline ? labels.deadline(step.deadline) : null }));
}

/**
 * The case's deadlines with where they stand: a deadline of a stage already done is done, not
 * pending; one of the current stage may be overdue.
 */
export function deadlineRows(timeline: ReturnType<typeof timelineOf>, caseView: CaseView, locale: Locale) {
  const labels = labelsFor(locale);
  return deadlineStates(timeline, caseView).map((d) => ({ ...d, label: labels.deadline(d.name) }));
}

/** May this person act on this task of the case (its role and jurisdiction, or the named person)? */
export const mayAct = (actor: Actor, task: Pick<CaseView['tasks'][number], 'assigneeRole' | 'jurisdiction' | 'assigneeUserId' | 'status'>): boolean =>
  task.status === 'open' && actorMayComplete(actor, { assignment: { role: task.assigneeRole as Role, jurisdiction: task.jurisdiction ?? null, userId: task.assigneeUserId ?? null } });

const fileOf = (names: FileNames) => (id: string) => ({ id, name: names.get(id) ?? null });

/**
 * The self-compliance checklist with what the enterprise entered for each item (the program's
 * field labels) and the documents it uploaded, by name; the item's task linked only for whoever may do it.
 */
export function checklistDetails(program: ProgramDefinition, caseView: CaseView, actor: Actor, names: FileNames) {
  return program.selfCompliance.map((item) => {
    const state = caseView.checklist.find((c) => c.key === item.key);
    const tasks = caseView.tasks.filter((t) => t.kind === 'self_compliance_item' && t.subject === item.key);
    const done = tasks.find((t) => t.status === 'completed');
    const open = tasks.find((t) => t.status === 'open');
    const entered = done?.result?.fields ?? {};
    return {
      key: item.key,
      title: item.title,
      done: Boolean(state?.done),
      completedAt: done?.completedAt ?? null,
      completedBy: done ? personName(done.completedByName, 'enterprise') : null,
      fields: checklistFieldsInOrder(item.fields).map(([name, label]) => ({ name, label, value: entered[name] ?? '' })),
      files: (done?.result?.fileIds ?? []).map(fileOf(names)),
      expectsFile: item.upload,
      taskId: open && mayAct(actor, open) ? open.id : null,
    };
  });
}

/** Every hand-in of the acceptance materials, the latest first (the one in force). */
export function acceptanceVersions(caseView: CaseView, names: FileNames) {
  const handedIn = caseView.tasks.filter((t) => t.kind === 'acceptance_submission' && t.status === 'completed' && t.result?.acceptance);
  const versions = handedIn.map((t, i) => ({ version: i + 1, at: t.completedAt, ...acceptanceFilesView(t.result!.acceptance!, names)! }));
  // a case whose tasks predate the projection's versions still shows what it holds
  if (!versions.length && caseView.acceptance) versions.push({ version: caseView.acceptanceVersion || 1, at: null, ...acceptanceFilesView(caseView.acceptance, names)! });
  return versions.reverse().map((v, i) => ({ ...v, current: i === 0 }));
}

/** Every file id the page lists by name: the checklist's, the acceptance materials', the application's. */
export function filesListed(caseView: CaseView): string[] {
  const checklist = caseView.tasks.filter((t) => t.kind === 'self_compliance_item').flatMap((t) => t.result?.fileIds ?? []);
  const acceptance = [...caseView.tasks.map((t) => t.result?.acceptance), caseView.acceptance].flatMap(submittedFileIds);
  const applications = caseView.applicationVersions.map((v) => v.form.creditReportFileId);
  return [...new Set([...checklist, ...acceptance, ...applications])];
}

/** A value of attachment 2 as the form shows it, in the reader's language. */
function shownValue(program: ProgramDefinition, field: string, value: unknown, locale: Locale): string {
  if (typeof value === 'boolean') return translate(locale, value ? 'cases.yes' : 'cases.no');
  if (field === 'registeredCapital') return translate(locale, 'cases.tenThousandYuan', { amount: value });
  if (field === 'district') return program.districts.find((d) => d.code === value)?.name ?? String(value ?? '');
  return String(value ?? '');
}

/** A correction's changes as the page lists them: each field named as the form names it, with its value before and after. */
export function changesShown(program: ProgramDefinition, changes: ApplicationComparison, names: FileNames, locale: Locale) {
  return {
    changed: changes.changed.map((c) => ({ field: c.field, label: translate(locale, `cases.form.${c.field}`), before: shownValue(program, c.field, c.before, locale), after: shownValue(program, c.field, c.after, locale) })),
    unchanged: changes.unchanged,
    files: changes.files.map((f) => ({ ...f, label: translate(locale, `cases.form.${f.field}`), beforeName: f.before ? (names.get(f.before) ?? null) : null, afterName: f.after ? (names.get(f.after) ?? null) : null })),
  };
}

/** The application's versions, the latest first, each with what it changed against the one before. */
export function applicationVersions(program: ProgramDefinition, caseView: CaseView, names: FileNames, locale: Locale) {
  return [...caseView.applicationVersions].reverse().map((v) => ({
    version: v.version,
    submittedAt: v.submittedAt,
    current: v.version === caseView.applicationVersion,
    changes: v.changes ? changesShown(program, v.changes, names, locale) : null,
  }));
}

/** The case's workflow in the Temporal Web UI (the workflow id is the case id). */
export function temporalWorkflowUrl(ui: { url: string; namespace: string }, workflowId: string): string {
  return `${ui.url}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
