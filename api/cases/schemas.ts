import { z } from 'zod';
import { CASE_STATUSES, OUTCOMES } from '../../domain/case/model.ts';
import type { LEVEL_CHOICES } from '../../domain/evaluation/rubric.ts';
import { USCC_RULE_MESSAGES, usccProblem } from '../../domain/identity/uscc.ts';
import { TRACKS } from '../../domain/program/types.ts';

export const usccSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: USCC_RULE_MESSAGES[problem] });
  });

export const isoDate = z.iso.date('must be a date YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1, 'required').max(max);

/** Attachment 2 (江苏省信用管理贯标企业申报表) and the declarations of the application conditions. */
export const applicationSchema = z.object({
  enterpriseName: z.string().trim().min(2, 'required, at least 2 characters').max(100),
  uscc: usccSchema,
  legalRepresentative: text(50),
  // checked against GB 11643 by the use case, which knows today's date
  legalRepresentativeIdNumber: z.string().trim().toUpperCase().min(1, 'required'),
  foundedOn: isoDate,
  registeredCapital: z.coerce.number({ error: 'must be an amount in 万元' }).positive('must be more than 0'),
  industry: text(100),
  district: text(50),
  registeredAddress: text(200),
  businessAddress: text(200),
  postCode: z.string().trim().regex(/^\d{6}$/, 'must be 6 digits'),
  contactPhone: z.string().trim().regex(/^[0-9+\-() ]{7,20}$/, 'must be a phone number of 7 to 20 digits'),
  fax: z.string().trim().regex(/^([0-9+\-() ]{7,20})?$/, 'must be a fax number of 7 to 20 digits, or empty').default(''),
  mainBusiness: text(1000),
  reasons: z.string().trim().min(10, 'required, at least 10 characters').max(2000),
  independentLegalPerson: z.boolean({ error: 'must be true or false' }),
  declaresNoSeriousDishonesty: z.boolean({ error: 'must be true or false' }),
  creditReportFileId: z.uuid('must be the id of an uploaded file (企业近三年信用信息查询报告)'),
});

/** A draft may be incomplete but not of the wrong types. */
export const draftSchema = z.object({ application: applicationSchema.partial().loose() });

export const submitApplicationBody = z.object({
  programId: z.string().min(1).optional(),
  track: z.enum(TRACKS).default('standard'),
  application: applicationSchema,
});
export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;

const level = z.enum(['full', 'half', 'zero'] satisfies typeof LEVEL_CHOICES, { error: 'must be full, half or zero' });

export const acceptanceSchema = z.object({
  workSummaryFileId: z.uuid('must be the id of an uploaded file'),
  internalEvaluationFileId: z.uuid('must be the id of an uploaded file'),
  commitmentLetterFileId: z.uuid('must be the id of an uploaded file'),
  selfEvaluation: z.object({
    scores: z.record(z.string(), level),
    evidence: z.record(z.string(), z.array(z.uuid('must be the id of an uploaded file'))).default({}),
  }),
});

/** One shape for every task; which parts a task needs is the domain's rule (completionRefusal). */
export const completeTaskBody = z.object({
  outcome: z.enum(OUTCOMES),
  comment: z.string().max(2000).nullish(),
  application: applicationSchema.optional(),
  fields: z.record(z.string(), z.string().max(2000)).optional(),
  fileIds: z.array(z.uuid('must be the id of an uploaded file')).optional(),
  acceptance: acceptanceSchema.optional(),
  scoreAdjustments: z.array(z.object({ itemId: z.string().min(1), level, comment: z.string().trim().min(1, 'required: say why') })).optional(),
  certificate: z.object({ number: text(100), issuedOn: isoDate }).optional(),
});
export type CompleteTaskBody = z.infer<typeof completeTaskBody>;

export const extensionBody = z.object({
  programId: z.string().min(1),
  track: z.enum(TRACKS).default('standard'),
  uscc: usccSchema,
  deadline: z.string().min(1),
  /** the new local date and time (Asia/Shanghai) */
  dueDate: isoDate,
  dueTime: z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must be HH:MM').default('23:59'),
  reason: z.string().trim().min(4, 'required: why the deadline moves'),
});

export const holdBody = z.object({ reason: z.string().trim().min(4, 'required: why the deadline is on hold') });

export const consultantBody = z.object({ consultantUserId: z.uuid('must be the id of a consultant user') });

export const batchBody = z.object({ caseIds: z.array(z.string().min(1)).min(1, 'choose at least one case') });

export const creditRecordBody = z.object({
  kind: z.enum(['serious_dishonesty', 'general_dishonesty', 'false_commitment']),
  occurredOn: isoDate,
  note: z.string().trim().min(2, 'required: what and where it is recorded'),
});

export const caseListQuery = z.object({ status: z.enum(CASE_STATUSES).optional() });
