import type { ProgramDefinition } from '../../domain/program/types.ts';
import { ProgramRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';

export function createProgramService(orm: Orm) {
  return {
    async list(): Promise<ProgramDefinition[]> {
      const rows = await orm.em.fork().find(ProgramRecord, {}, { orderBy: { year: 'desc', id: 'asc', version: 'desc' } });
      const latest = new Map<string, ProgramDefinition>();
      for (const row of rows) if (!latest.has(row.id)) latest.set(row.id, row.definition);
      return [...latest.values()];
    },
    async latest(id: string): Promise<ProgramDefinition> {
      const row = await orm.em.fork().findOne(ProgramRecord, { id }, { orderBy: { version: 'desc' } });
      if (!row) throw new AppError('not_found', `no program ${id}`);
      return row.definition;
    },
    /** The program new applications go to when none is named: the latest year's. */
    async current(): Promise<ProgramDefinition> {
      const [row] = await orm.em.fork().find(ProgramRecord, {}, { orderBy: { year: 'desc', version: 'desc' }, limit: 1 });
      if (!row) throw new AppError('not_found', 'no program has been published yet');
      return row.definition;
    },
  };
}

export type ProgramService = ReturnType<typeof createProgramService>;
