import { SingleBar, Presets } from 'cli-progress';
import type { Orm } from '../../infra/db/orm.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';

/** Cases one statement inserts (with their tasks): big enough to be quick, small enough to show progress. */
const CHUNK = 5_000;
export const TASKS_PER_CASE = 10;

/**
 * Fills a database with `cases` cases of the program, each with TASKS_PER_CASE tasks, in bulk:
 * `insert … select … from generate_series(…)`, a chunk of cases and their tasks per statement, never
 * a request per row. Spread like a city's year: nine districts, three tracks; 60 % of cases still
 * running, each with one open task (a district's or the city's review or forwarding, or the
 * enterprise's checklist), due from 20 days ago to 40 days ahead; the rest closed. The case rows
 * carry an application as the real ones do (the inbox must not read it).
 */
export async function loadCases(orm: Orm, program: ProgramDefinition, cases: number, options: { progress?: boolean } = {}): Promise<{ seconds: number; tasks: number }> {
  const districts = program.districts.map((d) => d.code);
  const application = JSON.stringify({ note: '基准测试数据', reasons: '企业高度重视信用管理工作，希望通过贯标进一步提升信用管理水平。'.repeat(8), mainBusiness: '精密机械零部件的研发、生产和销售' });
  const connection = orm.em.getConnection();
  const bar = options.progress ? new SingleBar({ format: '  loading {bar} {percentage}% | {value}/{total} cases | {eta_formatted} left', hideCursor: true }, Presets.shades_classic) : null;
  bar?.start(cases, 0);
  const started = performance.now();
  const districtOf = `(array[${districts.map((d) => `'${d}'`).join(',')}])[1 + g % ${districts.length}]`;
  for (let from = 1; from <= cases; from += CHUNK) {
    const to = Math.min(cases, from + CHUNK - 1);
    await connection.execute(
      `insert into "cases" ("id", "program_id", "program_version", "program_year", "track", "enterprise_uscc", "enterprise_name", "district", "stage", "status",
                            "application", "application_version", "submitted_by", "submitted_at", "updated_at", "deadlines", "acceptance_version", "reviewer_scores")
       select 'bench-' || g, ?, ?, ?, case when g % 20 = 0 then 'provincial-demo' when g % 7 = 0 then 'municipal-demo' else 'standard' end,
              'B' || lpad(g::text, 17, '0'), '基准企业' || g || '有限公司', ${districtOf},
              case when g % 5 < 3 then 'running' else 'certified' end, case when g % 5 < 3 then 'active' else 'certified' end,
              ?::jsonb, 1, '00000000-0000-4000-8000-000000000001', now() - interval '90 days', now(), '{}'::jsonb, 0, '{}'::jsonb
         from generate_series(?::int, ?::int) g`,
      [program.id, program.version, program.year, application, from, to],
    );
    // nine closed tasks per case, and for a running case (g % 5 < 3) one open: k = 10
    await connection.execute(
      `insert into "tasks" ("id", "case_id", "kind", "stage", "assignee_role", "jurisdiction", "status", "opened_at", "due_at", "outcome", "completed_at", "adjusts_scores", "issues_certificate")
       select 'bench-' || g || ':' || k || ':' || s.stage, 'bench-' || g, s.kind, s.stage, s.role,
              case s.role when 'district_officer' then ${districtOf} when 'enterprise' then 'B' || lpad(g::text, 17, '0') else null end,
              case when k = ${TASKS_PER_CASE} and g % 5 < 3 then 'open' else 'completed' end,
              now() - interval '60 days' + k * interval '1 day',
              now() + (((g * 7919 + k) % 60) - 20) * interval '1 day',
              case when k = ${TASKS_PER_CASE} and g % 5 < 3 then null else 'approve' end,
              case when k = ${TASKS_PER_CASE} and g % 5 < 3 then null else now() - interval '30 days' end,
              false, false
         from generate_series(?::int, ?::int) g
        cross join generate_series(1, ${TASKS_PER_CASE}) k
        cross join lateral (
          select * from (values
            (0, 'review', 'district_review', 'district_officer'),
            (1, 'forward', 'district_forwarding', 'district_officer'),
            (2, 'review', 'city_review', 'city_officer'),
            (3, 'self_compliance_item', 'self_compliance', 'enterprise'),
            (4, 'review', 'acceptance_district_check', 'district_officer'),
            (5, 'review', 'acceptance_city_review', 'city_officer')
          ) as v(n, kind, stage, role)
          where v.n = (case when k = ${TASKS_PER_CASE} then (g / 5) % 6 else k % 6 end)
        ) s`,
      [from, to],
    );
    bar?.update(to);
  }
  await connection.execute('analyze "cases"');
  await connection.execute('analyze "tasks"');
  bar?.stop();
  return { seconds: (performance.now() - started) / 1000, tasks: cases * TASKS_PER_CASE };
}
