/**
 * Records the histories of representative full-track cases for the replay test:
 *   TEMPORAL_BIN=… node tests/replay/recordHistory.ts [--as <release>] [standard] [municipal] [provincial]
 * On a throwaway dev server, PGlite in memory and a local SMTP server, it drives each case through
 * its workflow's updates and writes histories/<track>-….json:
 * - standard: return → resubmit → approve → forward → approve → checklist → acceptance → district
 *   check → city acceptance with a score adjustment → certificate;
 * - municipal: recommendations → contract returned, signed again, filed → creation → package →
 *   acceptance date set later → pass → publicity with an objection dismissed → certificate;
 * - provincial: the same with Suzhou's recommendation and Jiangsu's acceptance; the objection upheld.
 * Record a track only when its history is missing or a workflow change is deliberately incompatible
 * (and then behind patched()): saved histories are how running cases are protected.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { WorkflowHandle } from '@temporalio/client';
import { writeFileSync } from 'node:fs';
import { createWorker, installRuntimeLogging } from '../../app/temporalWorker.ts';
import { createPdfRenderer } from '../../infra/documents/pdf.ts';
import { openOrm, migrate } from '../../infra/db/orm.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { createMailer } from '../../infra/mail/mailer.ts';
import { publishProgram } from '../../app/seed.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { CaseState, CompletionPayload, TaskKind } from '../../domain/case/model.ts';
import { caseSettledUpdate, completeTaskUpdate, fileObjectionUpdate, scheduleAcceptanceUpdate, type ScheduleAcceptanceRequest } from '../../workflows/case/messages.ts';
import type { CaseStartInput } from '../../domain/case/model.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes.ts';
import { application, uscc } from '../support/fixtures.ts';
import { maskResidentId } from '../../domain/identity/residentId.ts';

installRuntimeLogging('warn');
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_BIN! }, searchAttributes: CASE_SEARCH_ATTRIBUTES },
});
const orm = await openOrm({ driver: 'pglite', dataDir: null });
await migrate(orm);
const program = cloneProgramForYear(TAICANG_2018, 2026);
await publishProgram(orm, program);
const mail = await new MailCatcher().start();
const mailer = createMailer(mail.url, 'replay <replay@credcase.local>');
const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue: 'record', deps: { orm, mailer, publicUrl: 'http://127.0.0.1:3000', temporal: env.client, pdf: createPdfRenderer(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') } });

const person = (n: number, name: string, role: Actor['role'], scopeId: string | null): Actor => ({ userId: `00000000-0000-4000-8000-00000000000${n}`, name, role, scopeId });
const shaxi = person(2, '陈静', 'district_officer', 'shaxi');
const city = person(3, '周涛', 'city_officer', null);
const suzhou = person(4, '吴芳', 'prefecture_officer', null);
const jiangsu = person(5, '郑伟', 'province_officer', null);
const consultant = person(6, '李强', 'consultant', 'agency-demo');
const DAY_MS = 86_400_000;

/** One case driven through its workflow's updates: complete the open task of a kind as a person. */
async function drive(track: TrackId, enterpriseNumber: number, plan: CaseStartInput['plan'], script: (c: Driver) => Promise<void>) {
  // as the API hands it to a workflow: the identity number masked, the full one in the register
  const typed = application({ uscc: uscc(enterpriseNumber) });
  const form = { ...typed, legalRepresentativeIdNumber: maskResidentId(typed.legalRepresentativeIdNumber), legalRepresentativeIdRef: crypto.randomUUID() };
  const enterprise = person(1, '王敏', 'enterprise', form.uscc);
  const input: CaseStartInput = { caseId: `case-${program.id}-${track}-${form.uscc}`, programId: program.id, programVersion: 1, track, application: form, submittedBy: enterprise, submittedAt: new Date().toISOString(), plan };
  const handle = await env.client.workflow.start(track === 'standard' ? 'caseWorkflow' : 'demonstrationTrack', { workflowId: input.caseId, taskQueue: 'record', args: [input] });
  const driver = new Driver(handle, await handle.executeUpdate(caseSettledUpdate), enterprise, form);
  await script(driver);
  await handle.result();
  return handle.fetchHistory();
}

