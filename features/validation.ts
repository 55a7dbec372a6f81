import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { CHARACTER_RULES, characterProblem, firstHostileString } from '../domain/text/characters.ts';
import { TRACKS } from '../domain/program/types.ts';
import { USCC_RULE_MESSAGES, usccProblem } from '../domain/identity/uscc.ts';
import { AppError } from './errors.ts';
import { DOCUMENT_KINDS } from '../domain/documents/documents.ts';

/** A string that refuses what no field may hold; single-line unless said otherwise. */
export function safeString(options: { multiline?: boolean } = {}) {
  const multiline = options.multiline ?? false;
  return z.string().superRefine((value, ctx) => {
    const problem = characterProblem(value, { multiline });
    if (problem) ctx.addIssue({ code: 'custom', message: CHARACTER_RULES[problem] });
  });
}

/** Required, trimmed, single-line text of at most `max` characters. */
export const line = (max: number) => safeString().trim().min(1, '必填 (required)').max(max, `最多 ${max} 个字符 (at most ${max} characters)`);
/** Required, trimmed, multi-line text of at most `max` characters. */
export const paragraph = (max: number) => safeString({ multiline: true }).trim().min(1, '必填 (required)').max(max, `最多 ${max} 个字符 (at most ${max} characters)`);

/**
 * Every body, query and form passes through this before any route: a control character anywhere is
 * refused with the field's name, so nothing PostgreSQL would refuse ever reaches a workflow.
 */
export function refuseHostileCharacters(req: Request, _res: Response, next: NextFunction): void {
  const found = firstHostileString(req.body, []) ?? firstHostileString(req.query, ['query']);
  if (found) {
    const path = found.path || '(body)';
    next(new AppError('bad_request', `${path}: ${CHARACTER_RULES[found.problem]}`, [{ path, rule: CHARACTER_RULES[found.problem] }]));
    return;
  }
  next();
}

// ---- path parameters: each has a schema, so a bad one is a 400 naming it ----

const PROGRAM_ID_SHAPE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CASE_ID_SHAPE = new RegExp(`^case-[a-z0-9][a-z0-9-]{0,63}-(${TRACKS.join('|')})-[0-9A-HJ-NPQRTUWXY]{18}$`);
const TASK_ID_SHAPE = new RegExp(`^${CASE_ID_SHAPE.source.slice(1, -1)}:\\d{1,6}:[a-z_]{1,64}$`);

const shaped = (pattern: RegExp, rule: string, max = 200) => safeString().max(max, rule).regex(pattern, rule);

export const pathParams = {
  caseId: shaped(CASE_ID_SHAPE, '应为案件编号 (must be a case id: case-<program>-<track>-<USCC>)'),
  taskId: shaped(TASK_ID_SHAPE, '应为待办编号 (must be a task id: <case id>:<n>:<step>)', 300),
  fileId: z.uuid('应为文件编号 (must be a file id, a UUID)'),
  uscc: safeString().superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: USCC_RULE_MESSAGES[problem] });
  }),
  programId: shaped(PROGRAM_ID_SHAPE, '应为计划编号 (must be a program id: lower-case letters, digits and -)', 64),
  track: z.enum(TRACKS, { error: `应为 ${TRACKS.join(', ')} 之一 (must be one of ${TRACKS.join(', ')})` }),
  deadline: shaped(/^[a-zA-Z]{1,64}$/, '应为期限名称 (must be a deadline name)', 64),
  notificationKey: shaped(/^[^\s/]{1,300}$/, '应为邮件编号 (must be a notification key)', 300),
  agencyId: shaped(/^[a-z0-9][a-z0-9-]{1,63}$/, '应为信用服务机构编号 (must be an agency id: lower-case letters, digits and -)', 64),
  documentKind: z.enum(DOCUMENT_KINDS, { error: `应为 ${DOCUMENT_KINDS.join(', ')} 之一 (must be one of ${DOCUMENT_KINDS.join(', ')})` }),
  objectionId: z.uuid('应为异议编号 (must be an objection id, a UUID)'),
  certificateNumber: safeString().trim().min(1, '应为证书编号 (must be a certificate number)').max(100, '应为证书编号 (must be a certificate number)'),
  /** a version of a case's application: 1, 2, … */
  version: shaped(/^[1-9][0-9]{0,3}$/, '应为版本号：1、2…… (must be a version number: 1, 2, …)', 4).transform(Number),
};

/** Parses the route's path parameters with their schemas; a bad one answers 400 naming it. */
export function params<K extends keyof typeof pathParams>(req: Request, ...names: K[]): { [P in K]: z.infer<(typeof pathParams)[P]> } {
  const out: Record<string, unknown> = {};
  const problems: { path: string; rule: string }[] = [];
  for (const name of names) {
    const result = pathParams[name].safeParse(req.params[name]);
    if (result.success) out[name] = result.data;
    else problems.push({ path: name, rule: result.error.issues[0]!.message });
  }
  if (problems.length) throw new AppError('bad_request', `路径参数无效 (invalid path parameter): ${problems.map((p) => `${p.path}: ${p.rule}`).join('; ')}`, problems);
  return out as { [P in K]: z.infer<(typeof pathParams)[P]> };
}
