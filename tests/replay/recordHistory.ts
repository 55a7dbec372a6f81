/**
 * Records the history of a representative full-track case for the replay test:
 *   TEMPORAL_BIN=… node tests/replay/recordHistory.ts
 * Runs return → resubmit → approve → forward → approve → checklist → acceptance → district check →
 * city acceptance with a score adjustment → certificate, on a throwaway dev server, PGlite in
 * memory and a local SMTP server, and writes histories/standard-track-certified.json. Re-record
 * only when a workflow change is deliberately incompatible (and then behind patched()).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFileSync } from 'node:fs';
import { createWorker, installRuntimeLogging } from '../../app/temporalWorker.ts';
import { openOrm, migrate } from '../../infra/db/orm.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { createMailer } from '../../infra/mail/mailer.ts';
import { publishProgram } from '../../app/seed.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { CompletionPayload } from '../../domain/case/model.ts';
import { caseSettledUpdate, completeTaskUpdate } from '../../workflows/case/messages.ts';
import type { caseWorkflow } from '../../workflows/tracks/standardTrack.ts';
import type { CaseStartInput } from '../../domain/case/model.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import { CASE_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes.ts';
import { application } from '../support/fixtures.ts';

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
const worker = await createWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue: 'record', deps: { orm, mailer, publicUrl: 'http://127.0.0.1:3000' } });

const form = application();
const enterprise: Actor = { userId: '00000000-0000-4000-8000-000000000001', name: '王敏', role: 'enterprise', scopeId: form.uscc };
const shaxi: Actor = { userId: '00000000-0000-4000-8000-000000000002', name: '陈静', role: 'district_officer', scopeId: 'shaxi' };
const city: Actor = { userId: '00000000-0000-4000-8000-000000000003', name: '周涛', role: 'city_officer', scopeId: null };
const suzhou: Actor = { userId: '00000000-0000-4000-8000-000000000004', name: '吴芳', role: 'prefecture_officer', scopeId: null };
const input: CaseStartInput = {
  caseId: `case-${program.id}-standard-${form.uscc}`,
  programId: program.id,
  programVersion: 1,
  track: 'standard',
  application: form,
  submittedBy: enterprise,
  submittedAt: new Date().toISOString(),
  // acceptance due in a day, whatever day it is recorded
  plan: { ...casePlanFor(program, 'standard'), deadlines: { acceptanceMaterials: new Date(Date.now() + 86_400_000).toISOString() } },
};

try {
  const history = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { workflowId: input.caseId, taskQueue: 'record', args: [input] });
    let state = await handle.executeUpdate(caseSettledUpdate);
    const complete = async (actor: Actor, payload: CompletionPayload, subject?: string) => {
      const task = state.openTasks.find((t) => t.assignment.role === actor.role && (!subject || t.subject === subject))!;
      state = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor, payload }] });
    };
    await complete(shaxi, { outcome: 'return', comment: '请补充信用报告' });
    await complete(enterprise, { outcome: 'resubmit', application: { ...form, reasons: `${form.reasons}（已补充信用报告）` } });
    await complete(shaxi, { outcome: 'approve' });
    await complete(shaxi, { outcome: 'forward', batch: { id: '00000000-0000-4000-8000-0000000000b1', number: '沙溪镇〔2026〕贯标第1批', forwardedAt: new Date().toISOString() } });
    await complete(city, { outcome: 'approve' });
    for (const item of program.selfCompliance) await complete(enterprise, { outcome: 'done', fields: { note: item.title } }, item.key);
    const scores = Object.fromEntries(rubricItems(program.rubric).map((item) => [item.id, 'full' as const]));
    await complete(enterprise, { outcome: 'submit', acceptance: { workSummaryFileId: 'w', internalEvaluationFileId: 'i', commitmentLetterFileId: 'c', selfEvaluation: { scores, evidence: {} } } }, 'acceptance');
    await complete(shaxi, { outcome: 'approve' });
    await complete(city, { outcome: 'approve', scoreAdjustments: [{ itemId: '3.1', level: 'zero', comment: '未见文件' }] });
    await complete(suzhou, { outcome: 'approve', certificate: { number: '苏信用贯标〔2026〕001号', issuedOn: '2026-09-15' } });
    await handle.result();
    return handle.fetchHistory();
  });

  const file = new URL('./histories/standard-track-certified.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
  console.log(`wrote ${file.pathname} (${history.events?.length} events)`);
} finally {
  mailer.close();
  await mail.stop();
  await orm.close();
  await env.teardown();
}
