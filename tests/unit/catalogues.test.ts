import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES, translate } from '../../web/i18n/i18n.ts';

/** Every key of a catalogue, dotted (nav.tasks), with its message. */
function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tree).flatMap(([key, value]) => (value && typeof value === 'object' ? Object.entries(flatten(value as Record<string, unknown>, `${prefix}${key}.`)) : [[`${prefix}${key}`, value]])));
}

const VIEWS = new URL('../../web/views/', import.meta.url).pathname;
function viewFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? viewFiles(join(dir, entry.name)) : entry.name.endsWith('.hbs') ? [join(dir, entry.name)] : []));
}

describe('the message catalogues', () => {
  const zh = flatten(CATALOGUES['zh-CN']);
  const en = flatten(CATALOGUES.en);

  test('English is complete: the same keys as Chinese, and no message empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, message] of [...Object.entries(zh), ...Object.entries(en)]) expect({ key, empty: typeof message !== 'string' || !message.trim() }).toEqual({ key, empty: false });
  });

  test('every message a page asks for is in the catalogues', () => {
    const used = viewFiles(VIEWS).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\{\{\{?t "([^"]+)"/g)].map((m) => ({ file: file.slice(VIEWS.length), key: m[1]! })));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter(({ key }) => !(key in zh))).toEqual([]);
  });

  test('a message in the reader’s language; an unknown language reads Chinese', () => {
    expect(translate('en', 'inbox.title')).toBe('My inbox');
    expect(translate('zh-CN', 'inbox.title')).toBe('我的待办');
  });
});
