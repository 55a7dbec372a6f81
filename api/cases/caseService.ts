import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { actorMaySeeCase } from '../../domain/case/authority.ts';
import { caseIdFor } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { findDistrict } from '../../domain/program/program.ts';
import { CaseEventRecord, CaseRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { caseSettledUpdate } from '../../workflows/case/messages.ts';
import type { CaseWorkflowInput } from '../../workflows/case/caseWorkflow.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import type { SubmitApplicationBody } from './schemas.ts';

export interface CaseDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  programs: ProgramService;
}

export function createCaseService({ orm, temporal, taskQueue, programs }: CaseDeps) {
  const service = {
    /** An enterprise applies: validated against its program, then one workflow per (program, track, enterprise). */
    async submitApplication(actor: Actor, body: SubmitApplicationBody): Promise<CaseView> {
      const { application, track } = body;
      if (actor.role !== 'enterprise') throw new AppError('forbidden', 'only an enterprise applies');
      if (actor.scopeId !== application.uscc) {
        throw new AppError('forbidden', 'an enterprise user applies only for its own enterprise', [
          { path: 'application.uscc', rule: 'must be the credit code of your own enterprise' },
        ]);
      }
      const program = body.programId ? await programs.latest(body.programId) : await programs.current();
      const trackDefinition = program.tracks[track];
      if (!trackDefinition) {
        throw new AppError('unprocessable', `program ${program.id} has no track ${track}`, [{ path: 'track', rule: `one of ${Object.keys(program.tracks).join(', ')}` }]);
      }
      if (!findDistrict(program, application.district)) {
        throw new AppError('bad_request', `district ${application.district} is not in program ${program.id}`, [
          { path: 'application.district', rule: `one of ${program.districts.map((d) => d.code).join(', ')}` },
        ]);
      }
      const caseId = caseIdFor(program.id, track, application.uscc);
      const input: CaseWorkflowInput = {
        caseId,
        programId: program.id,
        programVersion: program.version,
        track,
        application,
        submittedBy: actor,
        submittedAt: new Date().toISOString(),
        plan: { programYear: program.year, reviewChain: trackDefinition.applicationReview, correctionDays: program.correctionDays },
      };
      try {
        const handle = await temporal.workflow.start('caseWorkflow', {
          workflowId: caseId,
          taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        await handle.executeUpdate(caseSettledUpdate);
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          throw new AppError('conflict', `${application.enterpriseName} has already applied to ${trackDefinition.name} of ${program.id}`, [
            { path: 'application.uscc', rule: 'one application per enterprise, track and program year' },
          ]);
        }
        throw error;
      }
      return service.getCase(actor, caseId);
    },

    /** The case as the offices see it: the projection, its tasks and its decision record. */
    async getCase(actor: Actor, caseId: string): Promise<CaseView> {
      const em = orm.em.fork();
      const record = await em.findOne(CaseRecord, { id: caseId });
      if (!record || !actorMaySeeCase(actor, record)) throw new AppError('not_found', `no case ${caseId}`);
      const tasks = await em.find(TaskRecord, { caseId }, { orderBy: { openedAt: 'asc' } });
      const events = await em.find(CaseEventRecord, { caseId }, { orderBy: { at: 'asc' } });
      const program = await programs.latest(record.programId);
      return toCaseView(record, tasks, events, findDistrict(program, record.district)?.name ?? record.district);
    },

    async listCases(actor: Actor): Promise<CaseRecord[]> {
      const em = orm.em.fork();
      const scope =
        actor.role === 'enterprise'
          ? { enterpriseUscc: actor.scopeId ?? '' }
          : actor.role === 'district_officer'
            ? { district: actor.scopeId ?? '' }
            : actor.role === 'consultant'
              ? { id: '' }
              : {};
      return em.find(CaseRecord, scope, { orderBy: { updatedAt: 'desc' }, limit: 500 });
    },
  };
  return service;
}

export type CaseService = ReturnType<typeof createCaseService>;

export interface CaseView {
  id: string;
  programId: string;
  programVersion: number;
  track: string;
  enterprise: { uscc: string; name: string; district: string; districtName: string };
  stage: string;
  status: string;
  application: CaseRecord['application'];
  applicationVersion: number;
  submittedAt: Date;
  updatedAt: Date;
  tasks: Array<Pick<TaskRecord, 'id' | 'kind' | 'stage' | 'assigneeRole' | 'jurisdiction' | 'status' | 'openedAt' | 'dueAt' | 'outcome' | 'comment' | 'completedByName' | 'completedAt'>>;
  decisions: Array<{ taskId: string; stage: string; outcome: string; comment: string | null; actor: { id: string | null; name: string | null; role: string }; at: Date }>;
}

export function toCaseView(record: CaseRecord, tasks: TaskRecord[], events: CaseEventRecord[], districtName: string): CaseView {
  return {
    id: record.id,
    programId: record.programId,
    programVersion: record.programVersion,
    track: record.track,
    enterprise: { uscc: record.enterpriseUscc, name: record.enterpriseName, district: record.district, districtName },
    stage: record.stage,
    status: record.status,
    application: record.application,
    applicationVersion: record.applicationVersion,
    submittedAt: record.submittedAt,
    updatedAt: record.updatedAt,
    tasks: tasks.map((t) => ({
      id: t.id,
      kind: t.kind,
      stage: t.stage,
      assigneeRole: t.assigneeRole,
      jurisdiction: t.jurisdiction,
      status: t.status,
      openedAt: t.openedAt,
      dueAt: t.dueAt,
      outcome: t.outcome,
      comment: t.comment,
      completedByName: t.completedByName,
      completedAt: t.completedAt,
    })),
    decisions: events
      .filter((e) => e.kind === 'decision')
      .map((e) => ({
        taskId: String(e.detail.taskId),
        stage: String(e.detail.stage),
        outcome: String(e.detail.outcome),
        comment: (e.detail.comment as string | null) ?? null,
        actor: { id: e.actorId ?? null, name: e.actorName ?? null, role: String(e.detail.role) },
        at: e.at,
      })),
  };
}

