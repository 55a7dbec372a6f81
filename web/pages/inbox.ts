import type { Express, Request, Response } from 'express';
import { labelsFor, type Locale } from '../../domain/i18n/labels.ts';
import { CREDIT_OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import type { BulkAction } from '../../domain/inbox/bulk.ts';
import { DEFAULT_FILTER, filterQuery, isNarrowed, type DueState, type InboxFilter } from '../../domain/inbox/inboxFilter.ts';
import { TRACKS } from '../../domain/program/types.ts';
import { parseInput, toAppError } from '../../features/errors.ts';
import type { BulkResult, InboxPage, InboxRow } from '../../features/tasks/inboxService.ts';
import { bulkBody, inboxFilterSchema, savedFilterBody, savedFilterId } from '../../features/tasks/inboxSchemas.ts';
import { loggable } from '../../infra/db/dbErrors.ts';
import { field, fields, type FormBody } from '../forms.ts';
import { TRACK_LABELS } from '../helpers.ts';
import { translate } from '../i18n/i18n.ts';
import type { PageKit } from '../pageKit.ts';

/** Up to this many tasks an inbox is read at a glance, without filters. */
const FEW_TASKS = 5;

/** The inbox's address for the filter with a change; any change but paging starts again at the first page. */
const href = (filter: InboxFilter, change: Partial<InboxFilter> = {}) => {
  const query = filterQuery(filter, { page: 1, after: undefined, before: undefined, ...change });
  return query ? `/tasks?${query}` : '/tasks';
};

/** 上一页 / 下一页 by the page's cursors; the first page needs none. */
function pagerOf(filter: InboxFilter, page: Pick<InboxPage, 'pages' | 'next' | 'previous'>) {
  const previous = filter.page <= 1 ? null : filter.page === 2 || !page.previous ? href(filter) : href(filter, { page: filter.page - 1, before: page.previous });
  return { page: filter.page, pages: Math.max(page.pages, filter.page), previous, next: page.next ? href(filter, { page: filter.page + 1, after: page.next }) : null };
}

/** A task's days in the reader's words: 剩 3 天, 今日到期, 已逾期 2 天. */
function daysText(due: DueState, locale: Locale): string {
  const t = (key: string, count?: number) => translate(locale, `inbox.days.${key}`, { count });
  if (due.kind === 'undated') return '';
  if (due.kind === 'overdue') return due.days === 0 ? t('overdueToday') : due.days === 1 ? t('overdueOneDay') : t('overdue', due.days);
  return due.days === 0 ? t('today') : due.days === 1 ? t('tomorrow') : t('left', due.days);
}

/** The filter a form carried back in its hidden field (the list it was sent from); our own echo, so a bad one is simply the default. */
function carriedFilter(body: FormBody): InboxFilter {
  const parsed = inboxFilterSchema.safeParse(Object.fromEntries(new URLSearchParams(field(body, 'filter'))));
  return parsed.success ? parsed.data : DEFAULT_FILTER;
}

/** A select's choices with their counts, the chosen one marked. */
const choices = (values: readonly string[], counts: Record<string, number>, chosen: string | undefined, label: (value: string) => string) =>
  values.map((value) => ({ value, label: label(value), count: counts[value] ?? 0, selected: value === chosen }));

/** 我的待办: the tasks the actor may work on, filtered and counted; claims, bulk actions and saved filters. */
export function inboxPages(web: Express, kit: PageKit): void {
  const { services, render, signedIn, actorOf, bodyOf, taskIdOf } = kit;
  const localeOf = (res: Response) => res.locals.locale as Locale;

  const rowView = (row: InboxRow, locale: Locale) => ({
    ...row,
    daysText: daysText(row.due, locale),
    overdue: row.due.kind === 'overdue',
    soon: row.due.kind === 'due' && row.due.days <= 3,
  });

  const bulkView = (action: BulkAction, results: BulkResult[]) => ({
    action,
    results,
    done: results.filter((r) => r.status === 'done').length,
    already: results.filter((r) => r.status === 'already').length,
    refused: results.filter((r) => r.status === 'refused').length,
  });

  const inboxModel = async (actor: Actor, locale: Locale, filter: InboxFilter, extra: Record<string, unknown> = {}) => {
    const [page, saved] = await Promise.all([services.inbox.list(actor, filter, { locale }), services.inbox.savedFilters(actor)]);
    const labels = labelsFor(locale);
    const { counts } = page;
    const query = filterQuery(filter);
    const currentSaved = filterQuery({ ...filter, page: 1 });
    const stages = [...new Set([...Object.keys(counts.stage), ...(filter.stage ? [filter.stage] : [])])];
    const districtCodes = page.districts.map((d) => d.code);
    const narrowed = isNarrowed(filter);
    const districtName = (code: string) => page.districts.find((d) => d.code === code)?.name ?? code;
    const moreChosen = [filter.track, filter.stage, filter.district].filter(Boolean).length + (filter.sort === DEFAULT_FILTER.sort ? 0 : 1);
    return {
      title: translate(locale, 'inbox.title'),
      // six columns and a bulk form: the wider page (an empty inbox reads better narrow)
      wide: counts.all > 0,
      filter,
      query,
      rows: page.rows.map((row) => rowView(row, locale)),
      total: page.total,
      counts,
      empty: counts.all === 0,
      // an enterprise's or a consultant's few tasks need no filters; an office's pile does
      showFilters: CREDIT_OFFICE_ROLES.has(actor.role) || counts.all > FEW_TASKS || narrowed,
      narrowed,
      enterpriseWithoutCase: page.enterpriseWithoutCase,
      mayBulk: page.rows.some((row) => row.selectable),
      forwardWaiting: page.rows.some((row) => row.kind === 'forward'),
      quick: [
        { key: 'all', href: href(filter, { due: undefined }), count: counts.all, current: !filter.due },
        { key: 'overdue', href: href(filter, { due: 'overdue' }), count: counts.overdue, current: filter.due === 'overdue', alert: counts.overdue > 0 },
        { key: 'week', href: href(filter, { due: 'week' }), count: counts.week, current: filter.due === 'week' },
      ],
      tracks: choices(TRACKS, counts.track, filter.track, (id) => labels.track(id, TRACK_LABELS[id] ?? id)),
      stages: choices(stages, counts.stage, filter.stage, (stage) => labels.stage(stage)),
      // a district office sees its own district only: the choice is for the offices above
      districts: districtCodes.length && (Object.keys(counts.district).length > 1 || filter.district) ? choices(districtCodes, counts.district, filter.district, districtName) : null,
      moreChosen,
      sortLink: { href: href(filter, { sort: filter.sort === 'due' ? '-due' : 'due' }), ascending: filter.sort === 'due' },
      pager: page.pages > 1 || page.next || page.previous ? pagerOf(filter, page) : null,
      savedFilters: saved.map((s) => ({ ...s, href: href(s.filter), current: filterQuery(s.filter) === currentSaved })),
      maySave: narrowed || filter.sort !== DEFAULT_FILTER.sort,
      ...extra,
    };
  };

  /** The inbox again, with what the form's request answered (an error, a bulk report). */
  const showInbox = async (req: Request, res: Response, filter: InboxFilter, extra: Record<string, unknown> = {}, status = 200) =>
    render(res, 'tasks', await inboxModel(actorOf(req), localeOf(res), filter, extra), status);

  /** A form's request on the inbox: done → back to the list it came from; refused → the list with the reason. */
  const inboxAction = (act: (req: Request, actor: Actor, body: FormBody) => Promise<void>) => async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const body = bodyOf(req);
    const filter = carriedFilter(body);
    try {
      await act(req, actor, body);
      res.redirect(303, href(filter, { page: filter.page, after: filter.after, before: filter.before }));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      await showInbox(req, res, filter, { error: appError }, appError.status);
    }
  };

  web.get('/tasks', signedIn, async (req, res) => {
    const parsed = inboxFilterSchema.safeParse(req.query);
    if (!parsed.success) {
      // the list as it is unfiltered, with the bad parameter named
      const error = toAppError(parsed.error);
      return showInbox(req, res, DEFAULT_FILTER, { error }, error.status);
    }
    await showInbox(req, res, parsed.data);
  });

  web.post('/tasks/:id/claim', signedIn, inboxAction(async (req, actor) => void (await services.inbox.claim(actor, taskIdOf(req)))));
  web.post('/tasks/:id/release', signedIn, inboxAction(async (req, actor) => void (await services.inbox.release(actor, taskIdOf(req)))));

  web.post('/tasks/filters', signedIn, inboxAction(async (_req, actor, body) => {
    const { page: _page, ...filter } = carriedFilter(body);
    const saved = parseInput(savedFilterBody, { name: field(body, 'name'), filter }, 'savedFilter');
    await services.inbox.saveFilter(actor, saved.name, { ...saved.filter, page: 1 });
  }));

  web.post('/tasks/filters/:filterId/delete', signedIn, inboxAction(async (req, actor) => {
    await services.inbox.deleteFilter(actor, parseInput(savedFilterId, req.params.filterId, 'filterId'));
  }));

  // several tasks at once: the page reports each (no redirect: the report is the answer; sending it again changes nothing)
  web.post('/tasks/bulk', signedIn, async (req, res) => {
    const actor = actorOf(req);
    services.inbox.requireBulkActor(actor);
    const body = bodyOf(req);
    const filter = carriedFilter(body);
    try {
      const action = field(body, 'action');
      const parsed = parseInput(bulkBody, { action, taskIds: fields(body, 'taskIds'), ...(field(body, 'comment').trim() ? { comment: field(body, 'comment') } : {}) });
      const results = await services.inbox.bulk(actor, parsed);
      await showInbox(req, res, filter, { bulk: bulkView(parsed.action, results) });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') console.error(`[web] ${req.method} ${req.path}:`, loggable(error));
      await showInbox(req, res, filter, { error: appError, bulkComment: field(body, 'comment'), selected: fields(body, 'taskIds') }, appError.status);
    }
  });
}
