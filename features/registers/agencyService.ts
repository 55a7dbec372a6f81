import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../../domain/identity/roles.ts';
import { AgencyRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { hashPassword } from '../auth/authService.ts';
import { AppError } from '../errors.ts';
import { pathParams } from '../validation.ts';
import type { agencyConsultantBody, agencyCreateBody, agencyUpdateBody } from './schemas.ts';

export interface AgencyView {
  id: string;
  name: string;
  uscc: string;
  contactPerson: string;
  contactPhone: string;
  address: string;
  active: boolean;
}

/** A consultant as an enterprise choosing an agency sees them; admins also see the login and whether it is active. */
export interface ConsultantView {
  userId: string;
  name: string;
  email?: string;
  active?: boolean;
}

/** An active agency as the directory an enterprise engages a consultant from lists it: contact phone as the hint. */
export interface DirectoryAgency {
  id: string;
  name: string;
  contactPhone: string;
  consultants: Array<{ userId: string; name: string }>;
}

/** The consultant a case engaged, as the case shows them: by name and agency, never by id alone. */
export interface EngagedConsultant {
  userId: string;
  name: string;
  agencyName: string | null;
}

const isAdmin = (actor: Actor) => actor.role === 'admin';

function adminOnly(actor: Actor): void {
  if (!isAdmin(actor)) throw new AppError('forbidden', '信用服务机构由系统管理员管理 (agencies are managed by admins)');
}

const view = (a: AgencyRecord): AgencyView => ({ id: a.id, name: a.name, uscc: a.uscc, contactPerson: a.contactPerson, contactPhone: a.contactPhone, address: a.address, active: a.active });

const NO_AGENCY = '没有该信用服务机构，或已停用 (no such active credit service agency)';
const NOT_CONSULTANT = '不是该信用服务机构的在职顾问 (not an active consultant of the agency)';
// named as the case page's field is, for the refusal shown next to it
const NOT_ENGAGEABLE = '信用服务机构顾问：所选顾问不在名录中或已停用，请重新选择 (choose an active consultant of an active agency from the directory)';

/**
 * The register of credit service agencies (信用服务机构) and their consultants: an enterprise of a
 * demonstration track chooses one agency from it, and the agency names one of its consultants.
 */
/** The agency, or 404 naming it. */
async function agencyOr404(em: ReturnType<Orm['em']['fork']>, agencyId: string): Promise<AgencyRecord> {
  const agency = await em.findOne(AgencyRecord, { id: agencyId });
  if (!agency) throw new AppError('not_found', `没有信用服务机构 ${agencyId} (no such agency)`);
  return agency;
}

export function createAgencyService(orm: Orm) {
  /** The agency, if it exists and the actor may see it (inactive ones are the admin's only). */
  const visible = async (actor: Actor, agencyId: string): Promise<AgencyRecord> => {
    const agency = await orm.em.fork().findOne(AgencyRecord, { id: agencyId });
    if (!agency || (!agency.active && !isAdmin(actor))) throw new AppError('not_found', `没有信用服务机构 ${agencyId} (no such agency)`);
    return agency;
  };

  const requireAgency = async (agencyId: string): Promise<AgencyRecord> => {
    const agency = pathParams.agencyId.safeParse(agencyId).success ? await orm.em.fork().findOne(AgencyRecord, { id: agencyId, active: true }) : null;
    if (!agency) throw new AppError('unprocessable', `${NO_AGENCY}: ${agencyId.slice(0, 64)}`, [{ path: 'agencyId', rule: NO_AGENCY }]);
    return agency;
  };

  return {
    /** Anyone signed in: the active agencies (admins: all of them). */
    async list(actor: Actor): Promise<AgencyView[]> {
      const agencies = await orm.em.fork().find(AgencyRecord, isAdmin(actor) ? {} : { active: true }, { orderBy: { name: 'asc', id: 'asc' } });
      return agencies.map(view);
    },

    /** One agency with its consultants: names for everyone, logins for admins only. */
    async get(actor: Actor, agencyId: string): Promise<AgencyView & { consultants: ConsultantView[] }> {
      const agency = await visible(actor, agencyId);
      const users = await orm.em.fork().find(UserRecord, { role: 'consultant', scopeId: agency.id, ...(isAdmin(actor) ? {} : { active: true }) }, { orderBy: { name: 'asc', id: 'asc' } });
      const consultants = users.map((u) => (isAdmin(actor) ? { userId: u.id, name: u.name, email: u.email, active: u.active } : { userId: u.id, name: u.name }));
      return { ...view(agency), consultants };
    },

    /**
     * Anyone signed in: the directory an enterprise engages a consultant from — the active agencies
     * that have active consultants, each consultant by name only (no login, whoever asks).
     */
    async directory(_actor: Actor): Promise<DirectoryAgency[]> {
      const em = orm.em.fork();
      const [agencies, users] = await Promise.all([
        em.find(AgencyRecord, { active: true }, { orderBy: { name: 'asc', id: 'asc' } }),
        em.find(UserRecord, { role: 'consultant', active: true }, { orderBy: { name: 'asc', id: 'asc' } }),
      ]);
      return agencies
        .map((a) => ({ id: a.id, name: a.name, contactPhone: a.contactPhone, consultants: users.filter((u) => u.scopeId === a.id).map((u) => ({ userId: u.id, name: u.name })) }))
        .filter((a) => a.consultants.length > 0);
    },

    async create(actor: Actor, body: z.infer<typeof agencyCreateBody>): Promise<AgencyView> {
      adminOnly(actor);
      const em = orm.em.fork();
      const id = body.id ?? `agency-${crypto.randomUUID().slice(0, 8)}`;
      const taken = await em.findOne(AgencyRecord, { $or: [{ id }, { uscc: body.uscc }] });
      if (taken) throw duplicate(taken.id === id ? 'id' : 'uscc');
      const agency = em.create(AgencyRecord, { ...body, id, createdAt: new Date() });
      try {
        await em.flush();
      } catch (error) {
        // a concurrent create of the same id or code
        if (error instanceof UniqueConstraintViolationException) throw duplicate(String(error.message).includes('uscc') ? 'uscc' : 'id');
        throw error;
      }
      return view(agency);
    },

    /** Name, contact and whether it is active; a deactivated agency can no longer be chosen. */
    async update(actor: Actor, agencyId: string, body: z.infer<typeof agencyUpdateBody>): Promise<AgencyView> {
      adminOnly(actor);
      const em = orm.em.fork();
      const agency = await agencyOr404(em, agencyId);
      for (const [key, value] of Object.entries(body)) if (value !== undefined) Object.assign(agency, { [key]: value });
      await em.flush();
      return view(agency);
    },

    /** A consultant's login: role consultant, scope the agency. */
    async addConsultant(actor: Actor, agencyId: string, body: z.infer<typeof agencyConsultantBody>): Promise<ConsultantView> {
      adminOnly(actor);
      const em = orm.em.fork();
      const agency = await agencyOr404(em, agencyId);
      const emailTaken = () => new AppError('conflict', `电子邮箱 ${body.email} 已有账号 (this e-mail already has a login)`, [{ path: 'email', rule: '每个电子邮箱只能有一个账号 (one login per e-mail)' }]);
      if (await em.findOne(UserRecord, { email: body.email })) throw emailTaken();
      const user = em.create(UserRecord, {
        id: crypto.randomUUID(),
        email: body.email,
        name: body.name,
        role: 'consultant',
        scopeId: agency.id,
        passwordHash: await hashPassword(body.password),
        active: true,
        locale: 'zh-CN',
        digest: false,
        calendarTokenHash: null,
        createdAt: new Date(),
      });
      try {
        await em.flush();
      } catch (error) {
        if (error instanceof UniqueConstraintViolationException) throw emailTaken();
        throw error;
      }
      return { userId: user.id, name: user.name, email: user.email, active: user.active };
    },

    /**
     * Internal: a consultant a 贯标 case may engage — one the directory lists (active, of an active
     * agency); else a 400 on consultantUserId.
     */
    async requireEngageable(userId: string): Promise<UserRecord> {
      const em = orm.em.fork();
      const user = z.uuid().safeParse(userId).success ? await em.findOne(UserRecord, { id: userId, role: 'consultant', active: true }) : null;
      const agency = user?.scopeId ? await em.findOne(AgencyRecord, { id: user.scopeId, active: true }) : null;
      if (!user || !agency) throw new AppError('bad_request', NOT_ENGAGEABLE, [{ path: 'consultantUserId', rule: NOT_ENGAGEABLE }]);
      return user;
    },

    /** Internal: who a case engaged, by name and agency, even after either was deactivated (the case's record). */
    async engaged(userId: string | null): Promise<EngagedConsultant | null> {
      if (!userId) return null;
      const em = orm.em.fork();
      const user = await em.findOne(UserRecord, { id: userId });
      if (!user) return null;
      const agency = user.role === 'consultant' && user.scopeId ? await em.findOne(AgencyRecord, { id: user.scopeId }) : null;
      return { userId: user.id, name: user.name, agencyName: agency?.name ?? null };
    },

    /** Internal: the agency an enterprise chose, refused (422, path agencyId) unless it is registered and active. */
    requireAgency,

    /**
     * Internal: the consultant an agency names must be one of its active consultants; else a 422 on
     * consultantUserId. Returns both, for the case to record by name.
     */
    async requireConsultantOf(agencyId: string, userId: string): Promise<{ agency: AgencyView; consultant: { userId: string; name: string } }> {
      const agency = await requireAgency(agencyId);
      const isUuid = z.uuid().safeParse(userId).success;
      const user = isUuid ? await orm.em.fork().findOne(UserRecord, { id: userId, role: 'consultant', scopeId: agency.id, active: true }) : null;
      if (!user) throw new AppError('unprocessable', `${NOT_CONSULTANT}: ${agency.name}`, [{ path: 'consultantUserId', rule: NOT_CONSULTANT }]);
      return { agency: view(agency), consultant: { userId: user.id, name: user.name } };
    },
  };
}

function duplicate(field: 'id' | 'uscc'): AppError {
  const rule = field === 'id' ? '信用服务机构编号已存在 (an agency with this id exists)' : '已有信用服务机构使用此统一社会信用代码 (an agency with this credit code exists)';
  return new AppError('conflict', rule, [{ path: field, rule }]);
}

export type AgencyService = ReturnType<typeof createAgencyService>;
