import type { Client } from '@temporalio/client';
import { OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { findDistrict } from '../../domain/program/program.ts';
import { BatchRecord, CaseRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { completeTaskUpdate } from '../../workflows/case/messages.ts';
import { refusalToAppError } from '../cases/caseService.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';

/** 汇总报送: a district sends the cases it approved to the city as one numbered list. */
export function createBatchService({ orm, temporal, programs }: { orm: Orm; temporal: Client; programs: ProgramService }) {
  return {
    async forward(actor: Actor, caseIds: string[]): Promise<BatchRecord> {
      if (actor.role !== 'district_officer' || !actor.scopeId) throw new AppError('forbidden', 'a district office forwards its own cases');
      const em = orm.em.fork();
      const unique = [...new Set(caseIds)];
      const tasks = await em.find(TaskRecord, { caseId: { $in: unique }, kind: 'forward', status: 'open', jurisdiction: actor.scopeId });
      const waiting = new Set(tasks.map((t) => t.caseId));
      const notWaiting = unique.filter((id) => !waiting.has(id));
      if (notWaiting.length) {
        throw new AppError('conflict', `not awaiting forwarding by ${actor.scopeId}: ${notWaiting.join(', ')}`, notWaiting.map((id) => ({ path: `caseIds.${unique.indexOf(id)}`, rule: 'must be a case of your district approved and not yet forwarded' })));
      }
      const cases = await em.find(CaseRecord, { id: { $in: unique } });
      const tracks = new Set(cases.map((c) => `${c.programId}/${c.track}`));
      if (tracks.size !== 1) throw new AppError('bad_request', 'a batch holds cases of one program and track', [{ path: 'caseIds', rule: 'one program and track' }]);
      const { programId, track } = cases[0]!;
      const program = await programs.latest(programId);
      const districtName = findDistrict(program, actor.scopeId)?.name ?? actor.scopeId;
      const sequence = (await em.count(BatchRecord, { programId, track, district: actor.scopeId })) + 1;
      const batch = em.create(BatchRecord, {
        id: crypto.randomUUID(),
        number: `${districtName}〔${program.year}〕${track === 'standard' ? '贯标' : track}第${sequence}批`,
        programId,
        track,
        district: actor.scopeId,
        caseIds: unique,
        forwardedBy: actor.userId,
        forwardedByName: actor.name,
        forwardedAt: new Date(),
      });
      await em.flush();
      const ref = { id: batch.id, number: batch.number, forwardedAt: batch.forwardedAt.toISOString() };
      for (const task of tasks) {
        await temporal.workflow
          .getHandle(task.caseId)
          .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor, payload: { outcome: 'forward', batch: ref, comment: `汇总报送：${batch.number}` } }] })
          .catch(refusalToAppError);
      }
      return batch;
    },

    /** The city sees every batch; a district its own. */
    async list(actor: Actor): Promise<BatchRecord[]> {
      const scope = actor.role === 'district_officer' ? { district: actor.scopeId ?? '' } : OFFICE_ROLES.has(actor.role) ? {} : null;
      if (!scope) throw new AppError('forbidden', 'batches are for the offices');
      return orm.em.fork().find(BatchRecord, scope, { orderBy: { forwardedAt: 'desc' }, limit: 200 });
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;
