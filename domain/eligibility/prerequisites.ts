/**
 * The prerequisite of a demonstration track (work plan 二(二)1, 二(三)1): the enterprise must hold the
 * certificate of the track below it — 贯标 for the Suzhou demonstration, the Suzhou demonstration for
 * the Jiangsu one — for at least N years on the day it applies. Pure: the certificates come from the
 * register, the names of the tracks from the program.
 */
import type { Prerequisite, TrackId } from '../program/types.ts';
import { addYears } from './eligibility.ts';

export interface HeldCertificate {
  /** the track whose certificate it is (a TrackId; the register stores it as text) */
  track: string;
  number: string;
  /** ISO local date */
  issuedOn: string;
  revoked: boolean;
}

export interface PrerequisiteFacts {
  /** ISO local date of the application */
  applicationDate: string;
  certificates: HeldCertificate[];
}

export interface PrerequisiteFailure {
  rule: 'prerequisite_certificate';
  /** the field of the application the failure is about: the track applied for */
  path: 'track';
  message: string;
  /** the first day the enterprise may apply (ISO date), or null when it holds no such certificate */
  eligibleFrom: string | null;
}

/** The Chinese name of each track (the program's track names), for the rule as officials word it. */
export type TrackNames = Partial<Record<TrackId, string>>;

const EN_CERTIFICATES: Record<TrackId, string> = {
  standard: 'standard-compliance (贯标) certificate',
  'municipal-demo': 'Suzhou demonstration certificate',
  'provincial-demo': 'Jiangsu demonstration certificate',
};

const CHINESE_NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 一年 / 两年 … as the work plan writes it (通过……验收一年以上); larger counts in digits. */
function years(n: number): string {
  if (n === 2) return '两年';
  return `${CHINESE_NUMERALS[n] ?? String(n)}年`;
}

/** 2026年7月1日 */
function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/**
 * null when the enterprise meets the prerequisite on the application date; else the failure, with the
 * day from which it may apply when it holds the certificate but not yet long enough. Revoked
 * certificates do not count. "N years or more" is met on the anniversary itself.
 */
export function checkPrerequisite(facts: PrerequisiteFacts, prerequisite: Prerequisite, trackNames: TrackNames): PrerequisiteFailure | null {
  if (!Number.isInteger(prerequisite.minYears) || prerequisite.minYears < 0) throw new RangeError(`prerequisite minYears must be a whole number: ${prerequisite.minYears}`);
  // addYears refuses what is not an ISO date: a bad record is a bug to see, not a silent refusal
  addYears(facts.applicationDate, 0);
  const needed = trackNames[prerequisite.certificate] ?? prerequisite.certificate;
  const rule = `须通过${needed}验收${years(prerequisite.minYears)}以上`;
  const enRule = `requires a ${EN_CERTIFICATES[prerequisite.certificate]} held at least ${prerequisite.minYears} year${prerequisite.minYears === 1 ? '' : 's'}`;

  const held = facts.certificates
    .filter((c) => c.track === prerequisite.certificate && !c.revoked)
    .map((c) => ({ ...c, countsFrom: addYears(c.issuedOn, prerequisite.minYears) }))
    // ISO dates of equal width compare in calendar order: the oldest certificate counts first
    .sort((a, b) => a.countsFrom.localeCompare(b.countsFrom));
  const first = held[0];
  if (!first) {
    const revoked = facts.certificates.filter((c) => c.track === prerequisite.certificate && c.revoked);
    const note = revoked.length ? `（证书${revoked.map((c) => c.number).join('、')}已撤销）` : '';
    return {
      rule: 'prerequisite_certificate',
      path: 'track',
      message: `系统中没有该企业有效的${needed}证书${note}；${rule}方可申报。证书在本系统启用前颁发的，请联系系统管理员导入。(${enRule}; none is on record)`,
      eligibleFrom: null,
    };
  }
  if (facts.applicationDate >= first.countsFrom) return null;
  return {
    rule: 'prerequisite_certificate',
    path: 'track',
    message: `企业的${needed}证书（${first.number}）于${chineseDate(first.issuedOn)}颁发，至申报日${chineseDate(facts.applicationDate)}不满${years(prerequisite.minYears)}；${rule}，${chineseDate(first.countsFrom)}起方可申报。(${enRule}; may apply from ${first.countsFrom})`,
    eligibleFrom: first.countsFrom,
  };
}
