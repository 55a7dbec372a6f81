import { describe, expect, test } from '@jest/globals';
import { checkPrerequisite, type HeldCertificate } from '../../domain/eligibility/prerequisites.ts';
import { TAICANG_2018 } from '../../domain/program/taicang2018.ts';
import type { TrackId } from '../../domain/program/types.ts';

const NAMES = Object.fromEntries(Object.values(TAICANG_2018.tracks).map((t) => [t.id, t.name])) as Record<TrackId, string>;
const MUNICIPAL = TAICANG_2018.tracks['municipal-demo']!.demonstration!.prerequisite;
const PROVINCIAL = TAICANG_2018.tracks['provincial-demo']!.demonstration!.prerequisite;

function certificate(overrides: Partial<HeldCertificate> = {}): HeldCertificate {
  return { track: 'standard', number: '苏信贯标〔2025〕第018号', issuedOn: '2025-07-01', revoked: false, ...overrides };
}

const check = (applicationDate: string, certificates: HeldCertificate[], prerequisite = MUNICIPAL) => checkPrerequisite({ applicationDate, certificates }, prerequisite, NAMES);

describe('demonstration prerequisites (示范创建申报条件)', () => {
  test('the Taicang 2018 prerequisites: 贯标 for municipal, municipal for provincial, one year each', () => {
    expect(MUNICIPAL).toEqual({ certificate: 'standard', minYears: 1 });
    expect(PROVINCIAL).toEqual({ certificate: 'municipal-demo', minYears: 1 });
  });

  test('a 贯标 certificate held one year on the application date meets it; the anniversary itself counts', () => {
    expect(check('2026-07-01', [certificate()])).toBeNull();
    expect(check('2027-03-01', [certificate()])).toBeNull();
  });

  test('held, but not a year yet: the rule and the day from which it may apply', () => {
    const failure = check('2026-06-30', [certificate()]);
    expect(failure).toEqual({ rule: 'prerequisite_certificate', path: 'track', message: expect.any(String), eligibleFrom: '2026-07-01' });
    expect(failure!.message).toContain('须通过信用管理贯标验收一年以上');
    expect(failure!.message).toContain('2026年7月1日起方可申报');
    expect(failure!.message).toContain('苏信贯标〔2025〕第018号');
    expect(failure!.message).toMatch(/\(.*may apply from 2026-07-01\)$/);
  });

  test('of several certificates the oldest counts', () => {
    const failure = check('2026-03-01', [certificate({ number: 'B', issuedOn: '2025-09-01' }), certificate({ number: 'A', issuedOn: '2025-05-01' })]);
    expect(failure!.eligibleFrom).toBe('2026-05-01');
    expect(failure!.message).toContain('（A）');
    expect(check('2026-05-01', [certificate({ number: 'B', issuedOn: '2025-09-01' }), certificate({ number: 'A', issuedOn: '2025-05-01' })])).toBeNull();
  });

  test('none held: says so, and there is no date to give', () => {
    const failure = check('2026-07-01', []);
    expect(failure).toMatchObject({ rule: 'prerequisite_certificate', path: 'track', eligibleFrom: null });
    expect(failure!.message).toContain('没有该企业有效的信用管理贯标证书');
    expect(failure!.message).toContain('须通过信用管理贯标验收一年以上');
    expect(failure!.message).toMatch(/\(.*none is on record\)$/);
  });

  test('a certificate of another track does not count', () => {
    expect(check('2027-07-01', [certificate({ track: 'provincial-demo' })])!.eligibleFrom).toBeNull();
  });

  test('a revoked certificate does not count, and the message names it', () => {
    const failure = check('2027-07-01', [certificate({ revoked: true })]);
    expect(failure!.eligibleFrom).toBeNull();
    expect(failure!.message).toContain('苏信贯标〔2025〕第018号');
    expect(failure!.message).toContain('已撤销');
    // a valid one beside the revoked one still counts
    expect(check('2027-07-01', [certificate({ revoked: true }), certificate({ number: 'B', issuedOn: '2026-01-01' })])).toBeNull();
  });

  test('provincial: a Suzhou demonstration certificate one year old; a 贯标 certificate is not enough', () => {
    const municipal = certificate({ track: 'municipal-demo', number: '苏州市信用管理示范企业〔2025〕第1号', issuedOn: '2025-12-20' });
    expect(check('2026-12-20', [municipal], PROVINCIAL)).toBeNull();
    const early = check('2026-12-19', [municipal, certificate({ issuedOn: '2020-01-01' })], PROVINCIAL);
    expect(early!.eligibleFrom).toBe('2026-12-20');
    expect(early!.message).toContain('须通过苏州市级信用管理示范企业创建验收一年以上');
    expect(check('2030-01-01', [certificate({ issuedOn: '2020-01-01' })], PROVINCIAL)!.eligibleFrom).toBeNull();
  });

  test('Feb 29 anniversaries fall on Feb 28 in common years; longer periods read as the plan writes them', () => {
    expect(check('2025-02-28', [certificate({ issuedOn: '2024-02-29' })])).toBeNull();
    const two = checkPrerequisite({ applicationDate: '2026-01-01', certificates: [certificate()] }, { certificate: 'standard', minYears: 2 }, NAMES);
    expect(two!.message).toContain('验收两年以上');
    expect(two!.eligibleFrom).toBe('2027-07-01');
  });

  test('refuses what is not a date or a whole number of years', () => {
    expect(() => check('2026/07/01', [certificate()])).toThrow(RangeError);
    expect(() => check('2026-07-01', [certificate({ issuedOn: '2025-02-30' })])).toThrow(RangeError);
    expect(() => checkPrerequisite({ applicationDate: '2026-07-01', certificates: [] }, { certificate: 'standard', minYears: 0.5 }, NAMES)).toThrow(RangeError);
  });
});
