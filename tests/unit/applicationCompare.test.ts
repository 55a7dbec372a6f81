import { describe, expect, test } from '@jest/globals';
import { APPLICATION_FIELDS, compareApplications } from '../../domain/application/compare.ts';
import type { ApplicationForm } from '../../domain/case/model.ts';

const FIRST: ApplicationForm = {
  enterpriseName: '太仓示例精密机械有限公司',
  uscc: '91320585MA1T000011',
  legalRepresentative: '王建国',
  legalRepresentativeIdNumber: '320585********1232',
  legalRepresentativeIdRef: 'ref-1',
  foundedOn: '2010-05-01',
  registeredCapital: 500,
  industry: '通用设备制造业',
  district: 'shaxi',
  registeredAddress: '太仓市沙溪镇示例路1号',
  businessAddress: '太仓市沙溪镇示例路1号',
  postCode: '215421',
  contactPhone: '0512-53210000',
  fax: '',
  mainBusiness: '机械零部件',
  reasons: '提升企业信用管理水平，防范经营风险。',
  independentLegalPerson: true,
  declaresNoSeriousDishonesty: true,
  creditReportFileId: '6f1c2a8e-0000-4000-8000-000000000001',
};

describe('what a correction changed', () => {
  test('the same form: nothing changed, every field and file unchanged', () => {
    expect(compareApplications(FIRST, { ...FIRST })).toEqual({
      changed: [],
      unchanged: APPLICATION_FIELDS.length,
      files: [{ field: 'creditReportFileId', changed: false, before: FIRST.creditReportFileId, after: FIRST.creditReportFileId }],
    });
  });

  test('the changed fields in the form’s order, each with its value before and after', () => {
    const second = { ...FIRST, reasons: '完善信用管理制度。', mainBusiness: '精密轴承、齿轮等机械零部件', registeredCapital: 800, declaresNoSeriousDishonesty: false };
    const comparison = compareApplications(FIRST, second);
    expect(comparison.changed).toEqual([
      { field: 'registeredCapital', before: 500, after: 800 },
      { field: 'mainBusiness', before: '机械零部件', after: '精密轴承、齿轮等机械零部件' },
      { field: 'reasons', before: FIRST.reasons, after: '完善信用管理制度。' },
      { field: 'declaresNoSeriousDishonesty', before: true, after: false },
    ]);
    expect(comparison.unchanged).toBe(APPLICATION_FIELDS.length - 4);
  });

  test('a new credit report is a changed file', () => {
    const second = { ...FIRST, creditReportFileId: '6f1c2a8e-0000-4000-8000-000000000002' };
    expect(compareApplications(FIRST, second).files).toEqual([{ field: 'creditReportFileId', changed: true, before: FIRST.creditReportFileId, after: second.creditReportFileId }]);
    expect(compareApplications(FIRST, second).changed).toEqual([]);
  });

  test('the identity number: a new register ref is a new number even where both masks read the same; the same ref is the same number', () => {
    expect(compareApplications(FIRST, { ...FIRST, legalRepresentativeIdRef: 'ref-2' }).changed).toEqual([
      { field: 'legalRepresentativeIdNumber', before: FIRST.legalRepresentativeIdNumber, after: FIRST.legalRepresentativeIdNumber },
    ]);
    expect(compareApplications(FIRST, { ...FIRST }).changed).toEqual([]);
    // forms without refs (never received through the register) compare by what they show
    const { legalRepresentativeIdRef: _ref, ...unsealed } = FIRST;
    expect(compareApplications(unsealed, { ...unsealed, legalRepresentativeIdNumber: '110101********0018' }).changed.map((c) => c.field)).toEqual(['legalRepresentativeIdNumber']);
  });

  test('an empty field and a missing one are the same (fax left blank)', () => {
    const { fax: _fax, ...withoutFax } = FIRST;
    expect(compareApplications(FIRST, withoutFax as ApplicationForm).changed).toEqual([]);
  });
});
