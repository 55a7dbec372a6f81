import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import { Demonstration, localDateTimeIn } from '../support/demonstration.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { PATIENCE_MS, eventually } from '../support/waits.ts';

/**
 * Both demonstration tracks over HTTP on real Temporal, PostgreSQL and SMTP, on a compressed
 * calendar: a "day" is 20 s, so the publicity period (2 working days here) lasts 40 s from the pass.
 */
const DAY_MS = 20_000;
let system: TestSystem;
let demo: Demonstration;

beforeAll(async () => {
  system = await startTestSystem('postgresql', { dayMs: DAY_MS, publicityDays: 2 });
  demo = await Demonstration.start(system);
});
afterAll(async () => {
  await system?.stop();
});

const certified = (caseId: string) => eventually(`case ${caseId} to close`, () => demo.caseOf(demo.city, caseId), (c) => c.status !== 'active', { timeoutMs: 5 * DAY_MS + PATIENCE_MS });

describe('prerequisites come from our own records', () => {
  test('no certificate, or one not yet a year old: 422 naming the rule and the date to apply from', async () => {
    const { client, uscc } = await demo.enterpriseUser(501);
    const none = await demo.apply('municipal-demo', client, { uscc, enterpriseName: '太仓无证书示例有限公司' });
    expect(none.status).toBe(422);
    expect(none.body.error.fields).toEqual([expect.objectContaining({ path: 'track' })]);
    // the refusal names the rule beside the field it concerns (every condition at once, each on its own line)
    expect(none.body.error.fields[0].rule).toMatch(/信用管理贯标/);

    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await demo.importCertificates([{ uscc, track: 'standard', number: '太贯〔2026〕501', issuedOn: lastMonth }]);
    const recent = await demo.apply('municipal-demo', client, { uscc, enterpriseName: '太仓无证书示例有限公司' });
    expect(recent.status).toBe(422);
    const from = `${Number(lastMonth.slice(0, 4)) + 1}${lastMonth.slice(4)}`;
    expect(recent.body.error.fields[0].rule).toContain(from.slice(0, 4));

    const provincial = await demo.apply('provincial-demo', client, { uscc, enterpriseName: '太仓无证书示例有限公司' });
    expect(provincial.status).toBe(422);
    expect(provincial.body.error.fields[0].rule).toMatch(/市级信用管理示范/);
  });
});

