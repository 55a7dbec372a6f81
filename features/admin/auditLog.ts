import { kindOfAction, maskIdentityNumbers, type AdminAction, type AuditKind } from '../../domain/audit/auditTrail.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { localInstant } from '../../domain/program/calendar.ts';
import { AdminAuditRecord, CaseEventRecord, CaseRecord, EnterpriseRecord, PiiAccessRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError } from '../errors.ts';
import type { AuditQuery } from './schemas.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

const OFFICE_TIME_ZONE = 'Asia/Shanghai';
/** The newest entries a search shows; narrower searches reach further back. */
export const AUDIT_PAGE = 200;

/** One line of the audit log, whatever its source; a full identity number is never part of it. */
export interface AuditEntry {
  id: string;
  at: Date;
  kind: AuditKind;
  /** reveal; a case event's kind (decision, submitted, extension…); an admin action (user.invited…) */
  action: string;
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  enterprise: { uscc: string; name: string | null } | null;
  caseId: string | null;
  /** reveal: the number read, as everyone else sees it (320585********1234) */
  maskedNumber?: string;
  /** a case event: the step and its outcome, and the comment with any identity number masked */
  stage?: string | null;
  outcome?: string | null;
  comment?: string | null;
  /** an admin action: what it was done to, and what changed */
  subject?: { id: string; label: string };
  detail?: Record<string, unknown>;
}

/** A search term inside LIKE: its own % and _ are letters. */
export const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const adminOnly = (actor: Actor) => {
  if (actor.role !== 'admin') throw new AppError('forbidden', '审计日志仅限系统管理员查看 (the audit log is for admins)');
};

/**
 * The audit log: reads the reveal log (pii_access_log), the cases' events and the admin's own log
 * (admin_audit), and writes the admin's actions in the same transaction as the change they record.
 */
