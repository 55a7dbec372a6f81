/**
 * People are on record as "陈静（沙溪镇经发中心）" or "Zhou Tao (City Commission)": their name with
 * their office or company in brackets, as the offices write them. Where a page or a mail names the
 * office beside the person already, the bracket would say it twice.
 */
const OFFICE_IN_BRACKETS = /^(.+?)\s*(?:（([^（）]+)）|\(([^()]+)\))$/u;

/** The person's own name, without the office or company in brackets after it. */
export function personalName(name: string): string {
  return OFFICE_IN_BRACKETS.exec(name.trim())?.[1] ?? name.trim();
}

/** The office or company named in brackets after the person (太仓示例精密机械有限公司), or null. */
export function officeInName(name: string): string | null {
  const match = OFFICE_IN_BRACKETS.exec(name.trim());
  return match ? (match[2] ?? match[3] ?? null) : null;
}

/** The person with their office: as on record when it names it already, else the office added in brackets. */
export function nameWithOffice(name: string, office: string, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const trimmed = name.trim();
  if (!trimmed) return office;
  if (OFFICE_IN_BRACKETS.test(trimmed) || !office) return trimmed;
  return locale === 'en' ? `${trimmed} (${office})` : `${trimmed}（${office}）`;
}
