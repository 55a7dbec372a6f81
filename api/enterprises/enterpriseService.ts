import { maskResidentId } from '../../domain/identity/residentId.ts';
import { CREDIT_OFFICE_ROLES, OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { CreditRecordEntry, DraftRecord, EnterpriseRecord, PiiAccessRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { mayReadIdNumber } from '../cases/caseService.ts';
import { AppError } from '../errors.ts';
import type { z } from 'zod';
import type { creditRecordBody, draftSchema } from '../cases/schemas.ts';


/** The enterprise register (attachment 2 fields), its credit records, and drafts of applications. */
export function createEnterpriseService(orm: Orm) {
  const find = async (actor: Actor, uscc: string): Promise<EnterpriseRecord> => {
    const record = await orm.em.fork().findOne(EnterpriseRecord, { uscc });
    const visible =
      record &&
      ((actor.role === 'enterprise' && actor.scopeId === uscc) ||
        (actor.role === 'district_officer' && actor.scopeId === record.district) ||
        (OFFICE_ROLES.has(actor.role) && actor.role !== 'district_officer'));
    if (!record || !visible) throw new AppError('not_found', `no enterprise ${uscc}`);
    return record;
  };

  return {
    /** The register entry, identity number masked. */
    async get(actor: Actor, uscc: string) {
      const record = await find(actor, uscc);
      return { ...record, legalRepresentativeIdNumber: maskResidentId(record.legalRepresentativeIdNumber) };
    },

    /** The full identity number, for the roles that must see it; every look is logged. */
    async revealIdNumber(actor: Actor, uscc: string): Promise<{ legalRepresentativeIdNumber: string }> {
      const record = await find(actor, uscc);
      if (!mayReadIdNumber(actor, { enterpriseUscc: uscc, district: record.district })) {
        throw new AppError('forbidden', 'your role sees identity numbers masked');
      }
      const em = orm.em.fork();
      em.create(PiiAccessRecord, { id: crypto.randomUUID(), actorId: actor.userId, actorName: actor.name, actorRole: actor.role, subjectUscc: uscc, field: 'legalRepresentativeIdNumber', at: new Date() });
      await em.flush();
      return { legalRepresentativeIdNumber: record.legalRepresentativeIdNumber };
    },

    async accessLog(actor: Actor, uscc: string): Promise<PiiAccessRecord[]> {
      if (!['city_officer', 'admin'].includes(actor.role) && !(actor.role === 'enterprise' && actor.scopeId === uscc)) {
        throw new AppError('forbidden', 'the access log is for the enterprise itself, the city office and admins');
      }
      return orm.em.fork().find(PiiAccessRecord, { subjectUscc: uscc }, { orderBy: { at: 'desc' } });
    },

    async creditRecords(actor: Actor, uscc: string): Promise<CreditRecordEntry[]> {
      if (!(actor.role === 'enterprise' && actor.scopeId === uscc) && !OFFICE_ROLES.has(actor.role)) throw new AppError('forbidden', 'credit records are for the enterprise and the offices');
      return orm.em.fork().find(CreditRecordEntry, { uscc }, { orderBy: { occurredOn: 'desc' } });
    },

    /** An officer records dishonesty or a false-commitment finding; it bars or caps later applications. */
    async recordCredit(actor: Actor, uscc: string, body: z.infer<typeof creditRecordBody>): Promise<CreditRecordEntry> {
      if (!CREDIT_OFFICE_ROLES.has(actor.role)) {
        throw new AppError('forbidden', 'credit records are recorded by the credit offices');
      }
      const em = orm.em.fork();
      const entry = em.create(CreditRecordEntry, { id: crypto.randomUUID(), uscc, ...body, recordedBy: actor.userId, recordedByName: actor.name, recordedAt: new Date() });
      await em.flush();
      return entry;
    },

    async draft(actor: Actor, programId: string, track: string): Promise<DraftRecord | null> {
      if (actor.role !== 'enterprise' || !actor.scopeId) throw new AppError('forbidden', 'drafts are the enterprise’s');
      return orm.em.fork().findOne(DraftRecord, { uscc: actor.scopeId, programId, track });
    },

    async saveDraft(actor: Actor, programId: string, track: string, body: z.infer<typeof draftSchema>): Promise<DraftRecord> {
      if (actor.role !== 'enterprise' || !actor.scopeId) throw new AppError('forbidden', 'drafts are the enterprise’s');
      const em = orm.em.fork();
      const draft = await em.upsert(DraftRecord, { uscc: actor.scopeId, programId, track, form: body.application, updatedBy: actor.userId, updatedAt: new Date() });
      return draft;
    },
  };
}

export type EnterpriseService = ReturnType<typeof createEnterpriseService>;
