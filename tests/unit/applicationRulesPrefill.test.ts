import { describe, expect, test } from '@jest/globals';
import { prefilledApplication, type EarlierApplication, type RegisterEntry } from '../../domain/application/prefill.ts';
import type { ApplicationForm } from '../../domain/case/model.ts';

const USCC = '91320585MA1T000011';
const REGISTER: RegisterEntry = {
  name: '太仓示例精密机械有限公司',
  district: 'shaxi',
  legalRepresentative: '王建国',
  legalRepresentativeIdMasked: '320585********1232',
  foundedOn: '2010-05-01',
  registeredCapital: 500,
  industry: '通用设备制造业',
  registeredAddress: '太仓市沙溪镇示例路1号',
  businessAddress: '太仓市沙溪镇示例路2号',
  postCode: '215421',
  contactPhone: '0512-53210000',
  fax: '',
  mainBusiness: '机械零部件',
};
const APPLIED: ApplicationForm = {
  enterpriseName: '太仓示例精密机械有限公司（旧名）',
  uscc: USCC,
  legalRepresentative: '王建国',
  legalRepresentativeIdNumber: '320585********1232',
  foundedOn: '2010-05-01',
  registeredCapital: 300,
  industry: '通用设备制造业',
  district: 'shaxi',
  registeredAddress: '旧地址',
  businessAddress: '旧地址',
  postCode: '215421',
  contactPhone: '0512-53210000',
  fax: '0512-53210001',
  mainBusiness: '机械零部件',
  reasons: '去年申请贯标的理由，写得很充分。',
  independentLegalPerson: true,
  declaresNoSeriousDishonesty: true,
  creditReportFileId: '6f1c2a8e-0000-4000-8000-000000000001',
};
const lastYear: EarlierApplication = { track: 'standard', submittedAt: new Date('2025-05-10T02:00:00Z'), application: APPLIED };

describe('an application prefilled from what the system knows', () => {
  test('nothing known: the credit code alone', () => {
    expect(prefilledApplication(USCC, 'standard', null, [])).toEqual({ form: { uscc: USCC }, fromRegister: false, fromApplication: null, idNumberOnRecord: null });
  });

  test('the register first (the latest declaration), the earlier application for the rest and for the same track’s reasons', () => {
    const prefill = prefilledApplication(USCC, 'standard', REGISTER, [lastYear]);
    expect(prefill.form).toMatchObject({ uscc: USCC, enterpriseName: REGISTER.name, registeredCapital: 500, businessAddress: '太仓市沙溪镇示例路2号', fax: '0512-53210001', independentLegalPerson: true, reasons: APPLIED.reasons });
    expect(prefill.fromRegister).toBe(true);
    expect(prefill.fromApplication).toEqual({ track: 'standard', submittedAt: lastYear.submittedAt });
    expect(prefill.idNumberOnRecord).toBe('320585********1232');
  });

  test('what must be said anew each time stays empty: the identity number, the declaration, the credit report', () => {
    const { form } = prefilledApplication(USCC, 'standard', REGISTER, [lastYear]);
    expect(form).not.toHaveProperty('legalRepresentativeIdNumber');
    expect(form).not.toHaveProperty('declaresNoSeriousDishonesty');
    expect(form).not.toHaveProperty('creditReportFileId');
  });

  test('another track’s reasons are not this one’s; the latest application is the one read', () => {
    const demo: EarlierApplication = { track: 'municipal-demo', submittedAt: new Date('2026-03-01T02:00:00Z'), application: { ...APPLIED, enterpriseName: '新名字', reasons: '申请示范的理由。' } };
    const prefill = prefilledApplication(USCC, 'provincial-demo', null, [lastYear, demo]);
    expect(prefill.form.enterpriseName).toBe('新名字');
    expect(prefill.form).not.toHaveProperty('reasons');
    expect(prefill.fromApplication).toEqual({ track: 'municipal-demo', submittedAt: demo.submittedAt });
    expect(prefilledApplication(USCC, 'standard', null, [lastYear, demo]).form.reasons).toBe(APPLIED.reasons);
  });
});
