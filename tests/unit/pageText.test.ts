import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const VIEWS = new URL('../../web/views/', import.meta.url).pathname;
function viewFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? viewFiles(join(dir, entry.name)) : entry.name.endsWith('.hbs') ? [join(dir, entry.name)] : []));
}

/** A language's name is written in that language, whatever the page's language (the choice of 中文 / English). */
const LANGUAGE_NAMES = /^(中文|English|\s)*$/;

/**
 * Chinese written into a page's markup rather than asked of the catalogue: what an English reader
 * would see untranslated. Preformatted samples of a file's format (<pre>) are data, not text.
 */
function literalChinese(source: string): string[] {
  const markup = source
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '')
    .replace(/\{\{\{?[\s\S]*?\}?\}\}/g, ' ')
    .replace(/<pre[\s\S]*?<\/pre>/g, '');
  return [...markup.matchAll(/[^\n<>]*\p{Script=Han}[^\n<>]*/gu)].map((m) => m[0].trim()).filter((text) => !LANGUAGE_NAMES.test(text));
}

describe('page text', () => {
  test('every word of every page comes from the message catalogues (no Chinese written into the markup)', () => {
    const found = viewFiles(VIEWS).flatMap((file) => literalChinese(readFileSync(file, 'utf8')).map((text) => `${file.slice(VIEWS.length)}: ${text}`));
    expect(found).toEqual([]);
  });

  test('the check finds Chinese in markup and ignores it inside expressions', () => {
    expect(literalChinese('<p>{{t "inbox.title"}}</p><p>{{say "办理 (do)"}}</p>')).toEqual([]);
    expect(literalChinese('<p>我的待办</p>')).toEqual(['我的待办']);
    expect(literalChinese('<option value="zh-CN">中文</option><pre>统一社会信用代码,类别</pre>')).toEqual([]);
  });
});
