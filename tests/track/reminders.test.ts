import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotificationRecord, UserRecord } from '../../infra/db/entities.ts';
import { createUser } from '../../infra/db/seed.ts';
import { CASE_OVERDUE } from '../../workflows/searchAttributes.ts';
import { uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';

/**
 * Reminders on a compressed calendar: a "day" lasts one second, so the district's 5-day review
 * is due 5 s after it opens, with reminders 3 and 1 "days" before, on the due "day", when overdue,
 * and an escalation to the city 3 "days" after.
 */
const DAY = 1_000;
let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem('pglite', { dayMs: DAY });
  await createUser(system.app.orm, { email: 'digest@demo.local', name: '沙溪摘要用户', role: 'district_officer', scopeId: 'shaxi' }, TEST_PASSWORD);
  await system.app.orm.em.fork().nativeUpdate(UserRecord, { email: 'digest@demo.local' }, { digest: true });
});
afterAll(async () => {
  await system?.stop();
});

async function company(n: number): Promise<Track> {
  const email = `remind${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

/** The mail log of one task: occurrence (from the key) and recipient, in the order they were queued. */
async function mailsFor(taskId: string) {
  const rows = await system.app.orm.em.fork().find(NotificationRecord, { taskId }, { orderBy: { createdAt: 'asc' } });
  return rows.map((n) => ({ occurrence: n.key.slice(taskId.length + 1).split(':')[0]!, to: n.recipient, status: n.status, at: n.createdAt }));
}

test('each reminder goes out at its offset, to the right people; the overdue task escalates to the city', async () => {
  const track = await company(61);
  const view = (await track.apply({ uscc: uscc(61), enterpriseName: '提醒测试六十一有限公司' })).body;
  const task = view.tasks[0];
  const opened = Date.parse(task.openedAt);
  const due = Date.parse(task.dueAt);
  expect(due - opened).toBe(5 * DAY);

  await sleep(due + 3 * DAY + 2_000 - Date.now());
  const log = await mailsFor(task.id);
  const occurrences = (to: string) => log.filter((m) => m.to === to).map((m) => m.occurrence);
  expect(occurrences('shaxi@demo.local')).toEqual(['assigned', 'before-3', 'before-1', 'due', 'overdue-1']);
  // the digest reader gets only what always goes out
  expect(occurrences('digest@demo.local')).toEqual(['assigned', 'due', 'overdue-1']);
  expect(occurrences('city@demo.local')).toEqual(['escalation']);
  expect(log.every((m) => m.status === 'sent')).toBe(true);

  // none went out before its time
  const scheduled: Record<string, number> = { 'before-3': due - 3 * DAY, 'before-1': due - DAY, due: due - DAY / 2, 'overdue-1': due + 1_000, escalation: due + 3 * DAY };
  for (const mail of log.filter((m) => m.occurrence !== 'assigned')) expect(mail.at.getTime()).toBeGreaterThanOrEqual(scheduled[mail.occurrence]!);

  const escalation = system.mail.messages.find((m) => m.envelopeTo.includes('city@demo.local') && m.subject.includes('提醒测试六十一'));
  expect(escalation?.text).toContain('镇（区）经发中心');
  const description = await system.app.temporal.workflow.getHandle(view.id).describe();
  expect(description.typedSearchAttributes.get(CASE_OVERDUE)).toBe(true);
  await system.app.temporal.workflow.getHandle(view.id).terminate('test over');
}, 30_000);

test('a task closed early gets no more reminders; the next task has reminders of its own', async () => {
  const track = await company(62);
  const view = (await track.apply({ uscc: uscc(62), enterpriseName: '提醒测试六十二有限公司' })).body;
  const review = view.tasks[0];
  const due = Date.parse(review.dueAt);
  // decide right after the first reminder
  await sleep(due - 3 * DAY + 300 - Date.now());
  expect((await mailsFor(review.id)).filter((m) => m.to === 'shaxi@demo.local').map((m) => m.occurrence)).toEqual(['assigned', 'before-3']);
  const next = await track.complete(track.district, view.id, { outcome: 'approve' }, 'review');
  expect(next.body.stage).toBe('district_forwarding');

  await sleep(due + 3 * DAY + 1_500 - Date.now());
  const after = await mailsFor(review.id);
  // the officers heard of it twice: assigned, one reminder; the enterprise once: the decision
  expect(after.filter((m) => m.to !== 'remind62@demo.local').map((m) => m.occurrence).filter((o) => o !== 'assigned')).toEqual(['before-3']);
  expect(after.filter((m) => m.to === 'remind62@demo.local').map((m) => m.occurrence)).toEqual(['decision']);
  const forwarding = next.body.tasks.find((t: { kind: string }) => t.kind === 'forward');
  expect((await mailsFor(forwarding.id)).some((m) => m.occurrence.startsWith('before-'))).toBe(true);
  // by now the forwarding is overdue too; forwarding it clears the case's overdue flag
  const handle = system.app.temporal.workflow.getHandle(view.id);
  expect((await handle.describe()).typedSearchAttributes.get(CASE_OVERDUE)).toBe(true);
  expect((await track.forward(view.id)).status).toBe(201);
  expect((await handle.describe()).typedSearchAttributes.get(CASE_OVERDUE)).toBe(false);
  await handle.terminate('test over');
}, 30_000);
