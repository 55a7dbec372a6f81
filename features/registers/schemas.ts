import { z } from 'zod';
import { TRACKS } from '../../domain/program/types.ts';
import { usccSchema } from '../cases/schemas.ts';
import { line, paragraph, pathParams, safeString } from '../validation.ts';

/** The import file as JSON text (at most the API's 1 MB body): JSON keeps the body's checks and Idempotency-Key fingerprint. */
export const certificateImportBody = z.strictObject({
  csv: safeString({ multiline: true }).min(1, '必填：CSV 文件内容 (required: the CSV text)'),
});

export const certificateListQuery = z.strictObject({
  uscc: usccSchema.optional(),
  track: z.enum(TRACKS, { error: `应为 ${TRACKS.join(', ')} 之一 (must be one of ${TRACKS.join(', ')})` }).optional(),
});

export const revokeBody = z.strictObject({ reason: paragraph(1000) });

const phone = safeString().trim().regex(/^[0-9+\-() ]{7,20}$/, '应为7至20位电话号码 (must be a phone number of 7 to 20 digits)');

const agencyFields = {
  name: line(100),
  contactPerson: line(50),
  contactPhone: phone,
  address: line(200),
  active: z.boolean({ error: '应为 true 或 false (must be true or false)' }),
};

export const agencyCreateBody = z.strictObject({
  /** the agency's id (its consultants' scope); made from a random suffix when not given */
  id: pathParams.agencyId.optional(),
  uscc: usccSchema,
  ...agencyFields,
  active: agencyFields.active.default(true),
});

export const agencyUpdateBody = z
  .strictObject({
    name: agencyFields.name.optional(),
    contactPerson: agencyFields.contactPerson.optional(),
    contactPhone: agencyFields.contactPhone.optional(),
    address: agencyFields.address.optional(),
    active: agencyFields.active.optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), '至少修改一项 (change at least one field)');

export const agencyConsultantBody = z.strictObject({
  name: line(50),
  email: safeString().trim().toLowerCase().pipe(z.email('应为电子邮箱地址 (must be an e-mail address)').max(200, '最多 200 个字符 (at most 200 characters)')),
  password: z.string().min(8, '初始密码至少 8 位 (at least 8 characters)').max(200, '最多 200 个字符 (at most 200 characters)'),
});
