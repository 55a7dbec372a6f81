import { describe, expect, test } from '@jest/globals';
import { characterProblem, firstHostileString } from '../../domain/text/characters.ts';

describe('characters no text field may hold', () => {
  test.each([
    ['NUL\u0000', 'control'],
    ['bell\u0007', 'control'],
    ['DEL\u007F', 'control'],
    ['C1\u0085', 'control'],
    ['右\u202E向', 'bidi_override'],
    ['isolate\u2066', 'bidi_override'],
    ['\uD800lone', 'unpaired_surrogate'],
  ])('%j is refused as %s', (text, problem) => {
    expect(characterProblem(text, { multiline: true })).toBe(problem);
  });

  test.each(['太仓示例精密机械有限公司', '😀🏢𠀀', 'zero\u200Bwidth', "'; DROP TABLE cases; --", '<b>markup</b>'])('%j is ordinary text', (text) => {
    expect(characterProblem(text, { multiline: false })).toBeNull();
  });

  test('line breaks and tabs only where the field is multi-line', () => {
    expect(characterProblem('第一行\n第二行\t', { multiline: true })).toBeNull();
    expect(characterProblem('第一行\n第二行', { multiline: false })).toBe('line_break');
    expect(characterProblem('a\u2028b', { multiline: false })).toBe('line_break');
  });

  test('the first hostile string of a body is found with its path, keys included', () => {
    expect(firstHostileString({ application: { name: 'ok', list: ['fine', 'bad\u0000'] } })).toEqual({ path: 'application.list.1', problem: 'control' });
    expect(firstHostileString({ 'key\u202E': 'value' })).toEqual({ path: 'key\u202E', problem: 'bidi_override' });
    expect(firstHostileString({ comment: '多行\n文字', n: 3, flag: true, nothing: null })).toBeNull();
  });
});
