import { expect } from '@jest/globals';
import type { ApplicationForm } from '../../domain/case/model.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import type { LevelChoice } from '../../domain/evaluation/rubric.ts';
import { applicationWithReport, upload } from './fixtures.ts';
import { ApiClient } from './http.ts';
import { TEST_PASSWORD, type TestSystem } from './system.ts';

/** The people of one standard-compliance case, logged in, and the steps they take over the API. */
export class Track {
  readonly system: TestSystem;
  enterprise!: ApiClient;
  district!: ApiClient;
  city!: ApiClient;
  prefecture!: ApiClient;

  constructor(system: TestSystem) {
    this.system = system;
  }

  static async start(system: TestSystem, enterpriseEmail = 'qiye@demo.local'): Promise<Track> {
    const track = new Track(system);
    const login = (email: string) => ApiClient.login(system.url, email, TEST_PASSWORD);
    [track.enterprise, track.district, track.city, track.prefecture] = await Promise.all([login(enterpriseEmail), login('shaxi@demo.local'), login('city@demo.local'), login('suzhou@demo.local')]);
    return track;
  }

  async apply(overrides: Partial<ApplicationForm> = {}) {
    const application = await applicationWithReport(this.enterprise, overrides);
    return this.enterprise.post('/api/cases', { programId: this.system.program.id, application });
  }

  /** The open task of this kind in this case, as its assignee sees it in the inbox. */
  async task(client: ApiClient, caseId: string, kind?: string, subject?: string) {
    const { body } = await client.get('/api/tasks');
    const task = body.tasks.find((t: any) => t.caseId === caseId && (!kind || t.kind === kind) && (!subject || t.subject === subject));
    if (!task) throw new Error(`no open ${kind ?? ''} task for ${caseId} in the inbox (${body.tasks.map((t: any) => `${t.kind}/${t.subject}`).join(', ')})`);
    return task;
  }

  async complete(client: ApiClient, caseId: string, payload: Record<string, unknown>, kind?: string, subject?: string) {
    const task = await this.task(client, caseId, kind, subject);
    return client.post(`/api/tasks/${encodeURIComponent(task.id)}/complete`, payload);
  }

  async forward(...caseIds: string[]) {
    return this.district.post('/api/batches', { caseIds });
  }

  /** District approval, forwarding, city approval: the case reaches self-compliance. */
  async admit(caseId: string) {
    expect((await this.complete(this.district, caseId, { outcome: 'approve' }, 'review')).status).toBe(200);
    expect((await this.forward(caseId)).status).toBe(201);
    const admitted = await this.complete(this.city, caseId, { outcome: 'approve' }, 'review');
    expect(admitted.body.stage).toBe('self_compliance');
    return admitted.body;
  }

  async completeChecklist(caseId: string) {
    const fields: Record<string, Record<string, string>> = {
      working_group: { leader: '王建国（总经理）', members: '销售部、财务部、法务部负责人', dedicatedStaff: '李娜' },
      credit_department: { department: '信用管理部', duties: '客户资信管理、授信管理、商账管理' },
      training: { trainedOn: '2026-06-20', attendees: '35', topic: '江苏省企业信用管理规范' },
    };
    for (const key of ['working_group', 'work_plan', 'credit_department', 'training', 'internal_evaluation']) {
      const payload = fields[key] ? { outcome: 'done', fields: fields[key] } : { outcome: 'done', fileIds: [await upload(this.enterprise, `${key}.pdf`)] };
      const response = await this.complete(this.enterprise, caseId, payload, 'self_compliance_item', key);
      expect(response.status).toBe(200);
    }
  }

  /** Every rubric item at one level, but for some. */
  scores(level: LevelChoice = 'full', overrides: Record<string, LevelChoice> = {}) {
    return { ...Object.fromEntries(rubricItems(this.system.program.rubric).map((item) => [item.id, level])), ...overrides };
  }

  async acceptancePackage(scores: Record<string, LevelChoice>) {
    return {
      workSummaryFileId: await upload(this.enterprise, '贯标工作总结报告.pdf'),
      internalEvaluationFileId: await upload(this.enterprise, '内部评估报告.pdf'),
      commitmentLetterFileId: await upload(this.enterprise, '信用承诺书（签字盖章）.pdf'),
      selfEvaluation: { scores, evidence: { '1.1': [await upload(this.enterprise, '信用管理方针.pdf')] } },
    };
  }

  async submitAcceptance(caseId: string, scores = this.scores()) {
    return this.complete(this.enterprise, caseId, { outcome: 'submit', acceptance: await this.acceptancePackage(scores) }, 'acceptance_submission');
  }
}
