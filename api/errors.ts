import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';

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
  | 'unprocessable'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
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
  const fields = error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    rule: issue.message,
  }));
  const summary = fields.map((f) => `${f.path || '(body)'}: ${f.rule}`).join('; ');
  return new AppError('bad_request', `invalid input — ${summary}`, fields);
}

/** zod parse that throws an AppError naming each bad field and its rule. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, prefix);
  return result.data;
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return fromZodError(error);
  if (error instanceof SyntaxError && 'body' in error) return new AppError('bad_request', 'request body is not valid JSON');
  return new AppError('internal', 'internal error');
}

export const errorMiddleware: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.code === 'internal') console.error(`[api] ${req.method} ${req.originalUrl}:`, error);
  res.status(appError.status).json({ error: { code: appError.code, message: appError.message, fields: appError.fields } });
};
