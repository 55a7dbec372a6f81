import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../domain/identity/roles.ts';
import { calendarProblems, quotaChanges, quotasOf, sameCalendar, withCalendar, withQuotas } from '../../domain/program/revisions.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import { CaseRecord, ProgramRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import type { AuditLog } from './auditLog.ts';
import type { CalendarBody, QuotasBody } from './schemas.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

/** One stored version of a program, and how many cases run on it. */
export interface ProgramVersionView {
  version: number;
  createdAt: Date;
  cases: number;
}

export interface ProgramSummary {
  id: string;
  title: string;
  year: number;
  version: number;
  versions: number;
  cases: number;
}

/** A program change: the new version, or none when nothing changed. */
export interface Revision {
  program: ProgramDefinition;
  changed: boolean;
}

const adminOnly = (actor: Actor) => {
  if (actor.role !== 'admin') throw new AppError('forbidden', '工作方案由系统管理员维护 (programs are maintained by admins)');
};

const changedMeanwhile = () => new AppError('conflict', '方案已被他人修改，请刷新页面后重新填写 (someone changed the program meanwhile: reload and edit again)');

/**
 * The admin's side of the programs: what each holds, its versions and the cases pinned to them, a
 * new year from an old one, and changes to a year's holiday calendar or quotas as the next version.
 */
