import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { decodeCursor, encodeCursor } from '../../domain/inbox/cursor.ts';

describe('inbox cursors', () => {
  test('a cursor reads back as the row it was made from, dated or not', () => {
    const taskId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,80}$/);
    const due = fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), { nil: null });
    fc.assert(fc.property(due, taskId, (dueAt, id) => expect(decodeCursor(encodeCursor({ dueAt, id }))).toEqual({ dueAt, id })));
  });

  test.each(['', '~', 'x~y', '2026-13-40T00:00:00Z~a', '-~', '-~a~b', '-~a b', '2026-11-27~a', '-~a\u0000'])('%j is not a cursor', (text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});
