import { describe, expect, test } from '@jest/globals';
import { DEFAULT_FILTER, dueState, dueWindow, filterQuery, isNarrowed, savedPart, weekOf, type InboxFilter } from '../../domain/inbox/inboxFilter.ts';
import { inboxFilterSchema } from '../../features/tasks/inboxSchemas.ts';
import { parseInput, type AppError } from '../../features/errors.ts';

const TZ = 'Asia/Shanghai';
/** A local (Beijing) wall time as an instant. */
const local = (text: string) => new Date(`${text}+08:00`);

describe('days left, in local calendar days', () => {
  // Wednesday 2026-06-10, 10:00 in Taicang
  const now = local('2026-06-10T10:00:00');

  test('due tonight is due today; tomorrow evening is due tomorrow; next week counts its days', () => {
    expect(dueState(local('2026-06-10T23:59:59'), now, TZ)).toEqual({ kind: 'due', days: 0 });
    expect(dueState(local('2026-06-11T23:59:59'), now, TZ)).toEqual({ kind: 'due', days: 1 });
    expect(dueState(local('2026-06-17T00:30:00'), now, TZ)).toEqual({ kind: 'due', days: 7 });
  });

  test('past due earlier today is overdue today; yesterday evening is one day overdue', () => {
    expect(dueState(local('2026-06-10T09:00:00'), now, TZ)).toEqual({ kind: 'overdue', days: 0 });
    expect(dueState(local('2026-06-09T23:59:59'), now, TZ)).toEqual({ kind: 'overdue', days: 1 });
    expect(dueState(local('2026-06-01T17:00:00'), now, TZ)).toEqual({ kind: 'overdue', days: 9 });
  });

  test('the local date counts, not UTC: 07:00 in Beijing is still the previous day in UTC', () => {
    const early = local('2026-06-10T07:00:00');
    expect(dueState(local('2026-06-10T23:59:59'), early, TZ)).toEqual({ kind: 'due', days: 0 });
  });

  test('a date to be announced has no days', () => {
    expect(dueState(null, now, TZ)).toEqual({ kind: 'undated' });
  });
});

describe('this week and the due filters', () => {
  test('a week runs from Monday 00:00 to the next Monday 00:00, local, whatever the day', () => {
    const monday = local('2026-06-08T00:00:00');
    const nextMonday = local('2026-06-15T00:00:00');
    for (const day of ['2026-06-08T00:00:00', '2026-06-10T10:00:00', '2026-06-14T23:59:59']) expect(weekOf(local(day), TZ)).toEqual({ start: monday, end: nextMonday });
    // Monday 07:00 in Beijing is Sunday in UTC: still the new week
    expect(weekOf(local('2026-06-15T07:00:00'), TZ).start).toEqual(nextMonday);
  });

  test('overdue: due before now; this week: not yet due and due before Monday', () => {
    const now = local('2026-06-10T10:00:00');
    expect(dueWindow('overdue', now, TZ)).toEqual({ from: null, before: now });
    expect(dueWindow('week', now, TZ)).toEqual({ from: now, before: local('2026-06-15T00:00:00') });
  });
});

describe('a filter has one address', () => {
  const filter: InboxFilter = { ...DEFAULT_FILTER, q: '太仓 精密', stage: 'district_review', track: 'standard', due: 'overdue' };

  test('only what differs from the defaults, in a fixed order', () => {
    expect(filterQuery(DEFAULT_FILTER)).toBe('');
    expect(filterQuery(filter)).toBe('track=standard&stage=district_review&due=overdue&q=%E5%A4%AA%E4%BB%93+%E7%B2%BE%E5%AF%86');
    expect(filterQuery(filter, { due: undefined, sort: '-due', page: 3 })).toBe('track=standard&stage=district_review&q=%E5%A4%AA%E4%BB%93+%E7%B2%BE%E5%AF%86&sort=-due&page=3');
  });

  test('read back through the query schema, the address gives the same filter', () => {
    const query = Object.fromEntries(new URLSearchParams(filterQuery({ ...filter, page: 2, sort: '-due' })));
    expect(parseInput(inboxFilterSchema, query)).toEqual({ ...filter, page: 2, sort: '-due' });
  });

  test('narrowed or not; a saved filter keeps no page', () => {
    expect(isNarrowed(DEFAULT_FILTER)).toBe(false);
    expect(isNarrowed({ ...DEFAULT_FILTER, sort: '-due', page: 4 })).toBe(false);
    expect(isNarrowed({ ...DEFAULT_FILTER, q: '91320585' })).toBe(true);
    expect(savedPart({ ...filter, page: 5 }).page).toBe(1);
  });
});

describe('the query schema', () => {
  const parse = (query: Record<string, unknown>) => parseInput(inboxFilterSchema, query);
  const refusal = (query: Record<string, unknown>) => {
    try {
      parse(query);
    } catch (error) {
      return (error as AppError).fields;
    }
    throw new Error('accepted');
  };

  test('empty fields of a GET form are no filter; the defaults fill in', () => {
    expect(parse({ track: '', stage: '', district: '', due: '', q: '  ', sort: '', page: '' })).toEqual(DEFAULT_FILTER);
  });

  test('a bad value is refused naming its parameter, in both languages', () => {
    expect(refusal({ track: 'gold' })).toEqual([{ path: 'track', rule: '应为 standard、municipal-demo、provincial-demo 之一 (must be one of standard, municipal-demo, provincial-demo)' }]);
    expect(refusal({ due: 'tomorrow' })[0]!.path).toBe('due');
    expect(refusal({ stage: 'nowhere' })[0]!.path).toBe('stage');
    expect(refusal({ district: 'Sha Xi' })[0]!.path).toBe('district');
    expect(refusal({ page: '0' })[0]).toEqual({ path: 'page', rule: '页码应为 1 到 10000 的整数 (must be a whole number from 1 to 10000)' });
    expect(refusal({ page: 'two' })[0]!.path).toBe('page');
    expect(refusal({ q: 'x'.repeat(101) })[0]!.path).toBe('q');
    expect(refusal({ sort: ['due', '-due'] })[0]!.path).toBe('sort');
  });
});
