import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { NotificationRecord, UserRecord } from '../../infra/db/entities.ts';
import { createUser } from '../../app/seed.ts';
import { CASE_OVERDUE } from '../../workflows/searchAttributes.ts';
import { uscc } from '../support/fixtures.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { PATIENCE_MS, SLOW_MACHINE_TIMEOUT_MS, doneBefore, eventually } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/**
 * Reminders on a compressed calendar: a "day" lasts four seconds, so the district's 5-day review
 * is due 20 s after it opens, with reminders 3 and 1 "days" before, on the due "day", when overdue,
 * and an escalation to the city 3 "days" after. A day that long leaves the officer 24 s between the
 * first reminder and the escalation to act in, however busy the machine.
 */
const DAY = 4_000;
let system: TestSystem;

interface OpenCase {
  track: Track;
  view: any;
}
let fullWeek: OpenCase;
let closedEarly: OpenCase;

async function company(n: number): Promise<Track> {
  const email = `remind${n}@demo.local`;
  await createUser(system.app.orm, { email, name: `企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
  return Track.start(system, email);
}

async function openCase(n: number): Promise<OpenCase> {
  const track = await company(n);
  const applied = await track.apply({ uscc: uscc(n), enterpriseName: `提醒测试${n === 61 ? '六十一' : '六十二'}有限公司` });
  expect(applied.status).toBe(201);
  return { track, view: applied.body };
}

beforeAll(async () => {
  system = await startTestSystem('pglite', { dayMs: DAY });
  await createUser(system.app.orm, { email: 'digest@demo.local', name: '沙溪摘要用户', role: 'district_officer', scopeId: 'shaxi' }, TEST_PASSWORD);
  await system.app.orm.em.fork().nativeUpdate(UserRecord, { email: 'digest@demo.local' }, { digest: true });
  // both cases start now, so their compressed weeks run side by side; each test watches its own
  closedEarly = await openCase(62);
  fullWeek = await openCase(61);
});
afterAll(async () => {
  for (const opened of [closedEarly, fullWeek]) if (opened) await system.app.temporal.workflow.getHandle(opened.view.id).terminate('test over').catch(() => {});
  await system?.stop();
});

/** The mail log of one task: occurrence (from the key) and recipient, in the order they were queued. */
async function mailsFor(taskId: string) {
  const rows = await system.app.orm.em.fork().find(NotificationRecord, { taskId }, { orderBy: { createdAt: 'asc' } });
  return rows.map((n) => ({ occurrence: n.key.slice(taskId.length + 1).split(':')[0]!, to: n.recipient, status: n.status, at: n.createdAt }));
}

type MailLog = Awaited<ReturnType<typeof mailsFor>>;
const settled = (log: MailLog) => log.every((m) => m.status !== 'queued' && m.status !== 'sending');
const escalated = (log: MailLog) => log.some((m) => m.occurrence === 'escalation') && settled(log);

/** When each occurrence of a task due at `due` is scheduled (the due-day reminder half a "day" before). */
const scheduleOf = (due: number): Record<string, number> => ({ 'before-3': due - 3 * DAY, 'before-1': due - DAY, due: due - DAY / 2, 'overdue-1': due + 1_000, escalation: due + 3 * DAY });

test(
  'a task closed early gets no more reminders; the next task has reminders of its own',
  async () => {
    const { track, view } = closedEarly;
    const review = view.tasks[0];
    const scheduled = scheduleOf(Date.parse(review.dueAt));
    const officersHeard = async () => (await mailsFor(review.id)).filter((m) => m.to === 'shaxi@demo.local').map((m) => m.occurrence);
    // decide right after the first reminder
    await eventually('the first reminder of the review', officersHeard, (o) => o.includes('before-3'), { timeoutMs: scheduled['before-3']! - Date.now() + PATIENCE_MS });
    const next = await track.complete(track.district, view.id, { outcome: 'approve' }, 'review');
    const decidedBy = Date.now();
    expect(next.body.stage).toBe('district_forwarding');
    doneBefore(scheduled.escalation!, 'the review decision (reminders were left to stop)', decidedBy);

    // the forwarding task runs its whole course: by its escalation, the review's would long have come
    const forwarding = next.body.tasks.find((t: { kind: string }) => t.kind === 'forward');
    const forwardingLog = await eventually('the forwarding task’s reminders up to its escalation', () => mailsFor(forwarding.id), escalated, {
      timeoutMs: Date.parse(forwarding.dueAt) + 3 * DAY - Date.now() + PATIENCE_MS,
    });
    expect(forwardingLog.some((m) => m.occurrence.startsWith('before-'))).toBe(true);

    const after = await mailsFor(review.id);
    // the officers heard of it only as long as it was open: no reminder that fell due after the decision
    const reminders = after.filter((m) => m.to !== 'remind62@demo.local' && m.occurrence !== 'assigned');
    expect(reminders[0]?.occurrence).toBe('before-3');
    expect(reminders.filter((m) => scheduled[m.occurrence]! >= decidedBy)).toEqual([]);
    // the enterprise heard of it once: the decision
    expect(after.filter((m) => m.to === 'remind62@demo.local').map((m) => m.occurrence)).toEqual(['decision']);
    // the forwarding is overdue now; forwarding it clears the case's overdue flag
    const handle = system.app.temporal.workflow.getHandle(view.id);
    expect((await handle.describe()).typedSearchAttributes.get(CASE_OVERDUE)).toBe(true);
    expect((await track.forward(view.id)).status).toBe(201);
    expect((await handle.describe()).typedSearchAttributes.get(CASE_OVERDUE)).toBe(false);
  },
  20 * DAY + SLOW_MACHINE_TIMEOUT_MS,
);

test(
  'each reminder goes out at its offset, to the right people; the overdue task escalates to the city',
  async () => {
    const { view } = fullWeek;
    const task = view.tasks[0];
    const opened = Date.parse(task.openedAt);
    const due = Date.parse(task.dueAt);
    expect(due - opened).toBe(5 * DAY);

    const log = await eventually('every reminder up to the escalation', () => mailsFor(task.id), escalated, { timeoutMs: due + 3 * DAY - Date.now() + PATIENCE_MS });
    const occurrences = (to: string) => log.filter((m) => m.to === to).map((m) => m.occurrence);
    expect(occurrences('shaxi@demo.local')).toEqual(['assigned', 'before-3', 'before-1', 'due', 'overdue-1']);
    // the digest reader gets only what always goes out
    expect(occurrences('digest@demo.local')).toEqual(['assigned', 'due', 'overdue-1']);
    expect(occurrences('city@demo.local')).toEqual(['escalation']);
    expect(log.every((m) => m.status === 'sent')).toBe(true);

    // none went out before its time
    const scheduled = scheduleOf(due);
    for (const mail of log.filter((m) => m.occurrence !== 'assigned')) expect(mail.at.getTime()).toBeGreaterThanOrEqual(scheduled[mail.occurrence]!);

    const escalation = system.mail.messages.find((m) => m.envelopeTo.includes('city@demo.local') && m.subject.includes('提醒测试六十一'));
    expect(escalation?.text).toContain('镇（区）经发中心');
    const description = await system.app.temporal.workflow.getHandle(view.id).describe();
    expect(description.typedSearchAttributes.get(CASE_OVERDUE)).toBe(true);
  },
  10 * DAY + SLOW_MACHINE_TIMEOUT_MS,
);
