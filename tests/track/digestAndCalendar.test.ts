import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import ICAL from 'ical.js';
import { createUser } from '../../app/seed.ts';
import { formatLocalDate } from '../../domain/program/calendar.ts';
import { uscc } from '../support/fixtures.ts';
import { ApiClient } from '../support/http.ts';
import { TEST_PASSWORD, startTestSystem, type TestSystem } from '../support/system.ts';
import { Track } from '../support/track.ts';
import { SLOW_MACHINE_TIMEOUT_MS, clockPast, doneBefore } from '../support/waits.ts';

jest.setTimeout(SLOW_MACHINE_TIMEOUT_MS);

/**
 * The daily digest (once a day, overdue first) and the private calendar feed, parsed by a real iCalendar
 * parser. A "day" lasts four seconds: the first review is overdue after 20 s, and the second, opened
 * only then, leaves 20 s to read the digest before it falls due too.
 */
const DAY = 4_000;
let system: TestSystem;
let first: Track;
let second: Track;
let firstCase: string;
let secondCase: string;
/** when the second review falls due: the digest must have run by then to show exactly one overdue task */
let secondDue: number;

beforeAll(async () => {
  system = await startTestSystem('pglite', { dayMs: DAY });
  const company = async (n: number) => {
    await createUser(system.app.orm, { email: `cal${n}@demo.local`, name: `企业${n}`, role: 'enterprise', scopeId: uscc(n) }, TEST_PASSWORD);
    return Track.start(system, `cal${n}@demo.local`);
  };
  first = await company(71);
  second = await company(72);
  const firstView = (await first.apply({ uscc: uscc(71), enterpriseName: '日程测试七十一有限公司' })).body;
  firstCase = firstView.id;
  // the first district review (5 "days") is overdue; the second opens only now, so it is not
  await clockPast(Date.parse(firstView.tasks[0].dueAt) + 500);
  const secondView = (await second.apply({ uscc: uscc(72), enterpriseName: '日程测试七十二有限公司' })).body;
  secondCase = secondView.id;
  secondDue = Date.parse(secondView.tasks[0].dueAt);
}, 5 * DAY + SLOW_MACHINE_TIMEOUT_MS);
afterAll(async () => {
  for (const id of [firstCase, secondCase]) await system?.app.temporal.workflow.getHandle(id).terminate('test over').catch(() => {});
  await system?.stop();
});

test('a user chooses the digest; it lists their open tasks by due date, overdue first, once a day', async () => {
  expect((await first.district.get('/api/me/preferences')).body).toEqual({ digest: false, locale: 'zh-CN', calendarFeed: false });
  expect((await first.district.put('/api/me/preferences', { digest: 'daily' })).status).toBe(400);
  expect((await first.district.put('/api/me/preferences', { digest: true })).body).toMatchObject({ digest: true });

  const run = () => system.app.temporal.workflow.execute('digestWorkflow', { taskQueue: system.app.config.temporal.taskQueue, workflowId: `digest-${crypto.randomUUID()}` });
  const result = (await run()) as { day: string; sent: number };
  doneBefore(secondDue, 'the digest run (later, both reviews would be overdue)');
  expect(result.sent).toBe(1);
  const digests = system.mail.to('shaxi@demo.local').filter((m) => m.subject.startsWith('【每日待办】'));
  expect(digests).toHaveLength(1);
  // the day as every date reads: 2026年11月22日
  expect(digests[0]!.subject).toBe(`【每日待办】${formatLocalDate(result.day, system.program.timeZone)} · 共2项，逾期1项`);
  const lines = digests[0]!.text.split('\n').filter((l) => l.includes('日程测试'));
  expect(lines).toEqual([expect.stringMatching(/^【逾期】日程测试七十一有限公司 · 镇（区）初审/), expect.stringMatching(/^日程测试七十二有限公司 · 镇（区）初审/)]);
  // the same day again: nothing new
  expect(((await run()) as { sent: number }).sent).toBe(0);
  expect(system.mail.to('shaxi@demo.local').filter((m) => m.subject.startsWith('【每日待办】'))).toHaveLength(1);
});

test('a private calendar feed with the tasks’ due dates and the deadlines; revoked, it is gone', async () => {
  const issued = await first.district.post('/api/me/calendar-token');
  expect(issued.status).toBe(201);
  const url: string = issued.body.url;
  expect(url).toMatch(/\/calendar\/[\w-]+\.ics$/);
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
  const events = new ICAL.Component(ICAL.parse(await response.text())).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
  const summaries = events.map((e) => e.summary);
  expect(summaries.filter((s) => s.startsWith('【待办截止】'))).toEqual(['【待办截止】日程测试七十一有限公司 · 镇（区）初审', '【待办截止】日程测试七十二有限公司 · 镇（区）初审']);
  expect(summaries).toEqual(expect.arrayContaining(['【截止】信用管理贯标 · 贯标申报截止', '【截止】信用管理贯标 · 验收材料报送截止']));
  const task = (await first.district.get(`/api/cases/${firstCase}`)).body.tasks[0];
  const due = events.find((e) => e.summary.includes('七十一'))!;
  expect(due.startDate.toJSDate().getTime()).toBe(Math.floor(Date.parse(task.dueAt) / 1000) * 1000);

  // the enterprise's feed carries its own case's deadlines
  const own = await (await fetch((await first.enterprise.post('/api/me/calendar-token')).body.url)).text();
  expect(own).toContain('验收材料报送截止');

  const rotated = (await first.district.post('/api/me/calendar-token')).body.url;
  expect((await fetch(url)).status).toBe(404);
  expect((await fetch(rotated)).status).toBe(200);
  expect((await first.district.request('DELETE', '/api/me/calendar-token')).status).toBe(204);
  expect((await fetch(rotated)).status).toBe(404);
  expect((await new ApiClient(system.url).get('/api/me/preferences')).status).toBe(401);
});
