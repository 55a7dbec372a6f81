import { z } from 'zod';
import { CASE_STATUSES, OUTCOMES } from '../../domain/case/model.ts';
import type { LEVEL_CHOICES } from '../../domain/evaluation/rubric.ts';
import { USCC_RULE_MESSAGES, usccProblem } from '../../domain/identity/uscc.ts';
import { TRACKS } from '../../domain/program/types.ts';
import { localDate } from '../../domain/program/calendar.ts';
import { line, paragraph, pathParams, safeString } from '../validation.ts';

export const usccSchema = safeString()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: USCC_RULE_MESSAGES[problem] });
  });

export const isoDate = z.iso.date('应为日期 YYYY-MM-DD (must be a date YYYY-MM-DD)');
/** A date that has already come (Asia/Shanghai): findings and founding dates are never in the future. */
const pastDate = isoDate.refine((date) => date <= localDate(new Date(), 'Asia/Shanghai'), '不能晚于今天 (must not be in the future)');
const text = line;
const fileId = z.uuid('应为已上传文件的编号 (must be the id of an uploaded file)');

/** Attachment 2 (江苏省信用管理贯标企业申报表) and the declarations of the application conditions. */
export const applicationSchema = z.strictObject({
  enterpriseName: safeString().trim().min(2, '必填，至少2个字 (required, at least 2 characters)').max(100, '最多 100 个字符 (at most 100 characters)'),
  uscc: usccSchema,
  legalRepresentative: text(50),
  // checked against GB 11643 by the use case, which knows today's date (a correction may hand back the masked number)
  legalRepresentativeIdNumber: safeString().trim().toUpperCase().min(1, '必填 (required)').max(18, '应为18位 (must be 18 characters)'),
  foundedOn: pastDate,
  registeredCapital: z.coerce.number({ error: '应为金额（万元）(must be an amount in 万元)' }).positive('应大于0 (must be more than 0)').max(1e9, '金额过大 (too large)'),
  industry: text(100),
  district: text(50),
  registeredAddress: text(200),
  businessAddress: text(200),
  postCode: safeString().trim().regex(/^\d{6}$/, '应为6位数字 (must be 6 digits)'),
  contactPhone: safeString().trim().regex(/^[0-9+\-() ]{7,20}$/, '应为7至20位电话号码 (must be a phone number of 7 to 20 digits)'),
  fax: safeString().trim().regex(/^([0-9+\-() ]{7,20})?$/, '应为7至20位传真号码，或留空 (must be a fax number of 7 to 20 digits, or empty)').default(''),
  mainBusiness: paragraph(1000),
  reasons: safeString({ multiline: true }).trim().min(10, '必填，至少10个字 (required, at least 10 characters)').max(2000, '最多 2000 个字符 (at most 2000 characters)'),
  independentLegalPerson: z.boolean({ error: '应为 true 或 false (must be true or false)' }),
  declaresNoSeriousDishonesty: z.boolean({ error: '应为 true 或 false (must be true or false)' }),
  creditReportFileId: z.uuid('应为已上传的企业近三年信用信息查询报告 (must be the id of an uploaded file: 企业近三年信用信息查询报告)'),
});

/**
 * A draft may be incomplete but not of the wrong types. It never holds the identity number: that
 * is typed when the application is submitted, and kept only in the register.
 */
export const draftSchema = z.strictObject({
  application: applicationSchema
    .omit({ legalRepresentativeIdNumber: true })
    .partial()
    .extend({ legalRepresentativeIdNumber: z.never({ error: '草稿不保存身份证号，请在提交时填写 (drafts do not keep the identity number: type it when you submit)' }).optional() }),
});

export const submitApplicationBody = z.strictObject({
  programId: pathParams.programId.optional(),
  track: z.enum(TRACKS, { error: `应为 ${TRACKS.join(', ')} 之一 (must be one of ${TRACKS.join(', ')})` }).default('standard'),
  application: applicationSchema,
});
export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;

const level = z.enum(['full', 'half', 'zero'] satisfies typeof LEVEL_CHOICES, { error: '应为 full、half 或 zero (must be full, half or zero)' });
const rubricItemId = safeString().regex(/^\d{1,2}(\.\d{1,2}){1,2}$/, '应为评分项编号，如 4.1 (must be a rubric item id such as 4.1)');

/** A case material's key, as the package names them (contract, survey_report, work_plan, …). */
const materialKey = safeString().regex(/^[a-z][a-z_]{1,63}$/, '应为材料名称 (must be a material key such as contract)');
/** A local date and time (Asia/Shanghai), as a form's datetime-local field sends it. */
const localDateTime = safeString().regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, '应为日期时间 YYYY-MM-DDTHH:MM (must be a local date and time)');

export const acceptanceSchema = z.strictObject({
  workSummaryFileId: fileId,
  internalEvaluationFileId: fileId,
  commitmentLetterFileId: fileId,
  selfEvaluation: z.strictObject({
    scores: z.record(rubricItemId, level),
    evidence: z.record(rubricItemId, z.array(fileId).max(20, '每项最多 20 个文件 (at most 20 files per item)')).default({}),
  }),
});

