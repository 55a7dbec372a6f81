import { STAGE_LABELS, STATUS_LABELS, type CaseStatus } from '../case/model.ts';
import type { Actor, Role } from '../identity/roles.ts';
import { localDate } from '../program/calendar.ts';
import { findDistrict } from '../program/program.ts';
import type { ProgramDefinition, TrackId } from '../program/types.ts';
import { chineseDate } from './documents.ts';

/**
 * 汇总表: the list of a track's cases a district sends to the city (镇（区）汇总后报经信委), and the
 * one the city sends on to Suzhou (市经信委统一验收汇总后报苏州市信用办).
 */

/** A district's list is kept under its district code; the whole city's under this word. */
export const CITY_SCOPE = 'city';

/** The scope a list is kept and named under: a district code, or the city. */
export const summaryListScope = (district: string | null): string => district ?? CITY_SCOPE;

/** The list a person has when they name none: a district office its district's, everyone else the city's. */
export const ownSummaryListDistrict = (actor: Pick<Actor, 'role' | 'scopeId'>): string | null => (actor.role === 'district_officer' ? actor.scopeId : null);

/** The offices that print lists: a district its own, the city and higher offices any. */
const LIST_ROLES: ReadonlySet<Role> = new Set(['district_officer', 'city_officer', 'prefecture_officer', 'province_officer']);

/**
 * May this person have the list of this scope (district code, or null for the city)? 'forbidden'
 * for roles that print no lists; 'not_found' for another district's officer, who does not learn
 * whether the list exists.
 */
export function summaryListAccess(actor: Pick<Actor, 'role' | 'scopeId'>, district: string | null): 'allowed' | 'forbidden' | 'not_found' {
  if (!LIST_ROLES.has(actor.role)) return 'forbidden';
  if (actor.role === 'district_officer' && (district === null || district !== actor.scopeId)) return 'not_found';
  return 'allowed';
}

/** 2018年度太仓市信用管理贯标企业汇总表; a track whose name already says 企业 is not told so twice. */
export function summaryListTitle(program: Pick<ProgramDefinition, 'year' | 'city'>, trackName: string): string {
  return `${program.year}年度${program.city}${trackName}${trackName.includes('企业') ? '' : '企业'}汇总表`;
}

/** What the list says of a case. */
export interface SummaryCase {
  enterpriseName: string;
  enterpriseUscc: string;
  district: string;
  stage: string;
  status: string;
  submittedAt: Date;
}

export interface SummaryRow {
  number: number;
  districtName: string;
  enterpriseName: string;
  uscc: string;
  stageLabel: string;
  statusLabel: string;
  /** 2018年6月5日: the application date, local to the program */
  appliedOn: string;
}

/**
 * The rows in the order offices read them: by district as the work plan lists them (attachment 1),
 * then by application date; ties by credit code, so the same cases always give the same list.
 * A district the program does not know (a renamed one) comes last, under its code.
 */
export function summaryRows(program: Pick<ProgramDefinition, 'districts' | 'timeZone'>, cases: SummaryCase[]): SummaryRow[] {
  const order = new Map(program.districts.map((d, i) => [d.code, i]));
  const names = new Map(program.districts.map((d) => [d.code, d.name]));
  const rank = (code: string) => order.get(code) ?? program.districts.length;
  const sorted = [...cases].sort(
    (a, b) =>
      rank(a.district) - rank(b.district) ||
      a.district.localeCompare(b.district) ||
      a.submittedAt.getTime() - b.submittedAt.getTime() ||
      a.enterpriseUscc.localeCompare(b.enterpriseUscc),
  );
  return sorted.map((c, i) => ({
    number: i + 1,
    districtName: names.get(c.district) ?? c.district,
    enterpriseName: c.enterpriseName,
    uscc: c.enterpriseUscc,
    stageLabel: STAGE_LABELS[c.stage] ?? c.stage,
    statusLabel: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
    appliedOn: chineseDate(localDate(c.submittedAt, program.timeZone)),
  }));
}

/** The list's heading and rows, for one track and one scope (district code, or null for the city). */
export function summaryList(program: ProgramDefinition, track: TrackId, district: string | null, cases: SummaryCase[]) {
  const trackName = program.tracks[track]?.name ?? track;
  const districtName = district === null ? null : (findDistrict(program, district)?.name ?? district);
  return {
    title: summaryListTitle(program, trackName),
    // the city's list is the whole city's: no district under the title
    scopeLabel: districtName ? `（${districtName}）` : '',
    trackName,
    rows: summaryRows(program, district === null ? cases : cases.filter((c) => c.district === district)),
  };
}
