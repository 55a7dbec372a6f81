/** The parties of the process (DOMAIN.md), as roles a user holds. */
export const ROLES = [
  'enterprise',
  'consultant',
  'district_officer',
  'city_officer',
  'prefecture_officer',
  'province_officer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** What a user's authority is limited to: one district, one credit service agency, one enterprise, or everything. */
export type ScopeKind = 'district' | 'agency' | 'enterprise' | 'city' | 'none';

export const ROLE_SCOPE: Record<Role, ScopeKind> = {
  enterprise: 'enterprise',
  consultant: 'agency',
  district_officer: 'district',
  city_officer: 'city',
  prefecture_officer: 'city',
  province_officer: 'city',
  admin: 'none',
};

/** The credit offices, from district to province, who review and record. */
export const CREDIT_OFFICE_ROLES: ReadonlySet<Role> = new Set(['district_officer', 'city_officer', 'prefecture_officer', 'province_officer']);
/** The offices and the operator: they see cases, files and registers beyond their own enterprise. */
export const OFFICE_ROLES: ReadonlySet<Role> = new Set([...CREDIT_OFFICE_ROLES, 'admin']);

export const ROLE_LABELS: Record<Role, string> = {
  enterprise: '企业',
  consultant: '信用服务机构顾问',
  district_officer: '镇（区）经发中心',
  city_officer: '市经信委融资与担保科',
  prefecture_officer: '苏州市信用办',
  province_officer: '江苏省信用办',
  admin: '系统管理员',
};

/** The person acting on a case, as the workflow sees them: enough to check authority deterministically. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  /** district code, agency id or USCC, depending on the role's scope kind; null for city-wide roles and admin */
  scopeId: string | null;
}
