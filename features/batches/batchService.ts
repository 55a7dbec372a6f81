import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { BatchRef } from '../../domain/case/model.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { findDistrict } from '../../domain/program/program.ts';
import { BatchCaseRecord, BatchRecord, CaseRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { caseStateQuery, completeTaskUpdate } from '../../workflows/case/messages.ts';
import { refusalToAppError } from '../temporalErrors.ts';
import { AppError, type ErrorCode, type FieldProblem } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';

/** Forward tasks completed at once: enough to keep a large batch quick, few enough to spare Temporal. */
const UPDATE_CONCURRENCY = 4;
/** Attempts of one case's update when Temporal did not answer (the same updateId: Temporal applies it once). */
const UPDATE_ATTEMPTS = 3;
/** How many case ids a message names; the fields name every one. */
const NAMED_IN_MESSAGE = 10;

interface ForwardTask {
  taskId: string;
  caseId: string;
}

interface Outcome extends ForwardTask {
  forwarded: boolean;
  problem?: AppError;
}

/**
 * 汇总报送: a district sends the cases it approved to the city as one numbered list. The batch and
 * its claims on the cases' forward tasks are stored in one transaction (a concurrent batch for the
 * same case conflicts there and stores nothing); then each case's forward task is completed in its
 * workflow; the batch keeps exactly the cases whose workflows took it, and is listed only then.
 */
export function createBatchService({ orm, temporal, programs }: { orm: Orm; temporal: Client; programs: ProgramService }) {
  /** The forward tasks of these cases open for this district, or 409 naming the cases that have none. */
  const openForwardTasks = async (em: EntityManager, district: string, caseIds: string[]): Promise<ForwardTask[]> => {
    const rows = await em.find(TaskRecord, { caseId: { $in: caseIds }, kind: 'forward', status: 'open', jurisdiction: district }, { fields: ['id', 'caseId'] });
    const taskOf = new Map(rows.map((t) => [t.caseId, t.id]));
    const missing = caseIds.filter((id) => !taskOf.has(id));
    if (missing.length) {
      throw new AppError(
        'conflict',
        `以下案件不在本镇（区）待报送之列 (not awaiting forwarding by ${district}): ${named(missing)}`,
        fieldsFor(caseIds, missing, () => 'must be a case of your district approved and not yet forwarded'),
      );
    }
    return caseIds.map((caseId) => ({ caseId, taskId: taskOf.get(caseId)! }));
  };

  /** One batch holds cases of one program and track. */
  const programAndTrack = async (em: EntityManager, caseIds: string[]): Promise<{ programId: string; track: TrackId }> => {
    const cases = await em.find(CaseRecord, { id: { $in: caseIds } }, { fields: ['id', 'programId', 'track'] });
    const kinds = new Set(cases.map((c) => `${c.programId}/${c.track}`));
    if (kinds.size !== 1) throw new AppError('bad_request', '一批只能报送同一年度同一类别的案件 (a batch holds cases of one program and track)', [{ path: 'caseIds', rule: 'one program and track' }]);
    return { programId: cases[0]!.programId, track: cases[0]!.track as TrackId };
  };

  /**
   * Stores the batch (status forwarding) and its claims in one transaction. Numbers are drawn under
   * a transaction-scoped advisory lock per (program, track, district), so two batches never draw the
   * same one; a task claimed by another batch makes the insert fail and the whole unit roll back.
   */
  const claim = async (actor: Actor & { scopeId: string }, tasks: ForwardTask[], scope: { programId: string; track: TrackId }): Promise<BatchRecord> => {
    const { programId, track } = scope;
    const district = actor.scopeId;
    const program = await programs.latest(programId);
    const districtName = findDistrict(program, district)?.name ?? district;
    const em = orm.em.fork();
    try {
      return await em.transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`batch:${programId}:${track}:${district}`]);
        const last = await tx.findOne(BatchRecord, { programId, track, district }, { orderBy: { sequence: 'desc' }, fields: ['sequence'] });
        const sequence = (last?.sequence ?? 0) + 1;
        const batch: BatchRecord = {
          id: crypto.randomUUID(),
          number: `${districtName}〔${program.year}〕${track === 'standard' ? '贯标' : track}第${sequence}批`,
          sequence,
          status: 'forwarding',
          programId,
          track,
          district,
          caseIds: tasks.map((t) => t.caseId),
          forwardedBy: actor.userId,
          forwardedByName: actor.name,
          forwardedAt: new Date(),
        };
        await tx.insert(BatchRecord, batch);
        // one statement, in a fixed order: concurrent claims on overlapping cases wait for each other, never deadlock
        const claims = [...tasks].sort((a, b) => (a.taskId < b.taskId ? -1 : 1)).map((t) => ({ taskId: t.taskId, caseId: t.caseId, batchId: batch.id }));
        await tx.insertMany(BatchCaseRecord, claims);
        return batch;
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const taken = await orm.em.fork().find(BatchCaseRecord, { taskId: { $in: tasks.map((t) => t.taskId) } }, { fields: ['caseId'] });
      const claimed = taken.map((c) => c.caseId);
      // a conflict on anything but the claims would be a fault of numbering, not of the request
      if (!claimed.length) throw error;
      throw new AppError(
        'conflict',
        `以下案件已在另一批次中报送 (already being forwarded in another batch): ${named(claimed)}`,
        fieldsFor(tasks.map((t) => t.caseId), claimed, () => 'already in another batch'),
      );
    }
  };

  /**
   * Completes one case's forward task in its workflow. A deterministic updateId per (batch, task)
   * makes a retry the same update, applied once. When Temporal's answer is lost, the workflow's own
   * record says whether it took this batch.
   */
  const forwardCase = async (actor: Actor, batch: BatchRecord, task: ForwardTask): Promise<Outcome> => {
    const ref: BatchRef = { id: batch.id, number: batch.number, forwardedAt: batch.forwardedAt.toISOString() };
    const handle = temporal.workflow.getHandle(task.caseId);
    const request = { taskId: task.taskId, actor, payload: { outcome: 'forward' as const, batch: ref, comment: `汇总报送：${batch.number}` } };
    let failure: unknown;
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
      try {
        await handle.executeUpdate(completeTaskUpdate, { args: [request], updateId: `batch-${batch.id}-${task.taskId}` });
        return { ...task, forwarded: true };
      } catch (error) {
        failure = error;
        // a refusal or a missing workflow is an answer; anything else may be a lost answer: ask again
        if (error instanceof WorkflowUpdateFailedError || error instanceof WorkflowNotFoundError) break;
      }
    }
    const took = await handle
      .query(caseStateQuery)
      .then((state) => state.decisions.some((d) => d.taskId === task.taskId && d.payload.batch?.id === batch.id))
      .catch(() => false);
    return took ? { ...task, forwarded: true } : { ...task, forwarded: false, problem: asAppError(failure) };
  };

  /**
   * The batch keeps exactly the cases forwarded: the others lose their claim (they can be forwarded
   * again); a batch with none is deleted; the rest is listed from now on.
   */
  const settle = async (batch: BatchRecord, outcomes: Outcome[]): Promise<BatchRecord | null> => {
    const forwarded = outcomes.filter((o) => o.forwarded).map((o) => o.caseId);
    const failed = outcomes.filter((o) => !o.forwarded).map((o) => o.taskId);
    const em = orm.em.fork();
    return em.transactional(async (tx) => {
      if (failed.length) await tx.nativeDelete(BatchCaseRecord, { batchId: batch.id, taskId: { $in: failed } });
      if (!forwarded.length) {
        await tx.nativeDelete(BatchRecord, { id: batch.id });
        return null;
      }
      await tx.nativeUpdate(BatchRecord, { id: batch.id }, { status: 'forwarded', caseIds: forwarded });
      return { ...batch, status: 'forwarded' as const, caseIds: forwarded };
    });
  };

  return {
    async forward(actor: Actor, caseIds: string[]): Promise<BatchRecord> {
      if (actor.role !== 'district_officer' || !actor.scopeId) throw new AppError('forbidden', 'a district office forwards its own cases');
      const district = { ...actor, scopeId: actor.scopeId };
      const unique = [...new Set(caseIds)];
      const em = orm.em.fork();
      const tasks = await openForwardTasks(em, district.scopeId, unique);
      const batch = await claim(district, tasks, await programAndTrack(em, unique));
      const outcomes = await inParallel(tasks, UPDATE_CONCURRENCY, (task) => forwardCase(actor, batch, task));
      const kept = await settle(batch, outcomes);
      const refused = outcomes.filter((o) => !o.forwarded);
      if (refused.length) throw notForwarded(unique, refused, kept);
      return kept!;
    },

    /** The city sees every forwarded batch; a district its own. */
    async list(actor: Actor): Promise<BatchRecord[]> {
      const scope = actor.role === 'district_officer' ? { district: actor.scopeId ?? '' } : OFFICE_ROLES.has(actor.role) ? {} : null;
      if (!scope) throw new AppError('forbidden', 'batches are for the offices');
      return orm.em.fork().find(BatchRecord, { ...scope, status: 'forwarded' }, { orderBy: { forwardedAt: 'desc' }, limit: 200 });
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;

/** The answer when some cases were not forwarded: which, why, and what became of the others. */
function notForwarded(caseIds: string[], refused: Outcome[], kept: BatchRecord | null): AppError {
  const codes = new Set(refused.map((o) => o.problem?.code ?? 'unavailable'));
  const code: ErrorCode = codes.size === 1 ? [...codes][0]! : 'conflict';
  const ids = refused.map((o) => o.caseId);
  const reasons = new Map(refused.map((o) => [o.caseId, o.problem?.message ?? 'not forwarded']));
  const others = kept ? `；其余 ${kept.caseIds.length} 个案件已编入 ${kept.number} (the others were forwarded in batch ${kept.number})` : '；未生成批次 (no batch was made)';
  return new AppError(code, `${ids.length} 个案件未能报送 (not forwarded): ${named(ids)}${others}`, fieldsFor(caseIds, ids, (id) => reasons.get(id)!));
}

/** A refusal as the API words it; anything else as Temporal being unavailable. */
function asAppError(error: unknown): AppError {
  try {
    refusalToAppError(error);
  } catch (mapped) {
    if (mapped instanceof AppError) return mapped;
  }
  return new AppError('unavailable', '流程服务暂不可用，未能确认报送 (the workflow service did not confirm the forwarding; try again)');
}

function named(caseIds: string[]): string {
  const more = caseIds.length - NAMED_IN_MESSAGE;
  return caseIds.slice(0, NAMED_IN_MESSAGE).join(', ') + (more > 0 ? ` 等 ${caseIds.length} 个 (and ${more} more)` : '');
}

/** Fields named by each id's place in the request (a Map: no search per id). */
function fieldsFor(caseIds: string[], problems: string[], rule: (caseId: string) => string): FieldProblem[] {
  const index = new Map(caseIds.map((id, i) => [id, i]));
  return problems.map((id) => ({ path: `caseIds.${index.get(id) ?? 0}`, rule: rule(id) }));
}

/** Runs work over items with at most `limit` at a time; results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
