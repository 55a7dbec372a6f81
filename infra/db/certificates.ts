import type { HeldCertificate } from '../../domain/eligibility/prerequisites.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { CertificateRecord } from './entities.ts';
import type { Orm } from './orm.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

/** A certificate number already on record for another enterprise, track or case: the caller must not overwrite it. */
export class CertificateNumberTaken extends Error {
  readonly existing: CertificateRecord;
  constructor(existing: CertificateRecord) {
    super(`certificate number ${existing.number} is already on record for ${existing.uscc} (${existing.track}, ${existing.source}${existing.caseId ? ` ${existing.caseId}` : ''})`);
    this.name = 'CertificateNumberTaken';
    this.existing = existing;
  }
}

export interface IssuedCertificate {
  uscc: string;
  track: TrackId;
  number: string;
  /** ISO local date */
  issuedOn: string;
  /** the office's name, e.g. 苏州市信用办 */
  issuedBy: string;
  caseId: string;
}

/**
 * Records the certificate a case was granted, keyed by its number: a retried activity finds its own
 * row and leaves it as it is. A number already held by another enterprise, track or case (e.g. an
 * imported one) is never overwritten: that throws CertificateNumberTaken, for the activity to fail
 * without retrying.
 */
export async function recordIssued(em: EntityManager, certificate: IssuedCertificate): Promise<CertificateRecord> {
  await em.upsert(
    CertificateRecord,
    { id: crypto.randomUUID(), ...certificate, source: 'case', importedBy: null, revokedAt: null, revokedBy: null, revokedReason: null, createdAt: new Date() },
    { onConflictFields: ['number'], onConflictAction: 'ignore' },
  );
  const stored = await em.findOneOrFail(CertificateRecord, { number: certificate.number }, { refresh: true });
  if (stored.uscc !== certificate.uscc || stored.track !== certificate.track || stored.caseId !== certificate.caseId) throw new CertificateNumberTaken(stored);
  return stored;
}

/** The enterprise's certificates as the prerequisite check reads them (revoked ones included, marked). */
export async function heldCertificates(em: EntityManager, uscc: string): Promise<HeldCertificate[]> {
  const records = await em.find(CertificateRecord, { uscc }, { orderBy: { issuedOn: 'asc', number: 'asc' } });
  return records.map((r) => ({ track: r.track, number: r.number, issuedOn: r.issuedOn, revoked: r.revokedAt !== null && r.revokedAt !== undefined }));
}
