import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import type { ApplicationForm, Assignment } from '../../domain/case/model.ts';

/** One version of one year's program, stored whole: cases pin (id, version). */
export const ProgramRecord = defineEntity({
  name: 'ProgramRecord',
  tableName: 'programs',
  properties: {
    id: p.string().primary(),
    version: p.integer().primary(),
    year: p.integer(),
    city: p.string(),
    definition: p.json<ProgramDefinition>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ProgramRecord = InferEntity<typeof ProgramRecord>;

export const UserRecord = defineEntity({
  name: 'UserRecord',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    email: p.string().unique(),
    name: p.string(),
    role: p.string(),
    /** district code, agency id or USCC, by the role's scope kind; null for city-wide roles */
    scopeId: p.string().nullable(),
    passwordHash: p.string().hidden(),
    active: p.boolean().default(true),
    locale: p.string().default('zh-CN'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UserRecord = InferEntity<typeof UserRecord>;

/** Server-side session; the cookie carries a random token, the table only its SHA-256. */
export const SessionRecord = defineEntity({
  name: 'SessionRecord',
  tableName: 'sessions',
  properties: {
    tokenHash: p.string().primary(),
    userId: p.uuid().index(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});
export type SessionRecord = InferEntity<typeof SessionRecord>;

export const EnterpriseRecord = defineEntity({
  name: 'EnterpriseRecord',
  tableName: 'enterprises',
  properties: {
    uscc: p.string().primary(),
    name: p.string(),
    district: p.string().index(),
    legalRepresentative: p.string(),
    foundedOn: p.string(),
    contactPhone: p.string(),
    updatedAt: p.datetime(),
  },
});
export type EnterpriseRecord = InferEntity<typeof EnterpriseRecord>;

/** Projection of a case workflow, written by its activities; the API reads it. */
export const CaseRecord = defineEntity({
  name: 'CaseRecord',
  tableName: 'cases',
  properties: {
    id: p.string().primary(),
    programId: p.string(),
    programVersion: p.integer(),
    programYear: p.integer(),
    track: p.string(),
    enterpriseUscc: p.string().index(),
    enterpriseName: p.string(),
    district: p.string().index(),
    stage: p.string(),
    status: p.string(),
    application: p.json<ApplicationForm>(),
    applicationVersion: p.integer(),
    submittedBy: p.uuid(),
    submittedAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type CaseRecord = InferEntity<typeof CaseRecord>;

/** A unit of work for a person or an office: an inbox row. The id is chosen by the workflow. */
export const TaskRecord = defineEntity({
  name: 'TaskRecord',
  tableName: 'tasks',
  indexes: [{ name: 'tasks_inbox_index', properties: ['assigneeRole', 'jurisdiction', 'status'] }],
  properties: {
    id: p.string().primary(),
    caseId: p.string().index(),
    kind: p.string(),
    stage: p.string(),
    assigneeRole: p.string(),
    jurisdiction: p.string().nullable(),
    assigneeUserId: p.uuid().nullable(),
    status: p.string().index(),
    openedAt: p.datetime(),
    dueAt: p.datetime(),
    outcome: p.string().nullable(),
    comment: p.text().nullable(),
    completedBy: p.uuid().nullable(),
    completedByName: p.string().nullable(),
    completedAt: p.datetime().nullable(),
  },
});
export type TaskRecord = InferEntity<typeof TaskRecord>;

export function assignmentOf(task: TaskRecord): Assignment {
  return { role: task.assigneeRole as Assignment['role'], jurisdiction: task.jurisdiction ?? null };
}

/** The case's stamp-like record: who did what, when. Keyed so a retried activity records once. */
export const CaseEventRecord = defineEntity({
  name: 'CaseEventRecord',
  tableName: 'case_events',
  properties: {
    key: p.string().primary(),
    caseId: p.string().index(),
    at: p.datetime(),
    kind: p.string(),
    actorId: p.uuid().nullable(),
    actorName: p.string().nullable(),
    detail: p.json<Record<string, unknown>>(),
  },
});
export type CaseEventRecord = InferEntity<typeof CaseEventRecord>;

/** Every e-mail, by idempotency key: the log that makes delivery happen once. */
export const NotificationRecord = defineEntity({
  name: 'NotificationRecord',
  tableName: 'notifications',
  properties: {
    key: p.string().primary(),
    caseId: p.string().nullable().index(),
    taskId: p.string().nullable(),
    recipient: p.string(),
    template: p.string(),
    subject: p.string(),
    status: p.string(),
    attempts: p.integer().default(0),
    smtpResponse: p.text().nullable(),
    messageId: p.string().nullable(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
  },
});
export type NotificationRecord = InferEntity<typeof NotificationRecord>;

export const ENTITIES = [
  ProgramRecord,
  UserRecord,
  SessionRecord,
  EnterpriseRecord,
  CaseRecord,
  TaskRecord,
  CaseEventRecord,
  NotificationRecord,
];