export function createAuditLog(orm: Orm) {
  /** Who a person search names: by their name or login, as recorded then or now. */
  const personFilter = async (em: EntityManager, person: string | undefined) => {
    if (!person) return {};
    const pattern = contains(person);
    const users = await em.find(UserRecord, { $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] }, { fields: ['id'], limit: 1000 });
    const byName = { actorName: { $ilike: pattern } };
    return users.length ? { $or: [byName, { actorId: { $in: users.map((u) => u.id) } }] } : byName;
  };

  const period = (query: AuditQuery) => {
    const at: { $gte?: Date; $lt?: Date } = {};
    if (query.from) at.$gte = localInstant(`${query.from}T00:00`, OFFICE_TIME_ZONE);
    if (query.to) at.$lt = new Date(localInstant(`${query.to}T00:00`, OFFICE_TIME_ZONE).getTime() + 86_400_000);
    return Object.keys(at).length ? { at } : {};
  };

  const wants = (query: AuditQuery, kind: AuditKind) => !query.kind || query.kind === kind;

  async function reveals(em: EntityManager, base: object, uscc: string | null): Promise<AuditEntry[]> {
    const rows = await em.find(PiiAccessRecord, { ...base, ...(uscc ? { subjectUscc: uscc } : {}) }, { orderBy: { at: 'desc' }, limit: AUDIT_PAGE + 1 });
    const enterprises = new Map((await em.find(EnterpriseRecord, { uscc: { $in: [...new Set(rows.map((r) => r.subjectUscc))] } })).map((e) => [e.uscc, e]));
    return rows.map((r) => ({
      id: `reveal:${r.id}`,
      at: r.at,
      kind: 'reveal',
      action: 'reveal',
      actorId: r.actorId,
      actorName: r.actorName,
      actorRole: r.actorRole,
      enterprise: { uscc: r.subjectUscc, name: enterprises.get(r.subjectUscc)?.name ?? null },
      caseId: null,
      maskedNumber: enterprises.get(r.subjectUscc)?.legalRepresentativeIdMasked ?? '******',
    }));
  }

  async function caseEvents(em: EntityManager, base: object, caseIds: string[] | null): Promise<AuditEntry[]> {
    if (caseIds?.length === 0) return [];
    const rows = await em.find(CaseEventRecord, { ...base, actorId: { $ne: null }, ...(caseIds ? { caseId: { $in: caseIds } } : {}) }, { orderBy: { at: 'desc' }, limit: AUDIT_PAGE + 1 });
    const cases = new Map((await em.find(CaseRecord, { id: { $in: [...new Set(rows.map((r) => r.caseId))] } }, { fields: ['id', 'enterpriseUscc', 'enterpriseName'] })).map((c) => [c.id, c]));
    return rows.map((r) => {
      const record = cases.get(r.caseId);
      const detail = r.detail ?? {};
      const text = (value: unknown) => (typeof value === 'string' && value ? maskIdentityNumbers(value) : null);
      return {
        id: `event:${r.key}`,
        at: r.at,
        kind: 'decision',
        action: r.kind,
        actorId: r.actorId ?? null,
        actorName: r.actorName ?? '',
        actorRole: typeof detail.role === 'string' ? detail.role : null,
        enterprise: record ? { uscc: record.enterpriseUscc, name: record.enterpriseName } : null,
        caseId: r.caseId,
        stage: typeof detail.stage === 'string' ? detail.stage : null,
        outcome: typeof detail.outcome === 'string' ? detail.outcome : null,
        comment: text(detail.comment) ?? text(detail.reason),
      };
    });
  }

  async function adminActions(em: EntityManager, query: AuditQuery, base: object, uscc: string | null): Promise<AuditEntry[]> {
    const kinds = (['user', 'program', 'register'] as const).filter((k) => wants(query, k));
    const rows = await em.find(AdminAuditRecord, { ...base, kind: { $in: kinds }, ...(uscc ? { subjectUscc: uscc } : {}) }, { orderBy: { at: 'desc' }, limit: AUDIT_PAGE + 1 });
    return rows.map((r) => ({
      id: `admin:${r.id}`,
      at: r.at,
      kind: r.kind as AuditKind,
      action: r.action,
      actorId: r.actorId,
      actorName: r.actorName,
      actorRole: r.actorRole,
      enterprise: r.subjectUscc ? { uscc: r.subjectUscc, name: null } : null,
      caseId: null,
      subject: { id: r.subject, label: r.subjectLabel },
      detail: r.detail,
    }));
  }

  return {
    /**
     * Admin: the newest entries (at most AUDIT_PAGE) matching every criterion given, from all three
     * sources merged by time. A case names its events and the reveals of its enterprise's identity
     * number; a credit code its enterprise's cases, reveals and users.
     */
    async search(actor: Actor, query: AuditQuery): Promise<{ entries: AuditEntry[]; more: boolean }> {
      adminOnly(actor);
      const em = orm.em.fork();
      const base = { ...(await personFilter(em, query.person)), ...period(query) };
      let uscc = query.uscc ?? null;
      let caseIds: string[] | null = null;
      if (query.caseId) {
        const record = await em.findOne(CaseRecord, { id: query.caseId }, { fields: ['id', 'enterpriseUscc'] });
        // a case of another enterprise than the one asked about: nothing matches both
        caseIds = record && (!uscc || record.enterpriseUscc === uscc) ? [record.id] : [];
        uscc = record?.enterpriseUscc ?? uscc;
      } else if (uscc) {
        caseIds = (await em.find(CaseRecord, { enterpriseUscc: uscc }, { fields: ['id'] })).map((c) => c.id);
      }
      const unmatched = query.caseId !== undefined && caseIds?.length === 0;
      const found = await Promise.all([
        wants(query, 'reveal') && !unmatched ? reveals(em, base, uscc) : [],
        wants(query, 'decision') ? caseEvents(em, base, caseIds) : [],
        // the admin's actions are about users, programs and registers, never one case
        query.caseId ? [] : adminActions(em, query, base, uscc),
      ]);
      const merged = found.flat().sort((a, b) => b.at.getTime() - a.at.getTime() || a.id.localeCompare(b.id));
      return { entries: merged.slice(0, AUDIT_PAGE), more: merged.length > AUDIT_PAGE };
    },

    /** An admin's change on record, in the caller's unit of work: it is stored with the change, or not at all. */
    record(em: EntityManager, actor: Actor, action: AdminAction, subject: { id: string; label: string; uscc?: string | null }, detail: Record<string, unknown> = {}): void {
      em.create(AdminAuditRecord, {
        id: crypto.randomUUID(),
        at: new Date(),
        kind: kindOfAction(action),
        action,
        actorId: actor.userId,
        actorName: actor.name,
        actorRole: actor.role,
        subject: subject.id,
        subjectLabel: subject.label,
        subjectUscc: subject.uscc ?? null,
        detail,
      });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
