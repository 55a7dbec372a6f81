import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { CHARACTER_RULES, characterProblem } from '../../domain/text/characters.ts';
import { USCC_RULE_MESSAGES, usccProblem } from '../../domain/identity/uscc.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { AppError } from '../errors.ts';

/**
 * The certificate import file (certificates issued before the system existed): a header row, then
 * one certificate per row. Each row is checked on its own, so the admin gets a report of which rows
 * were taken and why the others were not; only a file that cannot be read as CSV at all is refused whole.
 */

const COLUMNS = ['uscc', 'track', 'number', 'issuedOn'] as const;
type Column = (typeof COLUMNS)[number];

/** Header words, English (any case) or as the offices' spreadsheets have them. */
const HEADER_WORDS: Record<string, Column> = {
  uscc: 'uscc',
  track: 'track',
  number: 'number',
  issuedon: 'issuedOn',
  统一社会信用代码: 'uscc',
  类别: 'track',
  证书编号: 'number',
  发证日期: 'issuedOn',
};

const COLUMN_LABELS: Record<Column, string> = { uscc: '统一社会信用代码', track: '类别', number: '证书编号', issuedOn: '发证日期' };

const TRACK_WORDS: Record<string, TrackId> = {
  standard: 'standard',
  'municipal-demo': 'municipal-demo',
  'provincial-demo': 'provincial-demo',
  贯标: 'standard',
  市级示范: 'municipal-demo',
  苏州市级示范: 'municipal-demo',
  省级示范: 'provincial-demo',
  江苏省级示范: 'provincial-demo',
};

const MAX_ROWS = 10_000;
const MAX_NUMBER_LENGTH = 100;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface CertificateRow {
  line: number;
  uscc: string;
  track: TrackId;
  number: string;
  issuedOn: string;
}

export interface RefusedRow {
  line: number;
  reasons: string[];
}

const HEADER_RULE = '第一行应为表头 uscc,track,number,issuedOn 或 统一社会信用代码,类别,证书编号,发证日期 (the first line must be the header)';
const fileError = (message: string) => new AppError('bad_request', message, [{ path: 'csv', rule: message }]);

function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Which column each header cell names; the columns may come in any order. */
function columnOrder(header: string[]): Column[] {
  const order = header.map((cell) => HEADER_WORDS[cell.toLowerCase()] ?? HEADER_WORDS[cell]);
  const complete = order.length === COLUMNS.length && COLUMNS.every((c) => order.includes(c));
  if (!complete) throw fileError(`${HEADER_RULE}；实为 “${header.join(',').slice(0, 200)}”`);
  return order as Column[];
}

/** What is wrong with one row, in words the admin can fix the file with; [] when nothing. */
function rowProblems(cells: Record<Column, string>, count: number, today: string): string[] {
  const reasons: string[] = [];
  if (count !== COLUMNS.length) reasons.push(`应有${COLUMNS.length}列，实有${count}列 (expected ${COLUMNS.length} columns, found ${count})`);
  for (const column of COLUMNS) {
    const problem = characterProblem(cells[column], { multiline: false });
    if (problem) reasons.push(`${COLUMN_LABELS[column]}${CHARACTER_RULES[problem]}`);
  }
  const uscc = usccProblem(cells.uscc);
  if (uscc) reasons.push(USCC_RULE_MESSAGES[uscc]);
  if (!TRACK_WORDS[cells.track]) reasons.push(`类别“${cells.track.slice(0, 40)}”无法识别，应为 贯标、市级示范、省级示范 之一 (unknown track; use standard, municipal-demo or provincial-demo)`);
  if (cells.number === '') reasons.push('证书编号必填 (the certificate number is required)');
  else if (cells.number.length > MAX_NUMBER_LENGTH) reasons.push(`证书编号最多 ${MAX_NUMBER_LENGTH} 个字符 (at most ${MAX_NUMBER_LENGTH} characters)`);
  if (!isCalendarDate(cells.issuedOn)) reasons.push(`发证日期“${cells.issuedOn.slice(0, 40)}”应为 YYYY-MM-DD 格式的日期 (issuedOn must be a date YYYY-MM-DD)`);
  else if (cells.issuedOn > today) reasons.push(`发证日期${cells.issuedOn}晚于今天 (issuedOn is in the future)`);
  return reasons;
}

/** Rows sharing a number are all refused: which of them is right is for the admin to say. */
function refuseDuplicates(rows: { line: number; number: string; reasons: string[] }[]): void {
  const lines = new Map<string, number[]>();
  for (const row of rows) if (row.number !== '') lines.set(row.number, [...(lines.get(row.number) ?? []), row.line]);
  for (const row of rows) {
    const others = (lines.get(row.number) ?? []).filter((l) => l !== row.line);
    if (others.length) row.reasons.push(`证书编号与第${others.join('、')}行重复 (the same certificate number is on line ${others.join(', ')} of this file)`);
  }
}

/**
 * Reads the file: the rows that pass every check on their own, and the refused ones with their
 * reasons. Whether a number is already on record is the caller's to check (it needs the register).
 * `today` is the local date (Asia/Shanghai) issue dates may not be after.
 */
export function readCertificateCsv(text: string, today: string): { rows: CertificateRow[]; refused: RefusedRow[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // with info, each record comes with the parser's counters (its types do not say so)
    // one kind of line break: csv-parse counts CR and LF of a CRLF inside a quoted cell as two lines
    records = parse(text.replace(/\r\n?/g, '\n'), { bom: true, info: true, trim: true, relax_column_count: true, skip_empty_lines: true, to: MAX_ROWS + 2 }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : null;
      throw fileError(`CSV 文件${line ? `第${line}行` : ''}无法解析，请检查引号 (the CSV could not be read${line ? ` at line ${line}` : ''}: ${error.code})`);
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw fileError('CSV 文件是空的 (the file is empty)');
  const order = columnOrder(header.record);
  // a row of empty cells is what spreadsheets leave at the end: not a certificate
  const data = body.filter((r) => r.record.some((cell) => cell !== ''));
  if (data.length === 0) throw fileError('CSV 文件只有表头，没有证书 (the file has no rows after the header)');
  if (data.length > MAX_ROWS) throw fileError(`一次最多导入 ${MAX_ROWS} 行 (at most ${MAX_ROWS} rows per import)`);

  const checked = data.map(({ record, info }) => {
    const cells = Object.fromEntries(COLUMNS.map((c) => [c, record[order.indexOf(c)] ?? ''])) as Record<Column, string>;
    cells.uscc = cells.uscc.toUpperCase();
    // csv-parse counts the line a record ends on; a quoted cell may span lines, the admin looks for where it starts
    const breaks = record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    return { line: info.lines - breaks, cells, number: cells.number, reasons: rowProblems(cells, record.length, today) };
  });
  refuseDuplicates(checked);
  return {
    rows: checked.filter((r) => r.reasons.length === 0).map((r) => ({ line: r.line, uscc: r.cells.uscc, track: TRACK_WORDS[r.cells.track]!, number: r.cells.number, issuedOn: r.cells.issuedOn })),
    refused: checked.filter((r) => r.reasons.length > 0).map((r) => ({ line: r.line, reasons: r.reasons })),
  };
}