describe('the municipal demonstration track, end to end', () => {
  let caseId: string;

  test('applied with a 贯标 certificate over a year old; recommended by the district and the city', async () => {
    await demo.importCertificates([{ uscc: DEMO_ENTERPRISE_USCC, track: 'standard', number: '太贯〔2024〕001', issuedOn: '2024-11-30' }]);
    const applied = await demo.apply('municipal-demo');
    expect(applied.status).toBe(201);
    caseId = applied.body.id;
    expect(applied.body.stage).toBe('district_recommendation');

    const quotas = (await demo.district.get(`/api/recommendation-quotas?programId=${system.program.id}`)).body.quotas;
    expect(quotas.find((q: any) => q.track === 'municipal-demo')).toMatchObject({ quota: 1, used: 0, left: 1 });
    await demo.recommend(caseId, 'municipal-demo');
    const after = (await demo.district.get(`/api/recommendation-quotas?programId=${system.program.id}`)).body.quotas;
    expect(after.find((q: any) => q.track === 'municipal-demo')).toMatchObject({ quota: 1, used: 1, left: 0, recommended: [caseId] });
    expect((await demo.caseOf(demo.enterprise, caseId)).stage).toBe('consultant_contract');
  });

  test('a contract returned by Suzhou, signed again, then filed; the agency’s consultant sees the case only once chosen', async () => {
    expect((await demo.consultant.get(`/api/cases/${encodeURIComponent(caseId)}`)).status).toBe(404);
    await demo.done(demo.enterprise, caseId, 'choose_agency', { outcome: 'submit', agencyId: 'agency-demo' });
    expect((await demo.consultant.get(`/api/cases/${encodeURIComponent(caseId)}`)).status).toBe(200);

    const notFree = await demo.complete(demo.consultant, caseId, 'sign_contract', { outcome: 'submit', consultantUserId: system.userIds.get('guwen@demo.local'), freeOfCharge: false, materials: await demo.materials(demo.consultant, 'contract') });
    expect(notFree.status).toBe(422);
    expect(notFree.body.error.fields[0].path).toBe('freeOfCharge');

    await demo.sign(caseId);
    await demo.done(demo.prefecture, caseId, 'file_contract', { outcome: 'return', comment: '合同未载明服务期限，请补充后重新签订。' });
    await demo.sign(caseId);
    await demo.done(demo.prefecture, caseId, 'file_contract', { outcome: 'file', filing: { number: '苏信备〔2026〕001', filedOn: '2026-07-01' } });
    const view = await demo.caseOf(demo.enterprise, caseId);
    expect(view.stage).toBe('creation');
    expect(view.tasks.filter((t: any) => t.kind === 'file_contract').map((t: any) => t.outcome)).toEqual(['return', 'file']);
  });

  test('creation with the consultant: the enterprise is told of the survey; the package refuses a missing item', async () => {
    await demo.creation(caseId);
    await eventually('the survey notice to the enterprise', () => system.mail.messages.filter((m) => m.envelopeTo.includes('qiye@demo.local') && m.subject.includes('现场调查')), (m) => m.length > 0);

    const incomplete = await demo.complete(demo.enterprise, caseId, 'application_package', { outcome: 'submit', materials: await demo.materials(demo.enterprise, 'demonstration_application_form') });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.error.message).toContain('社会法人信用信息查询报告');
    await demo.applicationPackage(caseId);
    expect((await demo.caseOf(demo.enterprise, caseId)).stage).toBe('acceptance');
  });

  test('the acceptance waits with no due date until Suzhou sets it; then passes; publicity with an objection dismissed → certificate', async () => {
    const waiting = await demo.task(demo.prefecture, caseId, 'acceptance');
    expect(waiting.dueAt).toBeNull();
    const at = localDateTimeIn(1);
    const scheduled = await demo.prefecture.post('/api/acceptance-schedules', { caseIds: [caseId], at, place: '苏州市信用办会议室' });
    expect(scheduled.status).toBe(201);
    const dated = await eventually('the acceptance task to have its date', () => demo.task(demo.prefecture, caseId, 'acceptance'), (t) => t.dueAt !== null);
    expect(Date.parse(dated.dueAt)).toBeGreaterThan(Date.now());
    await eventually('the acceptance notice', () => system.mail.messages.filter((m) => m.subject.includes('示范验收')), (m) => m.length >= 2);

    await demo.done(demo.prefecture, caseId, 'acceptance', { outcome: 'pass' });
    const listed = (await fetch(`${system.url}/api/publicity`).then((r) => r.json())) as { cases: { caseId: string; enterpriseName: string }[] };
    expect(listed.cases.map((c) => c.caseId)).toContain(caseId);
    // the public sees the enterprise, never its people
    expect(JSON.stringify(listed)).not.toMatch(/\*{4}|legalRepresentative|contactPhone/);

    const objected = await fetch(`${system.url}/api/publicity/${encodeURIComponent(caseId)}/objections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: system.url },
      body: JSON.stringify({ name: '张三', contact: '13800000000', text: '该企业去年曾拖欠供应商货款，请核实其信用状况。' }),
    });
    expect(objected.status).toBe(201);
    const review = await demo.task(demo.prefecture, caseId, 'objection_review');
    const objection = (await demo.prefecture.get(`/api/objections/${review.subject}`)).body;
    expect(objection).toMatchObject({ name: '张三', caseId });
    await demo.done(demo.prefecture, caseId, 'objection_review', { outcome: 'dismiss', comment: '经核实，货款已于当年结清，异议不成立。' });

    const closed = await certified(caseId);
    expect(closed).toMatchObject({ status: 'certified', stage: 'certified' });
    expect(closed.certificate.number).toContain('苏州市信用管理示范企业');
  }, 10 * DAY_MS + 3 * PATIENCE_MS);
});

describe('the provincial demonstration track, end to end', () => {
  test('Suzhou recommends on to Jiangsu, which accepts; an objection upheld in publicity fails the case', async () => {
    const { client, uscc } = await demo.enterpriseUser(601);
    demo.clients.set('qiye@demo.local', client);
    try {
      await demo.importCertificates([{ uscc, track: 'municipal-demo', number: '苏示〔2024〕601', issuedOn: '2024-10-01' }]);
      const applied = await demo.apply('provincial-demo', client, { uscc, enterpriseName: '太仓省级示范申报有限公司' });
      expect(applied.status).toBe(201);
      const caseId = applied.body.id;
      await demo.recommend(caseId, 'provincial-demo');
      await demo.contract(caseId);
      await demo.creation(caseId);
      await demo.applicationPackage(caseId);
      expect((await demo.prefecture.get('/api/tasks')).body.tasks.some((t: any) => t.caseId === caseId && t.kind === 'acceptance')).toBe(false);
      expect((await demo.province.post('/api/acceptance-schedules', { caseIds: [caseId], at: localDateTimeIn(3), place: '江苏省信用办' })).status).toBe(201);
      await demo.done(demo.province, caseId, 'acceptance', { outcome: 'pass' });
      const objected = await fetch(`${system.url}/api/publicity/${encodeURIComponent(caseId)}/objections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: system.url },
        body: JSON.stringify({ name: '李四', contact: 'lisi@example.com', text: '该企业存在未履行的法院判决，不应评为示范企业。' }),
      });
      expect(objected.status).toBe(201);
      await demo.done(demo.province, caseId, 'objection_review', { outcome: 'uphold', comment: '经核实，该企业被列为被执行人，异议成立。' });
      const closed = await certified(caseId);
      expect(closed).toMatchObject({ status: 'failed' });
      expect(closed.closure.reason).toMatch(/异议成立/);
    } finally {
      demo.clients.set('qiye@demo.local', demo.enterprise);
    }
  }, 10 * DAY_MS + 3 * PATIENCE_MS);
});

