import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ProgramDefinition } from '../../domain/program/types.ts';
import type { AcceptanceSubmission, ApplicationForm, Assignment, CompletionPayload, ScoreAdjustment } from '../../domain/case/model.ts';
import type { CreditRecordKind } from '../../domain/eligibility/eligibility.ts';
import type { InboxFilter } from '../../domain/inbox/inboxFilter.ts';

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
    /** one daily digest instead of single reminders (deadline-day and overdue notices still go out) */
    digest: p.boolean().default(false),
    /** the private iCalendar feed's token (its SHA-256); null when the user has none or revoked it */
    calendarTokenHash: p.string().nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** when an admin deactivated the login (null: active, or invited and not yet activated) */
    deactivatedAt: p.datetime().nullable(),
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

/** Keys every server process must share (the CSRF token key): created once by whichever process asks first. */
export const ServerSecretRecord = defineEntity({
  name: 'ServerSecretRecord',
  tableName: 'server_secrets',
  properties: {
    name: p.string().primary(),
    value: p.string(),
    createdAt: p.datetime(),
  },
});
export type ServerSecretRecord = InferEntity<typeof ServerSecretRecord>;

export const EnterpriseRecord = defineEntity({
  name: 'EnterpriseRecord',
  tableName: 'enterprises',
  properties: {
    uscc: p.string().primary(),
    name: p.string(),
    district: p.string().index(),
    legalRepresentative: p.string(),
    /** the number as everyone sees it: 320585********1234 */
    legalRepresentativeIdMasked: p.string(),
    /** the full number lives only in identity_numbers, read through the logged reveal */
    legalRepresentativeIdRef: p.uuid(),
    foundedOn: p.string(),
    registeredCapital: p.double(),
    industry: p.string(),
    registeredAddress: p.string(),
    businessAddress: p.string(),
    postCode: p.string(),
    contactPhone: p.string(),
    fax: p.string(),
    mainBusiness: p.text(),
    updatedAt: p.datetime(),
  },
});
export type EnterpriseRecord = InferEntity<typeof EnterpriseRecord>;

/**
 * The one place a full identity number is stored. Everything else — workflow payloads, cases,
 * tasks, versions, mails, logs — holds the masked number and this row's random ref.
 */
export const IdentityNumberRecord = defineEntity({
  name: 'IdentityNumberRecord',
  tableName: 'identity_numbers',
  properties: {
    ref: p.uuid().primary(),
    uscc: p.string().index(),
    number: p.string(),
    recordedAt: p.datetime(),
  },
});
export type IdentityNumberRecord = InferEntity<typeof IdentityNumberRecord>;

/** Projection of a case workflow, written by its activities; the API reads it. */
export const CaseRecord = defineEntity({
  name: 'CaseRecord',
  tableName: 'cases',
  // the inbox names a task's case from the index alone, never reading the row with its application (Migration20261126_inboxIndexes)
  indexes: [{ name: 'cases_inbox_index', expression: `create index "cases_inbox_index" on "cases" ("id") include ("track", "district", "enterprise_name", "enterprise_uscc", "program_id", "program_version")` }],
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
    /** deadline name → instant in force */
    deadlines: p.json<Record<string, string>>(),
    consultantUserId: p.uuid().nullable(),
    /** the credit service agency of a demonstration case's contract: its consultants see the case */
    agencyId: p.string().nullable(),
    acceptance: p.json<AcceptanceSubmission>().nullable(),
    acceptanceVersion: p.integer().default(0),
    reviewerScores: p.json<Record<string, ScoreAdjustment & { actorName: string }>>(),
    certificateNumber: p.string().nullable(),
    certificateIssuedOn: p.string().nullable(),
    closureReason: p.text().nullable(),
    closedAt: p.datetime().nullable(),
  },
});
export type CaseRecord = InferEntity<typeof CaseRecord>;

