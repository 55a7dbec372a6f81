/**
 * The application conditions of the 贯标 track (work plan 二(一)1(1) and the commitment letter,
 * attachment 3) as pure rules. Each failure says, in words a person understands, which fact
 * breaks which rule, so an officer can quote it and an enterprise can act on it.
 */

/** Program data, not literals: each year's plan may change them. */
export interface EligibilityRules {
  /** 正常生产经营N年以上 */
  minOperatingYears: number;
  /** 近N年内无严重失信行为 */
  dishonestyLookbackYears: number;
  /** 弄虚作假的，N年内不再申报 (attachment 3) */
  falseCommitmentBarYears: number;
}

export const TAICANG_ELIGIBILITY: EligibilityRules = { minOperatingYears: 2, dishonestyLookbackYears: 3, falseCommitmentBarYears: 2 };

/**
 * serious_dishonesty = 严重失信行为; general_dishonesty = 一般失信行为 (caps the grade later, does not
 * bar application); false_commitment = a finding that the enterprise's commitment letter was false.
 */
export type CreditRecordKind = 'serious_dishonesty' | 'general_dishonesty' | 'false_commitment';

export interface CreditRecord {
  kind: CreditRecordKind;
  /** ISO date of the behaviour or, for false_commitment, of the finding */
  occurredOn: string;
  note?: string;
}

export interface EligibilityFacts {
  /** ISO local date of the application */
  applicationDate: string;
  /** district code the enterprise says it is registered in */
  district: string;
  programDistricts: { code: string; name: string }[];
  /** declared on the form */
  independentLegalPerson: boolean;
  /** ISO date */
  foundedOn: string;
  /** the enterprise's own declaration (经企业自主查询，近3年内无严重失信行为) */
  declaresNoSeriousDishonesty: boolean;
  /** recorded by officers */
  creditRecords: CreditRecord[];
}

export type EligibilityRule =
  | 'district'
  | 'legal_person'
  | 'operating_years'
  | 'dishonesty_declaration'
  | 'serious_dishonesty'
  | 'false_commitment_bar';