describe('recommendation quotas', () => {
  test('two officers of one district recommend two enterprises at once: one is counted, the other refused with the quota', async () => {
    // 港区, where nobody has recommended yet: two of its officers, two applicants
    const officers = [await demo.districtOfficer('gangqu1@demo.local', 'gangqu'), await demo.districtOfficer('gangqu2@demo.local', 'gangqu')];
    const applicants = [await demo.enterpriseUser(701), await demo.enterpriseUser(702)];
    await demo.importCertificates(applicants.map(({ uscc }, i) => ({ uscc, track: 'standard', number: `太贯〔2024〕70${i}`, issuedOn: '2024-06-01' })));
    const caseIds: string[] = [];
    for (const { client, uscc } of applicants) {
      const applied = await demo.apply('municipal-demo', client, { uscc, enterpriseName: `太仓配额示例${uscc.slice(-3)}有限公司`, district: 'gangqu' });
      expect(applied.status).toBe(201);
      caseIds.push(applied.body.id);
    }
    const answers = await Promise.all(caseIds.map((id, i) => demo.districtRecommends(id, officers[i])));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 422]);
    const refused = answers.find((a) => a.status === 422)!;
    expect(refused.body.error.message).toMatch(/推荐名额已满.*名额 1 个/);
    // the refused case is still waiting for the district: it may still be declined
    const refusedId = caseIds[answers.indexOf(refused)]!;
    await demo.done(officers[0]!, refusedId, 'recommend', { outcome: 'decline', comment: '本年度名额已推荐其他企业。' });
    expect(await demo.caseOf(officers[0]!, refusedId)).toMatchObject({ status: 'rejected', stage: 'not_recommended' });
  });

  test('a consultant’s inbox holds every case assigned to them, across enterprises', async () => {
    const tasks = (await demo.consultant.get('/api/tasks')).body.tasks as { caseId: string }[];
    const all = (await demo.consultant.get('/api/cases')).body;
    expect(Array.isArray(tasks)).toBe(true);
    const visible = new Set((all.cases ?? all).map((c: { id: string }) => c.id));
    // the lead consultant of both tracks' cases sees both enterprises' cases
    expect([...visible].filter((id) => String(id).includes('demo-')).length).toBeGreaterThanOrEqual(2);
  });
});
