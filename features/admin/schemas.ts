import { z } from 'zod';
import { AUDIT_KINDS } from '../../domain/audit/auditTrail.ts';
import { ROLES } from '../../domain/identity/roles.ts';
import { TRACKS } from '../../domain/program/types.ts';
import { usccSchema } from '../cases/schemas.ts';
import { line, pathParams, safeString } from '../validation.ts';

export const userIdParam = z.uuid('应为用户编号 (must be a user id, a UUID)');

export const emailSchema = safeString()
  .trim()
  .toLowerCase()
  .pipe(z.email('应为电子邮箱地址 (must be an e-mail address)').max(200, '最多 200 个字符 (at most 200 characters)'));

const role = z.enum(ROLES, { error: `应为 ${ROLES.join(', ')} 之一 (must be one of ${ROLES.join(', ')})` });
/** a district code, an agency id or a USCC, by the role; empty for the city-wide roles (the use case checks which) */
const scopeId = safeString().trim().max(64, '最多 64 个字符 (at most 64 characters)').nullable().optional();
const locale = z.enum(['zh-CN', 'en'], { error: '应为 zh-CN 或 en (must be zh-CN or en)' });

export const inviteBody = z.strictObject({
  email: emailSchema,
  name: line(50),
  role,
  scopeId,
  /** the language of the mail and of the user's pages */
  locale: locale.default('zh-CN'),
});
export type InviteBody = z.infer<typeof inviteBody>;

export const userUpdateBody = z
  .strictObject({ name: line(50).optional(), role: role.optional(), scopeId })
  .refine((body) => Object.values(body).some((v) => v !== undefined), '至少修改一项 (change at least one field)');
export type UserUpdateBody = z.infer<typeof userUpdateBody>;

export const USER_STATUSES = ['active', 'invited', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const userListQuery = z.strictObject({
  q: safeString().trim().max(100, '最多 100 个字符 (at most 100 characters)').optional(),
  role: role.optional(),
  status: z.enum(USER_STATUSES, { error: `应为 ${USER_STATUSES.join(', ')} 之一 (must be one of ${USER_STATUSES.join(', ')})` }).optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;

const isoDate = safeString()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期，如 2026-10-01 (must be a date such as 2026-10-01)');

export const auditQuery = z
  .strictObject({
    person: safeString().trim().max(100, '最多 100 个字符 (at most 100 characters)').optional(),
    uscc: usccSchema.optional(),
    caseId: pathParams.caseId.optional(),
    kind: z.enum(AUDIT_KINDS, { error: `应为 ${AUDIT_KINDS.join(', ')} 之一 (must be one of ${AUDIT_KINDS.join(', ')})` }).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '结束日期不能早于开始日期 (the end date is before the start date)', path: ['to'] });
export type AuditQuery = z.infer<typeof auditQuery>;

export const cloneBody = z.strictObject({
  year: z.coerce.number({ error: '应为年份 (must be a year)' }).int('应为年份 (must be a year)').min(2000, '应为 2000–2100 年 (a year 2000–2100)').max(2100, '应为 2000–2100 年 (a year 2000–2100)'),
});

const dateList = (max: number) => z.array(safeString().trim().max(20, '应为日期，如 2026-10-01 (must be a date such as 2026-10-01)')).max(max, `最多 ${max} 个日期 (at most ${max} dates)`);

/** The year's working-day exceptions: the dates themselves are checked by the domain (calendarProblems), all at once. */
export const calendarBody = z.strictObject({
  holidays: dateList(400),
  adjustedWorkingDays: dateList(100),
  rollDeadlinesToWorkingDay: z.boolean({ error: '应为 true 或 false (must be true or false)' }),
  /** the version the admin edited: a change someone made meanwhile is not overwritten (409) */
  baseVersion: z.coerce.number().int().min(1).optional(),
});
export type CalendarBody = z.infer<typeof calendarBody>;

const quota = z.coerce
  .number({ error: '应为名额数，0 至 999 的整数 (must be a whole number 0–999)' })
  .int('应为名额数，0 至 999 的整数 (must be a whole number 0–999)')
  .min(0, '应为名额数，0 至 999 的整数 (must be a whole number 0–999)')
  .max(999, '应为名额数，0 至 999 的整数 (must be a whole number 0–999)');
const perTrack = z.partialRecord(z.enum(TRACKS, { error: `应为 ${TRACKS.join(', ')} 之一 (must be one of ${TRACKS.join(', ')})` }), quota);

/** Attachment 1: each district's quota per track, and a demonstration track's city-wide target. */
export const quotasBody = z.strictObject({
  districts: z.record(safeString().regex(/^[a-z0-9-]{1,64}$/, '应为镇（区）代码 (must be a district code)'), perTrack),
  city: perTrack.default({}),
  baseVersion: z.coerce.number().int().min(1).optional(),
});
export type QuotasBody = z.infer<typeof quotasBody>;

/** The set-password form: a new password, typed twice. */
export const setPasswordBody = z
  .strictObject({
    password: z.string().min(8, '密码至少 8 位 (at least 8 characters)').max(200, '最多 200 个字符 (at most 200 characters)'),
    confirm: z.string(),
  })
  .refine((body) => body.password === body.confirm, { message: '两次输入的密码不一致 (the two passwords differ)', path: ['confirm'] });

/** The token of a set-password link, as the mail carries it (base64url). */
export const setPasswordToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);
