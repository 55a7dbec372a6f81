import { compareApplications, type ApplicationComparison } from '../../domain/application/compare.ts';
import type { ApplicationForm, CompletionPayload } from '../../domain/case/model.ts';
import { gradeFor, scoreSheet } from '../../domain/evaluation/scoring.ts';
import { maskResidentId } from '../../domain/identity/residentId.ts';
import { findDistrict } from '../../domain/program/program.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import type { ApplicationVersionRecord, CaseEventRecord, CaseRecord, TaskRecord } from '../../infra/db/entities.ts';

/** A form as any answer shows it: the number masked (idempotent), the register's ref left out. */
export function masked(form: ApplicationForm): ApplicationForm {
  const { legalRepresentativeIdRef: _ref, ...shown } = form;
  return { ...shown, legalRepresentativeIdNumber: maskResidentId(form.legalRepresentativeIdNumber) };
}

/** A completion as any answer shows it: an application in it masked like every other. */
export function shownResult(result: CompletionPayload | null): CompletionPayload | null {
  return result?.application ? { ...result, application: masked(result.application) } : result;
}

/** What a version changed against the one before, its identity numbers shown masked (the refs tell a new number apart). */
function comparedMasked(before: ApplicationForm, after: ApplicationForm): ApplicationComparison {
  const withMask = (f: ApplicationForm) => ({ ...f, legalRepresentativeIdNumber: maskResidentId(f.legalRepresentativeIdNumber) });
  return compareApplications(withMask(before), withMask(after));
}

export interface CaseView {
  id: string;
  programId: string;
  programVersion: number;
  track: string;
  enterprise: { uscc: string; name: string; district: string; districtName: string };
  stage: string;
  status: string;
  application: ApplicationForm;
  applicationVersion: number;
  /** every version handed in; from the second on, what it changed against the one before */
  applicationVersions: Array<{ version: number; submittedAt: Date; form: ApplicationForm; changes: ApplicationComparison | null }>;
  submittedAt: Date;
  updatedAt: Date;
  deadlines: Record<string, string>;
  /** deadlines on hold now: since when, why, by whom */
  deadlineHolds: Array<{ deadline: string; since: Date; reason: string; by: string | null }>;
  /** kept for API clients that read the id; people are shown `consultant` */
  consultantUserId: string | null;
  /** the engaged consultant by name and agency (名录中的姓名与所属信用服务机构) */
  consultant: { userId: string; name: string; agencyName: string | null } | null;
  checklist: Array<{ key: string; title: string; done: boolean; completedAt: Date | null; taskId: string | null }>;
  acceptance: CaseRecord['acceptance'];
  acceptanceVersion: number;
  selfEvaluation: SelfEvaluationView | null;
  certificate: { number: string; issuedOn: string } | null;
  closure: { reason: string | null; at: Date } | null;
  /** when the case ended, however it ended (certified too) */
  closedAt: Date | null;
  /** every task of the case, with what its completion handed in (an application in it masked) */
  tasks: Array<Pick<TaskRecord, 'id' | 'kind' | 'stage' | 'subject' | 'assigneeRole' | 'jurisdiction' | 'assigneeUserId' | 'status' | 'openedAt' | 'dueAt' | 'outcome' | 'comment' | 'completedByName' | 'completedAt'> & { result: CompletionPayload | null }>;
  decisions: Array<{ taskId: string; kind: string; stage: string; subject: string | null; outcome: string; comment: string | null; actor: { id: string | null; name: string | null; role: string }; at: Date }>;
  events: Array<{ kind: string; at: Date; actorName: string | null; detail: Record<string, unknown> }>;
  /** the documents the system generated for the case (its certificate), each with its checksum */
  documents?: Array<{ kind: string; fileId: string; sha256: string; createdAt: Date }>;
  /** for the offices: mail about this case that bounced, failed for now, or may not have gone out */
  deliveryProblems?: Array<{ key: string; recipient: string; template: string; subject: string; status: string; smtpResponse: string | null; attempts: number; at: Date }>;
}

export interface SelfEvaluationView {
  enterprise: ReturnType<typeof scoreSheet> & { grade: ReturnType<typeof gradeFor> };
  reviewed: (ReturnType<typeof scoreSheet> & { grade: ReturnType<typeof gradeFor> }) | null;
  adjustments: CaseRecord['reviewerScores'];
}

