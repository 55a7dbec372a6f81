import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { createUser } from '../../app/seed.ts';
import { localDeadlineAt } from '../../domain/program/calendar.ts';
import { isWorkingDay } from '../../domain/program/workingDays.ts';
import { NotificationRecord, UserRecord } from '../../infra/db/entities.ts';
import type { CaughtMail } from '../../infra/mail/mailCatcher.ts';
import { uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS, eventually } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/**
 * Issue 10, items 5, 7 and 11, as the enterprise's mailbox sees them: a return is one mail that
 * says both what was decided and what to do by when; self-compliance opens with one mail naming
 * every checklist item; an extension is told to the enterprise and its district office once; the
 * person who decided is named once with their office; a task opened on an ordinary calendar is
 * due at the end of a working day.
 */
let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem('pglite');
});
afterAll(async () => {
  await system?.stop();
});

async function company(n: number, name: string): Promise<{ track: Track; email: string; caseId: string }> {
  const email = `office${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `联系人${n}（${name}）`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  const track = await Track.start(system, email);
  const applied = await track.apply({ uscc: uscc(n), enterpriseName: name });
  expect(applied.status).toBe(201);
  return { track, email, caseId: applied.body.id };
}

/** Every mail of a case once it has settled (sent, bounced…), for one recipient: nothing queued or on its way. */
const settledMails = (caseId: string, to: string, atLeast: number) =>
  eventually(
    `${atLeast} mail(s) of ${caseId} to ${to}`,
    () => system.app.orm.em.fork().find(NotificationRecord, { caseId, recipient: to }, { orderBy: { createdAt: 'asc' } }),
    (rows) => rows.length >= atLeast && rows.every((r) => r.status === 'sent'),
  );

/** Mail goes out beside the case: a moment more, so a second mail that should not exist would have come. */
const quietFor = () => sleep(3_000);

test('a new task is due at the end of a working day (23:59 local), not at the clock time it opened', async () => {
  const { track, caseId } = await company(1001, '日期测试一有限公司');
  const review = await track.task(track.district, caseId, 'review');
  const due = localDeadlineAt(new Date(review.dueAt), system.program.timeZone);
  expect(due.time).toBe('23:59:59');
  expect(isWorkingDay(system.program.calendar, due.date)).toBe(true);
});

test('a return reaches the enterprise as one mail: the review, the reason, who, what to hand in and by when', async () => {
  const { track, email, caseId } = await company(1002, '退回测试二有限公司');
  await settledMails(caseId, 'shaxi@demo.local', 1);
  const before = (await system.app.orm.em.fork().find(NotificationRecord, { caseId, recipient: email })).length;
  expect((await track.complete(track.district, caseId, { outcome: 'return', comment: '请补充近三年信用报告' }, 'review')).status).toBe(200);
  const correction = await track.task(track.enterprise, caseId, 'correct_application');

  const rows = await settledMails(caseId, email, before + 1);
  await quietFor();
  const after = await system.app.orm.em.fork().find(NotificationRecord, { caseId, recipient: email });
  expect(after.length - before).toBe(1);
  expect(after.map((r) => r.template)).toEqual(['returned']);
  const [mail] = system.mail.to(email).filter((m) => m.subject.includes('退回测试二'));
  expect(system.mail.to(email).filter((m) => m.subject.includes('退回测试二'))).toHaveLength(1);
  expect(mail!.subject).toBe('【退回补正】镇（区）初审 · 退回测试二有限公司');
  expect(mail!.text).toContain('退回意见：请补充近三年信用报告');
  expect(mail!.text).toContain('退回人：陈静（沙溪镇经发中心）');
  expect(mail!.text).toContain(`/tasks/${encodeURIComponent(correction.id)}`);
  expect(mail!.text).toMatch(/补正期限：\d{4}年\d+月\d+日 23:59/);
  // the greeting names the person, not their company again
  expect(mail!.text.startsWith('联系人1002，您好')).toBe(true);
  expect(rows.at(-1)!.template).toBe('returned');
});

test('self-compliance opens with one mail naming every checklist item, not six mails alike', async () => {
  const { track, email, caseId } = await company(1003, '贯标事项三有限公司');
  await track.admit(caseId);
  const opening = await eventually(
    'the self-compliance mail',
    () => system.mail.to(email).filter((m) => m.subject.includes('贯标事项三') && m.subject.includes('自主贯标')),
    (found: CaughtMail[]) => found.length > 0,
    { timeoutMs: PATIENCE_MS },
  );
  await quietFor();
  const mails = system.mail.to(email).filter((m) => m.subject.includes('贯标事项三'));
  expect(mails.filter((m) => m.subject.includes('自主贯标'))).toHaveLength(1);
  expect(mails.some((m) => m.text.includes('自主贯标事项'))).toBe(false);
  const [mail] = opening;
  expect(mail!.subject).toBe('【待办】贯标事项三有限公司 · 自主贯标：5项贯标事项和验收材料');
  const items = (await track.enterprise.get('/api/tasks')).body.tasks.filter((t: { caseId: string; kind: string }) => t.caseId === caseId && t.kind === 'self_compliance_item');
  expect(items).toHaveLength(5);
  for (const title of ['成立贯标工作小组', '制定贯标工作方案', '明确信用管理部门和岗位职责', '开展贯标培训', '开展内部评估，形成内部评估报告']) expect(mail!.text).toContain(title);
  for (const item of items) expect(mail!.text).toContain(`/tasks/${encodeURIComponent(item.id)}`);
  // the decisions on the way carry the person who decided once, with their office
  const approved = mails.find((m) => m.subject.startsWith('【审核通过】镇（区）初审'));
  expect(approved!.text).toContain('处理人：陈静（沙溪镇经发中心），');
  expect(approved!.text).not.toContain('（镇（区）经发中心）');
});

test('an extension of a running case is mailed to the enterprise and its district office, once each', async () => {
  const { track, email, caseId } = await company(1004, '延期测试四有限公司');
  await track.admit(caseId);
  const dueDate = localDeadlineAt(new Date(Date.now() + 70 * 86_400_000), system.program.timeZone).date;
  const granted = await track.city.post('/api/extensions', { programId: system.program.id, uscc: uscc(1004), deadline: 'acceptanceMaterials', dueDate, reason: '企业搬迁，材料延迟' });
  expect(granted.status).toBe(201);

  const subject = (m: CaughtMail) => m.subject.startsWith('【期限延长】延期测试四有限公司 · 验收材料报送截止延至');
  await system.mail.waitFor((m) => subject(m) && m.envelopeTo.includes(email), 1, PATIENCE_MS);
  await system.mail.waitFor((m) => subject(m) && m.envelopeTo.includes('shaxi@demo.local'), 1, PATIENCE_MS);
  await quietFor();
  expect(system.mail.messages.filter(subject).flatMap((m) => m.envelopeTo).sort()).toEqual([email, 'shaxi@demo.local'].sort());
  const rows = await system.app.orm.em.fork().find(NotificationRecord, { caseId, template: 'extension' });
  expect(rows.map((r) => r.recipient).sort()).toEqual([email, 'shaxi@demo.local'].sort());
  const [mail] = system.mail.to(email).filter(subject);
  expect(mail!.text).toContain('延期理由：企业搬迁，材料延迟');
  expect(mail!.text).toContain('批准人：周涛（市经信委融资与担保科）');
  expect(mail!.text).toMatch(/原截止时间：\d{4}年\d+月\d+日 \d{2}:\d{2}/);
});

test('an extension before the case exists reaches the enterprise’s users, in their language, with the way to apply', async () => {
  const email = 'office1005@demo.local';
  await createUser(system.app.orm, { email, name: 'Li Na (Late Applicant Five Co.)', role: 'enterprise', scopeId: uscc(1005) }, TEST_PASSWORD);
  await system.app.orm.em.fork().nativeUpdate(UserRecord, { email }, { locale: 'en' });
  const city = (await Track.start(system)).city;
  const dueDate = localDeadlineAt(new Date(Date.now() + 40 * 86_400_000), system.program.timeZone).date;
  const granted = await city.post('/api/extensions', { programId: system.program.id, uscc: uscc(1005), deadline: 'application', dueDate, reason: '企业负责人出差，申报材料延迟' });
  expect(granted.status).toBe(201);
  const [mail] = await system.mail.waitFor((m) => m.envelopeTo.includes(email) && m.subject.startsWith('[Deadline extended]'), 1, PATIENCE_MS);
  expect(mail!.subject).toContain('Application deadline moved to');
  expect(mail!.text).toContain(`Apply: ${system.url}/apply`);
  expect(mail!.text).toMatch(/New deadline: \d+ \w+ \d{4} at 23:59/);
  await quietFor();
  expect(system.mail.to(email).filter((m) => m.subject.startsWith('[Deadline extended]'))).toHaveLength(1);
  // a deadline the enterprise does not have yet is refused, naming the one it has
  const refused = await city.post('/api/extensions', { programId: system.program.id, uscc: uscc(1005), deadline: 'acceptanceMaterials', dueDate, reason: '测试错误期限' });
  expect(refused.status).toBe(400);
  expect(refused.body.error.fields).toEqual([{ path: 'deadline', rule: expect.stringContaining('只能延长“贯标申报截止”') }]);
});
