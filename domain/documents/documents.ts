import type { Role } from '../identity/roles.ts';
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
export const DOCUMENT_KINDS = ['certificate', 'application_form', 'commitment_letter', 'self_evaluation', 'recommendation_form', 'application_package'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_LABELS: Record<DocumentKind, string> = {
  certificate: '证书',
  application_form: '江苏省信用管理贯标企业申报表（附件2）',
  commitment_letter: '贯标申报信用承诺书（附件3）',
  self_evaluation: '江苏省企业信用管理状况评价指标自评表（附件4）',
  recommendation_form: '信用管理示范企业推荐表（附件5）',
  application_package: '示范企业申报材料（封面、目录及各项材料）',
};

/** The seed's documents of each kind of track: the 贯标 forms (attachments 2–4), or the demonstration's (attachment 5, the package). */
const STANDARD_DOCUMENTS: readonly DocumentKind[] = ['application_form', 'commitment_letter', 'self_evaluation', 'certificate'];
const DEMONSTRATION_DOCUMENTS: readonly DocumentKind[] = ['recommendation_form', 'application_package', 'certificate'];

export function documentsOfTrack(track: TrackId): readonly DocumentKind[] {
  return track === 'standard' ? STANDARD_DOCUMENTS : DEMONSTRATION_DOCUMENTS;
}

/**
 * The forms printed to be signed and stamped (签字、盖章) and handed back as a scan; the certificate
 * and the bound package are not signed again.
 */
export const SIGNED_FORMS: ReadonlySet<DocumentKind> = new Set<DocumentKind>(['application_form', 'commitment_letter', 'self_evaluation', 'recommendation_form']);

/** Attachment 5's title by track, after the program year (2018年度…). */
export const RECOMMENDATION_FORM_TITLES: Partial<Record<TrackId, string>> = {
  'municipal-demo': '苏州市级信用管理示范企业推荐表',
  'provincial-demo': '江苏省级信用管理示范企业推荐表',
};

/** The opinion block of attachment 5 each recommending office fills (镇（区）→ 市经信委 → 苏州市信用办). */
export const RECOMMENDATION_OPINION_HEADINGS: Partial<Record<Role, string>> = {
  district_officer: '镇（区）推荐意见',
  city_officer: '市经信委推荐意见',
  prefecture_officer: '苏州市信用办推荐意见',
  province_officer: '江苏省信用办推荐意见',
};

const CIRCLED_NUMBERS = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** ①, ② … as the work plan numbers its lists (1-based; past ⑳ in brackets). */
export function circledNumber(n: number): string {
  return CIRCLED_NUMBERS[n - 1] ?? `(${n})`;
}

/** What a completed task handed in, as far as signed forms go. */
export interface HandedIn {
  acceptance?: { commitmentLetterFileId?: string } | null;
  materials?: Record<string, string>;
}

/**
 * The signed forms a task's completion carries (签字盖章后随材料提交): the 承诺书 with the acceptance
 * materials, the stamped 推荐表 with the district's recommendation. They count as handed back
 * against the printed form just like a scan uploaded on the case page.
 */
export function signedFormsIn(handedIn: HandedIn | null | undefined): Array<{ kind: DocumentKind; fileId: string }> {
  const found: Array<{ kind: DocumentKind; fileId: string }> = [];
  const letter = handedIn?.acceptance?.commitmentLetterFileId;
  if (letter) found.push({ kind: 'commitment_letter', fileId: letter });
  const recommendation = handedIn?.materials?.recommendation_form;
  if (recommendation) found.push({ kind: 'recommendation_form', fileId: recommendation });
  return found;
}
