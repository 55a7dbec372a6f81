import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createCaseActivities } from '../../activities/case/caseActivities.ts';
import { deliverOnce } from '../../activities/notifications/deliver.ts';
import { hashPassword } from '../../features/auth/authService.ts';
import { createAuthService } from '../../features/auth/authService.ts';
import type { Decision, TaskRef } from '../../domain/case/model.ts';
import { CaseEventRecord, CaseRecord, EnterpriseRecord, NotificationRecord, TaskRecord, UserRecord } from '../../infra/db/entities.ts';
import { openOrm, type Orm } from '../../infra/db/orm.ts';
import { MIGRATIONS } from '../../infra/db/migrations/index.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { createMailer, type Mailer } from '../../infra/mail/mailer.ts';
import { DRIVERS, freshPostgresUrl, openTestOrm } from '../support/database.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import { cloneProgramForYear } from '../../domain/program/program.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import { application } from '../support/fixtures.ts';

/** The same repository behaviour on both drivers: PostgreSQL server and embedded PGlite. */
describe.each(DRIVERS)('database on %s', (driver) => {
  let orm: Orm;
  let mail: MailCatcher;
  let mailer: Mailer;

  beforeAll(async () => {
    orm = await openTestOrm(driver);
    mail = await new MailCatcher({ rejectRecipients: (a) => a.startsWith('nobody@') }).start();
    mailer = createMailer(mail.url, 'test <test@credcase.local>');
  });
  afterAll(async () => {
    mailer?.close();
    await mail?.stop();
    await orm?.close();
  });

  test('the committed migrations produce exactly the schema the entities describe', async () => {
    expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    expect((await orm.migrator.getExecuted()).map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await orm.migrator.getPending()).toEqual([]);
  });

  test('a database with cases from the first release migrates: new columns are backfilled', async () => {
    const old = await openOrm(driver === 'postgresql' ? { driver, url: await freshPostgresUrl() } : { driver, dataDir: null });
    try {
      await old.migrator.up({ to: 'Migration20261121_init' });
      const sql = old.em.getConnection();
      await sql.execute(`insert into enterprises values ('91320585MA1TC0001A', '老企业', 'shaxi', '王建国', '2015-03-01', '0512-1234567', now())`);
      await sql.execute(`insert into cases values ('case-old', 'taicang-2026', 1, 2026, 'standard', '91320585MA1TC0001A', '老企业', 'shaxi', 'district_review', 'active', '{}', 1, '${crypto.randomUUID()}', now(), now())`);
      await old.migrator.up();
      const [row] = await sql.execute(`select deadlines, reviewer_scores, acceptance_version from cases where id = 'case-old'`);
      expect(row).toMatchObject({ acceptance_version: 0 });
      expect(await old.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await old.close();
    }
  });

  test('case activities are idempotent: a retried activity leaves the same rows', async () => {
    const acts = createCaseActivities({ orm });
    const caseId = `case-x-standard-${driver}`;
    const actor = { userId: crypto.randomUUID(), name: '王敏', role: 'enterprise' as const, scopeId: application().uscc };
    const input = {
      caseId,
      programId: 'x',
      programVersion: 1,
      track: 'standard' as const,
      application: { ...application(), legalRepresentativeIdNumber: '320585********1232', legalRepresentativeIdRef: crypto.randomUUID() },
      submittedBy: actor,
      submittedAt: '2026-06-01T02:00:00.000Z',
      plan: casePlanFor(cloneProgramForYear(TAICANG_2018, 2026), 'standard'),
    };
    const task: TaskRef = {
      id: `${caseId}:1:district_review`,
      kind: 'review',
      stage: 'district_review',
      assignment: { role: 'district_officer', jurisdiction: 'shaxi' },
      openedAt: '2026-06-01T02:00:01.000Z',
      dueAt: '2026-06-06T02:00:01.000Z',
    };
    const officer = { userId: crypto.randomUUID(), name: '陈静', role: 'district_officer' as const, scopeId: 'shaxi' };
    const decision: Decision = {
      taskId: task.id,
      kind: 'review',
      stage: 'district_review',
      subject: null,
      outcome: 'approve',
      comment: null,
      actor: officer,
      decidedAt: '2026-06-02T01:00:00.000Z',
      payload: { outcome: 'approve' },
    };

    for (let attempt = 0; attempt < 2; attempt++) {
      await acts.recordCaseSubmitted(input);
      await acts.openTask({ caseId, task, caseStage: task.stage });
      await acts.recordDecision({ caseId, decision, applicationVersion: 1, acceptanceVersion: 0 });
    }
    const em = orm.em.fork();
    expect(await em.count(CaseRecord, { id: caseId })).toBe(1);
    expect(await em.count(EnterpriseRecord, { uscc: input.application.uscc })).toBe(1);
    const [row] = await em.find(TaskRecord, { caseId });
    expect(row).toMatchObject({ status: 'completed', outcome: 'approve', completedByName: '陈静' });
    expect(row!.completedAt!.toISOString()).toBe('2026-06-02T01:00:00.000Z');
    const events = await em.find(CaseEventRecord, { caseId }, { orderBy: { at: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(['submitted', 'task_opened', 'decision']);
  });

  test('a mail key is delivered once over real SMTP, however often it is asked for', async () => {
    const key = `k-${driver}`;
    const notification = { key, caseId: null, taskId: null, to: `officer-${driver}@demo.local`, template: 'task-assigned', mail: { subject: '主题', html: '<p>正文</p>', text: '正文' } };
    expect(await deliverOnce(orm.em.fork(), mailer, notification)).toBe('sent');
    expect(await deliverOnce(orm.em.fork(), mailer, notification)).toBe('already-sent');
    expect(mail.to(`officer-${driver}@demo.local`)).toHaveLength(1);
    const row = await orm.em.fork().findOneOrFail(NotificationRecord, { key });
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect(row.smtpResponse).toMatch(/^250/);
  });

  test('a refused mailbox is recorded as bounced with the SMTP answer, and not retried', async () => {
    const notification = { key: `bad-${driver}`, caseId: null, taskId: null, to: 'nobody@demo.local', template: 'decision', mail: { subject: 's', html: 'h', text: 't' } };
    await expect(deliverOnce(orm.em.fork(), mailer, notification)).rejects.toMatchObject({ type: 'MailBounced', nonRetryable: true });
    const row = await orm.em.fork().findOneOrFail(NotificationRecord, { key: `bad-${driver}` });
    expect(row.status).toBe('bounced');
    expect(row.smtpResponse).toMatch(/550.*mailbox does not exist/);
    expect(await deliverOnce(orm.em.fork(), mailer, notification)).toBe('bounced');
    expect(row.attempts).toBe(1);
  });

  test('a worker that dies between the SMTP answer and the record does not make the retry send twice', async () => {
    const to = `crash-${driver}@demo.local`;
    const notification = { key: `crash-${driver}`, caseId: null, taskId: null, to, template: 'reminder', mail: { subject: '提醒', html: '<p>提醒</p>', text: '提醒' } };
    // the first attempt hands the mail to SMTP, then its process stops: nothing after send() runs
    const dying: Mailer = { ...mailer, send: async (m) => (await mailer.send(m), new Promise<never>(() => {})) };
    void deliverOnce(orm.em.fork(), dying, notification);
    await mail.waitFor((m) => m.envelopeTo.includes(to));
    // the retry finds the mail marked as in flight
    expect(await deliverOnce(orm.em.fork(), mailer, notification)).toBe('uncertain');
    expect(await deliverOnce(orm.em.fork(), mailer, notification)).toBe('uncertain');
    expect(mail.to(to)).toHaveLength(1);
    const row = await orm.em.fork().findOneOrFail(NotificationRecord, { key: `crash-${driver}` });
    expect(row).toMatchObject({ status: 'uncertain', attempts: 1 });
  });

  test('SMTP down, then back: the retry sends the mail once', async () => {
    const port = mail.port;
    const to = `down-${driver}@demo.local`;
    const notification = { key: `down-${driver}`, caseId: null, taskId: null, to, template: 'reminder', mail: { subject: '提醒', html: '<p>提醒</p>', text: '提醒' } };
    await mail.stop();
    await expect(deliverOnce(orm.em.fork(), mailer, notification)).rejects.toThrow(/ECONNREFUSED|connect/);
    expect((await orm.em.fork().findOneOrFail(NotificationRecord, { key: notification.key })).status).toBe('failed');
    mail = await new MailCatcher({ port, rejectRecipients: (a) => a.startsWith('nobody@') }).start();
    expect(await deliverOnce(orm.em.fork(), mailer, notification)).toBe('sent');
    expect(mail.to(to)).toHaveLength(1);
    expect((await orm.em.fork().findOneOrFail(NotificationRecord, { key: notification.key })).attempts).toBe(2);
  });

  test('sessions: a login stores only a hash of its token, and logout ends it', async () => {
    const em = orm.em.fork();
    em.create(UserRecord, { id: crypto.randomUUID(), email: `u-${driver}@demo.local`, name: 'U', role: 'city_officer', scopeId: null, passwordHash: await hashPassword('pw-123456'), active: true, locale: 'zh-CN', createdAt: new Date() });
    await em.flush();
    const auth = createAuthService(orm, 1);
    await expect(auth.login(`u-${driver}@demo.local`, 'wrong')).rejects.toMatchObject({ code: 'unauthenticated' });
    const session = await auth.login(`U-${driver}@demo.local `, 'pw-123456');
    expect((await auth.actorForToken(session.token))?.role).toBe('city_officer');
    const stored = await orm.em.fork().getConnection().execute('select token_hash from sessions');
    expect(stored.map((r: { token_hash: string }) => r.token_hash)).not.toContain(session.token);
    await auth.logout(session.token);
    expect(await auth.actorForToken(session.token)).toBeNull();
  });
});
