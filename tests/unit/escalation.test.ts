import { expect, test } from '@jest/globals';
import { supervisingOffice } from '../../domain/notifications/escalation.ts';
import { labelsFor } from '../../domain/i18n/labels.ts';

test('an overdue task escalates to the office that supervises its holder', () => {
  expect(supervisingOffice({ role: 'enterprise', jurisdiction: '91320585MA1TC0001A' }, 'shaxi')).toEqual({ role: 'district_officer', jurisdiction: 'shaxi' });
  expect(supervisingOffice({ role: 'district_officer', jurisdiction: 'shaxi' }, 'shaxi')).toEqual({ role: 'city_officer', jurisdiction: null });
  expect(supervisingOffice({ role: 'consultant', jurisdiction: null, userId: 'c1' }, 'shaxi')).toEqual({ role: 'city_officer', jurisdiction: null });
  expect(supervisingOffice({ role: 'city_officer', jurisdiction: null }, 'shaxi')).toEqual({ role: 'prefecture_officer', jurisdiction: null });
  expect(supervisingOffice({ role: 'province_officer', jurisdiction: null }, 'shaxi')).toBeNull();
});

test('the process speaks the reader’s language, Chinese by default', () => {
  expect(labelsFor('en').stage('district_review')).toBe('District review');
  expect(labelsFor('zh-CN').stage('district_review')).toBe('镇（区）初审');
  expect(labelsFor('fr').outcome('return')).toBe('退回补正');
  expect(labelsFor('en').track('standard', '信用管理贯标')).toBe('Credit-management standard compliance');
});
