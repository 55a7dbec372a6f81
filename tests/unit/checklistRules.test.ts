import { describe, expect, test } from '@jest/globals';
import { checklistFieldSpec, checklistFieldsInOrder, checklistProblems } from '../../domain/tasks/checklistFields.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import { inLanguage } from '../../domain/i18n/bilingual.ts';

const item = (key: string) => TAICANG_2018.selfCompliance.find((i) => i.key === key)!;
const TODAY = '2026-11-22';
const training = item('training');

describe('the checklist items’ fields', () => {
  test('a training with its date passed, a number of attendees and a topic may be done', () => {
    expect(checklistProblems(training, { trainedOn: '2026-06-20', attendees: '35', topic: '江苏省企业信用管理规范' }, 0, TODAY)).toEqual([]);
    expect(checklistProblems(training, { trainedOn: TODAY, attendees: ' 1 ', topic: '规范' }, 0, TODAY)).toEqual([]);
  });

  test('“很多人” is no number of attendees, and a training in 2030 has not happened: both named as the form names them', () => {
    const problems = checklistProblems(training, { trainedOn: '2030-05-01', attendees: '很多人', topic: '江苏省企业信用管理规范' }, 0, TODAY);
    expect(problems.map((p) => p.path)).toEqual(['fields.trainedOn', 'fields.attendees']);
    expect(inLanguage(problems[0]!.rule, 'zh-CN')).toBe('培训日期不能晚于今天（2026-11-22）');
    expect(inLanguage(problems[1]!.rule, 'zh-CN')).toBe('参训人数应为正整数，如 25');
    expect(inLanguage(problems[1]!.rule, 'en')).toBe('Number of attendees: a whole number above 0, such as 25');
  });

  test('a count is a whole number above 0, within reason', () => {
    for (const bad of ['0', '-3', '2.5', '35人', '1e3', '100001']) {
      expect({ bad, paths: checklistProblems(training, { trainedOn: '2026-06-20', attendees: bad, topic: 't' }, 0, TODAY).map((p) => p.path) }).toEqual({ bad, paths: ['fields.attendees'] });
    }
  });

  test('a date is a real date in the calendar', () => {
    for (const bad of ['2026-02-30', '2026/06/20', '六月二十日', '2026-6-1']) {
      const [problem] = checklistProblems(training, { trainedOn: bad, attendees: '3', topic: 't' }, 0, TODAY);
      expect({ bad, rule: inLanguage(problem!.rule, 'zh-CN') }).toEqual({ bad, rule: '培训日期应为日期，如 2026-06-20' });
    }
  });

  test('every empty field at once, in the form’s order; an item with a document needs one', () => {
    expect(checklistProblems(item('working_group'), { leader: '王建国' }, 0, TODAY).map((p) => [p.path, inLanguage(p.rule, 'zh-CN')])).toEqual([
      ['fields.members', '请填写小组成员（相关业务部门负责人）'],
      ['fields.dedicatedStaff', '请填写专职人员（至少1名）'],
    ]);
    expect(checklistProblems(item('work_plan'), {}, 0, TODAY)).toEqual([{ path: 'fileIds', rule: '请上传制定贯标工作方案的文件 (attach the document of this item)' }]);
    expect(checklistProblems(item('work_plan'), {}, 1, TODAY)).toEqual([]);
  });

  test('a name is one line; a text has a bound', () => {
    expect(checklistProblems(item('working_group'), { leader: '王\n建国', members: 'x', dedicatedStaff: 'y' }, 0, TODAY).map((p) => p.path)).toEqual(['fields.leader']);
    expect(checklistProblems(item('credit_department'), { department: '信用管理部', duties: '职'.repeat(1001) }, 0, TODAY).map((p) => p.path)).toEqual(['fields.duties']);
  });

  test('the fields keep the form’s order, however the stored program ordered its keys', () => {
    // PostgreSQL's JSONB orders an object's keys by length: topic, attendees, trainedOn
    const stored = { title: '开展贯标培训', upload: false, fields: { topic: '培训内容', attendees: '参训人数', trainedOn: '培训日期', extra: '其他' } };
    expect(checklistFieldsInOrder(stored.fields).map(([name]) => name)).toEqual(['trainedOn', 'attendees', 'topic', 'extra']);
    expect(checklistProblems(stored, {}, 0, TODAY).map((p) => p.path)).toEqual(['fields.trainedOn', 'fields.attendees', 'fields.topic', 'fields.extra']);
  });

  test('a field of another year’s program is read by its name', () => {
    expect(checklistFieldSpec('reviewedOn')).toEqual({ kind: 'pastDate', english: 'reviewed date' });
    expect(checklistFieldSpec('meetingCount').kind).toBe('count');
    expect(checklistFieldSpec('summary')).toEqual({ kind: 'text', english: 'summary' });
  });
});
