import { z } from 'zod';
import type { AcceptanceSubmission, TaskKind } from '../../domain/case/model.ts';
import { scoreProblems } from '../../domain/evaluation/scoring.ts';
import { rubricItems, type LevelChoice } from '../../domain/evaluation/rubric.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { TASK_KIND_RULES } from '../../domain/tasks/index.ts';
import { CaseRecord, TaskDraftRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { acceptanceSchema } from '../cases/schemas.ts';
import { AppError } from '../errors.ts';
import type { FileService } from '../files/fileService.ts';
import type { ProgramService } from '../programs/programService.ts';
import { safeString } from '../validation.ts';
import type { TaskService } from './taskService.ts';

const { workSummaryFileId, internalEvaluationFileId, commitmentLetterFileId, selfEvaluation } = acceptanceSchema.shape;

/**
 * A draft of a task's form: the completion body without its outcome, any part of it missing. The
 * acceptance materials are the one form that needs it (three documents, 107 items and their evidence).
 */
export const taskDraftBody = z.strictObject({
  comment: safeString({ multiline: true }).max(2000, '最多 2000 个字符 (at most 2000 characters)').optional(),
  acceptance: z
    .strictObject({
      workSummaryFileId: workSummaryFileId.optional(),
      internalEvaluationFileId: internalEvaluationFileId.optional(),
      commitmentLetterFileId: commitmentLetterFileId.optional(),
      selfEvaluation: z.strictObject({ scores: selfEvaluation.shape.scores.default({}), evidence: selfEvaluation.shape.evidence }).optional(),
    })
    .optional(),
});
export type TaskDraftBody = z.infer<typeof taskDraftBody>;

/** A saved draft as the API and the pages show it: the ids it holds, each file's original name, when and by whom. */
export interface TaskDraftView {
  taskId: string;
  comment: string;
  acceptance: Partial<AcceptanceSubmission>;
  fileNames: Record<string, string>;
  savedAt: Date;
  savedBy: string;
}

/** The kinds of task whose form keeps a draft: those that hand in the acceptance materials and score sheet. */
export const keepsDraft = (kind: string): boolean => TASK_KIND_RULES[kind as TaskKind]?.accepts.includes('acceptance') ?? false;

/** Every upload a draft names, with the field it is in (the paths a refusal names). */
export function draftFiles(body: TaskDraftBody): Array<{ path: string; id: string }> {
  const acceptance = body.acceptance ?? {};
  const documents = (['workSummaryFileId', 'internalEvaluationFileId', 'commitmentLetterFileId'] as const).flatMap((name) => (acceptance[name] ? [{ path: `acceptance.${name}`, id: acceptance[name] }] : []));
  const evidence = Object.entries(acceptance.selfEvaluation?.evidence ?? {}).flatMap(([itemId, ids]) => ids.map((id, i) => ({ path: `acceptance.selfEvaluation.evidence.${itemId}.${i}`, id })));
  return [...documents, ...evidence];
}

interface Deps {
  orm: Orm;
  tasks: Pick<TaskService, 'requireCompletable'>;
  files: Pick<FileService, 'names' | 'requireUploadedBy'>;
  programs: Pick<ProgramService, 'version'>;
}

/**
 * Drafts of the acceptance materials, one per task, for whoever may complete the task and nobody
 * else (the same test as completing it: 404 to those who may not see the case, 403 to those who
 * may see it but not act). Saving never completes the task; a draft is read only while the task is
 * open. Completing the task leaves the draft where it is: nobody may read it any more, and the
 * uploads it named are no longer kept for it (fileRetention), so there is nothing to clear.
 */
export function createTaskDrafts({ orm, tasks, files, programs }: Deps) {
  const view = async (actor: Actor, draft: TaskDraftRecord): Promise<TaskDraftView> => ({
    taskId: draft.taskId,
    comment: draft.body.comment ?? '',
    acceptance: draft.body.acceptance ?? {},
    fileNames: Object.fromEntries(await files.names(actor, draft.fileIds)),
    savedAt: draft.savedAt,
    savedBy: draft.savedByName,
  });

  /** The open task whose draft the actor may save: they may complete it, and its kind keeps a draft. */
  const requireDraftable = async (actor: Actor, taskId: string): Promise<TaskRecord> => {
    await tasks.requireCompletable(actor, taskId);
    const task = await orm.em.fork().findOneOrFail(TaskRecord, { id: taskId });
    if (task.status !== 'open') throw new AppError('conflict', `待办已办结，不能再保存草稿 (the task is already ${task.status})`);
    if (!keepsDraft(task.kind)) {
      throw new AppError('unprocessable', '此待办没有草稿，请直接办理 (this kind of task keeps no draft)', [{ path: '(body)', rule: '只有验收材料可以保存草稿 (only the acceptance materials keep a draft)' }]);
    }
    return task;
  };

  return {
    /** The task's draft, or null (none saved, or the task is closed). */
    async read(actor: Actor, taskId: string): Promise<TaskDraftView | null> {
      await tasks.requireCompletable(actor, taskId);
      const em = orm.em.fork();
      const task = await em.findOneOrFail(TaskRecord, { id: taskId });
      const draft = task.status === 'open' ? await em.findOne(TaskDraftRecord, { taskId }) : null;
      return draft && view(actor, draft);
    },

    requireDraftable,

    /** Keeps what the form holds so far, in place of the task's earlier draft; the task stays open. */
    async save(actor: Actor, taskId: string, body: TaskDraftBody): Promise<TaskDraftView> {
      const task = await requireDraftable(actor, taskId);
      const em = orm.em.fork();
      const record = await em.findOneOrFail(CaseRecord, { id: task.caseId });
      const { rubric } = await programs.version(record.programId, record.programVersion);
      const scores = (body.acceptance?.selfEvaluation?.scores ?? {}) as Record<string, LevelChoice>;
      const items = new Set(rubricItems(rubric).map((item) => item.id));
      const problems = [
        ...scoreProblems(rubric, scores),
        ...Object.keys(body.acceptance?.selfEvaluation?.evidence ?? {})
          .filter((id) => !items.has(id))
          .map((id) => ({ path: `evidence.${id}`, rule: '评分表中没有此项 (no such item in the rubric)' })),
      ];
      if (problems.length) {
        throw new AppError('bad_request', `自评表有 ${problems.length} 项需要处理 (self-evaluation: ${problems.length} problem(s), first ${problems[0]!.path})`, problems.map((p) => ({ path: `acceptance.selfEvaluation.${p.path}`, rule: p.rule })));
      }
      const uploads = draftFiles(body);
      await files.requireUploadedBy(actor, uploads);
      const draft = { taskId, caseId: task.caseId, body, fileIds: [...new Set(uploads.map((u) => u.id))], savedBy: actor.userId, savedByName: actor.name, savedAt: new Date() };
      await em.upsert(TaskDraftRecord, draft);
      return view(actor, draft);
    },
  };
}

export type TaskDrafts = ReturnType<typeof createTaskDrafts>;