/** A unit of work for a person or an office: an inbox row. The id is chosen by the workflow. */
export const TaskRecord = defineEntity({
  name: 'TaskRecord',
  tableName: 'tasks',
  indexes: [
    { name: 'tasks_inbox_index', properties: ['assigneeRole', 'jurisdiction', 'status'] },
    // the inbox at scale: open tasks in its order (Migration20261126_inboxIndexes)
    { name: 'tasks_open_inbox_index', expression: `create index "tasks_open_inbox_index" on "tasks" ("assignee_role", "jurisdiction", (coalesce("due_at", 'infinity'::timestamptz)), "id") where "status" = 'open'` },
    { name: 'tasks_open_assignee_index', expression: `create index "tasks_open_assignee_index" on "tasks" ("assignee_user_id") where "status" = 'open' and "assignee_user_id" is not null` },
  ],
  properties: {
    id: p.string().primary(),
    caseId: p.string().index(),
    kind: p.string(),
    stage: p.string(),
    /** the checklist item or material the task is about */
    subject: p.string().nullable(),
    assigneeRole: p.string(),
    jurisdiction: p.string().nullable(),
    assigneeUserId: p.uuid().nullable(),
    status: p.string().index(),
    openedAt: p.datetime(),
    /** null: waits for a date to be set (an acceptance announced later) */
    dueAt: p.datetime().nullable(),
    outcome: p.string().nullable(),
    comment: p.text().nullable(),
    completedBy: p.uuid().nullable(),
    completedByName: p.string().nullable(),
    completedAt: p.datetime().nullable(),
    /** what was handed in: fields, files, scores, certificate, batch */
    result: p.json<CompletionPayload>().nullable(),
    adjustsScores: p.boolean().default(false),
    issuesCertificate: p.boolean().default(false),
    /** a task for a whole office, claimed by one of its officers: only they complete it until released */
    claimedByUserId: p.uuid().nullable(),
    claimedByName: p.string().nullable(),
    claimedAt: p.datetime().nullable(),
  },
});
export type TaskRecord = InferEntity<typeof TaskRecord>;

export function assignmentOf(task: TaskRecord): Assignment {
  return { role: task.assigneeRole as Assignment['role'], jurisdiction: task.jurisdiction ?? null, userId: task.assigneeUserId ?? null };
}

/** Every version of an application the enterprise handed in: returns and corrections keep them all. */
export const ApplicationVersionRecord = defineEntity({
  name: 'ApplicationVersionRecord',
  tableName: 'application_versions',
  properties: {
    caseId: p.string().primary(),
    version: p.integer().primary(),
    form: p.json<ApplicationForm>(),
    submittedAt: p.datetime(),
    submittedBy: p.uuid(),
  },
});
export type ApplicationVersionRecord = InferEntity<typeof ApplicationVersionRecord>;

/** What an officer recorded about an enterprise's credit: dishonesty, or a false commitment (attachment 3). */
export const CreditRecordEntry = defineEntity({
  name: 'CreditRecordEntry',
  tableName: 'enterprise_credit_records',
  properties: {
    id: p.uuid().primary(),
    uscc: p.string().index(),
    kind: p.string().$type<CreditRecordKind>(),
    occurredOn: p.string(),
    note: p.text(),
    recordedBy: p.uuid(),
    recordedByName: p.string(),
    recordedAt: p.datetime(),
  },
});
export type CreditRecordEntry = InferEntity<typeof CreditRecordEntry>;

/** A deadline moved for one case (or, before it exists, for its business key), with its reason. */
export const ExtensionRecord = defineEntity({
  name: 'ExtensionRecord',
  tableName: 'deadline_extensions',
  properties: {
    id: p.uuid().primary(),
    caseId: p.string().index(),
    deadline: p.string(),
    dueAt: p.datetime(),
    reason: p.text(),
    grantedBy: p.uuid(),
    grantedByName: p.string(),
    grantedAt: p.datetime(),
  },
});
export type ExtensionRecord = InferEntity<typeof ExtensionRecord>;

/** 汇总: a district's list of approved cases sent on to the city as one numbered batch. */
export const BatchRecord = defineEntity({
  name: 'BatchRecord',
  tableName: 'batches',
  // numbers are counted per program, track and district: two programs of one year may both have a 第1批
  uniques: [{ properties: ['programId', 'number'] }, { properties: ['programId', 'track', 'district', 'sequence'] }],
  properties: {
    id: p.uuid().primary(),
    number: p.string(),
    /** n of 第n批 */
    sequence: p.integer(),
    /** forwarding while its cases' tasks are being completed; forwarded once done (only these are listed) */
    status: p.string().$type<'forwarding' | 'forwarded'>(),
    programId: p.string(),
    track: p.string(),
    district: p.string().index(),
    /** exactly the cases forwarded (their claims are in batch_cases) */
    caseIds: p.json<string[]>(),
    forwardedBy: p.uuid(),
    forwardedByName: p.string(),
    forwardedAt: p.datetime(),
  },
});
export type BatchRecord = InferEntity<typeof BatchRecord>;

