import { NativeConnection } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { fileURLToPath } from 'node:url';
import { createWorker } from '../../app/temporalWorker.ts';
import { createPdfRenderer } from '../../infra/documents/pdf.ts';
import { NotificationRecord } from '../../infra/db/entities.ts';
import { startTestSystem } from '../support/system.ts';
import { quietBundle } from '../support/temporalRun.ts';
import type { Bench, BenchRow, Measure } from './harness.ts';
import { loadCases } from './loader.ts';
import type { BurstInput } from './raw/burstWorkflow.ts';
import { SmtpSink } from './smtpSink.ts';

/** Reminders one burst workflow sends (a case has a handful; Temporal allows 2,000 pending per workflow). */
const PER_WORKFLOW = 500;

/**
 * 5,000 reminders due at one instant: our path (Temporal schedules the `sendReminder` activities at
 * once; each renders the mail, keys it in the notification log and sends it through our pooled
 * transport) against raw pooled nodemailer sending as many mails of the same size to the same SMTP
 * server. Every mail must arrive once: a lost or doubled one fails the benchmark.
 */
export const reminders: Bench = {
  name: 'reminders',
  async run({ size, drivers, log }) {
    const count = size === 'full' ? 5_000 : 20;
    const rows: BenchRow[] = [];
    const bundle = await quietBundle(fileURLToPath(new URL('./raw/burstWorkflow.ts', import.meta.url)));
    for (const driver of drivers) {
      const sink = await new SmtpSink().start();
      const system = await startTestSystem(driver, {}, { SMTP_URL: sink.url });
      const connection = await NativeConnection.connect({ address: system.app.config.temporal.address });
      const pdf = createPdfRenderer(system.app.config.documents.chromiumPath);
      try {
        await loadCases(system.app.orm, system.program, count);
        const taskQueue = `burst-${crypto.randomUUID()}`;
        const worker = await createWorker({
          connection,
          namespace: system.app.config.temporal.namespace,
          taskQueue,
          deps: { orm: system.app.orm, mailer: system.app.mailer, publicUrl: system.url, temporal: system.app.temporal, pdf },
          workflowBundle: { code: bundle.code },
          tuning: system.app.config.worker.tuning,
        });

        log(`reminders on ${driver}: raw pooled nodemailer, ${count} mails`);
        const raw = await rawBurst(sink, count);
        sink.reset();

        log(`reminders on ${driver}: ${count} reminders due at once`);
        // as cases' reminder loops would: many workflows, each well under Temporal's 2,000 pending activities
        const dueAt = new Date().toISOString();
        const bursts: BurstInput[] = Array.from({ length: Math.ceil(count / PER_WORKFLOW) }, (_, i) => ({ first: 1 + i * PER_WORKFLOW, count: Math.min(PER_WORKFLOW, count - i * PER_WORKFLOW), dueAt }));
        const started = performance.now();
        const sent = await worker.runUntil(Promise.all(bursts.map((input) => system.app.temporal.workflow.execute('reminderBurst', { taskQueue, workflowId: `burst-${crypto.randomUUID()}`, args: [input] }))));
        const recipients = sent.reduce((sum: number, n) => sum + (n as number), 0);
        const seconds = (performance.now() - started) / 1000;
        const logged = await system.app.orm.em.fork().count(NotificationRecord, { template: 'due-today', status: 'sent' });
        const lost = count - sink.ids.size;
        if (recipients !== count || lost !== 0 || sink.duplicates !== 0 || logged !== count) {
          throw new Error(`reminders: ${recipients} recipients, ${sink.ids.size} distinct mails arrived (${sink.duplicates} doubled), ${logged} logged as sent, of ${count}`);
        }
        const ours: Measure = { label: 'sendReminder through Temporal', rate: count / seconds, value: seconds, unit: 's', samples: count };
        rows.push({ path: `a burst of ${count} reminders due at one instant`, driver, ours, raw, target: { kind: 'rate', atLeast: 0.8 }, note: '0 lost, 0 doubled, each logged once' });
      } finally {
        await connection.close();
        await pdf.close();
        await system.stop();
        await sink.stop();
      }
    }
    return { rows };
  },
};

/** The raw part: pooled nodemailer (its defaults), every mail handed over at once, as many as ours and of the same size. */
async function rawBurst(sink: SmtpSink, count: number): Promise<Measure> {
  const transport = nodemailer.createTransport({ url: sink.url, pool: true } as never);
  const body = '<p>陈静，您好：</p><p>基准企业有限公司的信用管理贯标案件“镇（区）初审”今日到期，请及时办理。</p>'.repeat(4);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      transport.sendMail({ from: 'noreply@credcase.local', to: 'shaxi@demo.local', subject: `【今日到期】基准企业${i}`, html: body, text: body, messageId: `<raw-${i}@bench.local>` }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  if (sink.ids.size !== count || sink.duplicates) throw new Error(`raw burst: ${sink.ids.size} of ${count} arrived, ${sink.duplicates} doubled`);
  return { label: 'pooled nodemailer', rate: count / seconds, value: seconds, unit: 's', samples: count };
}
