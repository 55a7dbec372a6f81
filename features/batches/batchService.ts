import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TrackId } from '../../domain/program/types.ts';
import { OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { findDistrict } from '../../domain/program/program.ts';
import { BatchCaseRecord, BatchRecord, CaseRecord, TaskRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { batchClaimLock, forwardBatchWorkflowId, type CaseOutcome, type ForwardBatchInput, type ForwardBatchResult, type forwardBatch } from '../../workflows/rounds/forwardBatch.ts';
import { refusalToAppError } from '../temporalErrors.ts';
import { AppError, type ErrorCode, type FieldProblem } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';

/**
 * How long the request waits for its batch's workflow (a batch of 500 cases takes well under this).
 * Past it the forwarding goes on without the request, and the office is told so.
 */
const FORWARDING_WAIT_MS = 60_000;
/** How many case ids a message names; the fields name every one. */
const NAMED_IN_MESSAGE = 10;

interface ForwardTask {
  taskId: string;
  caseId: string;
}

interface Refused extends ForwardTask {
  problem: AppError;
}

/**
 * 汇总报送: a district sends the cases it approved to the city as one numbered list. The batch and
 * its claims on the cases' forward tasks are stored in one transaction (a concurrent batch for the
 * same case conflicts there and stores nothing), which also starts the batch's workflow
 * (workflows/rounds/forwardBatch.ts): it completes each case's forward task in the case's workflow
 * and settles the batch to exactly the cases that took it, listed only then. The request waits for
 * its answer; if the API process dies meanwhile, the workflow finishes the batch all the same.
 */
export function createBatchService({ orm, temporal, taskQueue, programs }: { orm: Orm; temporal: Client; taskQueue: string; programs: ProgramService }) {
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
   * The batch's workflow is started last, before the commit: a claim never stands without its
   * workflow, and the workflow waits for the batch's lock, so it reads the claim only once committed
   * (or finds none if the commit never came).
   */
  const claim = async (actor: Actor & { scopeId: string }, tasks: ForwardTask[], scope: { programId: string; track: TrackId }): Promise<{ batch: BatchRecord; run: WorkflowHandle<typeof forwardBatch> }> => {
    const { programId, track } = scope;
    const district = actor.scopeId;
    const program = await programs.latest(programId);
    const districtName = findDistrict(program, district)?.name ?? district;
    const em = orm.em.fork();
    try {
      return await em.transactional(async (tx) => {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`batch:${programId}:${track}:${district}`]);
        const id = crypto.randomUUID();
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [batchClaimLock(id)]);
        const last = await tx.findOne(BatchRecord, { programId, track, district }, { orderBy: { sequence: 'desc' }, fields: ['sequence'] });
        const sequence = (last?.sequence ?? 0) + 1;
        const batch: BatchRecord = {
          id,
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
        return { batch, run: await startForwarding({ batchId: id, actor }) };
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

  /** Starts the batch's workflow; Temporal out of reach is a 503 (the claim then rolls back). */
  const startForwarding = async (input: ForwardBatchInput): Promise<WorkflowHandle<typeof forwardBatch>> => {
    try {
      return await temporal.workflow.start<typeof forwardBatch>('forwardBatch', { workflowId: forwardBatchWorkflowId(input.batchId), taskQueue, args: [input] });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      throw new AppError('unavailable', '流程服务暂不可用，未能报送 (the workflow service is unavailable; nothing was forwarded, try again)');
    }
  };

  /** The workflow's answer, or — past FORWARDING_WAIT_MS — word that it goes on without this request. */
  const awaitForwarding = async (batch: BatchRecord, run: WorkflowHandle<typeof forwardBatch>): Promise<ForwardBatchResult> => {
    const waited = new AbortController();
    try {
      const result = await Promise.race([temporal.withAbortSignal(waited.signal, () => run.result()), sleep(FORWARDING_WAIT_MS, null, { signal: waited.signal })]);
      if (result) return result;
    } finally {
      waited.abort(); // neither wait outlives the answer
    }
    throw new AppError('unavailable', `批次 ${batch.number} 仍在报送中，完成后将列入已报送批次，请稍后查看 (batch ${batch.number} is still being forwarded; it is listed once done — look again shortly)`);
  };

  return {
    async forward(actor: Actor, caseIds: string[]): Promise<BatchRecord> {
      if (actor.role !== 'district_officer' || !actor.scopeId) throw new AppError('forbidden', '由镇（区）报送本镇（区）的案件 (a district office forwards its own cases)');
      const district = { ...actor, scopeId: actor.scopeId };
      const unique = [...new Set(caseIds)];
      const em = orm.em.fork();
      const tasks = await openForwardTasks(em, district.scopeId, unique);
      const { batch, run } = await claim(district, tasks, await programAndTrack(em, unique));
      const { outcomes, kept } = await awaitForwarding(batch, run);
      const settled: BatchRecord | null = kept ? { ...batch, status: 'forwarded', caseIds: kept } : null;
      const refused = outcomes.filter((o) => !o.forwarded).map(asRefused);
      if (refused.length || !settled) throw notForwarded(unique, refused, settled);
      return settled;
    },

    /** The city sees every forwarded batch; a district its own. */
    async list(actor: Actor): Promise<BatchRecord[]> {
      const scope = actor.role === 'district_officer' ? { district: actor.scopeId ?? '' } : OFFICE_ROLES.has(actor.role) ? {} : null;
      if (!scope) throw new AppError('forbidden', '汇总报送仅供各级经办机构使用 (batches are for the offices)');
      return orm.em.fork().find(BatchRecord, { ...scope, status: 'forwarded' }, { orderBy: { forwardedAt: 'desc' }, limit: 200 });
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;

/** The answer when some cases were not forwarded: which, why, and what became of the others. */
function notForwarded(caseIds: string[], refused: Refused[], kept: BatchRecord | null): AppError {
  const codes = new Set(refused.map((o) => o.problem.code));
  const code: ErrorCode = codes.size === 1 ? [...codes][0]! : 'conflict';
  const ids = refused.map((o) => o.caseId);
  const reasons = new Map(refused.map((o) => [o.caseId, o.problem.message]));
  const others = kept ? `；其余 ${kept.caseIds.length} 个案件已编入 ${kept.number} (the others were forwarded in batch ${kept.number})` : '；未生成批次 (no batch was made)';
  return new AppError(code, `${ids.length} 个案件未能报送 (not forwarded): ${named(ids)}${others}`, fieldsFor(caseIds, ids, (id) => reasons.get(id)!));
}

/** A case's refusal, as the workflow reported it, worded as the API words a refused update. */
function asRefused({ caseId, taskId, refusal }: CaseOutcome): Refused {
  const error = !refusal
    ? null
    : refusal.kind === 'not_running'
      ? new WorkflowNotFoundError(refusal.message, caseId, undefined)
      : new WorkflowUpdateFailedError(refusal.message, ApplicationFailure.create({ message: refusal.message, type: refusal.type ?? undefined, details: refusal.details }));
  return { caseId, taskId, problem: asAppError(error) };
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
