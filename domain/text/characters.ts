/**
 * Characters a text field refuses. PostgreSQL cannot store NUL at all, and the other control
 * characters, bidirectional overrides and unpaired surrogates only ever arrive to garble or
 * disguise what an office reads (a name shown backwards, an invisible line break in a register).
 * Line breaks and tabs are allowed where the field is multi-line.
 */
export type CharacterProblem = 'control' | 'line_break' | 'bidi_override' | 'unpaired_surrogate';

export const CHARACTER_RULES: Record<CharacterProblem, string> = {
  control: '不能包含控制字符 (must not contain control characters)',
  line_break: '不能换行 (must be a single line)',
  bidi_override: '不能包含文字方向控制符 (must not contain bidirectional override characters)',
  unpaired_surrogate: '包含无效的字符编码 (contains an invalid character encoding)',
};

// C0 but tab, line feed and carriage return; DEL; C1 — matching control characters is the point here
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;

export function characterProblem(text: string, options: { multiline: boolean }): CharacterProblem | null {
  if (CONTROL.test(text)) return 'control';
  if (!options.multiline && LINE_BREAK.test(text)) return 'line_break';
  if (BIDI_OVERRIDE.test(text)) return 'bidi_override';
  if (!text.isWellFormed()) return 'unpaired_surrogate';
  return null;
}

/**
 * The first string anywhere in a parsed body (objects, arrays, keys too) that no field may hold,
 * with its path; multi-line text is allowed here, single-line fields check again in their schema.
 */
export function firstHostileString(value: unknown, path: string[] = [], depth = 0): { path: string; problem: CharacterProblem } | null {
  if (typeof value === 'string') {
    const problem = characterProblem(value, { multiline: true });
    return problem ? { path: path.join('.'), problem } : null;
  }
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const keyProblem = characterProblem(key, { multiline: false });
    if (keyProblem) return { path: [...path, key].join('.'), problem: keyProblem };
    const found = firstHostileString(inner, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}
