import { DEFAULT_FILTER, INBOX_PAGE_SIZE } from '../../domain/inbox/inboxFilter.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { actorOf } from '../../features/auth/authService.ts';
import { countsQuery, rowsQuery, type Sql } from '../../features/tasks/inboxService.ts';
import { UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { ApiClient } from '../support/http.ts';
import { PageClient } from '../support/pages.ts';
import { TEST_PASSWORD, startTestSystem } from '../support/system.ts';
import { latencies, type Bench, type BenchRow, type Measure } from './harness.ts';
import { loadCases } from './loader.ts';

/** The size: 100k cases, 1M tasks. */
const FULL_CASES = 100_000;

/**
 * 我的待办 for a district office and for the city office over a year's worth of cases: the JSON
 * (`GET /api/tasks`, one page) and the page (`GET /tasks`), each against the bare SQL the inbox
 * needs — the same statements (the page's rows, the filters' counts) sent through the driver side
 * by side, unhydrated — with the same indexes. EXPLAIN ANALYZE of the rows'
 * statement goes into the report.
 */
export const inbox: Bench = {
  name: 'inbox',
  async run({ size, drivers, log }) {
    const cases = size === 'full' ? FULL_CASES : 200;
    const requests = size === 'full' ? 50 : 3;
    const rows: BenchRow[] = [];
    const appendix: string[] = [];
    for (const driver of drivers) {
      const system = await startTestSystem(driver);
      try {
        log(`inbox on ${driver}: loading ${cases} cases`);
        const loaded = await loadCases(system.app.orm, system.program, cases, { progress: size === 'full' && process.stderr.isTTY });
        log(`inbox on ${driver}: ${loaded.tasks} tasks loaded in ${loaded.seconds.toFixed(1)} s`);
        appendix.push(`Loader on ${driver}: ${cases} cases and ${loaded.tasks} tasks in ${loaded.seconds.toFixed(1)} s (bulk \`insert … select … generate_series\`, ${Math.round(cases / loaded.seconds)} cases/s).`);
        for (const email of ['shaxi@demo.local', 'city@demo.local']) {
          const actor = await actorByEmail(system.app.orm, email);
          const api = await ApiClient.login(system.url, email, TEST_PASSWORD);
          const page = PageClient.withSession(system.url, api.sessionToken);
          const bare = bareInbox(system.app.orm, actor, system.program.timeZone);
          const who = actor.role === 'district_officer' ? 'district office' : 'city office';
          const open = (await api.get(`/api/tasks?limit=${INBOX_PAGE_SIZE}`)).body.total as number;
          // warm every path once: code, plans and caches
          await bare();
          await api.get(`/api/tasks?limit=${INBOX_PAGE_SIZE}`);
          await page.get('/tasks');
          const sql = await latencies('bare SQL', requests, () => bare());
          const json = await latencies('GET /api/tasks', requests, async () => expectOk(await api.get(`/api/tasks?limit=${INBOX_PAGE_SIZE}`)));
          const html = await latencies('GET /tasks', requests, async () => expectOk(await page.get('/tasks')));
          const note = `${open} open tasks of ${loaded.tasks}`;
          for (const [ours, kind] of [[json, 'JSON'], [html, 'page']] as [Measure, string][]) {
            rows.push({ path: `inbox (${kind}), ${who}, p50`, driver, ours, raw: sql, target: { kind: 'p50', atMost: 1.5 }, note });
            rows.push({ path: `inbox (${kind}), ${who}, p95`, driver, ours, raw: sql, target: { kind: 'p95', atMost: 1.5 }, note });
          }
          appendix.push(`### EXPLAIN ANALYZE, ${who}, ${driver}\n\n\`\`\`\n${await explain(system.app.orm, rowsQuery(actor, DEFAULT_FILTER, INBOX_PAGE_SIZE, new Date(), system.program.timeZone))}\n\`\`\``);
        }
      } finally {
        await system.stop();
      }
    }
    return { rows, appendix };
  },
};

async function actorByEmail(orm: Orm, email: string): Promise<Actor> {
  return actorOf(await orm.em.fork().findOneOrFail(UserRecord, { email }));
}

/** The inbox's statements as the service sends them, side by side, rows left as the driver gives them. */
function bareInbox(orm: Orm, actor: Actor, timeZone: string): () => Promise<unknown> {
  return () => {
    const now = new Date();
    const connection = orm.em.fork().getConnection();
    const run = ({ sql, params }: Sql) => connection.execute(sql, params);
    // the whole inbox (no filter): its total is the counts' "all", so no count of its own, as the service does
    return Promise.all([run(rowsQuery(actor, DEFAULT_FILTER, INBOX_PAGE_SIZE, now, timeZone)), run(countsQuery(actor, now, timeZone))]);
  };
}

async function explain(orm: Orm, { sql, params }: Sql): Promise<string> {
  const plan = (await orm.em.fork().getConnection().execute(`explain (analyze, buffers) ${sql}`, params)) as Record<string, string>[];
  return plan.map((line) => Object.values(line)[0]).join('\n');
}

function expectOk(response: { status: number }): void {
  if (response.status !== 200) throw new Error(`the inbox answered ${response.status}`);
}
