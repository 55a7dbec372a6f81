import { describe, expect, test } from '@jest/globals';
import {
  completionRate,
  dashboard,
  dashboardCsv,
  dashboardScope,
  deadlinesAhead,
  officeLoad,
  officeName,
  quotaProgress,
  stageFunnel,
  toCsv,
  trackStages,
  type CaseCount,
  type TaskCount,
} from '../../domain/dashboard/dashboard.ts';
import { barChart, escapeXml } from '../../domain/dashboard/svg.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';

const cases = (track: string, district: string, stage: string, status: string, count = 1): CaseCount => ({ track, district, stage, status, count });
const tasks = (role: string, district: string | null, counts: Partial<TaskCount> = {}): TaskCount => ({ role, district, open: 1, overdue: 0, dueSoon: 0, oldestOverdue: null, ...counts });

const COUNTS: CaseCount[] = [
  cases('standard', 'shaxi', 'self_compliance', 'active', 2),
  cases('standard', 'shaxi', 'certified', 'certified'),
  cases('standard', 'shaxi', 'rejected', 'rejected'),
  cases('standard', 'gangqu', 'district_review', 'active'),
  cases('standard', 'gangqu', 'lapsed', 'lapsed'),
  cases('municipal-demo', 'shaxi', 'creation', 'active'),
  cases('municipal-demo', 'fuqiao', 'not_recommended', 'rejected'),
];

describe('who sees a dashboard', () => {
  test('the offices from the district up and the admin; a district office only its district', () => {
    expect(dashboardScope({ role: 'district_officer', scopeId: 'shaxi' })).toEqual({ district: 'shaxi' });
    for (const role of ['city_officer', 'prefecture_officer', 'province_officer', 'admin'] as const) expect(dashboardScope({ role, scopeId: null })).toEqual({ district: null });
    expect(dashboardScope({ role: 'enterprise', scopeId: '91320585MA1T000011' })).toBe('forbidden');
    expect(dashboardScope({ role: 'consultant', scopeId: 'agency-demo' })).toBe('forbidden');
  });
});

describe('progress against the quotas (attachment 1)', () => {
  test('every district in the work plan’s order, against its target; applied, in progress, certified and ended', () => {
    const [standard, municipal, provincial] = quotaProgress(TAICANG_2018, COUNTS, null);
    expect(standard!.track).toBe('standard');
    expect(standard!.rows.map((r) => r.districtName)).toEqual(['港区', '高新区', '旅游度假区', '科教新城', '城厢镇', '沙溪镇', '璜泾镇', '双凤镇', '浮桥镇']);
    expect(standard!.rows.find((r) => r.district === 'shaxi')).toEqual({ district: 'shaxi', districtName: '沙溪镇', target: 4, applied: 4, active: 2, certified: 1, closed: 1 });
    expect(standard!.rows.find((r) => r.district === 'gangqu')).toMatchObject({ target: 4, applied: 2, active: 1, certified: 0, closed: 1 });
    expect(standard!.rows.find((r) => r.district === 'kejiao')).toMatchObject({ target: 3, applied: 0 });
    // 35 贯标 enterprises for the city: the districts' sum
    expect(standard!.total).toEqual({ district: 'city', districtName: '全市', target: 35, applied: 6, active: 3, certified: 1, closed: 2 });
    expect(standard!.cityTarget).toBeNull();
    // the demonstration tracks: the target is the city's; a district recommends (one each), with no target of its own
    expect(municipal!.cityTarget).toBe(4);
    expect(municipal!.total).toMatchObject({ target: 4, applied: 2, active: 1, closed: 1 });
    expect(municipal!.rows.find((r) => r.district === 'shaxi')).toMatchObject({ target: null, applied: 1, active: 1 });
    expect(provincial!.total).toMatchObject({ target: 1, applied: 0 });
    expect(completionRate(municipal!.rows[0]!)).toBeNull();
  });

  test('a district office: its own row only, no city total', () => {
    const [standard, municipal] = quotaProgress(TAICANG_2018, COUNTS.filter((c) => c.district === 'shaxi'), 'shaxi');
    expect(standard!.rows.map((r) => r.district)).toEqual(['shaxi']);
    expect(standard!.total).toBeNull();
    // the city's demonstration target, still said
    expect(municipal!.cityTarget).toBe(4);
  });

  test('completion: certified of the target, in whole percent; none without a target', () => {
    expect(completionRate({ certified: 1, target: 3 })).toBe(33);
    expect(completionRate({ certified: 4, target: 4 })).toBe(100);
    expect(completionRate({ certified: 0, target: 0 })).toBeNull();
  });
});

