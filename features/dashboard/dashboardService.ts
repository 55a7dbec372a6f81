import { dashboard, dashboardScope, TASKS_DUE_SOON_DAYS, type CaseCount, type Dashboard, type TaskCount } from '../../domain/dashboard/dashboard.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { z } from 'zod';
import { AppError, parseInput } from '../errors.ts';
import { pathParams } from '../validation.ts';
import type { ProgramService } from '../programs/programService.ts';

/** ?programId=…: the program to show; none (or the empty choice) is the latest year's. */
const dashboardQuery = z.object({ programId: z.preprocess((value) => (value === '' ? undefined : value), pathParams.programId.optional()) });

/** The program a dashboard request names in its query, if any; a malformed one is a 400 naming it. */
export function dashboardProgramId(query: unknown): string | undefined {
  return parseInput(dashboardQuery, query).programId;
}

/** The programs to choose from, newest first. */
export interface ProgramChoice {
  id: string;
  title: string;
  year: number;
}

/**
 * 统计看板: the database counts, grouped in SQL (a program's cases by track, district, stage and
 * status; its open tasks by office), and the domain turns them into the charts' numbers.
 */
export function createDashboardService(deps: { orm: Orm; programs: ProgramService }) {
  const { orm, programs } = deps;

  const caseCounts = async (programId: string, district: string | null): Promise<CaseCount[]> => {
    const rows: { track: string; district: string; stage: string; status: string; count: number | string }[] = await orm.em
      .fork()
      .getConnection()
      .execute(
        `select "track", "district", "stage", "status", count(*)::int as "count"
           from "cases" where "program_id" = ?${district === null ? '' : ' and "district" = ?'}
           group by "track", "district", "stage", "status"`,
        district === null ? [programId] : [programId, district],
      );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  };

  /** Open tasks of the program's cases (of the district's cases, for a district) per office: a role, and the district for district offices. */
  const taskCounts = async (programId: string, district: string | null, now: Date): Promise<TaskCount[]> => {
    const soon = new Date(now.getTime() + TASKS_DUE_SOON_DAYS * 86_400_000);
    const rows: { role: string; district: string | null; open: number | string; overdue: number | string; dueSoon: number | string; oldestOverdue: Date | string | null }[] = await orm.em
      .fork()
      .getConnection()
      .execute(
        `select t."assignee_role" as "role",
                case when t."assignee_role" = 'district_officer' then t."jurisdiction" end as "district",
                count(*)::int as "open",
                (count(*) filter (where t."due_at" < ?))::int as "overdue",
                (count(*) filter (where t."due_at" >= ? and t."due_at" < ?))::int as "dueSoon",
                min(t."due_at") filter (where t."due_at" < ?) as "oldestOverdue"
           from "tasks" t join "cases" c on c."id" = t."case_id"
          where t."status" = 'open' and c."program_id" = ?${district === null ? '' : ' and c."district" = ?'}
          group by 1, 2`,
        [now, now, soon, now, programId, ...(district === null ? [] : [district])],
      );
    return rows.map((r) => ({
      role: r.role,
      district: r.district,
      open: Number(r.open),
      overdue: Number(r.overdue),
      dueSoon: Number(r.dueSoon),
      oldestOverdue: r.oldestOverdue === null ? null : new Date(r.oldestOverdue).toISOString(),
    }));
  };

  return {
    /** The programs a dashboard can show, newest first. */
    async programChoices(): Promise<ProgramChoice[]> {
      return (await programs.list()).map((p) => ({ id: p.id, title: p.title, year: p.year }));
    },

    /** The dashboard of a program (the latest year's when none is named), as far as the reader's scope goes. */
    async read(actor: Actor, programId?: string, now = new Date()): Promise<Dashboard> {
      const scope = dashboardScope(actor);
      if (scope === 'forbidden') throw new AppError('forbidden', '统计看板仅供镇（区）及以上部门和系统管理员查看 (dashboards are for the offices and the admin)');
      const program: ProgramDefinition = programId ? await programs.latest(programId) : await programs.current();
      const [cases, tasks] = await Promise.all([caseCounts(program.id, scope.district), taskCounts(program.id, scope.district, now)]);
      return dashboard(program, scope.district, cases, tasks, now);
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
