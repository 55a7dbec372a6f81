import type { CaseStartInput, CaseStatus, Decision, TaskRef, ApplicationForm } from '../../domain/case/model.ts';
import { CaseEventRecord, CaseRecord, EnterpriseRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';

/**
 * Persistence of a case's projection. Every write is an upsert or a guarded update keyed by
 * what the workflow decided, so a retried activity leaves the same rows.
 */
export function createCaseActivities({ orm }: { orm: Orm }) {
  const event = (caseId: string, key: string, kind: string, at: Date, actor: { userId: string; name: string } | null, detail: Record<string, unknown>) =>
    orm.em.fork().upsert(
      CaseEventRecord,
      { key: `${caseId}:${key}`, caseId, kind, at, actorId: actor?.userId ?? null, actorName: actor?.name ?? null, detail },
      { onConflictAction: 'ignore' },
    );

  return {
    async recordCaseSubmitted(input: CaseStartInput & { plan: { programYear: number } }): Promise<void> {
      const em = orm.em.fork();
      const { application: form } = input;
      const submittedAt = new Date(input.submittedAt);
      await em.upsert(EnterpriseRecord, {
        uscc: form.uscc,
        name: form.enterpriseName,
        district: form.district,
        legalRepresentative: form.legalRepresentative,
        foundedOn: form.foundedOn,
        contactPhone: form.contactPhone,
        updatedAt: submittedAt,
      });
      await em.upsert(
        CaseRecord,
        {
          id: input.caseId,
          programId: input.programId,
          programVersion: input.programVersion,
          programYear: input.plan.programYear,
          track: input.track,
          enterpriseUscc: form.uscc,
          enterpriseName: form.enterpriseName,
          district: form.district,
          stage: 'submitted',
          status: 'active',
          application: form,
          applicationVersion: 1,
          submittedBy: input.submittedBy.userId,
          submittedAt,
          updatedAt: submittedAt,
        },
        { onConflictAction: 'ignore' },
      );
      await event(input.caseId, 'submitted', 'submitted', submittedAt, input.submittedBy, { applicationVersion: 1 });
    },

    async openTask({ caseId, task }: { caseId: string; task: TaskRef }): Promise<void> {
      const em = orm.em.fork();
      const openedAt = new Date(task.openedAt);
      await em.upsert(
        TaskRecord,
        {
          id: task.id,
          caseId,
          kind: task.kind,
          stage: task.stage,
          assigneeRole: task.assignment.role,
          jurisdiction: task.assignment.jurisdiction,
          assigneeUserId: null,
          status: 'open',
          openedAt,
          dueAt: new Date(task.dueAt),
          outcome: null,
          comment: null,
          completedBy: null,
          completedByName: null,
          completedAt: null,
        },
        { onConflictAction: 'ignore' },
      );
      await em.nativeUpdate(CaseRecord, { id: caseId }, { stage: task.stage, updatedAt: openedAt });
      await event(caseId, `${task.id}:opened`, 'task_opened', openedAt, null, { taskId: task.id, stage: task.stage, dueAt: task.dueAt });
    },

    async recordDecision({
      caseId,
      decision,
      resubmitted,
    }: {
      caseId: string;
      decision: Decision;
      resubmitted?: { application: ApplicationForm; version: number };
    }): Promise<void> {
      const em = orm.em.fork();
      const decidedAt = new Date(decision.decidedAt);
      await em.nativeUpdate(
        TaskRecord,
        { id: decision.taskId, status: 'open' },
        {
          status: 'completed',
          outcome: decision.outcome,
          comment: decision.comment,
          completedBy: decision.actor.userId,
          completedByName: decision.actor.name,
          completedAt: decidedAt,
        },
      );
      if (resubmitted) {
        await em.nativeUpdate(
          CaseRecord,
          { id: caseId, applicationVersion: { $lt: resubmitted.version } },
          { application: resubmitted.application, applicationVersion: resubmitted.version, updatedAt: decidedAt },
        );
      }
      await event(caseId, `${decision.taskId}:decision`, 'decision', decidedAt, decision.actor, {
        taskId: decision.taskId,
        stage: decision.stage,
        outcome: decision.outcome,
        comment: decision.comment,
        role: decision.actor.role,
        ...(resubmitted ? { applicationVersion: resubmitted.version } : {}),
      });
    },

    async recordCaseStage({ caseId, stage, status }: { caseId: string; stage: string; status: CaseStatus }): Promise<void> {
      await orm.em.fork().nativeUpdate(CaseRecord, { id: caseId }, { stage, status, updatedAt: new Date() });
    },
  };
}