/**
 * A batch's claim on one forward task: the primary key lets a task be in one batch only, so a
 * concurrent batch for the same case fails inside its transaction and stores nothing. Keyed by the
 * task, not the case: a case returned for correction is forwarded again, in a later batch.
 */
export const BatchCaseRecord = defineEntity({
  name: 'BatchCaseRecord',
  tableName: 'batch_cases',
  properties: {
    taskId: p.string().primary(),
    caseId: p.string().index(),
    batchId: p.uuid().index(),
  },
});
export type BatchCaseRecord = InferEntity<typeof BatchCaseRecord>;

/** An uploaded document, kept in the database so both drivers and every node see the same files. */
export const FileRecord = defineEntity({
  name: 'FileRecord',
  tableName: 'files',
  properties: {
    id: p.uuid().primary(),
    ownerUscc: p.string().nullable().index(),
    uploadedBy: p.uuid(),
    name: p.string(),
    mime: p.string(),
    size: p.integer(),
    sha256: p.string(),
    content: p.blob().lazy(),
    createdAt: p.datetime(),
  },
});
export type FileRecord = InferEntity<typeof FileRecord>;

/**
 * A file a case takes up (its application, a completion, its acceptance materials): whoever may see
 * the case may read the file. Written only by the case activities; files in no case and no draft
 * are removed after a day.
 */
export const CaseFileRecord = defineEntity({
  name: 'CaseFileRecord',
  tableName: 'case_files',
  properties: {
    caseId: p.string().primary(),
    fileId: p.uuid().primary().index(),
  },
});
export type CaseFileRecord = InferEntity<typeof CaseFileRecord>;

/** An application the enterprise is still writing. */
export const DraftRecord = defineEntity({
  name: 'DraftRecord',
  tableName: 'drafts',
  properties: {
    uscc: p.string().primary(),
    programId: p.string().primary(),
    track: p.string().primary(),
    form: p.json<Partial<ApplicationForm>>(),
    updatedBy: p.uuid(),
    updatedAt: p.datetime(),
  },
});
export type DraftRecord = InferEntity<typeof DraftRecord>;

/** Who saw a full personal identity number, and when. */
export const PiiAccessRecord = defineEntity({
  name: 'PiiAccessRecord',
  tableName: 'pii_access_log',
  properties: {
    id: p.uuid().primary(),
    actorId: p.uuid(),
    actorName: p.string(),
    actorRole: p.string(),
    subjectUscc: p.string().index(),
    field: p.string(),
    at: p.datetime(),
  },
});
export type PiiAccessRecord = InferEntity<typeof PiiAccessRecord>;

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
    // the mail as first rendered, so a resend sends the same mail
    bodyHtml: p.text().nullable(),
    bodyText: p.text().nullable(),
    /** who holds the latest attempt (activity or resend), and since when: a retry knows its own dead attempt */
    sender: p.string().nullable(),
    attemptedAt: p.datetime().nullable(),
    /** the office user who last asked for a resend, and when */
    resentBy: p.uuid().nullable(),
    resentByName: p.string().nullable(),
    resentAt: p.datetime().nullable(),
  },
});
export type NotificationRecord = InferEntity<typeof NotificationRecord>;

/** The first answer to a request sent with an Idempotency-Key, replayed for its repeats (24 h). */
export const IdempotencyRecord = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_keys',
  properties: {
    /** `<user id or anonymous>:<key>` */
    id: p.string().primary(),
    fingerprint: p.string(),
    status: p.string().$type<'in_progress' | 'done'>(),
    responseStatus: p.integer().nullable(),
    responseBody: p.json<object>().nullable(),
    createdAt: p.datetime().index(),
  },
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecord>;

/**
 * The certificate register: every certificate an enterprise holds, whether a case of ours issued it
 * or an admin imported it from before the system. Demonstration tracks read their prerequisite here.
 */
