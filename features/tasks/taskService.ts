import type { Client } from '@temporalio/client';
import { actorMayComplete, actorMaySeeCase } from '../../domain/case/authority.ts';
import type { CompletionPayload, TaskKind } from '../../domain/case/model.ts';
import { TASK_KIND_RULES } from '../../domain/tasks/index.ts';
import { scoreProblems } from '../../domain/evaluation/scoring.ts';
import { checklistProblems } from '../../domain/tasks/checklistFields.ts';
import { localDate } from '../../domain/program/calendar.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { completionRefusal as claimedRefusal, heldByAnother } from '../../domain/inbox/claims.ts';
import { CaseRecord, TaskRecord, assignmentOf } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { openTasksOf, type OpenTask } from '../../infra/db/queries.ts';
import { completeTaskUpdate } from '../../workflows/case/messages.ts';
import type { CaseService } from '../cases/caseService.ts';
import { shownResult, type CaseView } from '../cases/caseView.ts';
import { refusalToAppError } from '../temporalErrors.ts';
import type { CompleteTaskBody } from '../cases/schemas.ts';
import { AppError } from '../errors.ts';
import type { FileService } from '../files/fileService.ts';
import type { ProgramService } from '../programs/programService.ts';
import type { IdentityNumbers } from '../enterprises/identityNumbers.ts';
import type { AgencyService } from '../registers/agencyService.ts';
import type { DemonstrationService } from '../demonstration/demonstrationService.ts';
import type { ProgramDefinition, TrackId } from '../../domain/program/types.ts';

interface Deps {
  orm: Orm;
  temporal: Client;
  cases: CaseService;
  programs: ProgramService;
  files: FileService;
  identities: IdentityNumbers;
  agencies: Pick<AgencyService, 'requireAgency' | 'requireConsultantOf'>;
  demonstration: Pick<DemonstrationService, 'recommendThroughRound'>;
}

/** The request's parts that name people or uploads, as the workflow needs them (the lead consultant by name). */
type CheckedBody = Omit<CompleteTaskBody, 'consultantUserId'> & Pick<CompletionPayload, 'leadConsultant'>;

