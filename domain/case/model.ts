import type { Actor, Role } from '../identity/roles.ts';
import type { TrackId } from '../program/types.ts';

/** Attachment 2 (江苏省信用管理贯标企业申报表), the fields the application carries so far. */
export interface ApplicationForm {
  enterpriseName: string;
  uscc: string;
  legalRepresentative: string;
  foundedOn: string;
  district: string;
  contactPhone: string;
  reasons: string;
}

export const REVIEW_OUTCOMES = ['approve', 'return', 'reject'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export type TaskKind = 'review' | 'correct_application';

/** Who may act on a task: a role within a jurisdiction (a district code or a USCC; null = city-wide). */
export interface Assignment {
  role: Role;
  jurisdiction: string | null;
}

export interface TaskRef {
  id: string;
  kind: TaskKind;
  stage: string;
  assignment: Assignment;
  openedAt: string;
  dueAt: string;
}

export interface Decision {
  taskId: string;
  stage: string;
  outcome: ReviewOutcome | 'resubmit';
  comment: string | null;
  actor: Actor;
  decidedAt: string;
}

export type CaseStatus = 'active' | 'rejected' | 'admitted';

export const STATUS_LABELS: Record<CaseStatus, string> = { active: '办理中', rejected: '未通过', admitted: '已准予贯标' };

/** Stages a case passes through in the application phase. */
export const STAGE_LABELS: Record<string, string> = {
  district_review: '镇（区）初审',
  city_review: '市经信委审核',
  correction: '退回补正',
  rejected: '未通过',
  self_compliance: '自主贯标',
};

export interface CaseStartInput {
  caseId: string;
  programId: string;
  programVersion: number;
  track: TrackId;
  application: ApplicationForm;
  submittedBy: Actor;
  submittedAt: string;
}

/** The case as its workflow holds it; the API answers from the PostgreSQL projection of the same. */
export interface CaseState {
  caseId: string;
  programId: string;
  programVersion: number;
  track: TrackId;
  stage: string;
  status: CaseStatus;
  application: ApplicationForm;
  applicationVersion: number;
  openTask: TaskRef | null;
  decisions: Decision[];
}

export type CompletionPayload =
  | { outcome: ReviewOutcome; comment?: string | null }
  | { outcome: 'resubmit'; application: ApplicationForm; comment?: string | null };

export function caseIdFor(programId: string, track: TrackId, uscc: string): string {
  return `case-${programId}-${track}-${uscc}`;
}

export const OUTCOME_LABELS: Record<Decision['outcome'], string> = {
  approve: '审核通过',
  return: '退回补正',
  reject: '未通过',
  resubmit: '已重新提交',
};
