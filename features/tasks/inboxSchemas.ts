import { z } from 'zod';
import { STAGE_LABELS } from '../../domain/case/model.ts';
import { BULK_ACTIONS, BULK_LIMIT } from '../../domain/inbox/bulk.ts';
import { decodeCursor } from '../../domain/inbox/cursor.ts';
import { DUE_FILTERS, INBOX_SORTS } from '../../domain/inbox/inboxFilter.ts';
import { TRACKS } from '../../domain/program/types.ts';
import { line, pathParams, safeString } from '../validation.ts';

/** A GET form sends an empty field for "all": that is no filter, not a bad value. */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `应为 ${values.join('、')} 之一 (must be one of ${values.join(', ')})` });
const STAGES = Object.keys(STAGE_LABELS) as [string, ...string[]];
const wholeNumber = (min: number, max: number, rule: string) =>
  z.coerce.number({ error: rule }).int(rule).min(min, rule).max(max, rule);

/** A page's cursor as the inbox's own links carry it. */
const cursor = z.string().refine((text) => decodeCursor(text) !== null, { error: '翻页位置无效，请从第一页重新查看 (not a cursor of this inbox: start again from the first page)' });

/** The inbox's filter as the query string carries it (GET /tasks, GET /api/tasks); a bad value is a 400 naming it. */
export const inboxFilterSchema = z.object({
  track: z.preprocess(blank, oneOf(TRACKS).optional()),
  stage: z.preprocess(blank, z.enum(STAGES, { error: '应为办理环节的代号，如 district_review (must be a stage, e.g. district_review)' }).optional()),
  district: z.preprocess(blank, safeString().regex(/^[a-z][a-z0-9_-]{0,31}$/, '应为镇（区）代号，如 shaxi (must be a district code, e.g. shaxi)').optional()),
  due: z.preprocess(blank, oneOf(DUE_FILTERS).optional()),
  q: z.preprocess(blank, safeString().trim().max(100, '最多 100 个字符 (at most 100 characters)').optional()),
  sort: z.preprocess(blank, oneOf(INBOX_SORTS).default('due')),
  page: z.preprocess(blank, wholeNumber(1, 10_000, '页码应为 1 到 10000 的整数 (must be a whole number from 1 to 10000)').default(1)),
  after: z.preprocess(blank, cursor.optional()),
  before: z.preprocess(blank, cursor.optional()),
});

/** The API's query: the filter, and how many rows at most (all of an inbox, by default, as before pages existed). */
export const inboxApiQuery = inboxFilterSchema.extend({
  limit: z.preprocess(blank, wholeNumber(1, 500, '每页条数应为 1 到 500 的整数 (must be a whole number from 1 to 500)').optional()),
});

/** A filter saved under a name: POST /api/tasks/filters. */
export const savedFilterBody = z.strictObject({
  name: line(40),
  filter: inboxFilterSchema.omit({ page: true, after: true, before: true }).strict().default({ sort: 'due' }),
});

export const savedFilterId = z.uuid('应为常用筛选的编号 (must be the id of a saved filter)');

/** Several tasks at once: POST /api/tasks/bulk. */
export const bulkBody = z.strictObject({
  action: oneOf(BULK_ACTIONS),
  taskIds: z
    .array(pathParams.taskId, { error: '请选择待办 (choose the tasks)' })
    .min(1, '请至少勾选一项待办 (choose at least one task)')
    .max(BULK_LIMIT, `一次最多办理 ${BULK_LIMIT} 项 (at most ${BULK_LIMIT} tasks at once)`),
  comment: safeString({ multiline: true }).trim().max(2000, '最多 2000 个字符 (at most 2000 characters)').optional(),
});
export type BulkBody = z.infer<typeof bulkBody>;