describe('cases per stage', () => {
  test('the standard track’s stages in the order a case goes through them; the endings last', () => {
    expect(trackStages(TAICANG_2018.tracks.standard!).map((s) => s.stage)).toEqual([
      'district_review',
      'correction',
      'district_forwarding',
      'city_review',
      'self_compliance',
      'acceptance_district_check',
      'acceptance_correction',
      'acceptance_city_review',
      'acceptance_prefecture_review',
      'certified',
      'rejected',
      'failed',
      'lapsed',
    ]);
  });

  test('the demonstration tracks: the recommendation chain of the track (Suzhou’s step for the provincial one), then the creation', () => {
    const provincial = trackStages(TAICANG_2018.tracks['provincial-demo']!).map((s) => s.stage);
    expect(provincial.slice(0, 4)).toEqual(['district_recommendation', 'city_recommendation', 'prefecture_recommendation', 'consultant_contract']);
    expect(trackStages(TAICANG_2018.tracks['municipal-demo']!).map((s) => s.stage)).not.toContain('prefecture_recommendation');
    expect(provincial).toContain('publicity');
    expect(trackStages(TAICANG_2018.tracks['municipal-demo']!).filter((s) => s.closed).map((s) => s.stage)).toEqual(['certified', 'not_recommended', 'failed', 'lapsed']);
  });

  test('counts per stage, every stage shown; a stage the order does not know goes before the endings', () => {
    const [standard, municipal] = stageFunnel(TAICANG_2018, [...COUNTS, cases('standard', 'fuqiao', 'submitted', 'active')]);
    const count = (stage: string) => standard!.steps.find((s) => s.stage === stage)?.count;
    expect(count('self_compliance')).toBe(2);
    expect(count('district_review')).toBe(1);
    expect(count('city_review')).toBe(0);
    expect(count('certified')).toBe(1);
    expect(standard!.total).toBe(7);
    const order = standard!.steps.map((s) => s.stage);
    expect(order.indexOf('submitted')).toBe(order.indexOf('certified') - 1);
    expect(municipal!.steps.find((s) => s.stage === 'not_recommended')).toEqual({ stage: 'not_recommended', closed: true, count: 1 });
  });
});

describe('open tasks by office', () => {
  const now = new Date('2018-06-20T04:00:00Z');

  test('district offices one by one in the work plan’s order, then the city and above, then enterprises and consultants as one row each', () => {
    const offices = officeLoad(
      TAICANG_2018,
      [
        tasks('enterprise', null, { open: 3, overdue: 1, oldestOverdue: '2018-06-18T04:00:00Z' }),
        tasks('city_officer', null, { open: 2, dueSoon: 2 }),
        tasks('district_officer', 'shaxi', { open: 2, overdue: 2, oldestOverdue: '2018-06-15T03:00:00Z' }),
        tasks('district_officer', 'gangqu', { open: 1, dueSoon: 1 }),
        tasks('consultant', null, { open: 1 }),
      ],
      now,
    );
    expect(offices.map((o) => officeName(o))).toEqual(['港区 镇（区）经发中心', '沙溪镇 镇（区）经发中心', '市经信委融资与担保科', '企业', '信用服务机构顾问']);
    // the oldest overdue task of 沙溪镇 is 5 days and an hour late: 6 days, counted in whole days begun
    expect(offices[1]).toMatchObject({ role: 'district_officer', district: 'shaxi', districtName: '沙溪镇', open: 2, overdue: 2, longestOverdueDays: 6 });
    expect(offices[2]).toMatchObject({ role: 'city_officer', district: null, dueSoon: 2, overdue: 0, longestOverdueDays: 0 });
    expect(offices[3]).toMatchObject({ role: 'enterprise', overdue: 1, longestOverdueDays: 2 });
  });

  test('an office named in the reader’s words', () => {
    expect(officeName({ role: 'district_officer', districtName: '沙溪镇' }, () => 'District office')).toBe('沙溪镇 District office');
    expect(officeName({ role: 'prefecture_officer', districtName: null })).toBe('苏州市信用办');
  });
});

describe('deadlines ahead', () => {
  test('the program’s deadlines in the next 60 days, soonest first, with the days left', () => {
    const ahead = deadlinesAhead(TAICANG_2018, new Date('2018-06-05T00:00:00+08:00'));
    expect(ahead.map((d) => [d.track, d.name, d.local])).toEqual([
      ['standard', 'application', '2018-06-08 23:59'],
      ['municipal-demo', 'recommendation', '2018-06-30 23:59'],
      ['provincial-demo', 'recommendation', '2018-06-30 23:59'],
      ['standard', 'acceptanceMaterials', '2018-07-31 23:59'],
    ]);
    // due on the 8th at 23:59: three whole days and most of a fourth
    expect(ahead[0]!.daysLeft).toBe(4);
    // 60 days on is 4 August: the packages of 15 August are not yet ahead
    expect(ahead.map((d) => d.name)).not.toContain('applicationPackage');
    // a deadline passed is no longer ahead
    expect(deadlinesAhead(TAICANG_2018, new Date('2018-06-09T00:00:00+08:00')).map((d) => d.name)).not.toContain('application');
  });
});

