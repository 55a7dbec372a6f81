import { expect } from '@jest/globals';
import type { ApplicationForm } from '../../domain/case/model.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import { createUser } from '../../app/seed.ts';
import { applicationWithReport, upload, uscc } from './fixtures.ts';
import { ApiClient, type ApiResponse } from './http.ts';
import { TEST_PASSWORD, type TestSystem } from './system.ts';
import { eventually } from './waits.ts';

export type DemoTrackId = 'municipal-demo' | 'provincial-demo';

/** A local date and time N days from now (Asia/Shanghai), as a datetime-local field sends it. */
export function localDateTimeIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** The people of the demonstration tracks, logged in, and the steps they take over the API. */
export class Demonstration {
  readonly system: TestSystem;
  clients = new Map<string, ApiClient>();

  constructor(system: TestSystem) {
    this.system = system;
  }

  static async start(system: TestSystem): Promise<Demonstration> {
    const demo = new Demonstration(system);
    for (const email of ['qiye@demo.local', 'shaxi@demo.local', 'city@demo.local', 'suzhou@demo.local', 'jiangsu@demo.local', 'guwen@demo.local', 'admin@demo.local']) {
      demo.clients.set(email, await ApiClient.login(system.url, email, TEST_PASSWORD));
    }
    // the demo consultant's agency, in the register the enterprise chooses from
    const agency = await demo.admin.post('/api/agencies', { id: 'agency-demo', uscc: uscc(901), name: '苏州示例信用服务有限公司', contactPerson: '李强', contactPhone: '0512-12345678', address: '苏州市工业园区示例路8号' });
    expect([201, 409]).toContain(agency.status);
    return demo;
  }

  get enterprise() { return this.clients.get('qiye@demo.local')!; }
  get district() { return this.clients.get('shaxi@demo.local')!; }
  get city() { return this.clients.get('city@demo.local')!; }
  get prefecture() { return this.clients.get('suzhou@demo.local')!; }
  get province() { return this.clients.get('jiangsu@demo.local')!; }
  get consultant() { return this.clients.get('guwen@demo.local')!; }
  get admin() { return this.clients.get('admin@demo.local')!; }
  acceptor(track: DemoTrackId) { return track === 'municipal-demo' ? this.prefecture : this.province; }

