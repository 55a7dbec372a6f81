import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CompletionPayload } from '../../domain/case/model.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { localInstant } from '../../domain/program/calendar.ts';
import { findDistrict, requireTrack } from '../../domain/program/program.ts';
import type { ProgramDefinition, RecommendationStep, TrackId } from '../../domain/program/types.ts';
import { createHash } from 'node:crypto';
import { CaseRecord, ObjectionRecord, TaskRecord } from '../../infra/db/entities.ts';
import { recommendedCases } from '../../infra/db/queries.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { fileObjectionUpdate } from '../../workflows/case/messages.ts';
import { recommendUpdate, roundIdFor, roundStateQuery, type RoundInput } from '../../workflows/rounds/recommendationRound.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import { refusalToAppError } from '../temporalErrors.ts';

interface Deps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  programs: ProgramService;
}

/** A round's quota as the page shows it: how many, how many used, which cases. */
export interface QuotaView {
  programId: string;
  track: TrackId;
  stage: string;
  scope: string;
  scopeName: string;
  quota: number;
  used: number;
  left: number;
  recommended: string[];
}

/** One case in publicity, as the public page lists it: the enterprise's name only. */
export interface PublicityEntry {
  caseId: string;
  enterpriseName: string;
  /** the track's id, for a reader of another language; trackName is the program's own name of it */
  track: TrackId;
  trackName: string;
  programTitle: string;
  until: string;
}

/**
 * What the demonstration tracks do across cases: recommendations counted by the round of their
 * scope, the acceptor's date for a group of cases, and the public's objections in publicity.
 */
