import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { actorMayComplete } from '../../domain/case/authority.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { CaseRecord, TaskRecord, assignmentOf } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { completeTaskUpdate } from '../../workflows/case/messages.ts';
import type { CaseService, CaseView } from '../cases/caseService.ts';
import type { CompleteTaskBody } from '../cases/schemas.ts';
import { AppError, type ErrorCode } from '../errors.ts';

const REFUSAL_CODES: Record<string, ErrorCode> = {
  task_closed: 'conflict',
  wrong_actor: 'forbidden',
  invalid_payload: 'unprocessable',
};

export function createTaskService({ orm, temporal, cases }: { orm: Orm; temporal: Client; cases: CaseService }) {
  const inboxFilter = (actor: Actor) => ({
    status: 'open',
    assigneeRole: actor.role,
    ...(actor.scopeId ? { jurisdiction: { $in: [actor.scopeId, null] } } : { jurisdiction: null }),
  });

  return {
    /** Open tasks for the actor's role within the actor's jurisdiction, most urgent first. */
    async inbox(actor: Actor): Promise<InboxItem[]> {
      const em = orm.em.fork();
      const tasks = await em.find(TaskRecord, inboxFilter(actor), { orderBy: { dueAt: 'asc' }, limit: 500 });
      const cases = await em.find(CaseRecord, { id: { $in: [...new Set(tasks.map((t) => t.caseId))] } });
      const names = new Map(cases.map((c) => [c.id, c.enterpriseName]));
      return tasks.map((task) => ({ ...task, enterpriseName: names.get(task.caseId) ?? '' }));
    },

    async getTask(actor: Actor, taskId: string): Promise<{ task: TaskRecord; caseView: CaseView; mayComplete: boolean }> {
      const task = await orm.em.fork().findOne(TaskRecord, { id: taskId });
      if (!task) throw new AppError('not_found', `no task ${taskId}`);
      const mayComplete = task.status === 'open' && actorMayComplete(actor, { assignment: assignmentOf(task) });
      return { task, caseView: await cases.getCase(actor, task.caseId), mayComplete };
    },

    /**
     * A person completes a task. The projection answers the cheap questions (exists? open? yours?);
     * the workflow's update validator is the authority and refuses the same things atomically.
     */
    async completeTask(actor: Actor, taskId: string, body: CompleteTaskBody): Promise<CaseView> {
      const task = await orm.em.fork().findOne(TaskRecord, { id: taskId });
      if (!task) throw new AppError('not_found', `no task ${taskId}`);
      if (!actorMayComplete(actor, { assignment: assignmentOf(task) })) throw new AppError('forbidden', `task ${taskId} is not yours to complete`);
      if (task.status !== 'open') throw new AppError('conflict', `task ${taskId} is already ${task.status}`);
      try {
        await temporal.workflow.getHandle(task.caseId).executeUpdate(completeTaskUpdate, { args: [{ taskId, actor, payload: body }] });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
          const code = REFUSAL_CODES[error.cause.type ?? ''] ?? 'unprocessable';
          const details = error.cause.details?.[0] as { path?: string; rule?: string } | undefined;
          throw new AppError(code, error.cause.message, details?.path ? [{ path: details.path, rule: details.rule ?? '' }] : []);
        }
        throw error;
      }
      return cases.getCase(actor, task.caseId);
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
export type InboxItem = TaskRecord & { enterpriseName: string };
