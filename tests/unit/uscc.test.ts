import { describe, expect, test } from '@jest/globals';
import { usccCheckCharacter, usccProblem } from '../../domain/identity/uscc.ts';

describe('unified social credit code (GB 32100)', () => {
  test.each([
    '91350100M000100Y43', // the example printed in GB 32100-2015
    '91110000600037341L',
    '91320585MA1TC0001A',
  ])('accepts %s', (code) => {
    expect(usccProblem(code)).toBeNull();
  });

  test('computes the check character over the first 17 characters', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  test('a changed character breaks the check', () => {
    expect(usccProblem('91350100M000100Y44')).toBe('check_character');
    expect(usccProblem('91350100M000101Y43')).toBe('check_character');
  });

  test('names the rule that fails', () => {
    expect(usccProblem('91350100M000100Y4')).toBe('length');
    expect(usccProblem('91350100M000100I43')).toBe('alphabet'); // I is not in the alphabet
    expect(usccProblem('91350100m000100y43')).toBe('alphabet'); // lower case is not either
  });
});
