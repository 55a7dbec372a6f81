import type { Locale } from './labels.ts';

const CHINESE = /[\u3400-\u9fff]/;

/**
 * Messages and rules are written "中文 (english)": Chinese for the people at the offices, English in
 * brackets for API clients and English readers. This splits such a text; null when it is not one
 * (no trailing bracket, or no Chinese before it).
 */
export function splitBilingual(text: string): { chinese: string; english: string } | null {
  if (!text.endsWith(')')) return null;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) {
      const chinese = text.slice(0, i).trimEnd();
      const english = text.slice(i + 1, -1).trim();
      return text[i - 1] === ' ' && CHINESE.test(chinese) && english ? { chinese, english } : null;
    }
  }
  return null;
}

/** A "中文 (english)" text in the reader's language; any other text as it is. */
export function inLanguage(text: string, locale: Locale): string {
  const split = splitBilingual(text);
  if (!split) return text;
  return locale === 'en' ? split.english.charAt(0).toUpperCase() + split.english.slice(1) : split.chinese;
}
