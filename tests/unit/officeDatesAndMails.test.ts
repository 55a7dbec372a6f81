import { describe, expect, test } from '@jest/globals';
import { SAMPLE_DATA, loadMailTemplates } from '../../activities/notifications/templates.ts';
import { deadlineStates } from '../../domain/case/deadlineStates.ts';
import { caseTimeline, type TimelineCase } from '../../domain/case/timeline.ts';
import { nameWithOffice, officeInName, personalName } from '../../domain/identity/personNames.ts';
import { dueAfterDays, formatLocal, formatLocalDate, formatLocalDateTime } from '../../domain/program/calendar.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import { CHINA_2018_CALENDAR } from '../../domain/program/workingDays.ts';
import { taskDetail, taskTitle } from '../../domain/tasks/taskTitle.ts';

const ZONE = 'Asia/Shanghai';
const render = loadMailTemplates();

describe('a period counted in days ends at the end of a working day', () => {
  test('ten days from a morning at 05:15 end at 23:59 of the tenth day, not at 05:15', () => {
    // Friday 2018-06-01 05:15 in Shanghai
    const due = dueAfterDays(new Date('2018-05-31T21:15:00.000Z'), 10, ZONE, CHINA_2018_CALENDAR);
    expect(formatLocal(due, ZONE)).toBe('2018年6月11日 23:59');
    expect(due.toISOString()).toBe('2018-06-11T15:59:59.999Z');
  });

  test('a period reaching a weekend ends on the Monday after it', () => {
    // Monday 2018-06-04 + 5 days = Saturday 06-09 → Monday 06-11
    expect(formatLocal(dueAfterDays(new Date('2018-06-04T01:00:00.000Z'), 5, ZONE, CHINA_2018_CALENDAR), ZONE)).toBe('2018年6月11日 23:59');
  });

  test('a period reaching a public holiday ends on the next working day, and a worked weekend day counts', () => {
    // 端午 2018-06-18 (Monday) is a holiday: a period reaching it ends on Tuesday the 19th
    expect(formatLocal(dueAfterDays(new Date('2018-06-08T02:00:00.000Z'), 10, ZONE, CHINA_2018_CALENDAR), ZONE)).toBe('2018年6月19日 23:59');
    // Sunday 2018-04-08 was worked (清明调休): a period reaching it ends that day
    expect(formatLocal(dueAfterDays(new Date('2018-03-29T02:00:00.000Z'), 10, ZONE, CHINA_2018_CALENDAR), ZONE)).toBe('2018年4月8日 23:59');
  });

  test('the local day counts, not the UTC one: late in the evening in Shanghai is already the next UTC day', () => {
    // 2018-06-04 23:30 Shanghai is 15:30 UTC the same date; 2018-06-05 00:30 Shanghai is 16:30 UTC on the 4th
    expect(formatLocal(dueAfterDays(new Date('2018-06-04T16:30:00.000Z'), 1, ZONE, CHINA_2018_CALENDAR), ZONE)).toBe('2018年6月6日 23:59');
  });
});

describe('one date format per language', () => {
  test('a date, an instant and a wall time read alike in each language', () => {
    expect(formatLocal('2026-09-28T02:30:00.000Z', ZONE)).toBe('2026年9月28日 10:30');
    expect(formatLocal('2026-09-28T02:30:00.000Z', ZONE, 'en')).toBe('28 September 2026 at 10:30');
    expect(formatLocalDate('2026-09-28', ZONE)).toBe('2026年9月28日');
    expect(formatLocalDate('2026-09-28', ZONE, 'en')).toBe('28 September 2026');
    // an instant's date is its local date: 23:30 on the 27th UTC is the 28th in Shanghai
    expect(formatLocalDate(new Date('2026-09-27T23:30:00.000Z'), ZONE)).toBe('2026年9月28日');
    expect(formatLocalDateTime('2026-07-10T09:30', ZONE)).toBe('2026年7月10日 09:30');
    expect(formatLocalDateTime('2026-07-10T09:30', ZONE, 'en')).toBe('10 July 2026 at 09:30');
  });
});

describe('a person named once with their office', () => {
  test('the name on record keeps its office; a bare name gets it; the greeting takes the person only', () => {
    expect(personalName('陈静（沙溪镇经发中心）')).toBe('陈静');
    expect(personalName('Zhou Tao (Finance and Guarantee Section, City Commission)')).toBe('Zhou Tao');
    expect(personalName('系统管理员')).toBe('系统管理员');
    expect(officeInName('王敏（太仓示例精密机械有限公司）')).toBe('太仓示例精密机械有限公司');
    expect(officeInName('企业1')).toBeNull();
    expect(nameWithOffice('陈静（沙溪镇经发中心）', '镇（区）经发中心')).toBe('陈静（沙溪镇经发中心）');
    expect(nameWithOffice('陈静', '镇（区）经发中心')).toBe('陈静（镇（区）经发中心）');
    expect(nameWithOffice('Chen Jing', 'District office', 'en')).toBe('Chen Jing (District office)');
    expect(nameWithOffice('', '市经信委')).toBe('市经信委');
  });
});

