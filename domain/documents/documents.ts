import type { TrackId } from '../program/types.ts';

/** What a certificate names the enterprise as, by track. */
export const CERTIFICATE_TITLES: Record<TrackId, string> = {
  standard: '江苏省信用管理贯标企业',
  'municipal-demo': '苏州市信用管理示范企业',
  'provincial-demo': '江苏省信用管理示范企业',
};

/** The public page a certificate's QR code leads to. */
export function verificationUrl(publicUrl: string, certificateNumber: string): string {
  return `${publicUrl.replace(/\/$/, '')}/verify/${encodeURIComponent(certificateNumber)}`;
}

/** 2026年9月15日, as certificates write dates. */
export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/**
 * 组织机构代码 as offices fill it in since the codes merged: the 9th to 17th characters of the
 * unified social credit code, written XXXXXXXX-X.
 */
export function organisationCode(uscc: string): string {
  const code = uscc.slice(8, 17);
  return code.length === 9 ? `${code.slice(0, 8)}-${code.slice(8)}` : code;
}

/** The documents the system prints for a case. */
export const DOCUMENT_KINDS = ['certificate', 'application_form', 'commitment_letter', 'self_evaluation'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_LABELS: Record<DocumentKind, string> = {
  certificate: '证书',
  application_form: '江苏省信用管理贯标企业申报表（附件2）',
  commitment_letter: '贯标申报信用承诺书（附件3）',
  self_evaluation: '江苏省企业信用管理状况评价指标自评表（附件4）',
};