export interface EligibilityFailure {
  rule: EligibilityRule;
  /** the field the failure is about, for forms to attach it to */
  path: string;
  message: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parseIsoDate(isoDate: string): { year: number; month: number; day: number } | null {
  const parts = ISO_DATE.exec(isoDate);
  if (!parts) return null;
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function requireIsoDate(isoDate: string, what: string): { year: number; month: number; day: number } {
  const parsed = parseIsoDate(isoDate);
  if (!parsed) throw new RangeError(`${what} is not an ISO date: ${isoDate}`);
  return parsed;
}

/** Same month and day N years later (or earlier, for negative N); Feb 29 becomes Feb 28 in common years. */
export function addYears(isoDate: string, years: number): string {
  if (!Number.isInteger(years)) throw new RangeError(`years must be a whole number: ${years}`);
  const { year, month, day } = requireIsoDate(isoDate, 'date');
  const target = year + years;
  if (target < 0 || target > 9999) throw new RangeError(`year out of range: ${target}`);
  const safeDay = Math.min(day, daysInMonth(target, month));
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(safeDay).padStart(2, '0')}`;
}

/** 2026年6月1日: how the officials write dates. */
function chineseDate(isoDate: string): string {
  const { year, month, day } = requireIsoDate(isoDate, 'date');
  return `${year}年${month}月${day}日`;
}

// Whatever the enterprise typed is echoed back, but a runaway value must not swamp the message.
function quoted(value: string): string {
  const trimmed = value.trim();
  return trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
}

/**
 * The record of a kind whose bar lasts longest, and the day that bar is lifted (the first day
 * an application is allowed again). A record dated after the application still counts: the
 * check also runs during review, and a case must not pass because the finding came late.
 */
function latestBar(records: CreditRecord[], kind: CreditRecordKind, years: number, applicationDate: string): { record: CreditRecord; liftedOn: string } | null {
  let latest: { record: CreditRecord; liftedOn: string } | null = null;
  for (const record of records) {
    if (record.kind !== kind) continue;
    requireIsoDate(record.occurredOn, 'credit record date');
    const liftedOn = addYears(record.occurredOn, years);
    // ISO dates of equal width compare in calendar order
    if (applicationDate >= liftedOn) continue;
    if (!latest || liftedOn > latest.liftedOn) latest = { record, liftedOn };
  }
  return latest;
}

function checkRules(rules: EligibilityRules): void {
  for (const [name, value] of Object.entries(rules)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`eligibility rule ${name} must be a whole number of years: ${String(value)}`);
  }
}

/** Every condition the application fails, in the order the work plan lists them; [] when eligible. */
export function checkEligibility(facts: EligibilityFacts, rules: EligibilityRules): EligibilityFailure[] {
  checkRules(rules);
  requireIsoDate(facts.applicationDate, 'application date');
  const failures: EligibilityFailure[] = [];
  const applied = chineseDate(facts.applicationDate);

  // ① 在我市辖区内注册
  if (!facts.programDistricts.some((d) => d.code === facts.district)) {
    // The allowed districts are public (attachment 1); naming them tells the enterprise what to pick.
    const allowed = facts.programDistricts.map((d) => d.name).join('、');
    const given = quoted(facts.district);
    const stated = given === '' ? '申报表未填写注册所在镇（区）' : `申报表填写的注册所在镇（区）“${given}”不属于本项目的范围`;
    failures.push({
      rule: 'district',
      path: 'application.district',
      message: `${stated}；须在本项目的镇（区）之一注册：${allowed}。(not registered in one of the program's districts)`,
    });
  }

  // ① 具有独立法人资格
  if (!facts.independentLegalPerson) {
    failures.push({
      rule: 'legal_person',
      path: 'application.independentLegalPerson',
      message: '申报表未声明企业具有独立法人资格；只有具有独立法人资格的企业才能申报。(not declared an independent legal person)',
    });
  }

  // ① 正常生产经营N年以上: "N years or more" means founded on or before the application date minus N years
  const years = rules.minOperatingYears;
  if (!parseIsoDate(facts.foundedOn)) {
    failures.push({
      rule: 'operating_years',
      path: 'application.foundedOn',
      message: `成立日期“${quoted(facts.foundedOn)}”不是有效日期，无法判断是否已正常生产经营${years}年以上；请填写营业执照上的成立日期。(founding date is not a valid date)`,
    });
  } else {
    const latestFounding = addYears(facts.applicationDate, -years);
    if (facts.foundedOn > latestFounding) {
      failures.push({
        rule: 'operating_years',
        path: 'application.foundedOn',
        message: `企业成立于${chineseDate(facts.foundedOn)}，至申报日${applied}不满${years}年；须在${chineseDate(latestFounding)}或之前成立。(founded less than ${years} years before the application date)`,
      });
    }
  }

  // ② 经企业自主查询，近N年内无严重失信行为: the enterprise must say so itself
  const lookback = rules.dishonestyLookbackYears;
  if (!facts.declaresNoSeriousDishonesty) {
    failures.push({
      rule: 'dishonesty_declaration',
      path: 'application.declaresNoSeriousDishonesty',
      message: `企业未声明经自主查询近${lookback}年内无严重失信行为；申报须作出此声明。(the enterprise has not declared that it had no serious dishonesty in the last ${lookback} years)`,
    });
  }

  // ② and what the officers know regardless of the declaration. Record notes stay out of the
  // messages: they are the officers' words and the enterprise reads these. general_dishonesty
  // does not bar application; it caps the grade at acceptance.
  const serious = latestBar(facts.creditRecords, 'serious_dishonesty', lookback, facts.applicationDate);
  if (serious) {
    failures.push({
      rule: 'serious_dishonesty',
      path: 'enterprise.creditRecords',
      message: `企业于${chineseDate(serious.record.occurredOn)}有严重失信行为记录，距申报日${applied}不满${lookback}年；近${lookback}年内有严重失信行为的不得申报，${chineseDate(serious.liftedOn)}起方可申报。(serious dishonesty within the last ${lookback} years; may apply from ${serious.liftedOn})`,
    });
  }

  // Attachment 3: 如有弄虚作假……承诺N年内不再申报相关项目
  const barYears = rules.falseCommitmentBarYears;
  const bar = latestBar(facts.creditRecords, 'false_commitment', barYears, facts.applicationDate);
  if (bar) {
    failures.push({
      rule: 'false_commitment_bar',
      path: 'enterprise.creditRecords',
      message: `企业于${chineseDate(bar.record.occurredOn)}被认定信用承诺弄虚作假，按承诺${barYears}年内不得再申报相关项目；限制于${chineseDate(bar.liftedOn)}解除，届时方可再次申报。(barred for ${barYears} years after a false commitment; the bar ends on ${bar.liftedOn})`,
    });
  }

  return failures;
}
