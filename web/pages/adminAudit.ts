import type { Express, Response } from 'express';
import { AUDIT_KINDS } from '../../domain/audit/auditTrail.ts';
import { labelsFor, type Locale } from '../../domain/i18n/labels.ts';
import type { Role } from '../../domain/identity/roles.ts';
import type { ProgramDefinition, TrackId } from '../../domain/program/types.ts';
import { AUDIT_PAGE, type AuditEntry } from '../../features/admin/auditLog.ts';
import { auditQuery } from '../../features/admin/schemas.ts';
import { parseInput, toAppError } from '../../features/errors.ts';
import { TRACK_LABELS } from '../helpers.ts';
import { hasMessage, translate } from '../i18n/i18n.ts';
import type { PageKit } from '../pageKit.ts';
import { filled, say } from './adminShared.ts';

/** One line of what an admin's action changed or named, in the reader's words. */
interface DetailLine {
  label: string;
  text: string;
}

/** 审计日志: who read which identity number, who decided what, who changed users, programs and registers. */
export function adminAuditPages(web: Express, kit: PageKit): void {
  const { services, render, actorOf } = kit;

  /** What an admin's entry holds, line by line: "角色: 企业 → 镇（区）经发中心", "新增节假日: 2027-01-01, …". */
  const detailLines = async (entry: AuditEntry, locale: Locale, programOf: (id: string) => Promise<ProgramDefinition | null>): Promise<DetailLine[]> => {
    const words = labelsFor(locale);
    const label = (name: string) => (hasMessage(`admin.audit.fields.${name}`) ? translate(locale, `admin.audit.fields.${name}`) : name);
    const value = (name: string, v: unknown): string => {
      if (v === null || v === undefined || v === '') return '—';
      if (Array.isArray(v)) return v.join(', ');
      if (typeof v === 'boolean') return translate(locale, v ? 'admin.audit.yes' : 'admin.audit.no');
      if (name === 'role') return words.role(v as Role) ?? String(v);
      return String(v);
    };
    const program = entry.action === 'program.quotas' ? await programOf(entry.subject?.id ?? '') : null;
    /** a quota's key "shaxi.standard" as 沙溪镇 · 信用管理贯标 */
    const quotaLabel = (key: string) => {
      const [scope = '', track = ''] = key.split('.');
      const where = scope === 'city' ? translate(locale, 'admin.program.cityQuota') : (program?.districts.find((d) => d.code === scope)?.name ?? scope);
      return `${where} · ${words.track(track, TRACK_LABELS[track as TrackId] ?? track)}`;
    };
    const lines: DetailLine[] = [];
    for (const [name, raw] of Object.entries(entry.detail ?? {})) {
      if (name === 'changes' && raw && typeof raw === 'object') {
        for (const [field, pair] of Object.entries(raw as Record<string, [unknown, unknown]>)) {
          lines.push({ label: program ? quotaLabel(field) : label(field), text: `${value(field, pair[0])} → ${value(field, pair[1])}` });
        }
      } else if (!(Array.isArray(raw) && raw.length === 0)) {
        lines.push({ label: label(name), text: value(name, raw) });
      }
    }
    return lines;
  };

  const entriesFor = async (res: Response, entries: AuditEntry[]) => {
    const locale = res.locals.locale as Locale;
    const programs = new Map<string, Promise<ProgramDefinition | null>>();
    const programOf = (id: string) => programs.get(id) ?? programs.set(id, services.programs.latest(id).catch(() => null)).get(id)!;
    // a kind of event another part adds later reads as its own name until the catalogue has it
    const labelOf = (entry: AuditEntry) => {
      const key = entry.kind === 'reveal' ? 'admin.audit.kinds.reveal' : entry.kind === 'decision' ? `admin.audit.events.${entry.action}` : `admin.audit.actions.${entry.action}`;
      return hasMessage(key) ? translate(locale, key) : entry.action;
    };
    return Promise.all(entries.map(async (entry) => ({ ...entry, label: labelOf(entry), lines: entry.detail ? await detailLines(entry, locale, programOf) : [] })));
  };

  web.get('/admin/audit', async (req, res) => {
    const query = filled(req.query);
    const common = { title: say(res, 'audit.title'), section: 'audit', wide: true, query, kinds: AUDIT_KINDS, page: AUDIT_PAGE };
    try {
      const found = await services.admin.audit.search(actorOf(req), parseInput(auditQuery, query, 'query'));
      render(res, 'admin/audit', { ...common, entries: await entriesFor(res, found.entries), more: found.more });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code !== 'bad_request') throw error;
      render(res, 'admin/audit', { ...common, entries: [], error: appError }, appError.status);
    }
  });
}
