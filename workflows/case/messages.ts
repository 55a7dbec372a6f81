import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/identity/roles.ts';
import type { CaseState, CompletionPayload } from '../../domain/case/model.ts';

export interface CompleteTaskRequest {
  taskId: string;
  actor: Actor;
  payload: CompletionPayload;
}

/** A person completes the open task; answers with the case as it stands once the workflow has moved on. */
export const completeTaskUpdate = defineUpdate<CaseState, [CompleteTaskRequest]>('completeTask');

export const caseStateQuery = defineQuery<CaseState>('caseState');

/** Answers once the case has settled after submission: its first task is open (or it has finished). */
export const caseSettledUpdate = defineUpdate<CaseState>('caseSettled');