class Driver {
  readonly handle: WorkflowHandle;
  state: CaseState;
  readonly enterprise: Actor;
  readonly form: ReturnType<typeof application>;

  constructor(handle: WorkflowHandle, state: CaseState, enterprise: Actor, form: ReturnType<typeof application>) {
    this.handle = handle;
    this.state = state;
    this.enterprise = enterprise;
    this.form = form;
  }

  async complete(actor: Actor, payload: CompletionPayload, kind?: TaskKind, subject?: string) {
    const task = this.state.openTasks.find((t) => t.assignment.role === actor.role && (!kind || t.kind === kind) && (!subject || t.subject === subject));
    if (!task) throw new Error(`no open ${kind ?? ''} task for ${actor.role}: ${this.state.openTasks.map((t) => t.kind).join(', ')}`);
    if (process.env.RECORD_VERBOSE) console.log(`${actor.role} completes ${task.kind}`);
    this.state = await this.handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor, payload }] });
  }

  async scheduleAcceptance(request: ScheduleAcceptanceRequest) {
    this.state = await this.handle.executeUpdate(scheduleAcceptanceUpdate, { args: [request] });
  }

  async object(objectionId: string) {
    this.state = await this.handle.executeUpdate(fileObjectionUpdate, { args: [{ objectionId }] });
  }
}

const fullScores = () => Object.fromEntries(rubricItems(program.rubric).map((item) => [item.id, 'full' as const]));

async function standard(c: Driver) {
  await c.complete(shaxi, { outcome: 'return', comment: '请补充信用报告' });
  await c.complete(c.enterprise, { outcome: 'resubmit', application: { ...c.form, reasons: `${c.form.reasons}（已补充信用报告）` } });
  await c.complete(shaxi, { outcome: 'approve' });
  await c.complete(shaxi, { outcome: 'forward', batch: { id: '00000000-0000-4000-8000-0000000000b1', number: '沙溪镇〔2026〕贯标第1批', forwardedAt: new Date().toISOString() } });
  await c.complete(city, { outcome: 'approve' });
  for (const item of program.selfCompliance) await c.complete(c.enterprise, { outcome: 'done', fields: { note: item.title } }, 'self_compliance_item', item.key);
  await c.complete(c.enterprise, { outcome: 'submit', acceptance: { workSummaryFileId: 'w', internalEvaluationFileId: 'i', commitmentLetterFileId: 'c', selfEvaluation: { scores: fullScores(), evidence: {} } } }, 'acceptance_submission');
  await c.complete(shaxi, { outcome: 'approve' });
  await c.complete(city, { outcome: 'approve', scoreAdjustments: [{ itemId: '3.1', level: 'zero', comment: '未见文件' }] });
  await c.complete(suzhou, { outcome: 'approve', certificate: { number: '苏信用贯标〔2026〕001号', issuedOn: '2026-09-15' } });
}

