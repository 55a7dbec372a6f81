import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { HeldCertificate } from '../../domain/eligibility/prerequisites.ts';
import { OFFICE_ROLES, ROLE_LABELS, type Actor, type Role } from '../../domain/identity/roles.ts';
import { localDate } from '../../domain/program/calendar.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { heldCertificates } from '../../infra/db/certificates.ts';
import { CertificateRecord, EnterpriseRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';
import { readCertificateCsv, type RefusedRow } from './certificateCsv.ts';

/** Issue dates are local dates of the offices (Asia/Shanghai): none may be after their today. */
const OFFICE_TIME_ZONE = 'Asia/Shanghai';
/** An imported row does not say who issued it: the office that accepts each track does (work plan 二). */
const IMPORTED_ISSUER: Record<TrackId, Role> = { standard: 'prefecture_officer', 'municipal-demo': 'prefecture_officer', 'provincial-demo': 'province_officer' };
/** Rows per INSERT: well under PostgreSQL's limit of bound parameters. */
const INSERT_CHUNK = 1_000;

export interface ImportReport {
  accepted: { line: number; uscc: string; number: string }[];
  refused: RefusedRow[];
}

export interface CertificateView {
  id: string;
  uscc: string;
  track: string;
  number: string;
  issuedOn: string;
  issuedBy: string;
  source: 'case' | 'import';
  caseId: string | null;
  /** the admin who imported it: shown to the offices only */
  importedBy?: string | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  createdAt: Date;
}

const adminOnly = (actor: Actor, what: string) => {
  if (actor.role !== 'admin') throw new AppError('forbidden', `${what}由系统管理员操作 (admins only)`);
};

function view(record: CertificateRecord, actor: Actor): CertificateView {
  return {
    id: record.id,
    uscc: record.uscc,
    track: record.track,
    number: record.number,
    issuedOn: record.issuedOn,
    issuedBy: record.issuedBy,
    source: record.source,
    caseId: record.caseId ?? null,
    ...(OFFICE_ROLES.has(actor.role) ? { importedBy: record.importedBy ?? null } : {}),
    revokedAt: record.revokedAt ?? null,
    revokedReason: record.revokedReason ?? null,
    createdAt: record.createdAt,
  };
}

/** What the public verification page says of a certificate number. */
export type CertificateCheck =
  | { status: 'unknown'; number: string }
  | { status: 'valid' | 'revoked'; number: string; enterpriseName: string | null; track: TrackId; issuedOn: string };

/** The certificate register: the import of earlier certificates, who sees what, revocation. */
export function createCertificateService(orm: Orm) {
  return {
    /**
     * Admin: certificates issued before the system, from a CSV (uscc,track,number,issuedOn or the
     * Chinese header). Each row is accepted or refused with its reasons; the accepted ones are stored
     * in one transaction. A number already on record is refused, so importing a file again stores
     * nothing twice; an import racing another over the same numbers is a 409 — import again.
     */
    async importCsv(actor: Actor, csvText: string): Promise<ImportReport> {
      adminOnly(actor, '证书导入');
      const { rows, refused } = readCertificateCsv(csvText, localDate(new Date(), OFFICE_TIME_ZONE));
      const now = new Date();
      try {
        return await orm.em.fork().transactional(async (em) => {
          const numbers = rows.map((r) => r.number);
          const onRecord = new Set((await em.find(CertificateRecord, { number: { $in: numbers } }, { fields: ['number'] })).map((c) => c.number));
          const fresh = rows.filter((r) => !onRecord.has(r.number));
          for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
            await em.insertMany(
              CertificateRecord,
              fresh.slice(i, i + INSERT_CHUNK).map((r) => ({
                id: crypto.randomUUID(),
                uscc: r.uscc,
                track: r.track,
                number: r.number,
                issuedOn: r.issuedOn,
                issuedBy: ROLE_LABELS[IMPORTED_ISSUER[r.track]],
                source: 'import' as const,
                caseId: null,
                importedBy: actor.userId,
                revokedAt: null,
                revokedBy: null,
                revokedReason: null,
                createdAt: now,
              })),
            );
          }
          const alreadyOnRecord = rows.filter((r) => onRecord.has(r.number)).map((r) => ({ line: r.line, reasons: [`证书编号“${r.number}”已登记 (already on record)`] }));
          return {
            accepted: fresh.map((r) => ({ line: r.line, uscc: r.uscc, number: r.number })),
            refused: [...refused, ...alreadyOnRecord].sort((a, b) => a.line - b.line),
          };
        });
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        throw new AppError('conflict', '导入期间证书登记簿已被修改，本次未导入任何证书，请重新导入 (the register changed during the import; nothing was stored, import again)', [{ path: 'csv', rule: 'import again' }]);
      }
    },

    /** Offices and admins see the whole register; an enterprise its own certificates; consultants none. */
    async list(actor: Actor, query: { uscc?: string | undefined; track?: TrackId | undefined }): Promise<CertificateView[]> {
      if (actor.role === 'consultant') throw new AppError('forbidden', '信用服务机构顾问不能查看证书登记簿 (consultants do not see the certificate register)');
      let uscc = query.uscc;
      if (actor.role === 'enterprise') {
        if (uscc !== undefined && uscc !== actor.scopeId) throw new AppError('forbidden', '企业只能查看本企业的证书 (an enterprise sees its own certificates only)');
        uscc = actor.scopeId ?? '';
      }
      const records = await orm.em.fork().find(
        CertificateRecord,
        { ...(uscc !== undefined ? { uscc } : {}), ...(query.track ? { track: query.track } : {}) },
        { orderBy: { issuedOn: 'desc', number: 'asc' } },
      );
      return records.map((r) => view(r, actor));
    },

    /** Internal: what the prerequisite check reads for an enterprise. */
    /**
     * The public check behind a certificate's QR code (no login): valid or revoked, and the
     * enterprise's name only; a number not on record is unknown.
     */
    async verify(number: string): Promise<CertificateCheck> {
      const em = orm.em.fork();
      const certificate = await em.findOne(CertificateRecord, { number });
      if (!certificate) return { status: 'unknown', number };
      const enterprise = await em.findOne(EnterpriseRecord, { uscc: certificate.uscc }, { fields: ['name'] });
      return { status: certificate.revokedAt ? 'revoked' : 'valid', number, enterpriseName: enterprise?.name ?? null, track: certificate.track as TrackId, issuedOn: certificate.issuedOn };
    },

    forEnterprise(uscc: string): Promise<HeldCertificate[]> {
      return heldCertificates(orm.em.fork(), uscc);
    },

    /** Admin: a certificate withdrawn (e.g. after a false commitment); it no longer counts as a prerequisite. */
    async revoke(actor: Actor, number: string, reason: string): Promise<CertificateView> {
      adminOnly(actor, '撤销证书');
      const em = orm.em.fork();
      const now = new Date();
      const changed = await em.nativeUpdate(CertificateRecord, { number, revokedAt: null }, { revokedAt: now, revokedBy: actor.userId, revokedReason: reason });
      const record = await em.findOne(CertificateRecord, { number });
      if (!record) throw new AppError('not_found', `没有编号为“${number}”的证书 (no such certificate)`);
      if (changed === 0) throw new AppError('conflict', `证书“${number}”已于${localDate(record.revokedAt!, OFFICE_TIME_ZONE)}撤销 (already revoked)`, [{ path: 'certificateNumber', rule: 'not revoked yet' }]);
      return view(record, actor);
    },
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
