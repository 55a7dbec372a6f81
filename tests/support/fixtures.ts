import { caseIdFor, type ApplicationForm, type CaseStartInput } from '../../domain/case/model.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import { usccCheckCharacter } from '../../domain/identity/uscc.ts';
import { maskResidentId, residentIdCheckCharacter } from '../../domain/identity/residentId.ts';
import { DEMO_ENTERPRISE_USCC } from '../../app/seed.ts';
import type { ApiClient } from './http.ts';

/** A valid USCC for a made-up enterprise number (1..99999). */
export function uscc(n: number): string {
  const first17 = `91320585MA1T${String(n).padStart(5, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

/** A valid resident identity number born on the given date. */
export function residentId(birth = '19750312', serial = '123'): string {
  const first17 = `320585${birth}${serial}`;
  return first17 + residentIdCheckCharacter(first17);
}

export function application(overrides: Partial<ApplicationForm> = {}): ApplicationForm {
  return {
    enterpriseName: '太仓示例精密机械有限公司',
    uscc: DEMO_ENTERPRISE_USCC,
    legalRepresentative: '王建国',
    legalRepresentativeIdNumber: residentId(),
    foundedOn: '2015-03-01',
    registeredCapital: 5000,
    industry: '通用设备制造业',
    district: 'shaxi',
    registeredAddress: '太仓市沙溪镇岳王工业区1号',
    businessAddress: '太仓市沙溪镇岳王工业区1号',
    postCode: '215421',
    contactPhone: '0512-53001234',
    fax: '0512-53001235',
    mainBusiness: '精密机械零部件的研发、生产和销售',
    reasons: '企业高度重视信用管理工作，希望通过贯标进一步提升信用管理水平。',
    independentLegalPerson: true,
    declaresNoSeriousDishonesty: true,
    creditReportFileId: '00000000-0000-4000-8000-000000000000',
    ...overrides,
  };
}

export { minimalPdf } from '../../infra/files/minimalPdf.ts';
import { minimalPdf } from '../../infra/files/minimalPdf.ts';

/** Uploads a small document (a real PDF unless given other content) as the client's user and returns its id. */
export async function upload(client: ApiClient, name: string, content: Buffer = minimalPdf(name)): Promise<string> {
  const response = await client.upload('/api/files', name, content);
  if (response.status !== 201) throw new Error(`upload ${name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

/** An application whose credit report the enterprise has uploaded. */
export async function applicationWithReport(client: ApiClient, overrides: Partial<ApplicationForm> = {}): Promise<ApplicationForm> {
  return application({ creditReportFileId: await upload(client, '企业近三年信用信息查询报告.pdf'), ...overrides });
}

/** What the API would start a standard-track case workflow with, for tests that drive Temporal directly. */
export function caseStartInput(program: ProgramDefinition, form: ApplicationForm): CaseStartInput {
  return {
    caseId: caseIdFor(program.id, 'standard', form.uscc),
    programId: program.id,
    programVersion: program.version,
    track: 'standard',
    // as the API hands it over: the identity number masked, the full one in the register under a ref
    application: { ...form, legalRepresentativeIdNumber: maskResidentId(form.legalRepresentativeIdNumber), legalRepresentativeIdRef: crypto.randomUUID() },
    submittedBy: { userId: crypto.randomUUID(), name: '企业', role: 'enterprise', scopeId: form.uscc },
    submittedAt: new Date().toISOString(),
    plan: casePlanFor(program, 'standard'),
  };
}