/** A demonstration case from recommendation to the end of publicity; the acceptor and the objection's fate vary. */
const demonstration = (track: 'municipal-demo' | 'provincial-demo', acceptor: Actor, objection: 'dismiss' | 'uphold') => async (c: Driver) => {
  const materials = (...keys: string[]) => Object.fromEntries(keys.map((key) => [key, `file-${key}`]));
  await c.complete(shaxi, { outcome: 'recommend', materials: materials('recommendation_form'), quotaRound: 'round-district' }, 'recommend');
  await c.complete(city, { outcome: 'recommend', quotaRound: 'round-city' }, 'recommend');
  if (track === 'provincial-demo') await c.complete(suzhou, { outcome: 'recommend' }, 'recommend');
  await c.complete(c.enterprise, { outcome: 'submit', agencyId: 'agency-demo' }, 'choose_agency');
  const sign = () => c.complete(consultant, { outcome: 'submit', leadConsultant: consultant, freeOfCharge: true, materials: materials('contract') }, 'sign_contract');
  await sign();
  await c.complete(suzhou, { outcome: 'return', comment: '合同未载明服务期限' }, 'file_contract');
  await sign();
  await c.complete(suzhou, { outcome: 'file', filing: { number: '苏信备〔2026〕001', filedOn: '2026-07-01' } }, 'file_contract');
  const local = (days: number) => new Date(Date.now() + days * DAY_MS + 8 * 3_600_000).toISOString().slice(0, 16);
  await c.complete(consultant, { outcome: 'done', survey: { at: local(1), place: '企业会议室' } }, 'schedule_survey');
  await c.complete(consultant, { outcome: 'submit', materials: materials('survey_report', 'survey_receipt') }, 'survey_report');
  await c.complete(consultant, { outcome: 'submit', findings: [{ itemId: '4.1', finding: '客户档案未定期更新' }] }, 'diagnosis');
  await c.complete(consultant, { outcome: 'submit', evaluation: { scores: fullScores(), evidence: {} }, materials: materials('internal_evaluation_report') }, 'internal_evaluation');
  await c.complete(consultant, { outcome: 'done', comment: '完善授信审批流程' }, 'coaching');
  await c.complete(c.enterprise, { outcome: 'submit', materials: materials('work_plan') }, 'work_plan');
  await c.complete(consultant, { outcome: 'submit', materials: materials('evaluation_report') }, 'evaluation_report');
  await c.complete(c.enterprise, { outcome: 'submit', materials: materials('evaluation_feedback') }, 'evaluation_feedback');
  await c.complete(c.enterprise, { outcome: 'submit', materials: materials('demonstration_application_form', 'legal_person_credit_report') }, 'application_package');
  await c.complete(city, { outcome: 'return', comment: '申报表未盖章' }, 'submit_package');
  await c.complete(c.enterprise, { outcome: 'submit', materials: materials('demonstration_application_form') }, 'application_package');
  await c.complete(city, { outcome: 'submit' }, 'submit_package');
  const at = local(2);
  await c.scheduleAcceptance({ appointment: { at, place: '验收会议室' }, at: new Date(Date.now() + 2 * DAY_MS).toISOString(), actor: acceptor });
  await c.complete(acceptor, { outcome: 'pass' }, 'acceptance');
  await c.object('00000000-0000-4000-8000-0000000000e1');
  await c.complete(acceptor, { outcome: objection, comment: '经核实' }, 'objection_review');
};

/** A demonstration plan on a compressed calendar: publicity (7 working days) passes in 7 s. */
const demoPlan = (track: 'municipal-demo' | 'provincial-demo'): CaseStartInput['plan'] => ({
  ...casePlanFor(program, track, 'shaxi'),
  compressedDayMs: 1000,
  deadlines: { recommendation: new Date(Date.now() + DAY_MS).toISOString(), applicationPackage: new Date(Date.now() + 2 * DAY_MS).toISOString() },
});

const recordings: Record<string, () => Promise<Awaited<ReturnType<typeof drive>>>> = {
  standard: () => drive('standard', 1, { ...casePlanFor(program, 'standard'), deadlines: { acceptanceMaterials: new Date(Date.now() + DAY_MS).toISOString() } }, standard),
  municipal: () => drive('municipal-demo', 2, demoPlan('municipal-demo'), demonstration('municipal-demo', suzhou, 'dismiss')),
  provincial: () => drive('provincial-demo', 3, demoPlan('provincial-demo'), demonstration('provincial-demo', jiangsu, 'uphold')),
};
const FILES: Record<string, string> = { standard: 'standard-track-certified', municipal: 'municipal-demo-certified', provincial: 'provincial-demo-objection-upheld' };

try {
  // `--as <release>` writes <track>-…-<release>.json beside the earlier histories (a new behaviour gets its own)
  const args = process.argv.slice(2);
  const asAt = args.indexOf('--as');
  const release = asAt >= 0 ? args.splice(asAt, 2)[1] : undefined;
  const wanted = args.length ? args : Object.keys(recordings);
  await worker.runUntil(async () => {
    for (const name of wanted) {
      const history = await recordings[name]!();
      const file = new URL(`./histories/${FILES[name]}${release ? `-${release}` : ''}.json`, import.meta.url);
      writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
      console.log(`wrote ${file.pathname} (${history.events?.length} events)`);
    }
  });
} finally {
  mailer.close();
  await mail.stop();
  await orm.close();
  await env.teardown();
}
