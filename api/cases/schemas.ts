import { z } from 'zod';
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

const isoDate = z.iso.date('must be a date YYYY-MM-DD');

/** Attachment 2's fields, as far as the application carries them so far. */
export const applicationSchema = z.object({
  enterpriseName: z.string().trim().min(2, 'required, at least 2 characters').max(100),
  uscc: usccSchema,
  legalRepresentative: z.string().trim().min(1, 'required').max(50),
  foundedOn: isoDate,
  district: z.string().trim().min(1, 'required'),
  contactPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{7,20}$/, 'must be a phone number of 7 to 20 digits'),
  reasons: z.string().trim().min(10, 'required, at least 10 characters').max(2000),
});

export const submitApplicationBody = z.object({
  programId: z.string().min(1).optional(),
  track: z.enum(TRACKS).default('standard'),
  application: applicationSchema,
});
export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;

export const completeTaskBody = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.enum(['approve', 'return', 'reject']), comment: z.string().max(2000).nullish() }),
  z.object({ outcome: z.literal('resubmit'), application: applicationSchema, comment: z.string().max(2000).nullish() }),
]);
export type CompleteTaskBody = z.infer<typeof completeTaskBody>;