  /** Another enterprise of the district, with its own user. */
  async enterpriseUser(n: number): Promise<{ client: ApiClient; uscc: string }> {
    const email = `qiye${n}@demo.local`;
    await createUser(this.system.app.orm, { email, name: `企业用户${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
    return { client: await ApiClient.login(this.system.url, email, TEST_PASSWORD), uscc: uscc(n) };
  }

  /** Certificates issued before the system existed, imported by the admin. */
  async importCertificates(rows: { uscc: string; track: string; number: string; issuedOn: string }[]) {
    const csv = ['uscc,track,number,issuedOn', ...rows.map((r) => `${r.uscc},${r.track},${r.number},${r.issuedOn}`)].join('\n');
    const report = await this.admin.post('/api/certificates/import', { csv });
    expect(report.status).toBe(200);
    return report.body;
  }

  async apply(track: DemoTrackId, client = this.enterprise, overrides: Partial<ApplicationForm> = {}): Promise<ApiResponse> {
    const application = await applicationWithReport(client, overrides);
    return client.post('/api/cases', { programId: this.system.program.id, track, application });
  }

  async task(client: ApiClient, caseId: string, kind: string) {
    return eventually(`an open ${kind} task of ${caseId}`, async () => (await client.get('/api/tasks')).body.tasks.find((t: any) => t.caseId === caseId && t.kind === kind), (t) => Boolean(t));
  }

  async complete(client: ApiClient, caseId: string, kind: string, payload: Record<string, unknown>): Promise<ApiResponse> {
    const task = await this.task(client, caseId, kind);
    return client.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, payload);
  }

  async done(client: ApiClient, caseId: string, kind: string, payload: Record<string, unknown>) {
    const response = await this.complete(client, caseId, kind, payload);
    expect({ kind, status: response.status, body: response.status === 200 ? 'ok' : response.body }).toEqual({ kind, status: 200, body: 'ok' });
    return response.body;
  }

  async materials(client: ApiClient, ...keys: string[]): Promise<Record<string, string>> {
    const entries: [string, string][] = [];
    for (const key of keys) entries.push([key, await upload(client, `${key}.pdf`)]);
    return Object.fromEntries(entries);
  }

  /** The district's recommendation with its stamped form (attachment 5). */
  async districtRecommends(caseId: string, district = this.district): Promise<ApiResponse> {
    return this.complete(district, caseId, 'recommend', { outcome: 'recommend', materials: await this.materials(district, 'recommendation_form') });
  }

  /** An officer of another district. */
  async districtOfficer(email: string, district: string): Promise<ApiClient> {
    await createUser(this.system.app.orm, { email, name: `镇（区）经办人 ${email}`, role: 'district_officer', scopeId: district }, TEST_PASSWORD);
    return ApiClient.login(this.system.url, email, TEST_PASSWORD);
  }

  /** District, city (and, for the provincial track, Suzhou) recommend the case. */
  async recommend(caseId: string, track: DemoTrackId) {
    expect((await this.districtRecommends(caseId)).status).toBe(200);
    await this.done(this.city, caseId, 'recommend', { outcome: 'recommend' });
    if (track === 'provincial-demo') await this.done(this.prefecture, caseId, 'recommend', { outcome: 'recommend' });
  }

  /** The enterprise chooses the demo agency; its consultant signs (lead: the demo consultant); Suzhou files the contract. */
  async contract(caseId: string) {
    await this.done(this.enterprise, caseId, 'choose_agency', { outcome: 'submit', agencyId: 'agency-demo' });
    await this.sign(caseId);
    await this.done(this.prefecture, caseId, 'file_contract', { outcome: 'file', filing: { number: `苏信备〔2026〕${caseId.slice(-6)}`, filedOn: '2026-07-01' } });
  }

  async sign(caseId: string) {
    await this.done(this.consultant, caseId, 'sign_contract', { outcome: 'submit', consultantUserId: this.system.userIds.get('guwen@demo.local'), freeOfCharge: true, materials: await this.materials(this.consultant, 'contract') });
  }

  evaluation() {
    return { scores: Object.fromEntries(rubricItems(this.system.program.rubric).map((item) => [item.id, 'full'])), evidence: {} };
  }

  /** 示范创建: survey, report, diagnosis, internal evaluation, work plan with coaching, evaluation report, feedback. */
  async creation(caseId: string) {
    const consultant = this.consultant;
    await this.done(consultant, caseId, 'schedule_survey', { outcome: 'done', survey: { at: localDateTimeIn(2), place: '企业会议室' } });
    await this.done(consultant, caseId, 'survey_report', { outcome: 'submit', materials: await this.materials(consultant, 'survey_report', 'survey_receipt') });
    await this.done(consultant, caseId, 'diagnosis', { outcome: 'submit', findings: [{ itemId: '4.1', finding: '尚未建立客户信用档案的定期更新制度。' }] });
    await this.done(consultant, caseId, 'internal_evaluation', { outcome: 'submit', evaluation: this.evaluation(), materials: await this.materials(consultant, 'internal_evaluation_report') });
    await this.done(this.enterprise, caseId, 'work_plan', { outcome: 'submit', materials: await this.materials(this.enterprise, 'work_plan') });
    await this.done(consultant, caseId, 'coaching', { outcome: 'done', comment: '辅导信用管理制度建设，完善授信审批流程。' });
    await this.done(consultant, caseId, 'evaluation_report', { outcome: 'submit', materials: await this.materials(consultant, 'evaluation_report') });
    await this.done(this.enterprise, caseId, 'evaluation_feedback', { outcome: 'submit', materials: await this.materials(this.enterprise, 'evaluation_feedback') });
  }

  /** The enterprise hands in the package's last two items; the city submits it. */
  async applicationPackage(caseId: string) {
    await this.done(this.enterprise, caseId, 'application_package', { outcome: 'submit', materials: await this.materials(this.enterprise, 'demonstration_application_form', 'legal_person_credit_report') });
    await this.done(this.city, caseId, 'submit_package', { outcome: 'submit' });
  }

  async caseOf(client: ApiClient, caseId: string) {
    return (await client.get(`/api/cases/${encodeURIComponent(caseId)}`)).body;
  }
}
