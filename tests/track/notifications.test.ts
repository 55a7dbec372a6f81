import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { NotificationRecord, UserRecord } from '../../infra/db/entities.ts';
import { createUser } from '../../app/seed.ts';
import { MailCatcher } from '../../infra/mail/mailCatcher.ts';
import { uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/** Who gets which mail, and delivery that survives a refused mailbox and an SMTP outage. */
let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem('pglite');
  const officer = (email: string, scopeId: string) => createUser(system.app.orm, { email, name: email, role: 'district_officer', scopeId }, TEST_PASSWORD);
  await officer('shaxi2@demo.local', 'shaxi');
  await officer('nobody@demo.local', 'shaxi'); // the test SMTP server refuses nobody@…
  await officer('fuqiao@demo.local', 'fuqiao');
  await officer('retired@demo.local', 'shaxi');
  await officer('english@demo.local', 'shaxi');
  await system.app.orm.em.fork().nativeUpdate(UserRecord, { email: 'english@demo.local' }, { locale: 'en' });
  await system.app.orm.em.fork().nativeUpdate(UserRecord, { email: 'retired@demo.local' }, { active: false });
});
afterAll(async () => {
  await system?.stop();
});

/** The mail log of a case: the task's own mails (bounce reports to the office are counted apart). */
const mailLog = (caseId: string) => system.app.orm.em.fork().find(NotificationRecord, { caseId, template: { $ne: 'delivery-failed' } }, { orderBy: { recipient: 'asc' } });

/** The mail log of a case once every row has left queued/sending (mail goes out beside the case). */
async function settledLog(caseId: string, rows: number) {
  const settled = (log: NotificationRecord[]) => log.length >= rows && log.every((n) => !['queued', 'sending', 'failed'].includes(n.status));
  return eventually(`${rows} mails of ${caseId} to settle`, () => mailLog(caseId), settled);
}

async function company(n: number): Promise<Track> {
  const email = `mail${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

test('a district task reaches every active officer of that district, and no one else; a refused mailbox is shown to the offices', async () => {
  const track = await company(51);
  const caseId = (await track.apply({ uscc: uscc(51), enterpriseName: '邮件测试五十一有限公司' })).body.id;
  const handle = system.app.temporal.workflow.getHandle(caseId);
  const log = await settledLog(caseId, 4);
  // the district review was mailed to both active shaxi officers
  const receivers = system.mail.messages.filter((m) => m.subject.startsWith('【待办】') && m.subject.includes('邮件测试五十一')).flatMap((m) => m.envelopeTo).sort();
  expect(receivers).toEqual(['shaxi2@demo.local', 'shaxi@demo.local']);
  // the officer who reads English gets it in English, labels and all
  const [english] = system.mail.to('english@demo.local').filter((m) => m.subject.includes('邮件测试五十一'));
  expect(english!.text).toContain('District review');
  expect(english!.text).not.toContain('镇（区）初审');
  expect(log.map((n) => [n.recipient, n.status])).toEqual([
    ['english@demo.local', 'sent'],
    ['nobody@demo.local', 'bounced'],
    ['shaxi2@demo.local', 'sent'],
    ['shaxi@demo.local', 'sent'],
  ]);
  const view = (await track.city.get(`/api/cases/${caseId}`)).body;
  expect(view.deliveryProblems).toEqual([expect.objectContaining({ recipient: 'nobody@demo.local', status: 'bounced', smtpResponse: expect.stringContaining('550') })]);
  expect((await track.enterprise.get(`/api/cases/${caseId}`)).body.deliveryProblems).toEqual([]);
  // and the district office is told by mail, once each
  const reports = await system.mail.waitFor((m) => m.subject.includes('nobody@demo.local') && m.subject.includes('邮件测试五十一'), 3, PATIENCE_MS);
  expect(reports.flatMap((m) => m.envelopeTo).sort()).toEqual(['english@demo.local', 'shaxi2@demo.local', 'shaxi@demo.local']);
  expect(reports[0]!.text).toContain('550');
  await handle.terminate('test over');
});

test('SMTP down for a while, then back: every mail goes out once', async () => {
  const track = await company(52);
  const port = system.mail.port;
  await system.mail.stop();
  const caseId = (await track.apply({ uscc: uscc(52), enterpriseName: '邮件测试五十二有限公司' })).body.id;
  // the case moved on without waiting for mail
  expect((await track.district.get('/api/tasks')).body.tasks.some((t: { caseId: string }) => t.caseId === caseId)).toBe(true);
  // delivery is tried, fails, and is tried again
  const failing = await eventually('a mail tried twice during the outage', () => system.app.orm.em.fork().find(NotificationRecord, { caseId }), (log) => log.some((n) => n.attempts >= 2));
  expect(failing.filter((n) => n.status === 'sent')).toEqual([]);

  const revived = await new MailCatcher({ port, rejectRecipients: (a) => a.startsWith('nobody@') }).start();
  try {
    const log = await settledLog(caseId, 4);
    expect(log.map((n) => [n.recipient, n.status])).toEqual([
      ['english@demo.local', 'sent'],
      ['nobody@demo.local', 'bounced'],
      ['shaxi2@demo.local', 'sent'],
      ['shaxi@demo.local', 'sent'],
    ]);
    // the first mail met the outage and was tried again until the server answered
    expect(log[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(revived.messages.filter((m) => m.subject.startsWith('【待办】') && m.subject.includes('邮件测试五十二'))).toHaveLength(2);
    expect(revived.to('english@demo.local').filter((m) => m.subject.startsWith('[Task]') && m.subject.includes('邮件测试五十二'))).toHaveLength(1);
  } finally {
    await system.app.temporal.workflow.getHandle(caseId).terminate('test over');
    await revived.stop();
  }
});
