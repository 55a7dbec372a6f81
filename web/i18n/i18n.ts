import i18next, { type TFunction } from 'i18next';
import { readFileSync, readdirSync } from 'node:fs';
import type { Locale } from '../../domain/i18n/labels.ts';

/** The languages of the pages: Chinese first (the default and the fallback), English complete. */
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
/** The language a browser asked for (anonymous visitors; signed-in users start from their preference). */
export const LOCALE_COOKIE = 'credcase_lang';

/** One language's catalogue: a file per area of the pages (locales/zh-CN/inbox.json holds the keys inbox.*). */
function catalogue(locale: Locale): Record<string, unknown> {
  const folder = new URL(`./locales/${locale}/`, import.meta.url);
  const areas = readdirSync(folder).filter((name) => name.endsWith('.json'));
  return Object.fromEntries(areas.map((name) => [name.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as unknown]));
}

/** The message catalogues (web/i18n/locales/<locale>/<area>.json), read once. */
export const CATALOGUES: Record<Locale, Record<string, unknown>> = { 'zh-CN': catalogue('zh-CN'), en: catalogue('en') };

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  resources: Object.fromEntries(LOCALES.map((locale) => [locale, { translation: CATALOGUES[locale] }])),
  // handlebars escapes what the helper returns
  interpolation: { escapeValue: false },
  returnNull: false,
});

const translators = new Map<Locale, TFunction>(LOCALES.map((locale) => [locale, i18n.getFixedT(locale)]));

/** The locale a value names, or the default. */
export function localeOf(value: unknown): Locale {
  return LOCALES.includes(value as Locale) ? (value as Locale) : DEFAULT_LOCALE;
}

/** Whether the catalogue has this message. */
export function hasMessage(key: string): boolean {
  return i18n.exists(key);
}

/** A message of the catalogue in the reader's language, with its values filled in. */
export function translate(locale: Locale, key: string, values: Record<string, unknown> = {}): string {
  return translators.get(locale)!(key, values) as string;
}