/** One shape for every task; which parts a task needs is the domain's rule (completionRefusal). */
export const completeTaskBody = z.strictObject({
  outcome: z.enum(OUTCOMES, { error: `应为 ${OUTCOMES.join(', ')} 之一 (must be one of ${OUTCOMES.join(', ')})` }),
  comment: safeString({ multiline: true }).max(2000, '最多 2000 个字符 (at most 2000 characters)').nullish(),
  application: applicationSchema.optional(),
  fields: z.record(safeString().regex(/^[a-zA-Z]{1,64}$/, '应为字段名 (must be a field name)'), safeString({ multiline: true }).max(2000, '最多 2000 个字符 (at most 2000 characters)')).optional(),
  fileIds: z.array(fileId).max(20, '最多 20 个文件 (at most 20 files)').optional(),
  acceptance: acceptanceSchema.optional(),
  scoreAdjustments: z
    .array(
      z
        .strictObject({ itemId: rubricItemId, level, comment: safeString({ multiline: true }).trim().max(500, '最多 500 个字符 (at most 500 characters)') })
        // the reason is asked for by item, as the sheet names it
        .superRefine((adjustment, ctx) => {
          if (!adjustment.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: `第${adjustment.itemId}项：请说明调整理由 (item ${adjustment.itemId}: say why the score changes)` });
        }),
    )
    .max(200, '最多 200 项 (at most 200 items)')
    .optional(),
  certificate: z.strictObject({ number: safeString().trim().min(1, '通过验收时请填写证书编号 (required when acceptance passes)').max(100, '最多 100 个字符 (at most 100 characters)'), issuedOn: isoDate }).optional(),
  // the demonstration tracks' tasks
  materials: z.record(materialKey, fileId).optional(),
  agencyId: safeString().trim().regex(/^[a-z0-9-]{2,64}$/, '应为信用服务机构编号 (must be the id of a credit service agency)').optional(),
  consultantUserId: z.uuid('应为顾问用户编号 (must be the id of a consultant user)').optional(),
  freeOfCharge: z.boolean({ error: '应为 true 或 false (must be true or false)' }).optional(),
  filing: z.strictObject({ number: text(100), filedOn: isoDate }).optional(),
  survey: z.strictObject({ at: localDateTime, place: text(200) }).optional(),
  findings: z.array(z.strictObject({ itemId: rubricItemId, finding: paragraph(2000) })).min(1, '请至少填写一条诊断意见 (at least one finding)').max(200, '最多 200 条 (at most 200 findings)').optional(),
  evaluation: acceptanceSchema.shape.selfEvaluation.optional(),
  correctionDueOn: isoDate.optional(),
});
export type CompleteTaskBody = z.infer<typeof completeTaskBody>;

export const extensionBody = z.strictObject({
  programId: pathParams.programId,
  track: z.enum(TRACKS, { error: `应为 ${TRACKS.join(', ')} 之一 (must be one of ${TRACKS.join(', ')})` }).default('standard'),
  uscc: usccSchema,
  deadline: pathParams.deadline,
  /** the new local date and time (Asia/Shanghai) */
  dueDate: isoDate,
  dueTime: safeString().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, '应为时间 HH:MM (must be a time HH:MM, 00:00–23:59)').default('23:59'),
  reason: safeString({ multiline: true }).trim().min(4, '必填：说明延期原因 (required: why the deadline moves)').max(1000, '最多 1000 个字符 (at most 1000 characters)'),
});

export const holdBody = z.strictObject({ reason: safeString({ multiline: true }).trim().min(4, '必填：说明暂停原因 (required: why the deadline is on hold)').max(1000, '最多 1000 个字符 (at most 1000 characters)') });

export const consultantBody = z.strictObject({ consultantUserId: z.uuid('信用服务机构顾问：请从名录中选择一位顾问 (must be the id of a consultant user)') });

/** How many cases one batch may forward: a district has a few dozen a year. */
export const BATCH_MAX_CASES = 500;
const batchCaseId = pathParams.caseId;

export const batchBody = z.strictObject({
  caseIds: z
    .array(z.unknown())
    .min(1, '请至少选择一个案件 (choose at least one case)')
    .max(BATCH_MAX_CASES, `每批最多 ${BATCH_MAX_CASES} 个案件 (at most ${BATCH_MAX_CASES} cases in one batch)`)
    // each id is checked only once the list is of a size worth checking
    .pipe(z.array(batchCaseId))
    .transform((ids) => [...new Set(ids)]),
});

export const creditRecordBody = z.strictObject({
  kind: z.enum(['serious_dishonesty', 'general_dishonesty', 'false_commitment'], { error: '应为 serious_dishonesty、general_dishonesty 或 false_commitment' }),
  occurredOn: pastDate,
  note: safeString({ multiline: true }).trim().min(2, '必填：记录内容及出处 (required: what and where it is recorded)').max(2000, '最多 2000 个字符 (at most 2000 characters)'),
});

/** 验收时间另行通知: the acceptor sets one date and place for a group of waiting cases. */
export const acceptanceScheduleBody = z.strictObject({
  caseIds: z.array(pathParams.caseId).min(1, '请至少选择一个案件 (choose at least one case)').max(BATCH_MAX_CASES, `最多 ${BATCH_MAX_CASES} 个案件 (at most ${BATCH_MAX_CASES} cases)`).transform((ids) => [...new Set(ids)]),
  at: localDateTime,
  place: text(200),
});

/** 公示异议: anyone may object, with a name and a way to be reached. */
export const objectionBody = z.strictObject({
  name: text(50),
  contact: safeString().trim().min(5, '请填写电话或邮箱 (a phone number or an e-mail address)').max(100, '最多 100 个字符 (at most 100 characters)'),
  text: safeString({ multiline: true }).trim().min(10, '请具体说明异议，至少10个字 (say what the objection is, at least 10 characters)').max(2000, '最多 2000 个字符 (at most 2000 characters)'),
});

export const caseListQuery = z.strictObject({ status: z.enum(CASE_STATUSES).optional() });

/** A signed and stamped form handed back: the scan, uploaded first (POST /api/files). */
export const signedScanBody = z.object({ fileId }).strict();