export const CertificateRecord = defineEntity({
  name: 'CertificateRecord',
  tableName: 'certificates',
  properties: {
    id: p.uuid().primary(),
    uscc: p.string().index(),
    track: p.string(),
    number: p.string().unique(),
    /** ISO local date */
    issuedOn: p.string(),
    /** the office's name, e.g. 苏州市信用办 */
    issuedBy: p.string(),
    source: p.string().$type<'case' | 'import'>(),
    caseId: p.string().nullable(),
    importedBy: p.uuid().nullable(),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.uuid().nullable(),
    revokedReason: p.text().nullable(),
    createdAt: p.datetime(),
  },
});
export type CertificateRecord = InferEntity<typeof CertificateRecord>;

/** A credit service agency (信用服务机构); its consultants are users with role consultant and scopeId = id. */
export const AgencyRecord = defineEntity({
  name: 'AgencyRecord',
  tableName: 'agencies',
  properties: {
    /** a slug, e.g. agency-demo: it is the consultants' scope */
    id: p.string().primary(),
    name: p.string(),
    /** the agency's own unified social credit code */
    uscc: p.string().unique(),
    contactPerson: p.string(),
    contactPhone: p.string(),
    address: p.string(),
    active: p.boolean(),
    createdAt: p.datetime(),
  },
});
export type AgencyRecord = InferEntity<typeof AgencyRecord>;

/**
 * An objection to a case in publicity (公示异议), filed by anyone without logging in. The objector's
 * name and contact stay here; the case's workflow gets only the id.
 */
export const ObjectionRecord = defineEntity({
  name: 'ObjectionRecord',
  tableName: 'objections',
  properties: {
    id: p.uuid().primary(),
    caseId: p.string().index(),
    name: p.string(),
    contact: p.string(),
    text: p.text(),
    filedAt: p.datetime(),
  },
});
export type ObjectionRecord = InferEntity<typeof ObjectionRecord>;

/**
 * A document the system generated for a case (its certificate, its forms), kept as a file the case
 * takes up. The input's checksum says whether it must be generated again; the PDF's, what was issued.
 */
export const CaseDocumentRecord = defineEntity({
  name: 'CaseDocumentRecord',
  tableName: 'case_documents',
  properties: {
    caseId: p.string().primary(),
    kind: p.string().primary(),
    fileId: p.uuid(),
    inputSha256: p.string(),
    sha256: p.string(),
    createdAt: p.datetime(),
  },
});
export type CaseDocumentRecord = InferEntity<typeof CaseDocumentRecord>;

/**
 * A signed and stamped copy of a generated form, scanned and handed back against the same document
 * (签字、盖章后扫描上传). Every scan is kept; the latest is the one in force.
 */
export const DocumentScanRecord = defineEntity({
  name: 'DocumentScanRecord',
  tableName: 'case_document_scans',
  indexes: [{ name: 'case_document_scans_document_index', properties: ['caseId', 'kind'] }],
  properties: {
    fileId: p.uuid().primary(),
    caseId: p.string(),
    kind: p.string(),
    /** the generated document's PDF checksum the scan was made from */
    printedSha256: p.string(),
    uploadedBy: p.uuid(),
    uploadedByName: p.string(),
    uploadedAt: p.datetime(),
  },
});
export type DocumentScanRecord = InferEntity<typeof DocumentScanRecord>;

/** How far the printing of a long document (an application package) has come; written by its activity. */
export const DocumentProgressRecord = defineEntity({
  name: 'DocumentProgressRecord',
  tableName: 'case_document_progress',
  properties: {
    caseId: p.string().primary(),
    kind: p.string().primary(),
    done: p.integer(),
    total: p.integer(),
    step: p.string(),
    updatedAt: p.datetime(),
  },
});
export type DocumentProgressRecord = InferEntity<typeof DocumentProgressRecord>;

/**
 * The 汇总表 last printed for a program, track and scope (a district code, or 'city'): whoever may
 * have the list may read its file. Printed again only when its input changed.
 */
