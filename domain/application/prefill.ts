import type { ApplicationForm } from '../case/model.ts';

/**
 * A new application starts from what the system already knows of the enterprise: its entry in the
 * enterprise register (what it declared last) and its earlier applications. What must be said anew
 * each time is left empty: the identity number (typed in full, never shown), the declaration of no
 * serious dishonesty, and the credit report of the last three years.
 */

/** The register entry's fields a form takes (infra's EnterpriseRecord, without the number's ref). */
export interface RegisterEntry {
  name: string;
  district: string;
  legalRepresentative: string;
  /** 320585********1234 */
  legalRepresentativeIdMasked: string;
  foundedOn: string;
  registeredCapital: number;
  industry: string;
  registeredAddress: string;
  businessAddress: string;
  postCode: string;
  contactPhone: string;
  fax: string;
  mainBusiness: string;
}

/** An application the enterprise handed in before (its latest version), with the identity number masked. */
export interface EarlierApplication {
  track: string;
  submittedAt: Date;
  application: ApplicationForm;
}

/** The form's values as the page fills them in, and where they came from. */
export interface Prefill {
  form: Partial<Record<keyof ApplicationForm, string | number | boolean>>;
  fromRegister: boolean;
  /** the latest earlier application the form took anything from */
  fromApplication: { track: string; submittedAt: Date } | null;
  /** the number on record, masked: the page says it must be typed again in full */
  idNumberOnRecord: string | null;
}

/** What describes the enterprise, not this application: carried from an earlier one. */
const ENTERPRISE_FIELDS = [
  'enterpriseName',
  'legalRepresentative',
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
  'independentLegalPerson',
] as const satisfies readonly (keyof ApplicationForm)[];

const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The application form of `track` prefilled for the enterprise `uscc`: the register first (it holds
 * the latest declaration, corrections included), then the latest earlier application for what the
 * register does not hold; the reasons only from an earlier application of the same track.
 */
export function prefilledApplication(uscc: string, track: string, register: RegisterEntry | null, earlier: readonly EarlierApplication[]): Prefill {
  const latest = [...earlier].sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
  const previous = latest[0] ?? null;
  const sameTrack = latest.find((e) => e.track === track) ?? null;
  const fromRegister: Prefill['form'] = register
    ? {
        enterpriseName: register.name,
        legalRepresentative: register.legalRepresentative,
        foundedOn: register.foundedOn,
        registeredCapital: register.registeredCapital,
        industry: register.industry,
        district: register.district,
        registeredAddress: register.registeredAddress,
        businessAddress: register.businessAddress,
        postCode: register.postCode,
        contactPhone: register.contactPhone,
        fax: register.fax,
        mainBusiness: register.mainBusiness,
      }
    : {};
  const form: Prefill['form'] = { uscc };
  let tookFromApplication = false;
  for (const name of ENTERPRISE_FIELDS) {
    const registered = fromRegister[name];
    const applied = previous?.application[name];
    if (present(registered)) form[name] = registered!;
    else if (present(applied)) {
      form[name] = applied!;
      tookFromApplication = true;
    }
  }
  if (sameTrack && present(sameTrack.application.reasons)) form.reasons = sameTrack.application.reasons;
  const reasonsFrom = form.reasons !== undefined ? sameTrack : null;
  const source = reasonsFrom ?? (tookFromApplication ? previous : null);
  return {
    form,
    fromRegister: register !== null,
    fromApplication: source && { track: source.track, submittedAt: source.submittedAt },
    idNumberOnRecord: register?.legalRepresentativeIdMasked || previous?.application.legalRepresentativeIdNumber || null,
  };
}
