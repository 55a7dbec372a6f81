import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import { createHash, randomBytes } from 'node:crypto';
import { ROLE_SCOPE, type Actor, type Role } from '../../domain/identity/roles.ts';
import { USCC_RULE_MESSAGES, usccProblem } from '../../domain/identity/uscc.ts';
import { AgencyRecord, EnterpriseRecord, NotificationRecord, SessionRecord, SetPasswordTokenRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { hashPassword } from '../auth/authService.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import { contains, type AuditLog } from './auditLog.ts';
import type { InviteBody, UserListQuery, UserStatus, UserUpdateBody } from './schemas.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

/** How long a set-password link works. */
export const LINK_VALID_HOURS = 72;
/** The most users one list shows; a search narrows it. */
const LIST_LIMIT = 500;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** The mail that carries a link, by the link's id: the delivery log's key (sent once). */
export const setPasswordMailKey = (tokenId: string) => `set-password:${tokenId}`;

/** The latest set-password link of a user, as the admin follows it: until when, used, and its mail. */
export interface LinkView {
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revoked: boolean;
  /** not used in time */
  expired: boolean;
  /** the mail's delivery status (queued, sent, failed, bounced…), null before the worker took it up */
  mail: string | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  scopeId: string | null;
  /** the district, agency or enterprise by name (the code when it has none on record) */
  scopeLabel: string | null;
  status: UserStatus;
  locale: string;
  createdAt: Date;
  deactivatedAt: Date | null;
  link: LinkView | null;
}

/** Where a set-password link stands, for its page: usable, or why not. */
export type LinkState = { state: 'valid'; email: string; name: string; expiresAt: Date } | { state: 'used' | 'expired' };

const statusOf = (user: UserRecord): UserStatus => (user.active ? 'active' : user.deactivatedAt ? 'deactivated' : 'invited');

const adminOnly = (actor: Actor) => {
  if (actor.role !== 'admin') throw new AppError('forbidden', '用户由系统管理员管理 (users are managed by admins)');
};

const scopeRefused = (rule: string) => new AppError('bad_request', `所属范围有误 (wrong scope): ${rule}`, [{ path: 'scopeId', rule }]);

interface Deps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  programs: ProgramService;
  audit: AuditLog;
}

/**
 * The users of the platform: invited by an admin (an inactive login and a set-password link by
 * mail), given a role and a scope, changed and deactivated. A deactivated user's sessions end at once
 * and their links stop working; their name stays on everything they did.
 */