export const SummaryListRecord = defineEntity({
  name: 'SummaryListRecord',
  tableName: 'summary_lists',
  indexes: [{ name: 'summary_lists_file_id_index', properties: ['fileId'] }],
  properties: {
    programId: p.string().primary(),
    track: p.string().primary(),
    scope: p.string().primary(),
    fileId: p.uuid(),
    inputSha256: p.string(),
    sha256: p.string(),
    createdAt: p.datetime(),
  },
});
export type SummaryListRecord = InferEntity<typeof SummaryListRecord>;

/**
 * A score sheet in the making (the acceptance materials): what whoever may complete the task saved
 * without completing it, one per task. `fileIds` lists every upload it names, so they are not
 * removed as orphans while the task is open.
 */
export const TaskDraftRecord = defineEntity({
  name: 'TaskDraftRecord',
  tableName: 'task_drafts',
  properties: {
    taskId: p.string().primary(),
    caseId: p.string().index(),
    body: p.json<{ comment?: string; acceptance?: Partial<AcceptanceSubmission> }>(),
    fileIds: p.json<string[]>(),
    savedBy: p.uuid(),
    savedByName: p.string(),
    savedAt: p.datetime(),
  },
});
export type TaskDraftRecord = InferEntity<typeof TaskDraftRecord>;

/**
 * A set-password link (invitation or reset): single use, expiring. Only the token's SHA-256 is kept,
 * written by the activity that mails the link (null until then); a newer link or a deactivation
 * revokes the open ones.
 */
export const SetPasswordTokenRecord = defineEntity({
  name: 'SetPasswordTokenRecord',
  tableName: 'set_password_tokens',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().index(),
    tokenHash: p.string().nullable().unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    /** the user's district, agency or enterprise by name, as the mail names the account (null: city-wide) */
    scopeLabel: p.string().nullable(),
    createdBy: p.uuid(),
    createdByName: p.string(),
    createdAt: p.datetime(),
  },
});
export type SetPasswordTokenRecord = InferEntity<typeof SetPasswordTokenRecord>;

/** What an admin changed (users, programs, registers) and a user's own password setting: the audit log's third source. */
export const AdminAuditRecord = defineEntity({
  name: 'AdminAuditRecord',
  tableName: 'admin_audit',
  properties: {
    id: p.uuid().primary(),
    at: p.datetime().index(),
    /** user, program or register (the action's prefix) */
    kind: p.string(),
    action: p.string(),
    actorId: p.uuid(),
    actorName: p.string(),
    actorRole: p.string(),
    /** what it was done to: a user id, a program id, an agency id, or 'certificates' */
    subject: p.string(),
    /** the subject as a person reads it: an e-mail, a program title, an agency name */
    subjectLabel: p.string(),
    /** the enterprise it concerns (a user scoped to it), for the search by credit code */
    subjectUscc: p.string().nullable().index(),
    detail: p.json<Record<string, unknown>>(),
  },
});
export type AdminAuditRecord = InferEntity<typeof AdminAuditRecord>;

/** An inbox filter a person saved under a name (我的待办: 常用筛选), shown to them as a link. */
export const InboxSavedFilterRecord = defineEntity({
  name: 'InboxSavedFilterRecord',
  tableName: 'inbox_saved_filters',
  uniques: [{ properties: ['userId', 'name'] }],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    name: p.string(),
    filter: p.json<InboxFilter>(),
    createdAt: p.datetime(),
  },
});
export type InboxSavedFilterRecord = InferEntity<typeof InboxSavedFilterRecord>;

export const ENTITIES = [
  ProgramRecord,
  UserRecord,
  SessionRecord,
  ServerSecretRecord,
  EnterpriseRecord,
  IdentityNumberRecord,
  CaseRecord,
  TaskRecord,
  CaseEventRecord,
  NotificationRecord,
  ApplicationVersionRecord,
  CreditRecordEntry,
  ExtensionRecord,
  BatchRecord,
  BatchCaseRecord,
  FileRecord,
  CaseFileRecord,
  DraftRecord,
  PiiAccessRecord,
  IdempotencyRecord,
  ObjectionRecord,
  CertificateRecord,
  AgencyRecord,
  CaseDocumentRecord,
  DocumentScanRecord,
  DocumentProgressRecord,
  SummaryListRecord,
  TaskDraftRecord,
  SetPasswordTokenRecord,
  AdminAuditRecord,
  InboxSavedFilterRecord,
];