function selfEvaluationView(record: CaseRecord, program: ProgramDefinition): SelfEvaluationView | null {
  if (!record.acceptance) return null;
  const { rubric, grading } = program;
  const graded = (scores: Record<string, 'full' | 'half' | 'zero'>) => {
    const sheet = scoreSheet(rubric, scores);
    return { ...sheet, grade: gradeFor(grading, rubric, sheet.total, scores[rubric.dishonestyItemId]) };
  };
  const own = record.acceptance.selfEvaluation.scores;
  const adjustments = record.reviewerScores ?? {};
  const reviewedScores = { ...own, ...Object.fromEntries(Object.entries(adjustments).map(([id, a]) => [id, a.level])) };
  return { enterprise: graded(own), reviewed: Object.keys(adjustments).length ? graded(reviewedScores) : null, adjustments };
}

function deadlineHolds(events: CaseEventRecord[]): CaseView['deadlineHolds'] {
  const holds = new Map<string, CaseView['deadlineHolds'][number]>();
  for (const e of events) {
    const deadline = String(e.detail.deadline);
    if (e.kind === 'deadline_suspended') holds.set(deadline, { deadline, since: e.at, reason: String(e.detail.reason), by: e.actorName ?? null });
    if (e.kind === 'deadline_resumed') holds.delete(deadline);
  }
  return [...holds.values()];
}

export function toCaseView(
  record: CaseRecord,
  tasks: TaskRecord[],
  events: CaseEventRecord[],
  versions: ApplicationVersionRecord[],
  program: ProgramDefinition,
  consultant: CaseView['consultant'] = null,
): CaseView {
  // everyone, the enterprise included, sees the number masked: the full one only through the logged reveal
  const form = masked;
  const checklistTasks = tasks.filter((t) => t.kind === 'self_compliance_item');
  return {
    id: record.id,
    programId: record.programId,
    programVersion: record.programVersion,
    track: record.track,
    enterprise: { uscc: record.enterpriseUscc, name: record.enterpriseName, district: record.district, districtName: findDistrict(program, record.district)?.name ?? record.district },
    stage: record.stage,
    status: record.status,
    application: form(record.application),
    applicationVersion: record.applicationVersion,
    applicationVersions: versions.map((v, i) => ({ version: v.version, submittedAt: v.submittedAt, form: form(v.form), changes: i ? comparedMasked(versions[i - 1]!.form, v.form) : null })),
    submittedAt: record.submittedAt,
    updatedAt: record.updatedAt,
    deadlines: record.deadlines,
    deadlineHolds: deadlineHolds(events),
    consultantUserId: record.consultantUserId ?? null,
    consultant,
    checklist: program.selfCompliance.map((item) => {
      const task = checklistTasks.find((t) => t.subject === item.key && t.status === 'completed') ?? checklistTasks.find((t) => t.subject === item.key);
      return { key: item.key, title: item.title, done: task?.status === 'completed', completedAt: task?.completedAt ?? null, taskId: task?.id ?? null };
    }),
    acceptance: record.acceptance ?? null,
    acceptanceVersion: record.acceptanceVersion,
    selfEvaluation: selfEvaluationView(record, program),
    certificate: record.certificateNumber ? { number: record.certificateNumber, issuedOn: record.certificateIssuedOn ?? '' } : null,
    closure: record.closedAt && record.status !== 'certified' ? { reason: record.closureReason ?? null, at: record.closedAt } : null,
    closedAt: record.closedAt ?? null,
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      stage: t.stage,
      subject: t.subject ?? null,
      assigneeRole: t.assigneeRole,
      jurisdiction: t.jurisdiction,
      assigneeUserId: t.assigneeUserId ?? null,
      status: t.status,
      openedAt: t.openedAt,
      dueAt: t.dueAt,
      outcome: t.outcome,
      comment: t.comment,
      completedByName: t.completedByName,
      completedAt: t.completedAt,
      result: shownResult(t.result ?? null),
    })),
    decisions: events
      .filter((e) => e.kind === 'decision')
      .map((e) => ({
        taskId: String(e.detail.taskId),
        kind: String(e.detail.kind ?? 'review'),
        stage: String(e.detail.stage),
        subject: (e.detail.subject as string | null | undefined) ?? null,
        outcome: String(e.detail.outcome),
        comment: (e.detail.comment as string | null) ?? null,
        actor: { id: e.actorId ?? null, name: e.actorName ?? null, role: String(e.detail.role) },
        at: e.at,
      })),
    events: events.map((e) => ({ kind: e.kind, at: e.at, actorName: e.actorName ?? null, detail: e.detail })),
  };
}
