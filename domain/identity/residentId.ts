/**
 * Resident identity number (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit birth
 * date, 3-digit sequence, and a check character over the first 17 (ISO 7064 MOD 11-2).
 * First-generation 15-digit numbers expired in 2013, so only the 18-character form is accepted.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type ResidentIdProblem = 'length' | 'format' | 'birth_date' | 'check_character';

/** People type the check character as a lower-case x; everything downstream sees X. */
export function normaliseResidentId(id: string): string {
  return id.toUpperCase();
}

export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('the check character is computed over 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * WEIGHTS[i]!;
  return CHECK_CHARACTERS.charAt(sum % 11);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Returns what is wrong with the number, or null when it is well formed.
 * `today` is the ISO local date of the check; the caller supplies it so the rule stays pure.
 */
export function residentIdProblem(id: string, today: string): ResidentIdProblem | null {
  const todayParts = ISO_DATE.exec(today);
  if (!todayParts || !isCalendarDate(Number(todayParts[1]), Number(todayParts[2]), Number(todayParts[3]))) {
    throw new RangeError(`not an ISO date: ${today}`);
  }
  const normalised = normaliseResidentId(id);
  if (normalised.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(normalised)) return 'format';
  const year = Number(normalised.slice(6, 10));
  const month = Number(normalised.slice(10, 12));
  const day = Number(normalised.slice(12, 14));
  if (!isCalendarDate(year, month, day)) return 'birth_date';
  // YYYY-MM-DD strings of equal width compare in calendar order
  const birth = `${normalised.slice(6, 10)}-${normalised.slice(10, 12)}-${normalised.slice(12, 14)}`;
  if (birth > today) return 'birth_date';
  return residentIdCheckCharacter(normalised.slice(0, 17)) === normalised.charAt(17) ? null : 'check_character';
}

export const RESIDENT_ID_RULE_MESSAGES: Record<ResidentIdProblem, string> = {
  length: '公民身份号码应为18位 (must be 18 characters)',
  format: '公民身份号码前17位应为数字，最后一位为数字或X (17 digits followed by a digit or X)',
  birth_date: '公民身份号码第7至14位应为真实的出生日期，且不晚于今天 (characters 7–14 must be a real birth date, not in the future)',
  check_character: '公民身份号码校验位不正确 (GB 11643 check character does not match)',
};

/**
 * 320585********1234: keeps the address code and the last four, which is enough to tell
 * people apart on a list without exposing birth date and sequence.
 */
export function maskResidentId(id: string): string {
  const normalised = normaliseResidentId(id);
  // too short to keep 6 + 4 and still hide something: hide it all rather than show it whole
  if (normalised.length <= 10) return '*'.repeat(normalised.length);
  return normalised.slice(0, 6) + '*'.repeat(normalised.length - 10) + normalised.slice(-4);
}
