import { hashPassword } from '../../features/auth/authService.ts';
import type { ApplicationForm } from '../../domain/case/model.ts';
import { UserRecord } from '../../infra/db/entities.ts';
import { applicationWithReport, uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, type TestSystem } from '../support/system.ts';
import { inLanes } from './harness.ts';

/** An enterprise ready to apply: signed in, its credit report uploaded, its form filled. */
export interface Applicant {
  client: ApiClient;
  application: ApplicationForm;
}

/**
 * `count` enterprises of 沙溪镇 (numbered from `first`), inserted in one statement with one password
 * hash, each then signed in through the API with its report uploaded: set-up, not measured.
 */
export async function applicants(system: TestSystem, count: number, first: number): Promise<Applicant[]> {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const codes = Array.from({ length: count }, (_, i) => uscc(first + i));
  const em = system.app.orm.em.fork();
  await em.insertMany(
    UserRecord,
    codes.map((code, i) => ({ id: crypto.randomUUID(), email: `bench${first + i}@bench.local`, name: `基准企业${first + i}`, role: 'enterprise', scopeId: code, passwordHash, active: true, locale: 'zh-CN', digest: false, calendarTokenHash: null, createdAt: new Date(), deactivatedAt: null })),
  );
  const result = new Array<Applicant>(count);
  await inLanes(count, 4, async (i) => {
    const client = await ApiClient.login(system.url, `bench${first + i}@bench.local`, TEST_PASSWORD);
    result[i] = { client, application: await applicationWithReport(client, { uscc: codes[i]!, enterpriseName: `基准测试${first + i}精密机械有限公司`, district: 'shaxi' }) };
  });
  return result;
}

/** One application through the API (anything but 201 is a broken benchmark): the case and its first open task (the district's review). */
export async function apply(system: TestSystem, applicant: Applicant): Promise<{ caseId: string; taskId: string }> {
  const response = await applicant.client.post('/api/cases', { programId: system.program.id, track: 'standard', application: applicant.application });
  if (response.status !== 201) throw new Error(`POST /api/cases answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
  const open = (response.body.tasks as { id: string; status: string }[]).find((t) => t.status === 'open');
  if (!open) throw new Error(`case ${response.body.id} opened no task`);
  return { caseId: response.body.id, taskId: open.id };
}

/** The open task of a case at a stage, as the case view lists it. */
export async function openTaskAt(client: ApiClient, caseId: string, stage: string): Promise<string> {
  const view = await client.get(`/api/cases/${encodeURIComponent(caseId)}`);
  const task = (view.body.tasks as { id: string; stage: string; status: string }[]).find((t) => t.stage === stage && t.status === 'open');
  if (!task) throw new Error(`case ${caseId} has no open task at ${stage}`);
  return task.id;
}

/** One decision through the API; anything but 200 is a broken benchmark. */
export async function complete(client: ApiClient, taskId: string, body: Record<string, unknown>): Promise<void> {
  const response = await client.post(`/api/tasks/${encodeURIComponent(taskId)}/complete`, body);
  if (response.status !== 200) throw new Error(`completing ${taskId} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
}
