import type { ApplicationForm } from '../../domain/case/model.ts';
import { usccCheckCharacter } from '../../domain/identity/uscc.ts';
import { DEMO_ENTERPRISE_USCC } from '../../infra/db/seed.ts';

/** A valid USCC for a made-up enterprise number (1..9999). */
export function uscc(n: number): string {
  const first17 = `91320585MA1T${String(n).padStart(5, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

export function application(overrides: Partial<ApplicationForm> = {}): ApplicationForm {
  return {
    enterpriseName: '太仓示例精密机械有限公司',
    uscc: DEMO_ENTERPRISE_USCC,
    legalRepresentative: '王建国',
    foundedOn: '2015-03-01',
    district: 'shaxi',
    contactPhone: '0512-53001234',
    reasons: '企业高度重视信用管理工作，希望通过贯标进一步提升信用管理水平。',
    ...overrides,
  };
}
