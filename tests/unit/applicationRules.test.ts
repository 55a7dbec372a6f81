import { describe, expect, test } from '@jest/globals';
import { applicationRefusal, applicationRefusalMessage, applicationRuleProblems, type ApplicationRuleFacts } from '../../domain/application/formRules.ts';
import { TAICANG_ELIGIBILITY } from '../../domain/eligibility/eligibility.ts';
import { inLanguage } from '../../domain/i18n/bilingual.ts';

const DISTRICTS = [
  { code: 'shaxi', name: '沙溪镇' },
  { code: 'fuqiao', name: '浮桥镇' },
];
const VALID_ID = '320585197503121232';

const facts = (application: Record<string, unknown>, more: Partial<ApplicationRuleFacts> = {}): ApplicationRuleFacts => ({
  application: { legalRepresentativeIdNumber: VALID_ID, district: 'shaxi', independentLegalPerson: true, declaresNoSeriousDishonesty: true, foundedOn: '2015-03-01', ...application },
  today: '2026-11-22',
  idNumberOnRecord: false,
  districts: DISTRICTS,
  eligibility: TAICANG_ELIGIBILITY,
  creditRecords: [],
  ...more,
});

describe('the application form’s rules beyond its shape', () => {
  test('an application that meets them has nothing to say', () => {
    expect(applicationRuleProblems(facts({}))).toEqual({ input: [], conditions: [] });
  });

  test('the identity number is checked (GB 11643) unless the correction keeps the one on record', () => {
    const { input } = applicationRuleProblems(facts({ legalRepresentativeIdNumber: '320585197503121239' }));
    expect(input).toEqual([{ path: 'application.legalRepresentativeIdNumber', rule: expect.stringContaining('GB 11643') }]);
    expect(applicationRuleProblems(facts({ legalRepresentativeIdNumber: '320585********1232' }, { idNumberOnRecord: true })).input).toEqual([]);
  });

  test('a district not of the program is an input mistake naming the choices; the conditions follow, in plain words both ways', () => {
    const { input, conditions } = applicationRuleProblems(facts({ district: 'atlantis', independentLegalPerson: false, foundedOn: '2026-01-01' }));
    expect(input).toEqual([{ path: 'application.district', rule: '请从本项目的镇（区）中选择：沙溪镇、浮桥镇 (one of shaxi, fuqiao)' }]);
    expect(conditions.map((c) => c.path)).toEqual(['application.district', 'application.independentLegalPerson', 'application.foundedOn']);
    // the domain's "…。(english)" read in either language
    expect(inLanguage(conditions[1]!.rule, 'en')).toBe('Not declared an independent legal person');
    expect(inLanguage(conditions[2]!.rule, 'zh-CN')).toMatch(/^企业成立于2026年1月1日.*不满2年/);
  });

  test('values of the wrong type are read as missing, never thrown over', () => {
    const { input, conditions } = applicationRuleProblems(facts({ legalRepresentativeIdNumber: 42, district: null, independentLegalPerson: 'yes', foundedOn: ['x'] }));
    expect(input.map((p) => p.path)).toEqual(['application.legalRepresentativeIdNumber', 'application.district']);
    expect(conditions.map((p) => p.path)).toEqual(['application.district', 'application.independentLegalPerson', 'application.foundedOn']);
  });
});

describe('every problem of one submit at once', () => {
  const shape = [
    { path: 'application.postCode', rule: '应为6位数字 (must be 6 digits)' },
    { path: 'application.foundedOn', rule: '应为日期 YYYY-MM-DD (must be a date YYYY-MM-DD)' },
  ];
  const input = [
    { path: 'application.legalRepresentativeIdNumber', rule: '公民身份号码校验位不正确 (GB 11643 check character does not match)' },
    { path: 'application.foundedOn', rule: 'would repeat the shape' },
  ];
  const conditions = [
    { path: 'application.foundedOn', rule: '成立不满2年 (founded less than 2 years before)' },
    { path: 'application.declaresNoSeriousDishonesty', rule: '企业未声明 (not declared)' },
    { path: 'track', rule: '须持有贯标证书满1年方可申报 (needs a certificate)' },
  ];

  test('shape, the form’s rules and the conditions together, one problem a field, in the order of the form', () => {
    const refusal = applicationRefusal({ shape, input, conditions })!;
    expect(refusal.problems.map((p) => p.path)).toEqual([
      'track',
      'application.legalRepresentativeIdNumber',
      'application.foundedOn',
      'application.postCode',
      'application.declaresNoSeriousDishonesty',
    ]);
    expect(refusal.problems.find((p) => p.path === 'application.foundedOn')!.rule).toBe(shape[1]!.rule);
    expect(refusal.conditionsOnly).toBe(false);
    expect(inLanguage(applicationRefusalMessage(refusal), 'zh-CN')).toBe('申报表有 5 处需要修改，已在表中逐项标出');
    expect(inLanguage(applicationRefusalMessage(refusal), 'en')).toBe('The application has 5 problems, each marked in the form');
  });

  test('conditions alone are a refusal of eligibility (the form itself is right); nothing at all is no refusal', () => {
    const refusal = applicationRefusal({ shape: [], input: [], conditions })!;
    expect(refusal.conditionsOnly).toBe(true);
    expect(applicationRefusalMessage(refusal)).toMatch(/^不符合申报条件/);
    expect(applicationRefusal({ shape: [], input: [], conditions: [] })).toBeNull();
  });

  test('two conditions on one field are both kept (two records bar the enterprise for different reasons)', () => {
    const records = [
      { path: 'enterprise.creditRecords', rule: 'a' },
      { path: 'enterprise.creditRecords', rule: 'b' },
    ];
    expect(applicationRefusal({ shape: [], input: [], conditions: records })!.problems).toEqual(records);
  });
});
