import { describe, expect, test } from '@jest/globals';
import { circledNumber, documentsOfTrack, organisationCode, signedFormsIn } from '../../domain/documents/documents.ts';

describe('the documents of a case', () => {
  test('each track has the seed’s documents: the 贯标 forms, or the demonstration’s 推荐表 and package; both a certificate', () => {
    expect(documentsOfTrack('standard')).toEqual(['application_form', 'commitment_letter', 'self_evaluation', 'certificate']);
    expect(documentsOfTrack('municipal-demo')).toEqual(['recommendation_form', 'application_package', 'certificate']);
    expect(documentsOfTrack('provincial-demo')).toEqual(documentsOfTrack('municipal-demo'));
  });

  test('signed forms handed in with a task: the 承诺书 with the acceptance materials, the 推荐表 with the district’s recommendation', () => {
    expect(signedFormsIn({ acceptance: { commitmentLetterFileId: 'letter' }, materials: { recommendation_form: 'form', contract: 'contract' } })).toEqual([
      { kind: 'commitment_letter', fileId: 'letter' },
      { kind: 'recommendation_form', fileId: 'form' },
    ]);
    expect(signedFormsIn({ materials: { contract: 'contract' } })).toEqual([]);
    expect(signedFormsIn(null)).toEqual([]);
  });

  test('组织机构代码 from the credit code’s 9th–17th characters; ①… numbering past ⑳ in brackets', () => {
    expect(organisationCode('91320585MA1TC0001A')).toBe('MA1TC000-1');
    expect(circledNumber(1)).toBe('①');
    expect(circledNumber(9)).toBe('⑨');
    expect(circledNumber(21)).toBe('(21)');
  });
});
