import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Locale } from '../../domain/i18n/labels.ts';
import { CREDIT_OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { bulkApprovalRefusal, selectable, type BulkStatus } from '../../domain/inbox/bulk.ts';
import { claimRefusal, heldByAnother, heldByOffice, releaseRefusal, type ClaimRefusal } from '../../domain/inbox/claims.ts';
import { decodeCursor, encodeCursor } from '../../domain/inbox/cursor.ts';
import { dueState, dueWindow, isNarrowed, INBOX_PAGE_SIZE, savedPart, weekOf, type DueState, type InboxFilter } from '../../domain/inbox/inboxFilter.ts';
import type { District, ProgramDefinition } from '../../domain/program/types.ts';
import { taskTitle } from '../../domain/tasks/taskTitle.ts';
import { CaseRecord, InboxSavedFilterRecord, TaskRecord } from '../../infra/db/entities.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { AppError, toAppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import type { BulkBody } from './inboxSchemas.ts';
import type { TaskService } from './taskService.ts';

/** Where the programs do not say (no program published yet): the zone of every city served. */
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** How many filters one person keeps. */
const SAVED_FILTERS_MAX = 20;
/** Bulk completions run a few at a time: each is one case's workflow, the machine is shared. */
const BULK_CONCURRENCY = 4;

/** One row of the inbox: the task, its case's enterprise, track and district, and what the row says of its date and its holder. */
export interface InboxRow {
  id: string;
  caseId: string;
  kind: string;
  stage: string;
  subject: string | null;
  status: string;
  assigneeRole: string;
  jurisdiction: string | null;
  assigneeUserId: string | null;
  openedAt: Date;
  dueAt: Date | null;
  adjustsScores: boolean;
  issuesCertificate: boolean;
  claimedByUserId: string | null;
  claimedByName: string | null;
  claimedAt: Date | null;
  enterpriseName: string;
  enterpriseUscc: string;
  track: string;
  district: string;
  programId: string;
  /** what the task asks, in the reader's words: the checklist item (成立贯标工作小组), else the kind (审核) */
  title: string;
  districtName: string;
  due: DueState;
  /** an office's task: it may be claimed by one officer */
  claimable: boolean;
  /** claimed by the reader */
  mine: boolean;
  /** claimed by a colleague: their name (the reader cannot complete it meanwhile) */
  heldBy: string | null;
  /** offered for a bulk action */
  selectable: boolean;
}

/** How many of the reader's open tasks each filter value would show: the form's numbers (逾期 3, 本周到期 5). */
export interface InboxCounts {
  all: number;
  overdue: number;
  week: number;
  track: Record<string, number>;
  stage: Record<string, number>;
  district: Record<string, number>;
}

export interface InboxPage {
  filter: InboxFilter;
  rows: InboxRow[];
  /** rows the filter matches, over all pages */
  total: number;
  pages: number;
  /** the cursor of the page after this one, and of the one before it (null: there is none) */
  next: string | null;
  previous: string | null;
  counts: InboxCounts;
  /** the districts as the current program names them, for the filter and the rows */
  districts: District[];
  /** an enterprise that has no case yet: its empty inbox points to 申报 */
  enterpriseWithoutCase: boolean;
}

/** How one task of a bulk action ended, for the page's report and the API's answer. */
export interface BulkResult {
  taskId: string;
  caseId: string | null;
  enterpriseName: string | null;
  status: BulkStatus;
  /** why it was refused, "中文 (english)" */
  message: string | null;
  /** where the case stands afterwards (an approval) */
  stage: string | null;
}

export interface SavedFilter {
  id: string;
  name: string;
  filter: InboxFilter;
}

interface Deps {
  orm: Orm;
  programs: ProgramService;
  tasks: Pick<TaskService, 'visibleTask' | 'completeTask'>;
}

export type Sql = { sql: string; params: unknown[] };

/** The reader's open tasks, in SQL: named to them, or for their role within their jurisdiction (as openTasksFilter). */
function scopeOf(actor: Actor): Sql {
  const jurisdiction = actor.scopeId ? `(t."jurisdiction" is null or t."jurisdiction" = ?)` : `t."jurisdiction" is null`;
  return {
    sql: `t."status" = 'open' and t."assignee_role" = ? and (t."assignee_user_id" = ? or (t."assignee_user_id" is null and ${jurisdiction}))`,
    params: [actor.role, actor.userId, ...(actor.scopeId ? [actor.scopeId] : [])],
  };
}

/**
 * The inbox's order as one key: the due date, undated last whichever way it runs (an index on the
 * ascending key serves the usual order, soonest first).
 */
const sortKey = (descending: boolean) => (descending ? `coalesce(t."due_at", '-infinity'::timestamptz)` : `coalesce(t."due_at", 'infinity'::timestamptz)`);

/** The columns a row of the inbox shows: the task's, and of its case only what names it. */
const INBOX_COLUMNS = `t."id", t."case_id" as "caseId", t."kind", t."stage", t."subject", t."status", t."assignee_role" as "assigneeRole", t."jurisdiction",
       t."assignee_user_id" as "assigneeUserId", t."opened_at" as "openedAt", t."due_at" as "dueAt", t."adjusts_scores" as "adjustsScores",
       t."issues_certificate" as "issuesCertificate", t."claimed_by_user_id" as "claimedByUserId", t."claimed_by_name" as "claimedByName",
       t."claimed_at" as "claimedAt", c."enterprise_name" as "enterpriseName", c."enterprise_uscc" as "enterpriseUscc", c."track", c."district",
       c."program_id" as "programId", c."program_version" as "programVersion"`;

/** A search term inside LIKE: its own % and _ are letters, not wildcards. */
const contains = (term: string) => `%${term.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** The filter's conditions beyond the scope, in SQL. */
function conditionsOf(filter: InboxFilter, now: Date, timeZone: string): Sql {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql);
    params.push(...values);
  };
  if (filter.track) add(`c."track" = ?`, filter.track);
  if (filter.stage) add(`t."stage" = ?`, filter.stage);
  if (filter.district) add(`c."district" = ?`, filter.district);
  if (filter.due) {
    const { from, before } = dueWindow(filter.due, now, timeZone);
    if (from) add(`t."due_at" >= ?`, from);
    add(`t."due_at" < ?`, before);
  }
  if (filter.q) {
    const like = contains(filter.q);
    add(`(c."enterprise_name" ilike ? escape '!' or c."enterprise_uscc" ilike ? escape '!' or c."id" ilike ? escape '!')`, like, like, like);
  }
  return { sql: parts.map((p) => ` and ${p}`).join(''), params };
}

interface ListedRow {
  id: string;
  caseId: string;
  kind: string;
  stage: string;
  subject: string | null;
  status: string;
  assigneeRole: string;
  jurisdiction: string | null;
  assigneeUserId: string | null;
  openedAt: Date | string;
  dueAt: Date | string | null;
  adjustsScores: boolean;
  issuesCertificate: boolean;
  claimedByUserId: string | null;
  claimedByName: string | null;
  claimedAt: Date | string | null;
  enterpriseName: string;
  enterpriseUscc: string;
  track: string;
  district: string;
  programId: string;
  programVersion: number;
}

interface CountRow {
  track: string | null;
  stage: string | null;
  district: string | null;
  byTrack: number;
  byStage: number;
  byDistrict: number;
  count: number | string;
  overdue: number | string;
  week: number | string;
}

/**
 * A page of rows by keyset (after or before a cursor), or by position for an address without one;
 * one row more than the page, to know whether another page follows in the direction read. A page
 * before a cursor is read the other way round (backwards), to be turned back.
 */
export function rowsQuery(actor: Actor, filter: InboxFilter, limit: number, now: Date, timeZone: string): Sql & { backwards: boolean } {
  const scope = scopeOf(actor);
  const where = conditionsOf(filter, now, timeZone);
  const descending = filter.sort === '-due';
  const key = sortKey(descending);
  const after = filter.after ? decodeCursor(filter.after) : null;
  const before = !after && filter.before ? decodeCursor(filter.before) : null;
  const mark = after ?? before;
  const backwards = before !== null;
  const ascending = descending === backwards;
  const keyset = mark ? ` and (${key}, t."id") ${ascending ? '>' : '<'} (?::timestamptz, ?)` : '';
  const keysetParams = mark ? [mark.dueAt ?? (descending ? '-infinity' : 'infinity'), mark.id] : [];
  return {
    sql: `select ${INBOX_COLUMNS}
            from "tasks" t join "cases" c on c."id" = t."case_id"
           where ${scope.sql}${where.sql}${keyset}
           order by ${key} ${ascending ? 'asc' : 'desc'}, t."id" ${ascending ? 'asc' : 'desc'}
           limit ? offset ?`,
    params: [...scope.params, ...where.params, ...keysetParams, limit + 1, mark ? 0 : (filter.page - 1) * limit],
    backwards,
  };
}

/** How many rows the filter matches over all pages. */
export function totalQuery(actor: Actor, filter: InboxFilter, now: Date, timeZone: string): Sql {
  const scope = scopeOf(actor);
  const where = conditionsOf(filter, now, timeZone);
  // the case is read only when the filter asks about it (its track, district, name or code)
  const ofCase = filter.track !== undefined || filter.district !== undefined || filter.q !== undefined;
  const from = ofCase ? `"tasks" t join "cases" c on c."id" = t."case_id"` : `"tasks" t`;
  return { sql: `select count(*)::int as "total" from ${from} where ${scope.sql}${where.sql}`, params: [...scope.params, ...where.params] };
}

/** Every filter value's count over the reader's whole inbox, in one grouped query. */
export function countsQuery(actor: Actor, now: Date, timeZone: string): Sql {
  const scope = scopeOf(actor);
  return {
    sql: `select c."track", t."stage", c."district",
                 grouping(c."track") as "byTrack", grouping(t."stage") as "byStage", grouping(c."district") as "byDistrict",
                 count(*)::int as "count",
                 (count(*) filter (where t."due_at" < ?))::int as "overdue",
                 (count(*) filter (where t."due_at" >= ? and t."due_at" < ?))::int as "week"
            from "tasks" t join "cases" c on c."id" = t."case_id"
           where ${scope.sql}
           group by grouping sets ((c."track"), (t."stage"), (c."district"), ())`,
    params: [now, now, weekOf(now, timeZone).end, ...scope.params],
  };
}

/**
 * 我的待办: the reader's open tasks filtered, searched, ordered and counted in SQL (only the columns
 * a row shows); claims on an office's tasks; several tasks at once; saved filters.
 */
export function createInboxService({ orm, programs, tasks }: Deps) {
  const sql = () => orm.em.fork().getConnection();

  const currentProgram = (): Promise<ProgramDefinition | null> => programs.current().catch(() => null);

  /**
   * A page of rows by keyset (after or before a cursor), or by position for an address without one;
   * one row more than the page, to know whether another page follows in the direction read.
   */
  const listRows = async (actor: Actor, filter: InboxFilter, limit: number, now: Date, timeZone: string): Promise<{ rows: ListedRow[]; more: boolean; backwards: boolean }> => {
    const query = rowsQuery(actor, filter, limit, now, timeZone);
    const rows: ListedRow[] = await sql().execute(query.sql, query.params);
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    return { rows: query.backwards ? page.reverse() : page, more, backwards: query.backwards };
  };

  /** How many rows the filter matches over all pages. */
  const countRows = async (actor: Actor, filter: InboxFilter, now: Date, timeZone: string): Promise<number> => {
    const query = totalQuery(actor, filter, now, timeZone);
    const [row] = (await sql().execute(query.sql, query.params)) as { total: number }[];
    return Number(row?.total ?? 0);
  };

  /** Every filter value's count over the reader's whole inbox, in one grouped query. */
  const countAll = async (actor: Actor, now: Date, timeZone: string): Promise<InboxCounts> => {
    const query = countsQuery(actor, now, timeZone);
    const rows: CountRow[] = await sql().execute(query.sql, query.params);
    const counts: InboxCounts = { all: 0, overdue: 0, week: 0, track: {}, stage: {}, district: {} };
    for (const row of rows) {
      const count = Number(row.count);
      // grouping() is 0 for the column a row is grouped by
      if (Number(row.byTrack) === 0) counts.track[row.track ?? ''] = count;
      else if (Number(row.byStage) === 0) counts.stage[row.stage ?? ''] = count;
      else if (Number(row.byDistrict) === 0) counts.district[row.district ?? ''] = count;
      else Object.assign(counts, { all: count, overdue: Number(row.overdue), week: Number(row.week) });
    }
    return counts;
  };

  /** The checklist the task's case pinned, to name the item a self-compliance task is about. */
  const checklistOf = async (programId: string, version: number) => (await programs.version(programId, version).catch(() => null))?.selfCompliance ?? [];

  const toRow = async (actor: Actor, row: ListedRow, now: Date, timeZone: string, locale: Locale, districts: Map<string, string>): Promise<InboxRow> => {
    const { programVersion, ...task } = row;
    const claimable = heldByOffice(task);
    const title = taskTitle(task, task.kind === 'self_compliance_item' ? await checklistOf(task.programId, programVersion) : [], locale);
    return {
      ...task,
      openedAt: new Date(task.openedAt),
      dueAt: task.dueAt === null ? null : new Date(task.dueAt),
      claimedAt: task.claimedAt === null ? null : new Date(task.claimedAt),
      title,
      districtName: districts.get(task.district) ?? task.district,
      due: dueState(task.dueAt, now, timeZone),
      claimable,
      mine: claimable && task.claimedByUserId === actor.userId,
      heldBy: claimable ? heldByAnother(actor, task) : null,
      selectable: CREDIT_OFFICE_ROLES.has(actor.role) && selectable(task, claimable),
    };
  };

  const refuse = (refusal: ClaimRefusal | null) => {
    if (refusal) throw new AppError(refusal.code, refusal.message);
  };

  type Found = Awaited<ReturnType<typeof tasks.visibleTask>>;
  type Settled = Exclude<BulkStatus, 'refused'>;

  /** Claims an office's task for the actor: done, or already theirs. */
  const claim = async (actor: Actor, { task }: Found): Promise<Settled> => {
    refuse(claimRefusal(actor, task));
    if (task.claimedByUserId === actor.userId) return 'already';
    // one UPDATE decides between two officers claiming at once: the second finds it held
    const claimed = await orm.em.fork().nativeUpdate(TaskRecord, { id: task.id, status: 'open', claimedByUserId: null }, { claimedByUserId: actor.userId, claimedByName: actor.name, claimedAt: new Date() });
    if (claimed === 1) return 'done';
    refuse(claimRefusal(actor, (await tasks.visibleTask(actor, task.id)).task));
    return 'already';
  };

  /** Releases a claim: by its holder, or an admin; a task nobody holds is released already. */
  const release = async (actor: Actor, { task }: Found): Promise<Settled> => {
    refuse(releaseRefusal(actor, task));
    if (!task.claimedByUserId) return 'already';
    const released = await orm.em.fork().nativeUpdate(TaskRecord, { id: task.id, status: 'open', claimedByUserId: task.claimedByUserId }, { claimedByUserId: null, claimedByName: null, claimedAt: null });
    if (released === 1) return 'done';
    const now = (await tasks.visibleTask(actor, task.id)).task;
    refuse(releaseRefusal(actor, now));
    return now.claimedByUserId ? 'done' : 'already';
  };

  /** One review approved as part of several, through the same use case as one; approved by the actor before is "already". */
  const approve = async (actor: Actor, { task, record }: Found, comment: string | undefined): Promise<{ status: Settled; stage: string }> => {
    if (task.status === 'completed' && task.completedBy === actor.userId && task.outcome === 'approve') return { status: 'already', stage: record.stage };
    const refusal = bulkApprovalRefusal(task);
    if (refusal) throw new AppError('unprocessable', refusal);
    const after = await tasks.completeTask(actor, task.id, { outcome: 'approve', ...(comment ? { comment } : {}) });
    return { status: 'done', stage: after.stage };
  };

  /** A refusal on its task's line: one task's failure never stops the others. */
  const refused = (about: Pick<BulkResult, 'taskId' | 'caseId' | 'enterpriseName'>, action: string, error: unknown): BulkResult => {
    const appError = toAppError(error);
    if (appError.code === 'internal') console.error(`[inbox] bulk ${action} ${about.taskId}:`, loggable(error));
    return { ...about, status: 'refused', message: appError.message, stage: null };
  };

  const bulkOne = async (actor: Actor, action: BulkBody['action'], taskId: string, comment: string | undefined): Promise<BulkResult> => {
    let found: Found;
    try {
      found = await tasks.visibleTask(actor, taskId);
    } catch (error) {
      return refused({ taskId, caseId: null, enterpriseName: null }, action, error);
    }
    const about = { taskId, caseId: found.record.id, enterpriseName: found.record.enterpriseName };
    try {
      if (action === 'approve') return { ...about, ...(await approve(actor, found, comment)), message: null };
      const status = action === 'claim' ? await claim(actor, found) : await release(actor, found);
      return { ...about, status, message: null, stage: null };
    } catch (error) {
      return refused(about, action, error);
    }
  };

  /** Bulk actions are the offices' way of working (before the request's body is even read). */
  const requireBulkActor = (actor: Actor): void => {
    if (!CREDIT_OFFICE_ROLES.has(actor.role)) throw new AppError('forbidden', '批量办理仅供各级信用办使用 (bulk actions are for the credit offices)');
  };

  return {
    /** A page of the reader's inbox as the filter asks, with every filter value's count. */
    async list(actor: Actor, filter: InboxFilter, options: { limit?: number; locale?: Locale; now?: Date } = {}): Promise<InboxPage> {
      const { limit = INBOX_PAGE_SIZE, locale = 'zh-CN', now = new Date() } = options;
      const program = await currentProgram();
      const timeZone = program?.timeZone ?? DEFAULT_TIME_ZONE;
      // an unnarrowed list's total is the counts' "all": counted once
      const narrowed = isNarrowed(filter);
      const [listed, counts, narrowedTotal] = await Promise.all([listRows(actor, filter, limit, now, timeZone), countAll(actor, now, timeZone), narrowed ? countRows(actor, filter, now, timeZone) : null]);
      const total = narrowedTotal ?? counts.all;
      const districts = program?.districts ?? [];
      const names = new Map(districts.map((d) => [d.code, d.name]));
      const rows = await Promise.all(listed.rows.map((row) => toRow(actor, row, now, timeZone, locale, names)));
      const first = listed.rows[0];
      const last = listed.rows.at(-1);
      const cursorOf = (row: ListedRow) => encodeCursor({ dueAt: row.dueAt === null ? null : new Date(row.dueAt).toISOString(), id: row.id });
      // read backwards, "more" lies before the page; read forwards, after it
      const next = last && (listed.backwards || listed.more) ? cursorOf(last) : null;
      const previous = first && filter.page > 1 && (!listed.backwards || listed.more) ? cursorOf(first) : null;
      const enterpriseWithoutCase = actor.role === 'enterprise' && counts.all === 0 && (await orm.em.fork().count(CaseRecord, { enterpriseUscc: actor.scopeId ?? '' })) === 0;
      return { filter, rows, total, pages: Math.max(1, Math.ceil(total / limit)), next, previous, counts, districts, enterpriseWithoutCase };
    },

    /** 认领: the reader takes an office's task; colleagues see who holds it and cannot complete it meanwhile. */
    async claim(actor: Actor, taskId: string): Promise<{ status: Settled; claimedByName: string }> {
      return { status: await claim(actor, await tasks.visibleTask(actor, taskId)), claimedByName: actor.name };
    },

    /** 释放: the task is the whole office's again. */
    async release(actor: Actor, taskId: string): Promise<{ status: Settled }> {
      return { status: await release(actor, await tasks.visibleTask(actor, taskId)) };
    },

    requireBulkActor,

    /**
     * Several tasks at once, each through the same use case as one: the answer says of each what
     * happened. Sending the same again changes nothing (approved, claimed or released already).
     */
    async bulk(actor: Actor, body: BulkBody): Promise<BulkResult[]> {
      requireBulkActor(actor);
      const ids = [...new Set(body.taskIds)];
      const results: BulkResult[] = new Array(ids.length);
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const at = next++;
          results[at] = await bulkOne(actor, body.action, ids[at]!, body.comment);
        }
      };
      await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ids.length) }, worker));
      return results;
    },

    /** The reader's saved filters, by name. */
    async savedFilters(actor: Actor): Promise<SavedFilter[]> {
      const rows = await orm.em.fork().find(InboxSavedFilterRecord, { userId: actor.userId }, { orderBy: { name: 'asc' } });
      return rows.map(({ id, name, filter }) => ({ id, name, filter }));
    },

    /** Keeps the filter under a name; the same name again replaces what it held. */
    async saveFilter(actor: Actor, name: string, filter: InboxFilter): Promise<SavedFilter> {
      const em = orm.em.fork();
      const kept = savedPart(filter);
      const existing = await em.findOne(InboxSavedFilterRecord, { userId: actor.userId, name });
      if (existing) {
        existing.filter = kept;
        await em.flush();
        return { id: existing.id, name, filter: kept };
      }
      if ((await em.count(InboxSavedFilterRecord, { userId: actor.userId })) >= SAVED_FILTERS_MAX) {
        throw new AppError('unprocessable', `最多保存 ${SAVED_FILTERS_MAX} 个常用筛选，请先删除不用的 (at most ${SAVED_FILTERS_MAX} saved filters: delete one first)`, [{ path: 'name', rule: `最多 ${SAVED_FILTERS_MAX} 个 (at most ${SAVED_FILTERS_MAX})` }]);
      }
      const record = em.create(InboxSavedFilterRecord, { id: crypto.randomUUID(), userId: actor.userId, name, filter: kept, createdAt: new Date() });
      try {
        await em.flush();
      } catch (error) {
        // the same name saved a moment ago from another window
        if (error instanceof UniqueConstraintViolationException) throw new AppError('conflict', `已有名为「${name}」的常用筛选 (a saved filter has this name already)`, [{ path: 'name', rule: '换一个名称 (choose another name)' }]);
        throw error;
      }
      return { id: record.id, name, filter: kept };
    },

    /** Deletes one of the reader's own saved filters; anyone else's does not exist for them. */
    async deleteFilter(actor: Actor, id: string): Promise<void> {
      const deleted = await orm.em.fork().nativeDelete(InboxSavedFilterRecord, { id, userId: actor.userId });
      if (!deleted) throw new AppError('not_found', '没有这个常用筛选 (no such saved filter)');
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
