import { describe, expect, test } from '@jest/globals';
import { DEFAULT_GRADING, JIANGSU_SELF_EVALUATION_RUBRIC as R } from '../../domain/evaluation/jiangsuRubric.ts';
import { rubricItems } from '../../domain/evaluation/rubric.ts';
import type { RubricItem } from '../../domain/evaluation/rubric.ts';

function item(id: string): RubricItem {
  const found = rubricItems(R).find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

/** [max, full label, half label or null, zero label] */
function levels(id: string): [number, string, string | null, string] {
  const i = item(id);
  return [i.max, i.levels.full.label, i.levels.half?.label ?? null, i.levels.zero.label];
}

describe('the Jiangsu self-evaluation sheet (attachment 4) as data', () => {
  test('has the 12 sections of the sheet, in order, with their maxima, totalling 1000', () => {
    expect(R.sections.map((s) => s.title)).toEqual([
      '信用管理方针和目标', '企业信用管理的组织', '信用管理制度', '信用信息系统', '客户资信管理内容', '信用档案管理',
      '客户授信管理', '合同管理', '商账管理', '外部信用工具应用', '社会责任履行', '内、外部评估和持续改进',
    ]);
    expect(R.sections.map((s) => s.max)).toEqual([60, 100, 100, 50, 100, 100, 100, 100, 100, 50, 100, 40]);
    expect(R.sections.map((s) => s.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(R.total).toBe(1000);
    expect(R.sections.reduce((t, s) => t + s.max, 0)).toBe(1000);
  });

  test('has every row of the sheet: 107 items, counted per section', () => {
    expect(R.sections.map((s) => s.items.length)).toEqual([6, 6, 8, 17, 16, 17, 11, 4, 4, 4, 7, 7]);
    expect(rubricItems(R)).toHaveLength(107);
  });

  test('each section max is the sum of its items, and so is each 评价内容 group', () => {
    for (const s of R.sections) {
      expect([s.title, s.items.reduce((t, i) => t + i.max, 0)]).toEqual([s.title, s.max]);
      expect([s.title, s.groups.reduce((t, g) => t + g.max, 0)]).toEqual([s.title, s.max]);
      const byId = new Map(s.items.map((i) => [i.id, i]));
      for (const g of s.groups) {
        const sum = g.itemIds.reduce((t, id) => t + (byId.get(id)?.max ?? Number.NaN), 0);
        expect([g.title, sum]).toEqual([g.title, g.max]);
        for (const id of g.itemIds) expect(byId.get(id)?.criterion).toBe(g.title);
      }
      // every item in exactly one group, groups in sheet order
      expect(s.groups.flatMap((g) => g.itemIds)).toEqual(s.items.map((i) => i.id));
    }
  });

  test('numbers items <section>.<n> in sheet order, ids unique', () => {
    const ids = rubricItems(R).map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of R.sections) expect(s.items.map((i) => i.id)).toEqual(s.items.map((_, n) => `${s.id}.${n + 1}`));
  });

  test('points: full = max, half = max/2 where the sheet has one, zero = 0', () => {
    for (const i of rubricItems(R)) {
      expect(i.levels.full.points).toBe(i.max);
      expect(i.levels.zero.points).toBe(0);
      if (i.levels.half) expect(i.levels.half.points).toBe(i.max / 2);
    }
  });

  test('only the rows that print a 半分值 have a half level', () => {
    const withHalf = rubricItems(R).filter((i) => i.levels.half !== null).map((i) => i.title);
    expect(withHalf).toEqual([
      '明确某部门行使信用管理职能',
      '专职/兼职情况',
      '建立并有效运行信用管理信息化系统',
      '按照客户性质和合作时间、规模、类型、重要程度、信用等级等因素，对所有客户进行细分',
      '选定保管档案的方式',
      '综合运用账龄分析、监控与预警、组织催收等方法',
      '科学采用内部催收和外部催收',
      '在供应商选择、客户授信管理、对外投融资等领域应用外部信用工具',
      expect.stringMatching(/^省、市级信用管理示范企业不得发生其他违法违规失信的事件/),
      '对信用管理部门和人员进行考核，并将考核结果作为人力资源管理的重要依据',
    ]);
  });

  test('spot checks, verbatim from the sheet', () => {
    expect(item('1.1').title).toBe('确定信用管理方针并形成文件');
    expect(item('1.1').criterion).toBe('信用管理方针');
    expect(levels('1.1')).toEqual([10, '有文件', null, '无文件']);
    expect(item('1.5')).toMatchObject({ title: '确定信用管理目标并形成文件', criterion: '信用管理目标', max: 20 });

    expect(item('2.1').title).toBe('明确某部门行使信用管理职能');
    expect(levels('2.1')).toEqual([30, '有独立部门行使信用管理职能', '有部门行使信用管理职能', '无']);
    expect(item('2.3').title).toBe('信用管理部门与其他相关部门权责界定清晰');
    expect(levels('2.3')).toEqual([5, '清晰', null, '不清晰']);
    expect(item('2.5')).toMatchObject({ title: '专职/兼职情况', criterion: '信用管理人员' });
    expect(levels('2.5')).toEqual([20, '专职人员', '兼职人员', '无']);
    expect(item('2.5').levels.half?.points).toBe(10);
    expect(levels('2.6')).toEqual([10, '有助理信用管理师及以上相关资格证书', null, '无']);

    expect(item('3.8')).toMatchObject({ title: '企业负责人签署并正式发布实施', criterion: '信用管理制度的发布', max: 30 });
    expect(levels('3.8')).toEqual([30, '正式发布实施', null, '未发布']);

    expect(item('4.1')).toMatchObject({ title: '建立并有效运行信用管理信息化系统', criterion: '信用信息系统的建立' });
    expect(levels('4.1')).toEqual([10, '建立专门的信息系统', '通过其他管理软件实现', '无']);
    expect(item('4.1').levels.half?.points).toBe(5);
    expect(item('4.11')).toMatchObject({ title: '应收帐款预警跟踪', max: 2 });
    expect(item('4.12')).toMatchObject({ title: '商帐追收', max: 2 });
    expect(item('4.17')).toMatchObject({ title: '个人业绩考核指标体系', criterion: '信用信息系统的功能', max: 2 });

    expect(item('5.14')).toMatchObject({ title: '其他途径了解', criterion: '资信调查方法', max: 2 });
    expect(levels('5.15')).toEqual([20, '建立指标体系并提供实例说明', null, '无']);

    expect(item('6.15')).toMatchObject({ title: '选定保管档案的方式', criterion: '信用档案的保管和使用' });
    expect(levels('6.15')).toEqual([5, '集中保管', '分散在部门', '未']);
    expect(item('6.15').levels.half?.points).toBe(2.5);
    // the sheet leaves these two 半分值 cells empty: no half level
    expect(item('6.16').title).toBe('建立客户信用档案查阅的权限和程序');
    expect(levels('6.16')).toEqual([10, '有文件', null, '无文件']);
    expect(item('6.17').title).toBe('保留档案查阅记录');
    expect(levels('6.17')).toEqual([5, '有记录', null, '无记录']);

    expect(item('7.11')).toMatchObject({ title: '科学应用同业比较法、初次限额法、销售预测法等方法', criterion: '主要的授信方法' });
    expect(levels('7.11')).toEqual([10, '是', null, '否']);

    expect(levels('8.1')).toEqual([40, '是', null, '否']);
    expect(item('8.1').criterion).toBe('合同签订前');

    expect(levels('9.4')).toEqual([30, '全部采用的', '部分采用的', '未采用的']);
    expect(levels('10.4')).toEqual([20, '多领域应用的', '单一领域应用的', '未应用的']);
    expect(item('11.6').criterion).toBe('经营管理');
    expect(levels('12.7')).toEqual([5, '进行考核并作为依据的', '进行考核未作为依据的', '未进行考核的']);
    expect(item('12.7').levels.half?.points).toBe(2.5);
  });

  test('the dishonesty item is 十一 其他（10）', () => {
    const d = item(R.dishonestyItemId);
    expect(R.dishonestyItemId).toBe('11.7');
    expect(d.criterion).toBe('其他');
    expect(d.title).toContain('具有一般失信行为的，原则上不得被评为A级及以上等级');
    expect(levels(R.dishonestyItemId)).toEqual([10, '无失信行为的', '一般失信行为的', '严重失信行为的']);
  });

  test('default grading: bands best first, caps below A and below B', () => {
    expect(DEFAULT_GRADING.bands).toEqual([
      { grade: 'AAA', minScore: 900 },
      { grade: 'AA', minScore: 800 },
      { grade: 'A', minScore: 700 },
      { grade: 'B', minScore: 600 },
      { grade: 'C', minScore: 0 },
    ]);
    expect(DEFAULT_GRADING.dishonestyCaps).toEqual({ half: 'A', zero: 'B' });
  });
});