export function createProgramAdmin({ orm, programs, audit }: { orm: Orm; programs: ProgramService; audit: AuditLog }) {
  /** Cases per program and version. */
  const caseCounts = async (em: EntityManager, programId?: string) => {
    const rows = await em.find(CaseRecord, programId ? { programId } : {}, { fields: ['programId', 'programVersion'] });
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(`${row.programId}@${row.programVersion}`, (counts.get(`${row.programId}@${row.programVersion}`) ?? 0) + 1);
    return counts;
  };

  /** The latest version, unless someone stored a newer one than the admin edited. */
  const editable = async (programId: string, baseVersion: number | undefined) => {
    const latest = await programs.latest(programId);
    if (baseVersion !== undefined && baseVersion !== latest.version) throw changedMeanwhile();
    return latest;
  };

  /** Stores the next version with its audit entry; a version someone stored first is a 409. */
  const store = async (actor: Actor, next: ProgramDefinition, action: 'program.calendar' | 'program.quotas', detail: Record<string, unknown>) => {
    try {
      await orm.em.fork().transactional(async (em) => {
        await em.insert(ProgramRecord, { id: next.id, version: next.version, year: next.year, city: next.city, definition: next, createdAt: new Date() });
        audit.record(em, actor, action, { id: next.id, label: next.title }, { version: next.version, ...detail });
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw changedMeanwhile();
      throw error;
    }
  };

  return {
    async list(actor: Actor): Promise<ProgramSummary[]> {
      adminOnly(actor);
      const em = orm.em.fork();
      const [latest, rows, counts] = await Promise.all([programs.list(), em.find(ProgramRecord, {}, { fields: ['id', 'version'] }), caseCounts(em)]);
      return latest.map((p) => ({
        id: p.id,
        title: p.title,
        year: p.year,
        version: p.version,
        versions: rows.filter((r) => r.id === p.id).length,
        cases: [...counts].filter(([key]) => key.startsWith(`${p.id}@`)).reduce((sum, [, n]) => sum + n, 0),
      }));
    },

    /** The latest version and every version with its cases: a change never moves a running case. */
    async view(actor: Actor, programId: string): Promise<{ program: ProgramDefinition; versions: ProgramVersionView[] }> {
      adminOnly(actor);
      const program = await programs.latest(programId);
      const em = orm.em.fork();
      const [rows, counts] = await Promise.all([em.find(ProgramRecord, { id: programId }, { fields: ['version', 'createdAt'], orderBy: { version: 'desc' } }), caseCounts(em, programId)]);
      return { program, versions: rows.map((r) => ({ version: r.version, createdAt: r.createdAt, cases: counts.get(`${programId}@${r.version}`) ?? 0 })) };
    },

    /** Next year's program from this one (the programs' own use case), on record. */
    async clone(actor: Actor, programId: string, year: number): Promise<ProgramDefinition> {
      adminOnly(actor);
      const next = await programs.cloneToYear(actor, programId, year);
      const em = orm.em.fork();
      audit.record(em, actor, 'program.cloned', { id: next.id, label: next.title }, { from: programId, year });
      await em.flush();
      return next;
    },

    /**
     * The year's working-day exceptions (holidays and 调休 working days) as the next version; every
     * wrong date is named at once. Unchanged: no new version.
     */
    async reviseCalendar(actor: Actor, programId: string, body: CalendarBody): Promise<Revision> {
      adminOnly(actor);
      const program = await editable(programId, body.baseVersion);
      const calendar = { holidays: body.holidays, adjustedWorkingDays: body.adjustedWorkingDays, rollDeadlinesToWorkingDay: body.rollDeadlinesToWorkingDay };
      const problems = calendarProblems(program.year, calendar);
      if (problems.length) {
        const fields = (['holidays', 'adjustedWorkingDays'] as const).flatMap((field) => {
          const rules = problems.filter((p) => p.field === field).map((p) => p.rule);
          return rules.length ? [{ path: field, rule: rules.join('；') }] : [];
        });
        throw new AppError('bad_request', '节假日安排有误，请按标出的日期修改 (some dates are wrong: see each list)', fields);
      }
      if (sameCalendar(program.calendar, calendar)) return { program, changed: false };
      const next = withCalendar(program, calendar);
      const added = (list: 'holidays' | 'adjustedWorkingDays') => next.calendar[list].filter((d) => !program.calendar[list].includes(d));
      const removed = (list: 'holidays' | 'adjustedWorkingDays') => program.calendar[list].filter((d) => !next.calendar[list].includes(d));
      await store(actor, next, 'program.calendar', {
        holidaysAdded: added('holidays'),
        holidaysRemoved: removed('holidays'),
        workdaysAdded: added('adjustedWorkingDays'),
        workdaysRemoved: removed('adjustedWorkingDays'),
        ...(program.calendar.rollDeadlinesToWorkingDay !== calendar.rollDeadlinesToWorkingDay ? { rollDeadlinesToWorkingDay: calendar.rollDeadlinesToWorkingDay } : {}),
      });
      return { program: next, changed: true };
    },

    /** Attachment 1's quotas as the next version; only the program's own districts and tracks. Unchanged: no new version. */
    async reviseQuotas(actor: Actor, programId: string, body: QuotasBody): Promise<Revision> {
      adminOnly(actor);
      const program = await editable(programId, body.baseVersion);
      const unknownDistricts = Object.keys(body.districts).filter((code) => !program.districts.some((d) => d.code === code));
      const unknownTracks = [...Object.values(body.districts).flatMap((q) => Object.keys(q)), ...Object.keys(body.city)].filter((t) => !program.tracks[t as keyof ProgramDefinition['tracks']]);
      if (unknownDistricts.length || unknownTracks.length) {
        throw new AppError('bad_request', '方案中没有这些镇（区）或项目 (the program has no such district or track)', [
          ...unknownDistricts.map((code) => ({ path: `districts.${code}`, rule: '方案中没有此镇（区） (no such district in the program)' })),
          ...[...new Set(unknownTracks)].map((track) => ({ path: track, rule: '方案中没有此项目 (no such track in the program)' })),
        ]);
      }
      const next = withQuotas(program, { districts: body.districts, city: body.city });
      const changes = quotaChanges(quotasOf(program), quotasOf(next));
      if (!Object.keys(changes).length) return { program, changed: false };
      await store(actor, next, 'program.quotas', { changes });
      return { program: next, changed: true };
    },
  };
}

export type ProgramAdmin = ReturnType<typeof createProgramAdmin>;
