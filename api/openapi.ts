import { z } from 'zod';
import { preferencesBody } from '../features/me/schemas.ts';
import { acceptanceScheduleBody, objectionBody, batchBody, completeTaskBody, consultantBody, holdBody, creditRecordBody, draftSchema, extensionBody, signedScanBody, submitApplicationBody } from '../features/cases/schemas.ts';
import { summaryListBody } from '../features/documents/schemas.ts';
import { taskDraftBody } from '../features/tasks/taskDrafts.ts';
import { bulkBody, savedFilterBody } from '../features/tasks/inboxSchemas.ts';
import { agencyConsultantBody, agencyCreateBody, agencyUpdateBody, certificateImportBody, revokeBody } from '../features/registers/schemas.ts';
import { calendarBody, inviteBody, quotasBody, userUpdateBody } from '../features/admin/schemas.ts';

const loginBody = z.object({ email: z.email(), password: z.string() });
const cloneBody = z.object({ year: z.number().int() });

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  public?: boolean;
  multipart?: boolean;
}

/** Every route of the API; request bodies are described by the same zod schemas that parse them. */
const OPERATIONS: Operation[] = [
  { method: 'post', path: '/api/auth/login', summary: 'Log in; sets the session cookie and returns a bearer token', body: loginBody, public: true },
  { method: 'post', path: '/api/auth/logout', summary: 'End the session' },
  { method: 'get', path: '/api/auth/me', summary: 'The acting user' },
  { method: 'get', path: '/api/programs', summary: 'Published work plans (public notice)', public: true },
  { method: 'get', path: '/api/programs/{programId}', summary: 'One work plan: tracks, calendar, districts and quotas, materials, checklist, reminders', public: true },
  { method: 'get', path: '/api/programs/{programId}/rubric', summary: 'The self-evaluation rubric (attachment 4) and grade bands', public: true },
  { method: 'post', path: '/api/programs/{programId}/clone', summary: 'Admin: the same plan for another year, dates moved', body: cloneBody },
  { method: 'post', path: '/api/programs/{programId}/summary-lists/{track}', summary: 'Credit offices: print the 汇总表 of a track as PDF — {district} a district’s (a district office its own), null the whole city’s, left out the asker’s own — or return the one printed from the same cases: its file id and checksum', body: summaryListBody },
  { method: 'post', path: '/api/files', summary: 'Upload a document (multipart field "file", at most 20 MB)', multipart: true },
  { method: 'get', path: '/api/files/{id}', summary: 'Download a document' },
  { method: 'get', path: '/api/drafts/{programId}/{track}', summary: 'The enterprise’s saved draft' },
  { method: 'put', path: '/api/drafts/{programId}/{track}', summary: 'Save a draft (may be incomplete)', body: draftSchema },
  { method: 'post', path: '/api/cases', summary: 'Submit an application: eligibility and deadline checked, one case per enterprise, track and year', body: submitApplicationBody },
  { method: 'get', path: '/api/cases', summary: 'Cases the actor may see' },
  { method: 'get', path: '/api/cases/{caseId}', summary: 'A case: stage, tasks, decisions, versions, checklist, self-evaluation, certificate' },
  { method: 'post', path: '/api/cases/{caseId}/consultant', summary: 'Engage a consultant for self-compliance', body: consultantBody },
  { method: 'post', path: '/api/cases/{caseId}/deadlines/{deadline}/suspend', summary: 'City officer: put a deadline of a running case on hold, with a reason', body: holdBody },
  { method: 'post', path: '/api/cases/{caseId}/deadlines/{deadline}/resume', summary: 'City officer: the deadline runs again, later by the time it was held' },
  { method: 'post', path: '/api/extensions', summary: 'City officer: move a deadline of one case, with a reason', body: extensionBody },
  { method: 'get', path: '/api/tasks', summary: 'The actor’s inbox of open tasks (query: track, stage, district, due=overdue|week, q = enterprise name, credit code or case code, sort=due|-due, page, limit ≤ 500): rows with their title, days left and holder; counts per filter value' },
  { method: 'get', path: '/api/tasks/filters', summary: 'The actor’s saved inbox filters' },
  { method: 'post', path: '/api/tasks/filters', summary: 'Save an inbox filter under a name (the same name replaces it)', body: savedFilterBody },
  { method: 'delete', path: '/api/tasks/filters/{filterId}', summary: 'Delete one of the actor’s saved inbox filters' },
  { method: 'post', path: '/api/tasks/bulk', summary: 'Credit offices: approve several reviews with one comment, or claim or release several office tasks; each task through the same use case as one, the answer per task (done, already, refused with the reason)', body: bulkBody },
  { method: 'post', path: '/api/tasks/{taskId}/claim', summary: 'Claim an office’s task: colleagues see who holds it and cannot complete it meanwhile (claiming one’s own claim again is fine)' },
  { method: 'post', path: '/api/tasks/{taskId}/release', summary: 'Release a claimed task (its holder, or an admin)' },
  { method: 'get', path: '/api/tasks/{taskId}', summary: 'A task with its case' },
  { method: 'post', path: '/api/tasks/{taskId}/complete', summary: 'Complete a task: review decision, correction, checklist item, acceptance materials, certificate', body: completeTaskBody },
  { method: 'get', path: '/api/tasks/{taskId}/draft', summary: 'The draft of a task’s form (the acceptance materials and score sheet so far), for whoever may complete the task; null when none is saved or the task is closed' },
  { method: 'put', path: '/api/tasks/{taskId}/draft', summary: 'Save the acceptance materials and score sheet so far (any part may be missing) without completing the task; the answer names each file', body: taskDraftBody },
  { method: 'get', path: '/api/batches', summary: 'Forwarding batches (汇总) the actor may see' },
  { method: 'post', path: '/api/batches', summary: 'District officer: forward approved cases to the city as one batch', body: batchBody },
  { method: 'get', path: '/api/enterprises/{uscc}', summary: 'Register entry (identity number masked)' },
  { method: 'post', path: '/api/enterprises/{uscc}/reveal-id-number', summary: 'The full identity number, for the roles that must see it; logged' },
  { method: 'get', path: '/api/enterprises/{uscc}/id-number-access-log', summary: 'Who saw the full identity number' },
  { method: 'get', path: '/api/enterprises/{uscc}/credit-records', summary: 'Recorded dishonesty and false-commitment findings' },
  { method: 'post', path: '/api/enterprises/{uscc}/credit-records', summary: 'Credit office: record a finding', body: creditRecordBody },
  { method: 'get', path: '/api/me/preferences', summary: 'Own notification settings: daily digest instead of reminders, mail language' },
  { method: 'put', path: '/api/me/preferences', summary: 'Change own notification settings', body: preferencesBody },
  { method: 'post', path: '/api/me/calendar-token', summary: 'A new private iCalendar feed URL (an earlier one stops working)' },
  { method: 'delete', path: '/api/me/calendar-token', summary: 'Revoke the calendar feed' },
  { method: 'post', path: '/api/notifications/{notificationKey}/resend', summary: 'Credit office: send a failed or uncertain mail about a case again (once per request)' },
  { method: 'get', path: '/api/certificates', summary: 'The certificate register (query uscc, track): offices and admins all, an enterprise its own' },
  { method: 'post', path: '/api/certificates/import', summary: 'Admin: import earlier certificates from CSV text ({csv}: header uscc,track,number,issuedOn or 统一社会信用代码,类别,证书编号,发证日期); a report of rows accepted and refused with reasons', body: certificateImportBody },
  { method: 'post', path: '/api/certificates/{certificateNumber}/revoke', summary: 'Admin: revoke a certificate, with a reason; it no longer counts as a prerequisite', body: revokeBody },
  { method: 'get', path: '/api/agencies', summary: 'Credit service agencies (信用服务机构): active ones (admins: all)' },
  { method: 'post', path: '/api/agencies', summary: 'Admin: register an agency', body: agencyCreateBody },
  { method: 'get', path: '/api/agencies/{agencyId}', summary: 'An agency and its consultants (names; logins for admins)' },
  { method: 'patch', path: '/api/agencies/{agencyId}', summary: 'Admin: change an agency’s name, contact or whether it is active', body: agencyUpdateBody },
  { method: 'post', path: '/api/agencies/{agencyId}/consultants', summary: 'Admin: a consultant login for the agency (role consultant, scope the agency)', body: agencyConsultantBody },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', public: true },
  { method: 'get', path: '/calendar/{token}.ics', summary: 'The private feed: own tasks’ due dates and the deadlines that concern the user', public: true },
  { method: 'get', path: '/healthz', summary: '200 when the database and Temporal answer, else 503', public: true },
  { method: 'get', path: '/api/cases/{caseId}/documents', summary: 'The documents of the case’s track: printed or not (file id, checksum), printing (progress), signed scans handed back' },
  { method: 'post', path: '/api/cases/{caseId}/documents/{documentKind}', summary: 'Print a document of the case as PDF (贯标: application_form, commitment_letter, self_evaluation; 示范: recommendation_form, application_package; certificate), or return the one printed from the same input: 201 with its file id and checksum, or 202 with the progress while a package is bound' },
  { method: 'get', path: '/api/cases/{caseId}/documents/{documentKind}', summary: 'One document: ready (file), printing (progress: items done of total) or not printed, with its signed scans' },
  { method: 'post', path: '/api/cases/{caseId}/documents/{documentKind}/scans', summary: 'The enterprise or its district: hand back the signed and stamped form ({fileId} of an uploaded PDF/JPEG/PNG) against the printed document', body: signedScanBody },
  { method: 'get', path: '/api/recommendation-quotas', summary: 'Offices: what is left of each recommendation quota (推荐名额) the actor recommends within' },
  { method: 'post', path: '/api/acceptance-schedules', summary: 'Acceptor: one acceptance date and place for a group of waiting demonstration cases (另行通知)', body: acceptanceScheduleBody },
  { method: 'get', path: '/api/objections/{objectionId}', summary: 'Offices: an objection filed in publicity, with the objector’s contact' },
  { method: 'get', path: '/api/publicity', summary: 'Cases in publicity (公示) now: enterprise and period', public: true },
  { method: 'post', path: '/api/publicity/{caseId}/objections', summary: 'Anyone: object to a case in publicity (rate-limited)', body: objectionBody, public: true },
  { method: 'get', path: '/api/dashboard', summary: 'Offices and admin: a program’s dashboard (query programId, default the latest year): quotas per district, cases per stage, open and overdue tasks per office, deadlines ahead; a district office sees its own district' },
  { method: 'get', path: '/api/dashboard/{chart}.csv', summary: 'One dashboard chart’s numbers as CSV (UTF-8 with BOM, Chinese headers): chart quotas, stages, overdue, due-soon or deadlines; query programId' },
  { method: 'get', path: '/api/admin/users', summary: 'Admin: users, by name or e-mail (query q), role and status (active, invited, deactivated), each with their latest set-password link and its mail' },
  { method: 'post', path: '/api/admin/users', summary: 'Admin: invite a user (role and scope: district code, agency id or USCC); an inactive login and a set-password link by mail (single use, 72 h)', body: inviteBody },
  { method: 'get', path: '/api/admin/users/{userId}', summary: 'Admin: one user' },
  { method: 'patch', path: '/api/admin/users/{userId}', summary: 'Admin: change a user’s name, role or scope (takes effect on their next request)', body: userUpdateBody },
  { method: 'post', path: '/api/admin/users/{userId}/deactivate', summary: 'Admin: deactivate a login: its sessions end, its links stop working, logging in is refused' },
  { method: 'post', path: '/api/admin/users/{userId}/activate', summary: 'Admin: activate a deactivated login again' },
  { method: 'post', path: '/api/admin/users/{userId}/set-password-link', summary: 'Admin: mail the user a new set-password link; the earlier ones stop working' },
  { method: 'get', path: '/api/admin/programs/{programId}/versions', summary: 'Admin: a program’s latest version and every stored version with the cases pinned to it' },
  { method: 'put', path: '/api/admin/programs/{programId}/calendar', summary: 'Admin: the year’s holidays and make-up working days (and whether deadlines roll to a working day) as the next program version; running cases keep theirs', body: calendarBody },
  { method: 'put', path: '/api/admin/programs/{programId}/quotas', summary: 'Admin: attachment 1’s quotas per district and track and the city-wide targets, as the next program version', body: quotasBody },
  { method: 'get', path: '/api/admin/audit', summary: 'Admin: the audit log (identity-number reveals, decisions on cases, admin changes), newest first; query person, uscc, caseId, kind, from, to (local dates); identity numbers masked' },
];

/** Every mutating call may carry one: a repeat with the same key replays the first answer. */
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Repeat a request safely: the same key (per user, 24 h) replays the first answer; the same key with another request is a 422.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,100}$' },
};

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, rule: { type: 'string' } } } },
      },
    },
  },
};

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters: Record<string, unknown>[] = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (op.method !== 'get') parameters.push(IDEMPOTENCY_KEY);
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(op.public ? { security: [] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
      ...(op.multipart ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } } } : {}),
      responses: {
        '200': { description: 'OK' },
        default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: '企业信用管理贯标平台 API', version: '1' },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'credcase_session' }, bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}
