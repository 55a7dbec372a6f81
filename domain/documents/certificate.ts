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
