import type { Actor } from '../../domain/identity/roles.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import { ProgramRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { programVersionCache } from '../../infra/db/programVersions.ts';
import { AppError } from '../errors.ts';

export function createProgramService(orm: Orm) {
  const storedVersion = programVersionCache(orm);
  return {
    async list(): Promise<ProgramDefinition[]> {
      const rows = await orm.em.fork().find(ProgramRecord, {}, { orderBy: { year: 'desc', id: 'asc', version: 'desc' } });
      const latest = new Map<string, ProgramDefinition>();
      for (const row of rows) if (!latest.has(row.id)) latest.set(row.id, row.definition);
      return [...latest.values()];
    },
    /** The exact version a case pinned. */
    async version(id: string, version: number): Promise<ProgramDefinition> {
      const definition = await storedVersion(id, version);
      if (!definition) throw new AppError('not_found', `没有计划 ${id} 第 ${version} 版 (no program ${id} version ${version})`);
      return definition;
    },
    /** The newest version (only its number is read: the definition comes from the cache of versions). */
    async latest(id: string): Promise<ProgramDefinition> {
      const row = await orm.em.fork().findOne(ProgramRecord, { id }, { orderBy: { version: 'desc' }, fields: ['id', 'version'] });
      if (!row) throw new AppError('not_found', `没有计划 ${id} (no program ${id})`);
      return this.version(id, row.version);
    },
    /** An admin starts next year's plan from this one: same rules, dates moved; running cases keep theirs. */
    async cloneToYear(actor: Actor, id: string, year: number): Promise<ProgramDefinition> {
      if (actor.role !== 'admin') throw new AppError('forbidden', '仅系统管理员可发布计划 (only an admin publishes programs)');
      const next = cloneProgramForYear(await this.latest(id), year);
      const em = orm.em.fork();
      if (await em.count(ProgramRecord, { id: next.id })) throw new AppError('conflict', `计划 ${next.id} 已存在 (program ${next.id} exists already)`, [{ path: 'year', rule: '该年度尚无计划 (a year without a program)' }]);
      em.create(ProgramRecord, { id: next.id, version: next.version, year: next.year, city: next.city, definition: next, createdAt: new Date() });
      await em.flush();
      return next;
    },
    /** The program new applications go to when none is named: the latest year's. */
    async current(): Promise<ProgramDefinition> {
      const [row] = await orm.em.fork().find(ProgramRecord, {}, { orderBy: { year: 'desc', version: 'desc' }, limit: 1, fields: ['id', 'version'] });
      if (!row) throw new AppError('not_found', '尚未发布计划 (no program has been published yet)');
      return this.version(row.id, row.version);
    },
  };
}

export type ProgramService = ReturnType<typeof createProgramService>;
