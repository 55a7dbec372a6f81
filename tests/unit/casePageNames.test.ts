import { describe, expect, test } from '@jest/globals';
import { officeOf, personName, temporalWorkflowUrl } from '../../web/casePage.ts';

describe('who acted, as the case page names them', () => {
  test('the person once: the office a name carries in brackets is said by the page already', () => {
    expect(personName('陈静（沙溪镇经发中心）', 'district_officer')).toBe('陈静');
    expect(personName('Zhou Tao (Finance and Guarantee Section, City Commission)', 'city_officer')).toBe('Zhou Tao');
    expect(personName('张三', 'city_officer')).toBe('张三');
    // nothing but the office: no person to name
    expect(personName('系统管理员', 'admin')).toBeNull();
    expect(personName(null, 'enterprise')).toBeNull();
  });

  test('the office: the role, with the district of a district office and the agency of the case’s consultant', () => {
    const context = { districtName: '沙溪镇', consultant: { userId: 'u-1', name: '李强（苏州示例信用服务有限公司）', agencyName: '苏州示例信用服务有限公司' } };
    expect(officeOf({ id: 'x', role: 'district_officer' }, context, 'zh-CN')).toBe('镇（区）经发中心 · 沙溪镇');
    expect(officeOf({ id: 'x', role: 'district_officer' }, context, 'en')).toBe('District office · 沙溪镇');
    expect(officeOf({ id: 'x', role: 'city_officer' }, context, 'zh-CN')).toBe('市经信委融资与担保科');
    expect(officeOf({ id: 'u-1', role: 'consultant' }, context, 'zh-CN')).toBe('信用服务机构顾问 · 苏州示例信用服务有限公司');
    expect(officeOf({ id: 'u-2', role: 'consultant' }, context, 'zh-CN')).toBe('信用服务机构顾问');
  });

  test('the workflow in the Temporal Web UI: namespace and workflow id in the path', () => {
    expect(temporalWorkflowUrl({ url: 'http://127.0.0.1:8233', namespace: 'default' }, 'case-tc2018-standard-91320585MA1T000011')).toBe(
      'http://127.0.0.1:8233/namespaces/default/workflows/case-tc2018-standard-91320585MA1T000011',
    );
  });
});
