import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, type ErrorCode } from './errors.ts';

/** How a workflow's refusal (its update validator's code) is answered over HTTP. */
const REFUSAL_CODES: Record<string, ErrorCode> = { task_closed: 'conflict', wrong_actor: 'forbidden', invalid_payload: 'unprocessable' };

/** Turns a refused update into the AppError the API answers with. */
export function refusalToAppError(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const code = REFUSAL_CODES[error.cause.type ?? ''] ?? 'unprocessable';
    const details = error.cause.details?.[0] as { path?: string; rule?: string } | undefined;
    throw new AppError(code, error.cause.message, details?.path ? [{ path: details.path, rule: details.rule ?? '' }] : []);
  }
  if (error instanceof WorkflowNotFoundError) throw new AppError('not_found', '案件不在办理中 (the case is not running)');
  throw error;
}
