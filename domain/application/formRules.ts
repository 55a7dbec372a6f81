import { checkEligibility, type CreditRecord, type EligibilityRules } from '../eligibility/eligibility.ts';
import { RESIDENT_ID_RULE_MESSAGES, residentIdProblem } from '../identity/residentId.ts';
import { APPLICATION_FIELDS, APPLICATION_FILES } from './compare.ts';

/**
 * The rules of the application form (attachment 2) beyond the shape of each field, and how every
 * problem of one submit is told at once: what was typed wrong, what the form's rules refuse, and
 * which application conditions (申报条件) the enterprise does not meet, each next to its field.
 */

export interface FieldProblem {
  /** the field as the request names it: application.foundedOn, track */
  path: string;
  /** "中文 (english)", naming the rule the way the form does */
  rule: string;
}

/** What was typed, as it came: a field may be missing, empty or of the wrong type. */
export type TypedApplication = Partial<Record<string, unknown>>;

export interface ApplicationRuleFacts {
  application: TypedApplication;
  /** the local date of the submit (the program's time zone) */
  today: string;
  /** a correction that hands back the number as shown (masked) keeps the one on record: not checked again */
  idNumberOnRecord: boolean;
  districts: readonly { code: string; name: string }[];
  eligibility: EligibilityRules;
  /** what the officers recorded about the enterprise */
  creditRecords: readonly CreditRecord[];
}

/** The problems of one submit by kind: a mistake in the form, or a condition the enterprise does not meet. */
export interface ApplicationRuleProblems {
  input: FieldProblem[];
  conditions: FieldProblem[];
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * The domain's messages end "。(english)"; the reader's language is chosen by the bracket after a
 * space, as every other message is written.
 */
const spaced = (message: string) => message.replace(/(\S)\(([^()]*)\)$/, '$1 ($2)');

/** A condition the enterprise does not meet (eligibility, a track's prerequisite), as a problem of its field. */
export const conditionProblem = (failure: { path: string; message: string }): FieldProblem => ({ path: failure.path, rule: spaced(failure.message) });

/** The form's own rules (identity number, district) and the application conditions, on what was typed. */
export function applicationRuleProblems(facts: ApplicationRuleFacts): ApplicationRuleProblems {
  const { application: typed, today } = facts;
  const input: FieldProblem[] = [];
  if (!facts.idNumberOnRecord) {
    const problem = residentIdProblem(text(typed.legalRepresentativeIdNumber), today);
    if (problem) input.push({ path: 'application.legalRepresentativeIdNumber', rule: RESIDENT_ID_RULE_MESSAGES[problem] });
  }
  const district = text(typed.district);
  if (!facts.districts.some((d) => d.code === district)) {
    const names = facts.districts.map((d) => d.name).join('、');
    input.push({ path: 'application.district', rule: `请从本项目的镇（区）中选择：${names} (one of ${facts.districts.map((d) => d.code).join(', ')})` });
  }
  const failures = checkEligibility(
    {
      applicationDate: today,
      district,
      programDistricts: [...facts.districts],
      independentLegalPerson: typed.independentLegalPerson === true,
      foundedOn: text(typed.foundedOn),
      declaresNoSeriousDishonesty: typed.declaresNoSeriousDishonesty === true,
      creditRecords: [...facts.creditRecords],
    },
    facts.eligibility,
  );
  return { input, conditions: failures.map(conditionProblem) };
}

/** Where a field stands in the form (the tracks first, then attachment 2 top to bottom); others after. */
const FORM_ORDER: readonly string[] = ['track', ...[...APPLICATION_FIELDS, ...APPLICATION_FILES].map((name) => `application.${name}`)];
const placeOf = (path: string) => {
  const index = FORM_ORDER.findIndex((field) => path === field || path.startsWith(`${field}.`));
  return index === -1 ? FORM_ORDER.length : index;
};

export interface ApplicationRefusal {
  problems: FieldProblem[];
  /** nothing is wrong with the form: the enterprise does not meet a condition (a 422, not a 400) */
  conditionsOnly: boolean;
}

/**
 * Every problem of one submit, in the order of the form. A field said to be of the wrong shape is
 * not also judged by the rules (its value means nothing yet), nor is a field the form's rules
 * refuse judged by the conditions; null when there is nothing to say.
 */
export function applicationRefusal(tiers: { shape: readonly FieldProblem[]; input: readonly FieldProblem[]; conditions: readonly FieldProblem[] }): ApplicationRefusal | null {
  const claimed = new Set<string>();
  const kept: FieldProblem[] = [];
  for (const tier of [tiers.shape, tiers.input, tiers.conditions]) {
    const fresh = tier.filter((p) => !claimed.has(p.path) && !kept.some((k) => k.path === p.path && k.rule === p.rule));
    kept.push(...fresh);
    for (const p of fresh) claimed.add(p.path);
  }
  if (!kept.length) return null;
  const problems = kept.map((p, i) => ({ p, i })).sort((a, b) => placeOf(a.p.path) - placeOf(b.p.path) || a.i - b.i).map(({ p }) => p);
  const conditionsOnly = !tiers.shape.length && !tiers.input.length;
  return { problems, conditionsOnly };
}

/** The refusal's headline, in both languages: what kind of problem, and how many. */
export function applicationRefusalMessage(refusal: ApplicationRefusal): string {
  const { problems } = refusal;
  if (refusal.conditionsOnly) return '不符合申报条件，见下列各项 (not eligible: see each condition below)';
  return `申报表有 ${problems.length} 处需要修改，已在表中逐项标出 (the application has ${problems.length} problem${problems.length === 1 ? '' : 's'}, each marked in the form)`;
}
