import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { loggable } from '../infra/db/dbErrors.ts';

export interface FieldProblem {
  path: string;
  rule: string;
}

export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'too_many_requests'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

/** The one error type use cases throw; the middleware turns it into {error: {code, message, fields}}. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldProblem[];
  constructor(code: ErrorCode, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export function fromZodError(error: z.ZodError, prefix = ''): AppError {
  const fields = error.issues.flatMap((issue) => {
    const at = (...more: string[]) => [prefix, ...issue.path.map(String), ...more].filter(Boolean).join('.');
    // an unknown field is named itself, not its parent
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: at(key), rule: '不接受此字段 (unknown field)' }));
    return [{ path: at(), rule: issue.message }];
  });
  const summary = fields.map((f) => `${f.path || '(body)'}: ${f.rule}`).join('; ');
  return new AppError('bad_request', `输入有误，请按标出的字段修改 (invalid input — ${summary})`, fields);
}

/** zod parse that throws an AppError naming each bad field and its rule. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, prefix);
  return result.data;
}

/** What body-parser (and the like) reject before a route runs, in the user's words. */
const BODY_ERRORS: Record<string, [ErrorCode, string]> = {
  'entity.too.large': ['payload_too_large', '请求内容过大 (the request body is too large)'],
  'entity.parse.failed': ['bad_request', '请求内容不是有效的 JSON (the request body is not valid JSON)'],
  'entity.verify.failed': ['bad_request', '请求内容无法读取 (the request body could not be read)'],
  'encoding.unsupported': ['unsupported_media_type', '不支持的内容编码 (unsupported content encoding)'],
  'charset.unsupported': ['unsupported_media_type', '不支持的字符集 (unsupported charset)'],
  'parameters.too.many': ['payload_too_large', '表单字段过多 (too many form fields)'],
  'request.aborted': ['bad_request', '请求被中断 (the request was aborted)'],
  'request.size.invalid': ['bad_request', '请求长度与声明不符 (the request length does not match its header)'],
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return fromZodError(error);
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
  if (known) return new AppError(known[0], known[1], [{ path: '(body)', rule: known[1] }]);
  // a malformed (e.g. garbage-compressed) body is the client's: say so, never 500
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', '请求无法读取 (the request could not be read)', [{ path: '(body)', rule: 'a readable request' }]);
  }
  return new AppError('internal', '服务器内部错误，请稍后再试 (internal error)');
}

export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.code === 'internal') console.error(`[api] ${req.method} ${req.path}:`, loggable(error));
  res.status(appError.status).json({ error: { code: appError.code, message: appError.message, fields: appError.fields } });
};
