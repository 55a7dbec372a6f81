import { describe, expect, test } from '@jest/globals';
import {
  RESIDENT_ID_RULE_MESSAGES,
  maskResidentId,
  residentIdCheckCharacter,
  residentIdProblem,
} from '../../domain/identity/residentId.ts';

const TODAY = '2026-06-01';

describe('resident identity number (GB 11643)', () => {
  test.each([
    '11010519491231002X', // the example printed in GB 11643-1999
    '320585199003071231',
    '44030620000229451X', // born on a leap day
    '320585201801010070',
    '510108197910100018',
  ])('accepts %s', (id) => {
    expect(residentIdProblem(id, TODAY)).toBeNull();
  });

  test('computes the check character with the GB 11643 weights, 10 becoming X', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(residentIdCheckCharacter('32058519900307123')).toBe('1');
    expect(residentIdCheckCharacter('51010819791010001')).toBe('8');
  });

  test('accepts a lower-case x as the check character', () => {
    expect(residentIdProblem('11010519491231002x', TODAY)).toBeNull();
  });

  test('a changed character breaks the check', () => {
    expect(residentIdProblem('110105194912310021', TODAY)).toBe('check_character');
    expect(residentIdProblem('320585199003071232', TODAY)).toBe('check_character');
    expect(residentIdProblem('320585199003071331', TODAY)).toBe('check_character'); // sequence changed
  });

  test('refuses the wrong length, including the old 15-digit form', () => {
    expect(residentIdProblem('32058519900307123', TODAY)).toBe('length');
    expect(residentIdProblem('3205851990030712311', TODAY)).toBe('length');
    expect(residentIdProblem('320585900307123', TODAY)).toBe('length');
    expect(residentIdProblem('', TODAY)).toBe('length');
  });

  test('refuses letters anywhere but the check character', () => {
    expect(residentIdProblem('X10105194912310021', TODAY)).toBe('format');
    expect(residentIdProblem('32058519900307123Y', TODAY)).toBe('format');
    expect(residentIdProblem('３２0585199003071231', TODAY)).toBe('format'); // full-width digits
  });

  test('refuses a birth date that is not on the calendar', () => {
    // check characters made valid so only the date can be at fault
    const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
    expect(residentIdProblem(withCheck('32058519900230123'), TODAY)).toBe('birth_date'); // Feb 30
    expect(residentIdProblem(withCheck('32058519010229123'), TODAY)).toBe('birth_date'); // 1901 is not a leap year
    expect(residentIdProblem(withCheck('32058519001301123'), TODAY)).toBe('birth_date'); // month 13
    expect(residentIdProblem(withCheck('32058519900100123'), TODAY)).toBe('birth_date'); // day 0
  });

  test('refuses a birth date in the future but not today', () => {
    const withCheck = (first17: string) => first17 + residentIdCheckCharacter(first17);
    expect(residentIdProblem(withCheck('32058520260602123'), TODAY)).toBe('birth_date');
    expect(residentIdProblem(withCheck('32058520260601123'), TODAY)).toBeNull();
  });

  test('refuses a malformed "today" rather than guess', () => {
    expect(() => residentIdProblem('11010519491231002X', '2026-6-1')).toThrow(RangeError);
  });

  test('every problem has a message, Chinese first', () => {
    for (const message of Object.values(RESIDENT_ID_RULE_MESSAGES)) expect(message).toMatch(/^公民身份号码.*\(.+\)$/);
  });

  test('masks all but the first 6 and the last 4 characters', () => {
    expect(maskResidentId('320585199003071231')).toBe('320585********1231');
    expect(maskResidentId('11010519491231002x')).toBe('110105********002X');
    expect(maskResidentId('320585199003071231')).not.toContain('19900307');
  });

  test('masks a short value entirely rather than show it whole', () => {
    expect(maskResidentId('1234567890')).toBe('**********');
    expect(maskResidentId('')).toBe('');
  });
});
