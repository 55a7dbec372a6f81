import type { EntityName, RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager as PgEntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/identity/roles.ts';
import { CaseRecord, TaskRecord } from './entities.ts';
import type { Orm } from './orm.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

/** Open tasks a person may act on: named to them, or for their role within their jurisdiction. */
export function openTasksFilter(actor: Pick<Actor, 'userId' | 'role' | 'scopeId'>) {
  return {
    status: 'open',
    assigneeRole: actor.role,
    $or: [{ assigneeUserId: actor.userId }, { assigneeUserId: null, ...(actor.scopeId ? { jurisdiction: { $in: [actor.scopeId, null] } } : { jurisdiction: null }) }],
  };
}

export type OpenTask = TaskRecord & { enterpriseName: string };

/** A person's open tasks, most urgent (and so the overdue) first, with their enterprises' names. */
export async function openTasksOf(em: EntityManager, actor: Pick<Actor, 'userId' | 'role' | 'scopeId'>, limit = 500): Promise<OpenTask[]> {
  const tasks = await em.find(TaskRecord, openTasksFilter(actor), { orderBy: { dueAt: 'asc', id: 'asc' }, limit });
  const cases = await em.find(CaseRecord, { id: { $in: [...new Set(tasks.map((t) => t.caseId))] } });
  const names = new Map(cases.map((c) => [c.id, c.enterpriseName]));
  return tasks.map((task) => ({ ...task, enterpriseName: names.get(task.caseId) ?? '' }));
}

/** The cases a scope (a district, or 'city') recommended at a recommendation step of a program's track. */
export async function recommendedCases(em: EntityManager, round: { programId: string; track: string; stage: string; scope: string }): Promise<string[]> {
  const cases = await em.find(CaseRecord, { programId: round.programId, track: round.track, ...(round.scope === 'city' ? {} : { district: round.scope }) }, { fields: ['id'] });
  if (!cases.length) return [];
  const rows = await em.find(TaskRecord, { caseId: { $in: cases.map((c) => c.id) }, kind: 'recommend', stage: round.stage, outcome: 'recommend' }, { fields: ['caseId'] });
  return [...new Set(rows.map((r) => r.caseId))];
}

/**
 * Inserts a row unless one with the same key exists (`on conflict do nothing`), without reading it
 * back: an upsert that ignores a conflict selects the row again to hydrate an entity the projection
 * never uses. For keyed writes a retried activity repeats.
 */
export async function insertOnce<T extends object>(em: Pick<PgEntityManager, 'createQueryBuilder'>, entity: EntityName<T>, row: RequiredEntityData<T> | RequiredEntityData<T>[]): Promise<void> {
  if (Array.isArray(row) && !row.length) return;
  await em.createQueryBuilder(entity).insert(row as never).onConflict().ignore().execute();
}