describe('CSV for Excel', () => {
  test('a byte-order mark, CRLF lines, quoted where needed, and no formula from a cell', () => {
    const csv = toCsv(['名称', '数'], [['甲,乙', 1], ['=SUM(A1)', 2], ['说 "好"', null]]);
    expect(csv.startsWith('\uFEFF名称,数\r\n')).toBe(true);
    expect(csv).toBe('\uFEFF名称,数\r\n"甲,乙",1\r\n\'=SUM(A1),2\r\n"说 ""好""",\r\n');
  });

  test('each chart with Chinese column headers and its numbers', () => {
    const data = dashboard(TAICANG_2018, null, COUNTS, [tasks('district_officer', 'shaxi', { open: 2, overdue: 1, dueSoon: 1, oldestOverdue: '2018-06-15T03:00:00Z' })], new Date('2018-06-20T04:00:00Z'));
    const lines = (chart: Parameters<typeof dashboardCsv>[1]) => dashboardCsv(data, chart).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines('quotas')[0]).toBe('项目,镇（区）,目标,已申报,办理中,已通过,未通过或失效,完成率');
    expect(lines('quotas')).toContain('信用管理贯标,沙溪镇,4,4,2,1,1,25%');
    expect(lines('quotas')).toContain('信用管理贯标,全市,35,6,3,1,2,3%');
    expect(lines('quotas')).toContain('苏州市级信用管理示范企业创建,沙溪镇,,1,1,0,0,');
    expect(lines('quotas')).toContain('苏州市级信用管理示范企业创建,全市,4,2,1,0,1,0%');
    expect(lines('stages')[0]).toBe('项目,序号,环节,案件数');
    expect(lines('stages')).toContain('信用管理贯标,5,自主贯标,2');
    expect(lines('overdue')).toEqual(['办理部门,镇（区）,逾期待办数,在办待办数,最长逾期天数', '镇（区）经发中心,沙溪镇,1,2,6']);
    expect(lines('due-soon')).toEqual(['办理部门,镇（区）,7天内到期待办数,在办待办数', '镇（区）经发中心,沙溪镇,1,2']);
    expect(lines('deadlines')).toEqual(['项目,期限,截止时间,剩余天数', '苏州市级信用管理示范企业创建,推荐截止,2018-06-30 23:59,11', '江苏省级信用管理示范企业创建,推荐截止,2018-06-30 23:59,11', '信用管理贯标,验收材料报送截止,2018-07-31 23:59,42', '苏州市级信用管理示范企业创建,申报材料报送截止,2018-08-15 23:59,57']);
  });
});

describe('the SVG bar chart', () => {
  const chart = barChart({
    id: 'chart-test',
    title: '各镇（区）指标完成情况',
    empty: '暂无数据',
    legend: [{ name: '已通过', fill: '#15803d' }],
    target: { name: '目标', fill: '#c2410c' },
    rows: [
      { label: '沙溪镇', segments: [{ value: 1, fill: '#15803d', name: '已通过' }, { value: 2, fill: '#2563eb', name: '办理中' }], target: 4, note: '已通过 1 / 目标 4' },
      { label: '<港区 & "x">', segments: [{ value: 0, fill: '#15803d', name: '已通过' }], target: 4, note: '0' },
    ],
  });

  test('an accessible image with a title, a bar per row, the target marked, the numbers written out', () => {
    expect(chart).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-test-title"/);
    expect(chart).toContain('<title id="chart-test-title">各镇（区）指标完成情况</title>');
    expect(chart.match(/<g class="row">/g)).toHaveLength(2);
    expect(chart).toContain('已通过 1 / 目标 4');
    expect(chart.match(/fill="#c2410c"/g)!.length).toBe(3); // the legend's mark and one per row
    // a full bar is the largest target: one of four is a quarter of the 384 px track
    expect(chart).toContain('width="96" height="16" fill="#15803d"');
  });

  test('no style attribute (the CSP forbids them), and text escaped', () => {
    expect(chart).not.toMatch(/style=/);
    expect(chart).toContain('&lt;港区 &amp; &quot;x&quot;&gt;');
    expect(escapeXml(`<a href='x'>`)).toBe('&lt;a href=&#39;x&#39;&gt;');
  });

  test('without rows: the empty message, still an image', () => {
    expect(barChart({ id: 'chart-none', title: '逾期待办', empty: '暂无在办待办。', rows: [] })).toMatch(/^<svg [^>]*role="img".*暂无在办待办。<\/text><\/svg>$/);
  });

  test('a label too long for its line is cut with an ellipsis; the numbers are kept', () => {
    const long = barChart({ id: 'chart-long', title: 't', empty: '', rows: [{ label: '很'.repeat(40), segments: [{ value: 1, fill: '#000', name: 'n' }], note: '逾期 1 / 在办 2，最长 3 天' }] });
    expect(long).toContain('…</text>');
    expect(long).toContain('逾期 1 / 在办 2，最长 3 天</text>');
  });
});
