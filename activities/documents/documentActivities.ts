import { ApplicationFailure } from '@temporalio/activity';
import Handlebars from 'handlebars';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { CERTIFICATE_TITLES, chineseDate, verificationUrl } from '../../domain/documents/certificate.ts';
import { ROLE_LABELS } from '../../domain/identity/roles.ts';
import type { TrackId } from '../../domain/program/types.ts';
import type { PdfRenderer } from '../../infra/documents/pdf.ts';
import { CaseDocumentRecord, CaseFileRecord, CaseRecord, FileRecord, ProgramRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';

/** The uploader of what the system itself generates. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

/** Bumped when a template changes, so documents made from the old one are made again. */
const TEMPLATE_VERSION = 1;

const template = (name: string) => Handlebars.compile(readFileSync(new URL(`../templates/documents/${name}.hbs`, import.meta.url), 'utf8'), { strict: true });
const TEMPLATES = { certificate: template('certificate') };
export type DocumentKind = keyof typeof TEMPLATES;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Documents of a case, printed to PDF and kept as files the case takes up (case_documents). The
 * input is checksummed first: a document whose input has not changed is not made again, so a
 * retried or repeated activity leaves the one file it made.
 */
export function createDocumentActivities({ orm, pdf, publicUrl }: { orm: Orm; pdf: PdfRenderer; publicUrl: string }) {
  /** What the certificate says, from the case's record and its program. */
  const certificateData = async (caseId: string) => {
    const em = orm.em.fork();
    const record = await em.findOneOrFail(CaseRecord, { id: caseId });
    if (!record.certificateNumber || !record.certificateIssuedOn) throw ApplicationFailure.nonRetryable(`case ${caseId} has no certificate`, 'InvalidData');
    const program = (await em.findOneOrFail(ProgramRecord, { id: record.programId, version: record.programVersion })).definition;
    const track = program.tracks[record.track as TrackId];
    const issuer = track?.demonstration?.acceptor ?? track?.acceptanceReview.find((step) => step.issuesCertificate)?.role ?? 'prefecture_officer';
    const verifyUrl = verificationUrl(publicUrl, record.certificateNumber);
    return {
      record,
      data: {
        title: CERTIFICATE_TITLES[record.track as TrackId] ?? track?.name ?? record.track,
        number: record.certificateNumber,
        enterpriseName: record.enterpriseName,
        uscc: record.enterpriseUscc,
        trackName: track?.name ?? record.track,
        programTitle: program.title,
        issuer: ROLE_LABELS[issuer],
        issuedOnChinese: chineseDate(record.certificateIssuedOn),
        verifyUrl,
        // the address as a person reads and types it (the QR code carries it encoded)
        verifyPage: `${publicUrl.replace(/\/$/, '')}/verify/${record.certificateNumber}`,
      },
    };
  };

  return {
    /** A case's document, made once per input: its file id and checksum. */
    async generateDocument({ caseId, kind }: { caseId: string; kind: DocumentKind }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
      const { record, data } = await certificateData(caseId);
      const inputSha256 = sha256(JSON.stringify({ kind, version: TEMPLATE_VERSION, data }));
      const em = orm.em.fork();
      const existing = await em.findOne(CaseDocumentRecord, { caseId, kind });
      if (existing?.inputSha256 === inputSha256) return { fileId: existing.fileId, sha256: existing.sha256, generated: false };

      const qrDataUrl = await QRCode.toDataURL(data.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
      const content = await pdf.render(TEMPLATES[kind]({ ...data, qrDataUrl }));
      const file = {
        id: randomUUID(),
        ownerUscc: record.enterpriseUscc,
        uploadedBy: SYSTEM_USER_ID,
        name: `${data.title}证书-${data.number}.pdf`,
        mime: 'application/pdf',
        size: content.length,
        sha256: sha256(content),
        content,
        createdAt: new Date(),
      };
      await em.transactional(async (tx) => {
        await tx.insert(FileRecord, file);
        await tx.upsert(CaseFileRecord, { caseId, fileId: file.id }, { onConflictAction: 'ignore' });
        await tx.upsert(CaseDocumentRecord, { caseId, kind, fileId: file.id, inputSha256, sha256: file.sha256, createdAt: file.createdAt }, { onConflictFields: ['caseId', 'kind'], onConflictAction: 'merge' });
      });
      return { fileId: file.id, sha256: file.sha256, generated: true };
    },
  };
}
