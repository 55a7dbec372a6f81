import type { SelfComplianceItem } from '../program/types.ts';

/**
 * The fields of the self-compliance checklist (自主贯标实施步骤) and what each must hold: a training's
 * date has passed, its attendance is a number of people, a name or a text is there. The program
 * names the fields and labels them; the kind of each field is the rule here, by its name, so a
 * program of any year (stored as data) is checked the same way.
 */

export type ChecklistFieldKind =
  /** a line of text: a name, a department */
  | 'line'
  /** a few lines: members, duties, a topic */
  | 'text'
  /** a date that has come: when something was done */
  | 'pastDate'
  /** a number of people or things: a whole number above 0 */
  | 'count';

export interface ChecklistFieldSpec {
  kind: ChecklistFieldKind;
  /** the field in English, for the English half of a rule and the English page */
  english: string;
}

/** The fields of the Taicang checklist (attachment: 自主贯标实施步骤 ①–④). */
export const CHECKLIST_FIELDS: Readonly<Record<string, ChecklistFieldSpec>> = {
  leader: { kind: 'line', english: 'group leader (the head of the enterprise)' },
  members: { kind: 'text', english: 'group members (heads of the departments concerned)' },
  dedicatedStaff: { kind: 'line', english: 'dedicated staff (at least one)' },
  department: { kind: 'line', english: 'credit-management department' },
  duties: { kind: 'text', english: 'duties of the posts' },
  trainedOn: { kind: 'pastDate', english: 'training date' },
  attendees: { kind: 'count', english: 'number of attendees' },
  topic: { kind: 'text', english: 'training content' },
};

/** A field the table does not know is read by its name: …On is a date, …Count a number; else text. */
export function checklistFieldSpec(name: string): ChecklistFieldSpec {
  const known = CHECKLIST_FIELDS[name];
  if (known) return known;
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase().trim();
  if (/On$/.test(name)) return { kind: 'pastDate', english: words.replace(/ on$/, ' date') };
  if (/Count$/.test(name)) return { kind: 'count', english: words.replace(/ count$/, ' (number)') };
  return { kind: 'text', english: words };
}

/**
 * An item's fields in the order the form asks for them: the table's order for the fields it knows
 * (a program stored as JSONB does not keep its objects' key order), the rest after, as given.
 */
export function checklistFieldsInOrder(fields: Readonly<Record<string, string>>): Array<[name: string, label: string]> {
  const known = Object.keys(CHECKLIST_FIELDS);
  const place = (name: string) => (known.includes(name) ? known.indexOf(name) : known.length);
  return Object.entries(fields)
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => place(a.entry[0]) - place(b.entry[0]) || a.i - b.i)
    .map(({ entry }) => entry);
}

/** The longest a line or a text may be (the request's own bound is 2000). */
export const CHECKLIST_LIMITS = { line: 100, text: 1000, count: 100_000 } as const;

export interface ChecklistProblem {
  /** fields.<name>, or fileIds for the item's document */
  path: string;
  /** "中文 (english)", the field named as the form names it */
  rule: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const parts = ISO_DATE.exec(value);
  if (!parts) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** What one field's value breaks, if anything ('' when it holds). */
function fieldProblem(spec: ChecklistFieldSpec, label: string, value: string, today: string): string {
  const en = spec.english;
  if (!value) return `请填写${label} (required: ${en})`;
  switch (spec.kind) {
    case 'count': {
      if (!/^\d+$/.test(value) || Number(value) < 1) return `${label}应为正整数，如 25 (${en}: a whole number above 0, such as 25)`;
      if (Number(value) > CHECKLIST_LIMITS.count) return `${label}不能超过 ${CHECKLIST_LIMITS.count} (${en}: at most ${CHECKLIST_LIMITS.count})`;
      return '';
    }
    case 'pastDate':
      if (!isCalendarDate(value)) return `${label}应为日期，如 2026-06-20 (${en}: a date such as 2026-06-20)`;
      // ISO dates of equal width compare in calendar order
      if (value > today) return `${label}不能晚于今天（${today}） (${en}: not after today, ${today})`;
      return '';
    case 'line':
    case 'text': {
      const max = CHECKLIST_LIMITS[spec.kind];
      if (spec.kind === 'line' && /[\r\n]/.test(value)) return `${label}请写在一行内 (${en}: one line)`;
      return value.length > max ? `${label}最多 ${max} 个字 (${en}: at most ${max} characters)` : '';
    }
  }
}

/**
 * Everything a checklist item's completion still lacks or gets wrong, each field named as the
 * form names it, in the form's order; [] when it may be done. `today` is the program's local date.
 */
export function checklistProblems(item: Pick<SelfComplianceItem, 'title' | 'fields' | 'upload'>, values: Readonly<Record<string, string | undefined>>, documents: number, today: string): ChecklistProblem[] {
  const problems: ChecklistProblem[] = [];
  for (const [name, label] of checklistFieldsInOrder(item.fields)) {
    const rule = fieldProblem(checklistFieldSpec(name), label, (values[name] ?? '').trim(), today);
    if (rule) problems.push({ path: `fields.${name}`, rule });
  }
  if (item.upload && documents < 1) problems.push({ path: 'fileIds', rule: `请上传${item.title}的文件 (attach the document of this item)` });
  return problems;
}
