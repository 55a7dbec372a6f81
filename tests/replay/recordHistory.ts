/**
 * Records the history of a representative skeleton case for the replay test:
 *   TEMPORAL_BIN=… node tests/replay/recordHistory.ts
 * Runs return → resubmit → approve → approve on a throwaway dev server, PGlite in memory and a
 * local SMTP server, and writes histories/skeleton-return-resubmit-admit.json. Re-record only
 * when a workflow change is deliberately incompatible (and then behind patched()).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFileSync } from 'node:fs';
import { createWorker, installRuntimeLogging } from '../../infra/temporal/worker.ts';
import { openOrm, migrate } from '../../infra/db/orm.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { createMailer } from '../../infra/mail/mailer.ts';
import { publishProgram } from '../../infra/db/seed.ts';
import { cloneProgramForYear, requireTrack } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import type { CompletionPayload } from '../../domain/case/model.ts';
import { caseSettledUpdate, completeTaskUpdate } from '../../workflows/case/messages.ts';
import type { caseWorkflow, CaseWorkflowInput } from '../../workflows/case/caseWorkflow.ts';
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
const input: CaseWorkflowInput = {
  caseId: `case-${program.id}-standard-${form.uscc}`,
  programId: program.id,
  programVersion: 1,
  track: 'standard',
  application: form,
  submittedBy: enterprise,
  submittedAt: new Date().toISOString(),
  plan: { programYear: 2026, reviewChain: requireTrack(program, 'standard').applicationReview, correctionDays: program.correctionDays },
};

try {
  const history = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { workflowId: input.caseId, taskQueue: 'record', args: [input] });
    let state = await handle.executeUpdate(caseSettledUpdate);
    const complete = async (actor: Actor, payload: CompletionPayload) =>
      (state = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: state.openTask!.id, actor, payload }] }));
    await complete(shaxi, { outcome: 'return', comment: '请补充信用报告' });
    await complete(enterprise, { outcome: 'resubmit', application: { ...form, reasons: `${form.reasons}（已补充信用报告）` } });
    await complete(shaxi, { outcome: 'approve' });
    await complete(city, { outcome: 'approve' });
    await handle.result();
    return handle.fetchHistory();
  });

  const file = new URL('./histories/skeleton-return-resubmit-admit.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
  console.log(`wrote ${file.pathname} (${history.events?.length} events)`);
} finally {
  mailer.close();
  await mail.stop();
  await orm.close();
  await env.teardown();
}
