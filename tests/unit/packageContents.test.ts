import { describe, expect, test } from '@jest/globals';
import { contentsEntries, type PackageSection } from '../../activities/documents/applicationPackage.ts';

const section = (number: string, title: string, generated = false): PackageSection => ({ number, title, generated, files: generated ? [] : [{ name: `${title}.pdf`, mime: 'application/pdf', content: new Uint8Array() }] });

describe('the contents of an application package', () => {
  const cover = section('①', '封面', true);
  const contents = section('②', '目录', true);
  const contract = section('③', '合同');
  const survey = section('④', '现场调查报告');
  const plan = section('⑤', '工作计划');

  test('the cover is page 1, the contents follow it, each item starts after the pages of the one before', () => {
    const pages = new Map([[contract, 2], [survey, 3], [plan, 1]]);
    expect(contentsEntries([cover, contents, contract, survey, plan], pages, 1, 1).map((e) => [e.number, e.page, e.note])).toEqual([
      ['①', 1, ''],
      ['②', 2, ''],
      ['③', 3, '合同.pdf'],
      ['④', 5, '现场调查报告.pdf'],
      ['⑤', 8, '工作计划.pdf'],
    ]);
  });

  test('contents of two pages move every item on by one', () => {
    const pages = new Map([[contract, 2], [survey, 3], [plan, 1]]);
    expect(contentsEntries([cover, contents, contract, survey, plan], pages, 1, 2).map((e) => e.page)).toEqual([1, 2, 4, 6, 9]);
  });
});
