/**
 * Keyset paging of the inbox: a page starts after (or ends before) the row a cursor names, in the
 * inbox's order — due date, undated last, then task id — so a page costs the same wherever it is,
 * and rows that come and go between pages neither repeat nor vanish.
 */

/** Where a page starts or ends: the due date (null: undated) and id of a row. */
export interface InboxCursor {
  dueAt: string | null;
  id: string;
}

const UNDATED = '-';
const TASK_ID = /^[A-Za-z0-9_.:-]{1,300}$/;

/** The cursor as the address carries it: `<due date or ->~<task id>`. */
export function encodeCursor({ dueAt, id }: InboxCursor): string {
  return `${dueAt ?? UNDATED}~${id}`;
}

/** The cursor an address carried, or null when it is not one the inbox makes. */
export function decodeCursor(text: string): InboxCursor | null {
  const [due, id, ...rest] = text.split('~');
  if (rest.length || !due || !id || !TASK_ID.test(id)) return null;
  if (due === UNDATED) return { dueAt: null, id };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(due) || Number.isNaN(Date.parse(due))) return null;
  return { dueAt: new Date(due).toISOString(), id };
}