export function createUserAdmin({ orm, temporal, taskQueue, programs, audit }: Deps) {
  /** Districts by code, from every published program (their districts do not change between years). */
  const districtNames = async () => new Map((await programs.list()).flatMap((p) => p.districts.map((d) => [d.code, d.name] as const)));

  /** The scope the role needs, checked: a known district, an active agency, a well-formed credit code; none for city-wide roles. */
  async function checkedScope(em: EntityManager, role: Role, given: string | null | undefined): Promise<{ scopeId: string | null; label: string | null }> {
    const value = given?.trim() ?? '';
    switch (ROLE_SCOPE[role]) {
      case 'district': {
        if (!value) throw scopeRefused('镇（区）经发中心须选择所属镇（区） (a district office needs its district)');
        const name = (await districtNames()).get(value);
        if (!name) throw scopeRefused(`没有代码为 ${value.slice(0, 64)} 的镇（区） (no such district)`);
        return { scopeId: value, label: name };
      }
      case 'agency': {
        if (!value) throw scopeRefused('信用服务机构顾问须选择所属机构 (a consultant needs their agency)');
        const agency = await em.findOne(AgencyRecord, { id: value, active: true });
        if (!agency) throw scopeRefused('须选择在册且未停用的信用服务机构 (choose a registered, active agency)');
        return { scopeId: agency.id, label: agency.name };
      }
      case 'enterprise': {
        const uscc = value.toUpperCase();
        if (!uscc) throw scopeRefused('企业用户须填写企业的统一社会信用代码 (an enterprise user needs the enterprise’s credit code)');
        const problem = usccProblem(uscc);
        if (problem) throw scopeRefused(USCC_RULE_MESSAGES[problem]);
        const registered = await em.findOne(EnterpriseRecord, { uscc }, { fields: ['name'] });
        return { scopeId: uscc, label: registered?.name ?? null };
      }
      default:
        if (value) throw scopeRefused('该角色不限范围，请留空 (this role has no scope: leave it empty)');
        return { scopeId: null, label: null };
    }
  }

  /** Users as the admin lists them: scope by name, status, and their latest link with its mail. */
  async function views(em: EntityManager, users: UserRecord[]): Promise<UserView[]> {
    const ids = users.map((u) => u.id);
    const [districts, agencies, enterprises, tokens] = await Promise.all([
      districtNames(),
      em.find(AgencyRecord, { id: { $in: users.filter((u) => ROLE_SCOPE[u.role as Role] === 'agency').map((u) => u.scopeId ?? '') } }),
      em.find(EnterpriseRecord, { uscc: { $in: users.filter((u) => u.role === 'enterprise').map((u) => u.scopeId ?? '') } }, { fields: ['uscc', 'name'] }),
      em.find(SetPasswordTokenRecord, { userId: { $in: ids } }, { orderBy: { createdAt: 'desc' } }),
    ]);
    const latest = new Map<string, SetPasswordTokenRecord>();
    for (const token of tokens) if (!latest.has(token.userId)) latest.set(token.userId, token);
    const mails = new Map((await em.find(NotificationRecord, { key: { $in: [...latest.values()].map((t) => setPasswordMailKey(t.id)) } }, { fields: ['key', 'status'] })).map((n) => [n.key, n.status]));
    const agencyNames = new Map(agencies.map((a) => [a.id, a.name]));
    const enterpriseNames = new Map(enterprises.map((e) => [e.uscc, e.name]));
    const scopeLabel = (u: UserRecord) => {
      if (!u.scopeId) return null;
      const kind = ROLE_SCOPE[u.role as Role];
      const name = kind === 'district' ? districts.get(u.scopeId) : kind === 'agency' ? agencyNames.get(u.scopeId) : kind === 'enterprise' ? enterpriseNames.get(u.scopeId) : undefined;
      return name ?? u.scopeId;
    };
    return users.map((u) => {
      const token = latest.get(u.id);
      return {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role as Role,
        scopeId: u.scopeId ?? null,
        scopeLabel: scopeLabel(u),
        status: statusOf(u),
        locale: u.locale,
        createdAt: u.createdAt,
        deactivatedAt: u.deactivatedAt ?? null,
        link: token ? { createdAt: token.createdAt, expiresAt: token.expiresAt, usedAt: token.usedAt ?? null, revoked: Boolean(token.revokedAt), expired: !token.usedAt && !token.revokedAt && token.expiresAt.getTime() <= Date.now(), mail: mails.get(setPasswordMailKey(token.id)) ?? null } : null,
      };
    });
  }

  const userOr404 = async (em: EntityManager, userId: string) => {
    const user = await em.findOne(UserRecord, { id: userId });
    if (!user) throw new AppError('not_found', '没有此用户 (no such user)');
    return user;
  };

  /** A new link for the user, in the caller's transaction: the open ones stop working. */
  const issueLink = async (em: EntityManager, actor: Actor, user: UserRecord, scopeLabel: string | null): Promise<SetPasswordTokenRecord> => {
    const now = new Date();
    await em.nativeUpdate(SetPasswordTokenRecord, { userId: user.id, usedAt: null, revokedAt: null }, { revokedAt: now });
    return em.create(SetPasswordTokenRecord, {
      id: crypto.randomUUID(),
      userId: user.id,
      tokenHash: null,
      expiresAt: new Date(now.getTime() + LINK_VALID_HOURS * 3_600_000),
      usedAt: null,
      revokedAt: null,
      scopeLabel,
      createdBy: actor.userId,
      createdByName: actor.name,
      createdAt: now,
    });
  };

  /** The mail with the link goes out from the worker (keyed by the link: sent once); the token itself is made there. */
  const mailLink = async (tokenId: string) => {
    try {
      await temporal.workflow.start('setPasswordMail', { workflowId: `set-password-mail-${tokenId}`, taskQueue, args: [{ tokenId }] });
    } catch (error) {
      console.error(`[admin] the set-password mail of link ${tokenId} could not be queued:`, error);
      throw new AppError('unavailable', '账号已保存，但设置密码邮件未能发出，请稍后点击“重新发送设置密码链接” (saved, but the mail could not be queued: send the link again later)');
    }
  };

  const emailTaken = (email: string) => new AppError('conflict', `电子邮箱 ${email} 已有账号 (this e-mail already has a login)`, [{ path: 'email', rule: '每个电子邮箱只能有一个账号 (one login per e-mail)' }]);

  const sessionsEnd = (em: EntityManager, userId: string) => em.nativeDelete(SessionRecord, { userId });

  return {
    /** Admin: users by name or e-mail (part of either), role and status; at most LIST_LIMIT. */
    async list(actor: Actor, query: UserListQuery): Promise<{ users: UserView[]; more: boolean }> {
      adminOnly(actor);
      const em = orm.em.fork();
      const pattern = query.q ? contains(query.q) : null;
      const status = query.status === 'active' ? { active: true } : query.status === 'deactivated' ? { active: false, deactivatedAt: { $ne: null } } : query.status === 'invited' ? { active: false, deactivatedAt: null } : {};
      const users = await em.find(
        UserRecord,
        { ...(pattern ? { $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] } : {}), ...(query.role ? { role: query.role } : {}), ...status },
        { orderBy: { role: 'asc', name: 'asc', id: 'asc' }, limit: LIST_LIMIT + 1 },
      );
      return { users: await views(em, users.slice(0, LIST_LIMIT)), more: users.length > LIST_LIMIT };
    },

    /** Admin: how many logins are active, invited and not yet activated, deactivated. */
    async counts(actor: Actor): Promise<Record<UserStatus, number>> {
      adminOnly(actor);
      const em = orm.em.fork();
      const [active, invited, deactivated] = await Promise.all([
        em.count(UserRecord, { active: true }),
        em.count(UserRecord, { active: false, deactivatedAt: null }),
        em.count(UserRecord, { active: false, deactivatedAt: { $ne: null } }),
      ]);
      return { active, invited, deactivated };
    },

    async get(actor: Actor, userId: string): Promise<UserView> {
      adminOnly(actor);
      const em = orm.em.fork();
      return (await views(em, [await userOr404(em, userId)]))[0]!;
    },

    /**
     * Admin: a new login with its role and scope, inactive until its owner sets a password through
     * the link mailed to them (valid LINK_VALID_HOURS hours, once).
     */
    async invite(actor: Actor, body: InviteBody): Promise<UserView> {
      adminOnly(actor);
      const em = orm.em.fork();
      if (await em.findOne(UserRecord, { email: body.email })) throw emailTaken(body.email);
      const scope = await checkedScope(em, body.role, body.scopeId);
      // nobody knows this password: the login works once its owner sets one
      const unknownPassword = await hashPassword(randomBytes(32).toString('base64url'));
      const token = await em.transactional(async (tx) => {
        const user = tx.create(UserRecord, {
          id: crypto.randomUUID(),
          email: body.email,
          name: body.name,
          role: body.role,
          scopeId: scope.scopeId,
          passwordHash: unknownPassword,
          active: false,
          locale: body.locale,
          digest: false,
          calendarTokenHash: null,
          createdAt: new Date(),
          deactivatedAt: null,
        });
        const issued = await issueLink(tx, actor, user, scope.label);
        audit.record(tx, actor, 'user.invited', { id: user.id, label: user.email, uscc: body.role === 'enterprise' ? scope.scopeId : null }, { name: body.name, role: body.role, scopeId: scope.scopeId, locale: body.locale });
        return issued;
      }).catch((error: unknown) => {
        if (error instanceof UniqueConstraintViolationException) throw emailTaken(body.email);
        throw error;
      });
      await mailLink(token.id);
      return this.get(actor, token.userId);
    },

    /** Admin: a fresh link (an invitation not taken up in time, or a forgotten password); the earlier ones stop working. */
    async sendLink(actor: Actor, userId: string): Promise<UserView> {
      adminOnly(actor);
      const em = orm.em.fork();
      const user = await userOr404(em, userId);
      if (statusOf(user) === 'deactivated') throw new AppError('conflict', '该账号已停用，请先启用 (the login is deactivated: activate it first)');
      const { scopeLabel } = (await views(em, [user]))[0]!;
      const token = await em.transactional(async (tx) => {
        const issued = await issueLink(tx, actor, user, scopeLabel);
        audit.record(tx, actor, 'user.link_sent', { id: user.id, label: user.email, uscc: user.role === 'enterprise' ? user.scopeId : null });
        return issued;
      });
      await mailLink(token.id);
      return this.get(actor, userId);
    },

    /**
     * Admin: name, role and scope. A change takes effect on the user's next request (sessions read
     * the user each time). Admins do not change their own role: there must always be one.
     */
    async update(actor: Actor, userId: string, body: UserUpdateBody): Promise<UserView> {
      adminOnly(actor);
      const em = orm.em.fork();
      const user = await userOr404(em, userId);
      const role = body.role ?? (user.role as Role);
      if (user.id === actor.userId && role !== user.role) throw new AppError('conflict', '不能更改自己的角色 (you cannot change your own role)', [{ path: 'role', rule: '不能更改自己的角色 (you cannot change your own role)' }]);
      // a new role needs its own scope; the same role keeps the scope it has unless another is given
      const keepsScope = body.scopeId === undefined && role === user.role;
      const scope = keepsScope ? { scopeId: user.scopeId ?? null } : await checkedScope(em, role, body.scopeId);
      const changes: Record<string, [unknown, unknown]> = {};
      const change = <K extends 'name' | 'role' | 'scopeId'>(key: K, value: UserRecord[K]) => {
        if ((user[key] ?? null) !== (value ?? null)) changes[key] = [user[key] ?? null, value ?? null];
        user[key] = value;
      };
      if (body.name !== undefined) change('name', body.name);
      change('role', role);
      change('scopeId', scope.scopeId);
      if (Object.keys(changes).length) audit.record(em, actor, 'user.updated', { id: user.id, label: user.email, uscc: role === 'enterprise' ? scope.scopeId : null }, { changes });
      await em.flush();
      return this.get(actor, userId);
    },

    /** Admin: the login stops: its sessions end now, its links stop working, logging in is refused. Again: nothing changes. */
    async deactivate(actor: Actor, userId: string): Promise<UserView> {
      adminOnly(actor);
      if (userId === actor.userId) throw new AppError('conflict', '不能停用自己的账号 (you cannot deactivate your own login)');
      const em = orm.em.fork();
      const user = await userOr404(em, userId);
      if (statusOf(user) !== 'deactivated') {
        await em.transactional(async (tx) => {
          const now = new Date();
          await tx.nativeUpdate(UserRecord, { id: user.id }, { active: false, deactivatedAt: now });
          await tx.nativeUpdate(SetPasswordTokenRecord, { userId: user.id, usedAt: null, revokedAt: null }, { revokedAt: now });
          await sessionsEnd(tx, user.id);
          audit.record(tx, actor, 'user.deactivated', { id: user.id, label: user.email, uscc: user.role === 'enterprise' ? user.scopeId : null }, { role: user.role, scopeId: user.scopeId ?? null });
        });
      }
      return this.get(actor, userId);
    },

    /** Admin: a deactivated login works again with the password it had (or a link, if it never set one). */
    async activate(actor: Actor, userId: string): Promise<UserView> {
      adminOnly(actor);
      const em = orm.em.fork();
      const user = await userOr404(em, userId);
      if (statusOf(user) === 'invited') throw new AppError('conflict', '该用户尚未设置密码，请重新发送设置密码链接 (the user has not set a password yet: send the link again)');
      if (statusOf(user) === 'deactivated') {
        user.active = true;
        user.deactivatedAt = null;
        audit.record(em, actor, 'user.activated', { id: user.id, label: user.email, uscc: user.role === 'enterprise' ? user.scopeId : null });
        await em.flush();
      }
      return this.get(actor, userId);
    },

    /** Public (the link is the credential): where a link stands. Unknown: 404. */
    async linkState(token: string): Promise<LinkState> {
      const em = orm.em.fork();
      const link = await em.findOne(SetPasswordTokenRecord, { tokenHash: tokenHash(token) });
      if (!link) throw new AppError('not_found', '链接无效 (no such link)');
      if (link.usedAt) return { state: 'used' };
      if (link.revokedAt || link.expiresAt.getTime() <= Date.now()) return { state: 'expired' };
      const user = await em.findOneOrFail(UserRecord, { id: link.userId });
      return { state: 'valid', email: user.email, name: user.name, expiresAt: link.expiresAt };
    },

    /**
     * Public: the link's owner sets a password; the login is active from now on, any other session
     * of it ends. The link works once: of two submissions at the same time only one counts.
     */
    async setPassword(token: string, password: string): Promise<LinkState> {
      const state = await this.linkState(token);
      if (state.state !== 'valid') return state;
      const passwordHash = await hashPassword(password);
      const em = orm.em.fork();
      const done = await em.transactional(async (tx) => {
        const now = new Date();
        const link = await tx.findOneOrFail(SetPasswordTokenRecord, { tokenHash: tokenHash(token) });
        const taken = await tx.nativeUpdate(SetPasswordTokenRecord, { id: link.id, usedAt: null, revokedAt: null, expiresAt: { $gt: now } }, { usedAt: now });
        if (taken !== 1) return false;
        const user = await tx.findOneOrFail(UserRecord, { id: link.userId });
        await tx.nativeUpdate(UserRecord, { id: user.id }, { passwordHash, active: true, deactivatedAt: null });
        await sessionsEnd(tx, user.id);
        audit.record(tx, { userId: user.id, name: user.name, role: user.role as Role, scopeId: user.scopeId ?? null }, 'user.password_set', { id: user.id, label: user.email, uscc: user.role === 'enterprise' ? user.scopeId : null });
        return true;
      });
      return done ? state : this.linkState(token);
    },

    /** Internal: the users of one agency (its consultants), for the agency's page. */
    async consultantsOf(actor: Actor, agencyId: string): Promise<UserView[]> {
      adminOnly(actor);
      const em = orm.em.fork();
      return views(em, await em.find(UserRecord, { role: 'consultant', scopeId: agencyId }, { orderBy: { name: 'asc', id: 'asc' } }));
    },
  };
}

export type UserAdmin = ReturnType<typeof createUserAdmin>;