export function createDemonstrationService({ orm, temporal, taskQueue, programs }: Deps) {
  /** The round a recommendation step's decision is counted in, or null when the step has no quota. */
  const roundFor = (program: ProgramDefinition, track: TrackId, step: RecommendationStep, district: string): RoundInput | null => {
    if (step.quota === 'none') return null;
    const definition = requireTrack(program, track);
    const scope = step.quota === 'district' ? district : 'city';
    const quota = step.quota === 'district' ? (findDistrict(program, district)?.quotas[track] ?? 0) : (definition.cityQuota ?? 0);
    const scopeName = step.quota === 'district' ? (findDistrict(program, district)?.name ?? district) : program.city;
    return { roundId: roundIdFor(program.id, track, step.stage, scope), programId: program.id, track, stage: step.stage, scope, quota, scopeName };
  };

  const stepOf = (program: ProgramDefinition, track: TrackId, stage: string): RecommendationStep | undefined =>
    program.tracks[track]?.demonstration?.recommendation.find((s) => s.stage === stage);

  return {
    /**
     * A recommendation within a quota goes to its round, which counts it and only then moves the
     * case (one at a time, so concurrent offices cannot overrun it). Null: this decision needs no round.
     */
    async recommendThroughRound(actor: Actor, task: TaskRecord, record: CaseRecord, payload: CompletionPayload): Promise<boolean> {
      if (task.kind !== 'recommend' || payload.outcome !== 'recommend') return false;
      const program = await programs.version(record.programId, record.programVersion);
      const step = stepOf(program, record.track as TrackId, task.stage);
      const round = step ? roundFor(program, record.track as TrackId, step, record.district) : null;
      if (!round) return false;
      const start = new WithStartWorkflowOperation('recommendationRound', { workflowId: round.roundId, taskQueue, args: [round], workflowIdConflictPolicy: 'USE_EXISTING' });
      await temporal.workflow
        .executeUpdateWithStart(recommendUpdate, { startWorkflowOperation: start, args: [{ caseId: record.id, taskId: task.id, actor, payload }] })
        .catch(refusalToAppError);
      return true;
    },

    /** 推荐名额: what is left of each quota the actor recommends within (a district officer's, the city's). */
    async quotas(actor: Actor, programId: string | undefined): Promise<QuotaView[]> {
      const program = programId ? await programs.latest(programId) : await programs.current();
      const views: QuotaView[] = [];
      for (const definition of Object.values(program.tracks)) {
        for (const step of definition.demonstration?.recommendation ?? []) {
          if (step.role !== actor.role) continue;
          const district = actor.role === 'district_officer' ? (actor.scopeId ?? '') : '';
          const round = roundFor(program, definition.id, step, district);
          if (!round) continue;
          const recommended = await temporal.workflow
            .getHandle(round.roundId)
            .query(roundStateQuery)
            .then((s) => s.recommended)
            // no round yet (or it has ended): the record tells
            .catch(async (error: unknown) => {
              if (!(error instanceof WorkflowNotFoundError) && !String(error).includes('not found')) throw error;
              return recommendedCases(orm.em.fork(), round);
            });
          views.push({ programId: program.id, track: definition.id, stage: step.stage, scope: round.scope, scopeName: round.scopeName, quota: round.quota, used: recommended.length, left: Math.max(0, round.quota - recommended.length), recommended });
        }
      }
      return views;
    },

    /** 验收时间另行通知: the acceptor sets one date for a group of its waiting cases; all take it, or none is asked. */
    async scheduleAcceptance(actor: Actor, body: { caseIds: string[]; at: string; place: string }): Promise<{ scheduled: string[]; at: string; place: string }> {
      const em = orm.em.fork();
      const waiting = await em.find(TaskRecord, { caseId: { $in: body.caseIds }, kind: 'acceptance', status: 'open', assigneeRole: actor.role });
      const waitingCases = new Set(waiting.map((t) => t.caseId));
      const notWaiting = body.caseIds.filter((id) => !waitingCases.has(id));
      if (notWaiting.length) {
        throw new AppError('conflict', `以下案件不在待验收之列 (not waiting for an acceptance by you): ${notWaiting.slice(0, 10).join(', ')}`, notWaiting.map((id) => ({ path: `caseIds.${body.caseIds.indexOf(id)}`, rule: 'must be a case waiting for your acceptance' })));
      }
      const at = localInstant(body.at, 'Asia/Shanghai');
      if (!(at.getTime() > Date.now())) throw new AppError('bad_request', '验收时间须晚于现在 (the acceptance must lie in the future)', [{ path: 'at', rule: 'in the future' }]);
      const appointment = { at: body.at, place: body.place };
      // one workflow for the group: every case takes the date even if this process dies on the way
      await temporal.workflow.execute('acceptanceSchedule', {
        workflowId: `acceptance-schedule-${createHash('sha256').update(JSON.stringify([actor.userId, appointment, [...body.caseIds].sort()])).digest('hex').slice(0, 24)}`,
        taskQueue,
        args: [{ caseIds: body.caseIds, appointment, at: at.toISOString(), actor }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return { scheduled: body.caseIds, ...appointment };
    },

    /** 公示: the cases in publicity now, for the public page (no login): the enterprise's name and the period. */
    async publicity(): Promise<PublicityEntry[]> {
      const rows = await orm.em.fork().find(CaseRecord, { stage: 'publicity', status: 'active' }, { orderBy: { updatedAt: 'asc' }, fields: ['id', 'enterpriseName', 'programId', 'programVersion', 'track', 'deadlines'] });
      const entries: PublicityEntry[] = [];
      for (const row of rows) {
        const program = await programs.version(row.programId, row.programVersion);
        const until = (row.deadlines as Record<string, string>).publicity;
        if (!until || Date.parse(until) <= Date.now()) continue;
        entries.push({ caseId: row.id, enterpriseName: row.enterpriseName, track: row.track as TrackId, trackName: program.tracks[row.track as TrackId]?.name ?? row.track, programTitle: program.title, until });
      }
      return entries;
    },

    /**
     * Anyone objects to a case in publicity. The objection (with the objector's contact) is kept
     * here; the case gets its id and opens a task for the acceptor. A case not in publicity is 404
     * to the public, and an objection the case refuses leaves nothing behind.
     */
    async fileObjection(caseId: string, body: { name: string; contact: string; text: string }): Promise<{ objectionId: string }> {
      const em = orm.em.fork();
      const record = await em.findOne(CaseRecord, { id: caseId, stage: 'publicity', status: 'active' });
      if (!record) throw new AppError('not_found', `没有正在公示的案件 ${caseId} (no case in publicity)`);
      const objection = em.create(ObjectionRecord, { id: crypto.randomUUID(), caseId, ...body, filedAt: new Date() });
      await em.flush();
      try {
        await temporal.workflow.getHandle(caseId).executeUpdate(fileObjectionUpdate, { args: [{ objectionId: objection.id }] });
      } catch (error) {
        await em.nativeDelete(ObjectionRecord, { id: objection.id });
        refusalToAppError(error);
      }
      return { objectionId: objection.id };
    },

    /** The objection behind an objection task, for the acceptor. */
    async objection(id: string): Promise<ObjectionRecord | null> {
      return orm.em.fork().findOne(ObjectionRecord, { id });
    },
  };
}

export type DemonstrationService = ReturnType<typeof createDemonstrationService>;
