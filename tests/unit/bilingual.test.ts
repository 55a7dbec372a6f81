import { describe, expect, test } from '@jest/globals';
import { inLanguage, splitBilingual } from '../../domain/i18n/bilingual.ts';

describe('messages written "中文 (english)"', () => {
  test('each reader gets their half', () => {
    expect(inLanguage('电子邮箱或密码不正确 (e-mail or password is wrong)', 'zh-CN')).toBe('电子邮箱或密码不正确');
    expect(inLanguage('电子邮箱或密码不正确 (e-mail or password is wrong)', 'en')).toBe('E-mail or password is wrong');
  });

  test('brackets inside the English half, and full-width ones in the Chinese half, stay where they are', () => {
    expect(splitBilingual('所属镇（区）不在计划内 (must be one of (a, b))')).toEqual({ chinese: '所属镇（区）不在计划内', english: 'must be one of (a, b)' });
  });

  test('a text not written so is shown as it is', () => {
    for (const text of ['required', 'a (b)', '第4.1项', '3 个案件未能报送 (not forwarded): a, b', '中文(no space)']) {
      expect(inLanguage(text, 'zh-CN')).toBe(text);
      expect(inLanguage(text, 'en')).toBe(text);
    }
  });
});
