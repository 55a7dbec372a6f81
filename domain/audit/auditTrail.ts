import { maskResidentId } from '../identity/residentId.ts';

/**
 * The audit trail an admin searches: who read which identity number (the reveal log), who decided
 * what on a case (its events), and who changed users, programs and registers (the admin's own log).
 */
export const AUDIT_KINDS = ['reveal', 'decision', 'user', 'program', 'register'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** What an admin did, recorded as it happened; the kind is the part before the dot. */
export const ADMIN_ACTIONS = [
  'user.invited',
  'user.updated',
  'user.deactivated',
  'user.activated',
  'user.link_sent',
  'user.password_set',
  'program.cloned',
  'program.calendar',
  'program.quotas',
  'register.agency_created',
  'register.agency_updated',
  'register.certificates_imported',
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export function kindOfAction(action: AdminAction): Exclude<AuditKind, 'reveal' | 'decision'> {
  return action.slice(0, action.indexOf('.')) as Exclude<AuditKind, 'reveal' | 'decision'>;
}

// 17 digits and a digit or X, standing alone: the shape of a resident identity number, valid or mistyped
const IDENTITY_NUMBER_SHAPE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

/**
 * Free text as the audit log may show it: anything shaped like an identity number masked
 * (320585********1234), whether its check character is right or not. A comment an officer typed may
 * hold one; the log never shows it whole.
 */
export function maskIdentityNumbers(text: string): string {
  return text.replace(IDENTITY_NUMBER_SHAPE, (number) => maskResidentId(number));
}
