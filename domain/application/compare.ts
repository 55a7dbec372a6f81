import type { ApplicationForm } from '../case/model.ts';

/** The fields of attachment 2 a person fills in, in the order the form asks for them. */
export const APPLICATION_FIELDS = [
  'enterpriseName',
  'uscc',
  'legalRepresentative',
  'legalRepresentativeIdNumber',
  'foundedOn',
  'registeredCapital',
  'industry',
  'district',
  'registeredAddress',
  'businessAddress',
  'postCode',
  'contactPhone',
  'fax',
  'mainBusiness',
  'reasons',
  'independentLegalPerson',
  'declaresNoSeriousDishonesty',
] as const satisfies readonly (keyof ApplicationForm)[];
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];

/** The files the form carries (uploads). */
export const APPLICATION_FILES = ['creditReportFileId'] as const satisfies readonly (keyof ApplicationForm)[];
export type ApplicationFile = (typeof APPLICATION_FILES)[number];

export interface FieldChange {
  field: ApplicationField;
  before: ApplicationForm[ApplicationField];
  after: ApplicationForm[ApplicationField];
}

export interface FileComparison {
  field: ApplicationFile;
  changed: boolean;
  before: string | null;
  after: string | null;
}

export interface ApplicationComparison {
  /** the fields whose value differs, in the form's order */
  changed: FieldChange[];
  /** how many of the form's fields stayed as they were */
  unchanged: number;
  /** each file of the form, replaced or kept */
  files: FileComparison[];
}

/**
 * The identity number travels masked (320585********1234): two masks can be equal for different
 * numbers. Where both forms hold their register refs, a new ref is a new number (the register
 * keeps a number handed back unchanged under its old ref).
 */
function idNumberChanged(before: ApplicationForm, after: ApplicationForm): boolean {
  if (before.legalRepresentativeIdRef && after.legalRepresentativeIdRef) return before.legalRepresentativeIdRef !== after.legalRepresentativeIdRef;
  return before.legalRepresentativeIdNumber !== after.legalRepresentativeIdNumber;
}

/** What a correction changed against the version before it: the fields that differ, and the files replaced or kept. */
export function compareApplications(before: ApplicationForm, after: ApplicationForm): ApplicationComparison {
  const differs = (field: ApplicationField) => (field === 'legalRepresentativeIdNumber' ? idNumberChanged(before, after) : (before[field] ?? '') !== (after[field] ?? ''));
  const changed = APPLICATION_FIELDS.filter(differs).map((field) => ({ field, before: before[field], after: after[field] }));
  return {
    changed,
    unchanged: APPLICATION_FIELDS.length - changed.length,
    files: APPLICATION_FILES.map((field) => ({ field, changed: (before[field] || null) !== (after[field] || null), before: before[field] || null, after: after[field] || null })),
  };
}
