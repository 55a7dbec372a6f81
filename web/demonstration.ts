import type { Services } from '../features/services.ts';
import type { CaseView } from '../features/cases/caseView.ts';
import type { ContractFiling, SurveyAppointment, TaskKind } from '../domain/case/model.ts';
import type { Actor } from '../domain/identity/roles.ts';
import type { PackageItem, ProgramDefinition, TrackId } from '../domain/program/types.ts';
import { heldMaterials } from '../domain/demonstration/package.ts';
import { materialTitle } from './taskForms.ts';

/** The task kinds whose completions carry a fact of a demonstration case (its agency, contract, survey, materials). */
const FACT_KINDS: ReadonlySet<TaskKind> = new Set<TaskKind>([
  'recommend',
  'choose_agency',
  'sign_contract',
  'file_contract',
  'schedule_survey',
  'survey_report',
  'diagnosis',
  'internal_evaluation',
  'work_plan',
  'evaluation_report',
  'evaluation_feedback',
  'application_package',
]);

export interface PackageItemView {
  key: string;
  title: string;
  generated: boolean;
  /** upload: the enterprise hands it in with the package; case: it comes from the creation steps */
  source: PackageItem['source'];
  present: boolean;
  files: Array<{ key: string; title: string; fileId: string | null }>;
}

/** What the case and task pages show of a demonstration case, gathered from its completed tasks. */
export interface DemonstrationFacts {
  trackName: string;
  agency: { id: string; name: string } | null;
  leadConsultant: string | null;
  contract: { fileId: string | null; filing: ContractFiling | null; returned: { comment: string | null; at: Date | null } | null };
  survey: SurveyAppointment | null;
  /** the acceptance task in force: its appointment (另行通知 while its date is unset) */
  acceptance: { scheduled: boolean; dueAt: Date | null; note: string | null } | null;
  publicity: { until: string; open: boolean } | null;
  objections: Array<{ taskId: string; status: 'open' | 'upheld' | 'dismissed' | 'cancelled'; openedAt: Date; decidedAt: Date | null; comment: string | null }>;
  /** case material key → file id */
  materials: Record<string, string>;
  packageItems: PackageItemView[];
  missingItems: string[];
  findings: Array<{ itemId: string; finding: string }>;
}

/** The package's items in order, each present or missing against what the case holds. */
export function packageView(items: readonly PackageItem[], materials: Record<string, string>): PackageItemView[] {
  return items.map((item) => {
    const files = item.materials.map((key) => ({ key, title: materialTitle(key, items), fileId: materials[key] ?? null }));
    return { key: item.key, title: item.title, generated: item.source === 'generated', source: item.source, present: item.source === 'generated' || files.every((f) => f.fileId), files };
  });
}

/**
 * The demonstration facts of a case, from what its completed tasks handed in (the case view carries
 * them); the acceptance date comes from the case's events.
 */
export async function demonstrationFacts(services: Services, actor: Actor, caseView: CaseView, program: ProgramDefinition): Promise<DemonstrationFacts | null> {
  const definition = program.tracks[caseView.track as TrackId];
  const demo = definition?.demonstration;
  if (!definition || !demo) return null;

  const results = caseView.tasks.filter((t) => t.status === 'completed' && FACT_KINDS.has(t.kind as TaskKind)).map((t) => ({ task: t, result: t.result }));
  const latest = (kind: TaskKind, outcome?: string) => results.filter((r) => r.task.kind === kind && (!outcome || r.task.outcome === outcome)).at(-1) ?? null;

  const materials = heldMaterials(results.map((r) => r.result));

  const chosen = latest('choose_agency')?.result?.agencyId ?? null;
  const agencyName = chosen
    ? await services.registers.agencies
        .get(actor, chosen)
        .then((a) => a.name)
        .catch(() => chosen)
    : null;

  const lastFiling = [...results].reverse().find((r) => r.task.kind === 'file_contract') ?? null;
  const returned = lastFiling && lastFiling.task.outcome === 'return' ? { comment: lastFiling.task.comment ?? null, at: lastFiling.task.completedAt ?? null } : null;

  const acceptanceTask = caseView.tasks.filter((t) => t.kind === 'acceptance' && t.status !== 'cancelled').at(-1) ?? null;
  const scheduledNote = acceptanceTask
    ? ([...caseView.events].reverse().find((e) => e.kind === 'task_scheduled' && e.detail.taskId === acceptanceTask.id)?.detail.reason as string | undefined)
    : undefined;

  const until = caseView.deadlines.publicity;
  const objections = caseView.tasks
    .filter((t) => t.kind === 'objection_review')
    .map((t) => ({
      taskId: t.id,
      status: t.status === 'open' ? ('open' as const) : t.status === 'completed' ? (t.outcome === 'uphold' ? ('upheld' as const) : ('dismissed' as const)) : ('cancelled' as const),
      openedAt: t.openedAt,
      decidedAt: t.completedAt ?? null,
      comment: t.status === 'completed' ? (t.comment ?? null) : null,
    }));

  const packageItems = packageView(demo.packageItems, materials);
  return {
    trackName: definition.name,
    agency: chosen ? { id: chosen, name: agencyName ?? chosen } : null,
    leadConsultant: latest('sign_contract')?.result?.leadConsultant?.name ?? null,
    contract: { fileId: materials.contract ?? null, filing: latest('file_contract', 'file')?.result?.filing ?? null, returned },
    survey: latest('schedule_survey')?.result?.survey ?? null,
    acceptance: acceptanceTask ? { scheduled: acceptanceTask.dueAt !== null, dueAt: acceptanceTask.dueAt ?? null, note: scheduledNote ?? null } : null,
    publicity: until ? { until, open: caseView.stage === 'publicity' && caseView.status === 'active' } : null,
    objections,
    materials,
    packageItems,
    missingItems: packageItems.filter((i) => !i.present).map((i) => i.title),
    findings: latest('diagnosis')?.result?.findings ?? [],
  };
}
