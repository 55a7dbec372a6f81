import { mayReadIdNumber } from '../../domain/case/authority.ts';
import { CREDIT_OFFICE_ROLES, OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { CaseRecord, CreditRecordEntry, DraftRecord, EnterpriseRecord, PiiAccessRecord } from '../../infra/db/entities.ts';
import { prefilledApplication, type Prefill } from '../../domain/application/prefill.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';
import type { z } from 'zod';
import type { creditRecordBody, draftSchema } from '../cases/schemas.ts';
import type { IdentityNumbers } from './identityNumbers.ts';

/** Offices whose remit is the whole city or wider: they see and record for every enterprise. */
const cityWide = (actor: Actor) => OFFICE_ROLES.has(actor.role) && actor.role !== 'district_officer';

/**
 * May the actor see this enterprise's register entry and credit records? Its own users, the
 * officers of the district it is registered in, and the city-wide offices. Anyone else is told
 * nothing, not even that it exists.
 */
function maySeeEnterprise(actor: Actor, uscc: string, registered: EnterpriseRecord | null): boolean {
  if (actor.role === 'enterprise') return actor.scopeId === uscc;
  if (actor.role === 'district_officer') return registered !== null && registered.district === actor.scopeId;
  return cityWide(actor);
}

const notFound = (uscc: string) => new AppError('not_found', `没有企业 ${uscc} (no such enterprise)`);

/** The enterprise register (attachment 2 fields), its credit records, and drafts of applications. */
export function createEnterpriseService(orm: Orm, identities: IdentityNumbers) {
  const registered = (uscc: string) => orm.em.fork().findOne(EnterpriseRecord, { uscc });
  const find = async (actor: Actor, uscc: string): Promise<EnterpriseRecord> => {
    const record = await registered(uscc);
    if (!record || !maySeeEnterprise(actor, uscc, record)) throw notFound(uscc);
    return record;
  };

  return {
    /** The register entry, identity number masked. */
    async get(actor: Actor, uscc: string) {
      const { legalRepresentativeIdMasked, legalRepresentativeIdRef: _ref, ...record } = await find(actor, uscc);
      return { ...record, legalRepresentativeIdNumber: legalRepresentativeIdMasked };
    },

    /** The full identity number, for the roles that must see it; every look is logged. */
    async revealIdNumber(actor: Actor, uscc: string): Promise<{ legalRepresentativeIdNumber: string }> {
      const record = await find(actor, uscc);
      if (!mayReadIdNumber(actor, { enterpriseUscc: uscc, district: record.district })) {
        throw new AppError('forbidden', '您的角色只能查看脱敏后的身份证号 (your role sees identity numbers masked)');
      }
      const number = await identities.number(record.legalRepresentativeIdRef);
      if (!number) throw new AppError('not_found', '登记簿中没有该身份证号 (the number is not in the register)');
      const em = orm.em.fork();
      em.create(PiiAccessRecord, { id: crypto.randomUUID(), actorId: actor.userId, actorName: actor.name, actorRole: actor.role, subjectUscc: uscc, field: 'legalRepresentativeIdNumber', at: new Date() });
      await em.flush();
      return { legalRepresentativeIdNumber: number };
    },

    async accessLog(actor: Actor, uscc: string): Promise<PiiAccessRecord[]> {
      await find(actor, uscc);
      if (!['city_officer', 'admin'].includes(actor.role) && actor.role !== 'enterprise') {
        throw new AppError('forbidden', '查阅记录仅供企业本身、市经信委和系统管理员查看 (the access log is for the enterprise itself, the city office and admins)');
      }
      return orm.em.fork().find(PiiAccessRecord, { subjectUscc: uscc }, { orderBy: { at: 'desc' } });
    },

    async creditRecords(actor: Actor, uscc: string): Promise<CreditRecordEntry[]> {
      if (!maySeeEnterprise(actor, uscc, await registered(uscc))) throw notFound(uscc);
      return orm.em.fork().find(CreditRecordEntry, { uscc }, { orderBy: { occurredOn: 'desc' } });
    },

    /**
     * An officer records dishonesty or a false-commitment finding; it bars or caps later
     * applications. A district office records only for enterprises registered in its district;
     * the city-wide offices for any enterprise.
     */
    async recordCredit(actor: Actor, uscc: string, body: z.infer<typeof creditRecordBody>): Promise<CreditRecordEntry> {
      if (!CREDIT_OFFICE_ROLES.has(actor.role)) throw new AppError('forbidden', '信用记录由各级信用办登记 (credit records are recorded by the credit offices)');
      if (!maySeeEnterprise(actor, uscc, await registered(uscc))) throw notFound(uscc);
      const em = orm.em.fork();
      const entry = em.create(CreditRecordEntry, { id: crypto.randomUUID(), uscc, ...body, recordedBy: actor.userId, recordedByName: actor.name, recordedAt: new Date() });
      await em.flush();
      return entry;
    },

    /**
     * A new application of the enterprise as the system would fill it in: its register entry and
     * its earlier applications (domain/application/prefill). Only the enterprise's own users ask.
     */
    async applicationPrefill(actor: Actor, track: string): Promise<Prefill> {
      if (actor.role !== 'enterprise' || !actor.scopeId) throw new AppError('forbidden', '申报表仅供企业填写 (only an enterprise fills in an application)');
      const em = orm.em.fork();
      const [register, cases] = await Promise.all([em.findOne(EnterpriseRecord, { uscc: actor.scopeId }), em.find(CaseRecord, { enterpriseUscc: actor.scopeId }, { orderBy: { submittedAt: 'desc' }, limit: 20 })]);
      // a double may come back as a string from PostgreSQL
      const entry = register && { ...register, registeredCapital: Number(register.registeredCapital) };
      return prefilledApplication(actor.scopeId, track, entry, cases.map((c) => ({ track: c.track, submittedAt: c.submittedAt, application: c.application })));
    },

    async draft(actor: Actor, programId: string, track: string): Promise<DraftRecord | null> {
      if (actor.role !== 'enterprise' || !actor.scopeId) throw new AppError('forbidden', '草稿仅供企业使用 (drafts are the enterprise’s)');
      return orm.em.fork().findOne(DraftRecord, { uscc: actor.scopeId, programId, track });
    },

    async saveDraft(actor: Actor, programId: string, track: string, body: z.infer<typeof draftSchema>): Promise<DraftRecord> {
      if (actor.role !== 'enterprise' || !actor.scopeId) throw new AppError('forbidden', '草稿仅供企业使用 (drafts are the enterprise’s)');
      const em = orm.em.fork();
      const draft = await em.upsert(DraftRecord, { uscc: actor.scopeId, programId, track, form: body.application, updatedBy: actor.userId, updatedAt: new Date() });
      return draft;
    },
  };
}

export type EnterpriseService = ReturnType<typeof createEnterpriseService>;