export function createTaskService({ orm, temporal, cases, programs, files, identities, agencies, demonstration }: Deps) {
  /**
   * The demonstration tracks' content only the database knows: the agency exists, the lead
   * consultant is one of its consultants, findings name rubric items, the evaluation covers the
   * rubric, and uploads are the uploader's own.
   */
  const checkDemonstrationContent = async (actor: Actor, task: TaskRecord, record: CaseRecord, body: CompleteTaskBody, program: ProgramDefinition): Promise<CheckedBody> => {
    const { consultantUserId, ...rest } = body;
    let checked: CheckedBody = rest;
    if (consultantUserId && !TASK_KIND_RULES[task.kind as TaskKind].accepts.includes('leadConsultant')) {
      throw new AppError('unprocessable', `consultantUserId 不属于此待办 (not part of this kind of task)`, [{ path: 'consultantUserId', rule: 'not part of this kind of task' }]);
    }
    if (task.kind === 'choose_agency' && body.agencyId) await agencies.requireAgency(body.agencyId);
    if (task.kind === 'sign_contract') {
      if (!consultantUserId) throw new AppError('bad_request', '请指定项目负责顾问 (name the lead consultant)', [{ path: 'consultantUserId', rule: 'required: the lead consultant' }]);
      const { consultant } = await agencies.requireConsultantOf(record.agencyId ?? '', consultantUserId);
      checked = { ...checked, leadConsultant: { userId: consultant.userId, name: consultant.name, role: 'consultant', scopeId: record.agencyId ?? null } };
    }
    const itemIds = new Set(program.rubric.sections.flatMap((s) => s.items.map((i) => i.id)));
    const unknown = (body.findings ?? []).map((f, i) => ({ f, i })).filter(({ f }) => !itemIds.has(f.itemId));
    if (unknown.length) throw new AppError('bad_request', `诊断意见须对应评价指标 (findings must name rubric items): ${unknown.map(({ f }) => f.itemId).join(', ')}`, unknown.map(({ i }) => ({ path: `findings.${i}.itemId`, rule: 'a rubric item id' })));
    if (body.evaluation) {
      const issues = scoreProblems(program.rubric, body.evaluation.scores, { requireAll: true });
      if (issues.length) throw new AppError('bad_request', `内部评估 (internal evaluation): ${issues.length} problem(s), first ${issues[0]!.path}: ${issues[0]!.rule}`, issues.map((p) => ({ path: `evaluation.${p.path}`, rule: p.rule })));
    }
    const uploads = [
      ...Object.entries(body.materials ?? {}).map(([key, id]) => ({ path: `materials.${key}`, id })),
      ...Object.entries(body.evaluation?.evidence ?? {}).flatMap(([itemId, ids]) => ids.map((id, i) => ({ path: `evaluation.evidence.${itemId}.${i}`, id }))),
    ];
    if (uploads.length) await files.requireUploadedBy(actor, uploads);
    return checked;
  };

  /** What only the database and the pinned program can tell: files, rubric items, checklist fields. */
  const checkContent = async (actor: Actor, task: TaskRecord, record: CaseRecord, body: CompleteTaskBody): Promise<CheckedBody> => {
    const program = await programs.version(record.programId, record.programVersion);
    if (program.tracks[record.track as TrackId]?.demonstration) return checkDemonstrationContent(actor, task, record, body, program);
    const uscc = record.enterpriseUscc;
    if (body.outcome === 'resubmit' && body.application) body = { ...body, application: await cases.checkResubmission(record.id, body.application) };
    if (body.outcome === 'done' && task.kind === 'self_compliance_item') {
      const item = program.selfCompliance.find((i) => i.key === task.subject) ?? { title: task.subject ?? '', fields: {}, upload: false };
      // every field's rule at once (参训人数 a number, 培训日期 not ahead), each named as the form names it
      const problems = checklistProblems(item, body.fields ?? {}, body.fileIds?.length ?? 0, localDate(new Date(), program.timeZone));
      const unknown = Object.keys(body.fields ?? {}).filter((name) => !(name in item.fields));
      problems.push(...unknown.map((name) => ({ path: `fields.${name}`, rule: `「${item.title}」没有此项 (not a field of this item)` })));
      if (problems.length) throw new AppError('bad_request', `「${item.title}」有 ${problems.length} 处需要修改，已在表中标出 (${problems.length} field${problems.length === 1 ? '' : 's'} of this item to put right, marked in the form)`, problems);
      await files.requireOwned(uscc, (body.fileIds ?? []).map((id, i) => ({ path: `fileIds.${i}`, id })));
    }
    if (body.outcome === 'submit' && body.acceptance) {
      const { acceptance } = body;
      const scoreIssues = scoreProblems(program.rubric, acceptance.selfEvaluation.scores, { requireAll: true });
      if (scoreIssues.length) {
        throw new AppError('bad_request', `自评表有 ${scoreIssues.length} 项需要处理，已在表中标出 (self-evaluation: ${scoreIssues.length} problem(s), first ${scoreIssues[0]!.path})`, scoreIssues.map((p) => ({ path: `acceptance.selfEvaluation.${p.path}`, rule: p.rule })));
      }
      await files.requireOwned(uscc, [
        { path: 'acceptance.workSummaryFileId', id: acceptance.workSummaryFileId },
        { path: 'acceptance.internalEvaluationFileId', id: acceptance.internalEvaluationFileId },
        { path: 'acceptance.commitmentLetterFileId', id: acceptance.commitmentLetterFileId },
        ...Object.entries(acceptance.selfEvaluation.evidence).flatMap(([itemId, ids]) => ids.map((id, i) => ({ path: `acceptance.selfEvaluation.evidence.${itemId}.${i}`, id }))),
      ]);
    }
    if (body.scoreAdjustments?.length) {
      const levels = Object.fromEntries(body.scoreAdjustments.map((a) => [a.itemId, a.level]));
      const issues = scoreProblems(program.rubric, levels);
      if (issues.length) throw new AppError('bad_request', `调整分值有 ${issues.length} 项需要处理 (score adjustments: ${issues.length} problem(s), first ${issues[0]!.path})`, issues.map((p) => ({ path: p.path.replace(/^scores\./, 'scoreAdjustments.'), rule: p.rule })));
    }
    return body;
  };

  /** The task, when the actor may see its case; otherwise it does not exist for them (404). */
  const visibleTask = async (actor: Actor, taskId: string): Promise<{ task: TaskRecord; record: CaseRecord }> => {
    const em = orm.em.fork();
    const task = await em.findOne(TaskRecord, { id: taskId });
    const record = task ? await em.findOne(CaseRecord, { id: task.caseId }) : null;
    if (!task || !record || !actorMaySeeCase(actor, { ...record, consultantUserId: record.consultantUserId ?? null })) throw new AppError('not_found', `没有待办 ${taskId} (no such task)`);
    return { task, record };
  };

  /** Whoever completes it: its role and scope (or the named person), and, for an office's open task a colleague claimed, only that colleague. */
  const requireMayComplete = (actor: Actor, task: TaskRecord): void => {
    if (!actorMayComplete(actor, { assignment: assignmentOf(task) })) throw new AppError('forbidden', `待办 ${task.id} 不由您办理 (the task is not yours to complete)`);
    const claimed = task.status === 'open' ? claimedRefusal(actor, task) : null;
    if (claimed) throw new AppError(claimed.code, claimed.message);
  };

  return {
    /** The task and its case, when the actor may see it (else 404): for the inbox's claims and bulk actions. */
    visibleTask,

    /** Open tasks for the actor: named to them, or for their role within their jurisdiction; most urgent first. */
    async inbox(actor: Actor): Promise<InboxItem[]> {
      return openTasksOf(orm.em.fork(), actor);
    },

    async getTask(actor: Actor, taskId: string): Promise<{ task: TaskRecord; caseView: CaseView; mayComplete: boolean }> {
      const { task } = await visibleTask(actor, taskId);
      const mayComplete = task.status === 'open' && actorMayComplete(actor, { assignment: assignmentOf(task) }) && heldByAnother(actor, task) === null;
      return { task: { ...task, result: shownResult(task.result ?? null) }, caseView: await cases.getCase(actor, task.caseId), mayComplete };
    },

    /** Who may complete the task (the same test as completeTask), before a body is even read. */
    async requireCompletable(actor: Actor, taskId: string): Promise<void> {
      const { task } = await visibleTask(actor, taskId);
      requireMayComplete(actor, task);
    },

    /**
     * A person completes a task. The projection answers the cheap questions (exists? open? yours?)
     * and checks content against the database; the workflow's update validator is the authority on
     * the rest and refuses atomically.
     */
    async completeTask(actor: Actor, taskId: string, body: CompleteTaskBody): Promise<CaseView> {
      const { task, record } = await visibleTask(actor, taskId);
      requireMayComplete(actor, task);
      if (task.status !== 'open') throw new AppError('conflict', `待办已办结 (the task is already ${task.status})`);
      if (body.outcome === 'forward') throw new AppError('unprocessable', '汇总报送请使用批次 (cases are forwarded in a batch: POST /api/batches)', [{ path: 'outcome', rule: 'use POST /api/batches' }]);
      const checked = (await checkContent(actor, task, record, body)) as CompletionPayload;
      // a recommendation within a quota is counted by its round, which then moves the case
      if (await demonstration.recommendThroughRound(actor, task, record, checked)) return cases.getCase(actor, task.caseId);
      const newRef = checked.application?.legalRepresentativeIdRef;
      await completeWorkflowTask(task.caseId, taskId, actor, checked).catch(async (error: unknown) => {
        // a refused correction leaves no new identity number behind
        if (newRef && newRef !== record.application.legalRepresentativeIdRef) await identities.discard(newRef);
        throw error;
      });
      return cases.getCase(actor, task.caseId);
    },
  };

  async function completeWorkflowTask(caseId: string, taskId: string, actor: Actor, payload: CompletionPayload) {
    await temporal.workflow.getHandle(caseId).executeUpdate(completeTaskUpdate, { args: [{ taskId, actor, payload }] }).catch(refusalToAppError);
  }
}

export type TaskService = ReturnType<typeof createTaskService>;
export type InboxItem = OpenTask;