describe('what a task is called', () => {
  const checklist = TAICANG_2018.selfCompliance;
  test('a checklist task by its item, in either language; any other by its kind', () => {
    expect(taskTitle({ kind: 'self_compliance_item', subject: 'training' }, checklist, 'zh-CN')).toBe('开展贯标培训');
    expect(taskTitle({ kind: 'self_compliance_item', subject: 'training' }, checklist, 'en')).toBe('Hold standard-compliance training');
    expect(taskTitle({ kind: 'acceptance_submission', subject: 'acceptance' }, checklist, 'zh-CN')).toBe('提交验收材料');
    // five items are five different things
    const titles = checklist.map((item) => taskTitle({ kind: 'self_compliance_item', subject: item.key }, checklist, 'zh-CN'));
    expect(new Set(titles).size).toBe(5);
  });

  test('a review is named by its stage alone: no detail beside it', () => {
    expect(taskDetail({ kind: 'review' }, checklist, 'zh-CN')).toBeNull();
    expect(taskDetail({ kind: 'forward' }, checklist, 'zh-CN')).toBeNull();
    expect(taskDetail({ kind: 'guidance', subject: 'guidance' }, checklist, 'zh-CN')).toBe('贯标辅导');
  });
});

describe("a case's deadlines: the one it runs against, those ahead, those it has gone past", () => {
  const standard = TAICANG_2018.tracks.standard!;
  const deadlines = { application: '2018-06-08T15:59:59.999Z', acceptanceMaterials: '2018-07-31T15:59:59.999Z' };
  const at = (c: Partial<TimelineCase>, now: string) => {
    const whole: TimelineCase = { stage: 'district_review', status: 'active', submittedAt: '2018-06-01T02:00:00.000Z', deadlines, tasks: [], ...c };
    return Object.fromEntries(deadlineStates(caseTimeline(standard, whole, new Date(now)), whole).map((d) => [d.name, d.state]));
  };

  test('in review, the application deadline is done (it applied) and the acceptance materials lie ahead', () => {
    expect(at({}, '2018-06-20T00:00:00Z')).toEqual({ application: 'done', acceptanceMaterials: 'ahead' });
  });

  test('in self-compliance the acceptance materials run; past their date they are overdue', () => {
    expect(at({ stage: 'self_compliance' }, '2018-07-01T00:00:00Z')).toEqual({ application: 'done', acceptanceMaterials: 'current' });
    expect(at({ stage: 'self_compliance' }, '2018-08-01T00:00:00Z')).toEqual({ application: 'done', acceptanceMaterials: 'overdue' });
  });

  test('once the materials are in, their deadline is done even before its date; a finished correction too', () => {
    const withCorrection = { ...deadlines, correction: '2018-06-20T15:59:59.999Z' };
    expect(at({ stage: 'acceptance_district_check', deadlines: withCorrection }, '2018-07-10T00:00:00Z')).toEqual({ application: 'done', acceptanceMaterials: 'done', correction: 'done' });
  });

  test('an ended case runs against nothing', () => {
    expect(at({ stage: 'certified', status: 'certified' }, '2018-07-10T00:00:00Z')).toEqual({ application: 'closed', acceptanceMaterials: 'closed' });
  });
});

describe('the mails of this issue', () => {
  test('self-compliance: one mail names every checklist item, each with its own link, then the materials', () => {
    const mail = render('self-compliance', SAMPLE_DATA['self-compliance']);
    const items = SAMPLE_DATA['self-compliance'].items as { title: string; taskUrl: string }[];
    expect(mail.subject).toContain('5项贯标事项');
    for (const item of items) {
      expect(mail.text).toContain(item.title);
      expect(mail.text).toContain(item.taskUrl);
    }
    expect(render('self-compliance', SAMPLE_DATA['self-compliance'], 'en').subject).toContain('5 checklist items');
  });

  test('a return: one mail with the review, the reason, who returned it, what to hand in and by when', () => {
    const mail = render('returned', SAMPLE_DATA.returned);
    expect(mail.subject).toBe('【退回补正】镇（区）初审 · 太仓示例精密机械有限公司');
    for (const field of ['comment', 'returnedBy', 'returnedLocal', 'taskLabel', 'dueLocal', 'taskUrl'] as const) expect(mail.text).toContain(String(SAMPLE_DATA.returned[field]));
    // the person is named once with their office, not again with the role
    expect(mail.text).not.toContain('（沙溪镇经发中心）（');
  });

  test('an extension: the new and the old date, the reason, who granted it; the enterprise yet to apply is sent to apply', () => {
    const mail = render('extension', SAMPLE_DATA.extension);
    for (const field of ['dueLocal', 'previousLocal', 'reason', 'grantedBy', 'linkUrl'] as const) expect(mail.text).toContain(String(SAMPLE_DATA.extension[field]));
    const early = render('extension', { ...SAMPLE_DATA.extension, applied: false, deadlineLabel: '贯标申报截止', linkUrl: 'https://credcase.example.cn/apply' });
    expect(early.text).toContain('前往申报：https://credcase.example.cn/apply');
    const office = render('extension', { ...SAMPLE_DATA.extension, applied: false, forEnterprise: false, linkUrl: 'https://credcase.example.cn/cases' }, 'en');
    expect(office.text).toContain('Your list of cases: https://credcase.example.cn/cases');
  });
});
