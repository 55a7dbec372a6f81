/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
 * 31-symbol alphabet (digits and capitals without I, O, Z, S, V); the last one is a
 * check character over the first 17 (weights 3^i mod 31).
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccProblem = 'length' | 'alphabet' | 'check_character';

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`not a USCC character: ${first17.charAt(i)}`);
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** Returns what is wrong with the code, or null when it is a well-formed USCC. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!ALPHABET.includes(ch)) return 'alphabet';
  return usccCheckCharacter(code.slice(0, 17)) === code.charAt(17) ? null : 'check_character';
}

export const USCC_RULE_MESSAGES: Record<UsccProblem, string> = {
  length: '统一社会信用代码应为18位 (must be 18 characters)',
  alphabet: '统一社会信用代码只能包含数字和除 I、O、Z、S、V 外的大写字母 (digits and capitals except I, O, Z, S, V)',
  check_character: '统一社会信用代码校验位不正确 (GB 32100 check character does not match)',
};
