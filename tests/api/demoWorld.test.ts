import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { actorOf } from '../../features/auth/authService.ts';
import { createServices } from '../../features/services.ts';
import { DEMO_DAY_MS, buildDemoWorld, buildDemoWorldOnFreshData, type DemoWorldDeps, type DemoWorldReport } from '../../app/demoWorld.ts';
import { CaseRecord, TaskRecord, UserRecord } from '../../infra/db/entities.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { PATIENCE_MS } from '../support/waits.ts';

/**
 * The demo world `./dev start` builds on fresh data, built here on the test system's program (and
 * the compressed "last year" program the builder publishes beside it), over real Temporal and
 * PostgreSQL: every case through its workflow, at the stages a newcomer is meant to find.
 */
let system: TestSystem;
let deps: DemoWorldDeps;
let report: DemoWorldReport;
let cases: CaseRecord[];

/** Building takes a few hundred steps, and the compressed publicity must pass: generous for a busy machine. */
const BUILD_BOUND_MS = 10 * PATIENCE_MS + 7 * DEMO_DAY_MS;

beforeAll(async () => {
  system = await startTestSystem('postgresql');
  deps = { orm: system.app.orm, temporal: system.app.temporal, taskQueue: system.app.config.temporal.taskQueue };
  report = await buildDemoWorld(deps, { program: system.program, patienceMs: PATIENCE_MS });
  cases = await system.app.orm.em.fork().find(CaseRecord, {});
}, BUILD_BOUND_MS + 2 * PATIENCE_MS);
afterAll(async () => {
  await system?.stop();
});

const actorFor = async (email: string) => actorOf(await system.app.orm.em.fork().findOneOrFail(UserRecord, { email }));

describe('the demo world', () => {
  test('every scene got where it was meant to', () => {
    expect(report.failures).toEqual([]);
  });

  test('enterprises in all nine districts, in all three tracks, each case a workflow of its own', async () => {
    expect(new Set(cases.map((c) => c.district))).toEqual(new Set(system.program.districts.map((d) => d.code)));
    expect(new Set(cases.map((c) => c.track))).toEqual(new Set(['standard', 'municipal-demo', 'provincial-demo']));
    expect(report).toMatchObject({ cases: cases.length, districts: 9 });
    // driven through the workflows, not written as rows: Temporal knows every case
    for (const c of cases) expect((await system.app.temporal.workflow.getHandle(c.id).describe()).workflowId).toBe(c.id);
  });

  test('at least one certified case of each track; the demonstration ones on the compressed "last year" program', () => {
    for (const track of ['standard', 'municipal-demo', 'provincial-demo']) {
      const certified = cases.filter((c) => c.track === track && c.status === 'certified');
      expect({ track, certified: certified.length >= 1 }).toEqual({ track, certified: true });
      expect(certified.every((c) => c.certificateNumber && c.certificateIssuedOn)).toBe(true);
    }
    const demoProgramIds = new Set(cases.filter((c) => c.track !== 'standard' && c.status === 'certified').map((c) => c.programId));
    expect([...demoProgramIds]).toEqual([expect.stringMatching(/-demo-\d{4}$/)]);
  });

  test('cases at different stages: waiting, returned, rejected, in acceptance, in publicity, waiting for the acceptance date', async () => {
    const stages = new Set(cases.map((c) => `${c.track}:${c.stage}`));
    for (const stage of [
      'standard:district_review',
      'standard:correction',
      'standard:rejected',
      'standard:city_review',
      'standard:district_forwarding',
      'standard:self_compliance',
      'standard:acceptance_district_check',
      'standard:acceptance_city_review',
      'standard:acceptance_prefecture_review',
      'municipal-demo:district_recommendation',
      'municipal-demo:city_recommendation',
      'municipal-demo:consultant_contract',
      'municipal-demo:creation',
      'municipal-demo:application_package',
      'municipal-demo:publicity',
      'provincial-demo:district_recommendation',
      'provincial-demo:acceptance',
    ]) {
      expect({ stage, present: stages.has(stage) }).toEqual({ stage, present: true });
    }
    const services = createServices({ ...deps, sessionTtlHours: 1, documentWaitSeconds: 20, publicUrl: () => system.url });
    expect((await services.demonstration.publicity()).length).toBeGreaterThanOrEqual(1);
    const waitingForDate = await system.app.orm.em.fork().find(TaskRecord, { kind: 'acceptance', status: 'open', dueAt: null });
    expect(waitingForDate.length).toBeGreaterThanOrEqual(1);
  });

  test('the demo logins of every role find open tasks in their inbox', async () => {
    const services = createServices({ ...deps, sessionTtlHours: 1, documentWaitSeconds: 20, publicUrl: () => system.url });
    for (const email of ['qiye@demo.local', 'guwen@demo.local', 'shaxi@demo.local', 'city@demo.local', 'suzhou@demo.local', 'jiangsu@demo.local']) {
      const inbox = await services.tasks.inbox(await actorFor(email));
      expect({ email, open: inbox.length > 0 }).toEqual({ email, open: true });
    }
    // every district's officer has a login, and the world's enterprises theirs
    const officers = await system.app.orm.em.fork().find(UserRecord, { role: 'district_officer' });
    expect(new Set(officers.map((o) => o.scopeId))).toEqual(new Set(system.program.districts.map((d) => d.code)));
    const enterprises = await system.app.orm.em.fork().find(UserRecord, { role: 'enterprise', scopeId: { $in: [...new Set(cases.map((c) => c.enterpriseUscc))] } });
    expect(enterprises.length).toBe(new Set(cases.map((c) => c.enterpriseUscc)).size);
  });

  test('only on fresh data: with cases on record, a second start builds nothing', async () => {
    expect(await buildDemoWorldOnFreshData(deps, system.program)).toBeNull();
    expect(await system.app.orm.em.fork().count(CaseRecord, {})).toBe(cases.length);
  });
});
