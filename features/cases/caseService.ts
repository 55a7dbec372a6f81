import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { actorMaySeeCase } from '../../domain/case/authority.ts';
import { DEADLINE_LABELS, caseIdFor, type ApplicationForm, type CaseStartInput } from '../../domain/case/model.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import { applicationRefusal, applicationRefusalMessage, applicationRuleProblems, conditionProblem, type FieldProblem } from '../../domain/application/formRules.ts';
import { usccProblem } from '../../domain/identity/uscc.ts';
import { OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { officeInName } from '../../domain/identity/personNames.ts';
import { deadlineInstant, formatLocal, localDate } from '../../domain/program/calendar.ts';
import { programDeadline, requireTrack } from '../../domain/program/program.ts';
import { TRACKS, type Prerequisite, type ProgramDefinition, type TrackId } from '../../domain/program/types.ts';
import { checkPrerequisite as prerequisiteFailure } from '../../domain/eligibility/prerequisites.ts';
import type { CertificateService } from '../registers/certificateService.ts';
import type { AgencyService } from '../registers/agencyService.ts';
import {
  ApplicationVersionRecord,
  CaseDocumentRecord,
  CaseEventRecord,
  CaseRecord,
  CreditRecordEntry,
  DraftRecord,
  EnterpriseRecord,
  ExtensionRecord,
  NotificationRecord,
  TaskRecord,
  UserRecord,
} from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { assignConsultantUpdate, caseSettledUpdate, extendDeadlineUpdate, resumeDeadlineUpdate, suspendDeadlineUpdate } from '../../workflows/case/messages.ts';
import { actorOf } from '../auth/authService.ts';
import { AppError, fromZodError } from '../errors.ts';
import { refusalToAppError } from '../temporalErrors.ts';
import { masked, toCaseView, type CaseView } from './caseView.ts';
import type { FileService } from '../files/fileService.ts';
import type { ProgramService } from '../programs/programService.ts';
import { isUnchanged, type IdentityNumbers } from '../enterprises/identityNumbers.ts';
import { applicationSchema, submitApplicationBody } from './schemas.ts';
import type { z } from 'zod';
import type { extensionBody } from './schemas.ts';

export interface CaseDeps {
  orm: Orm;
  temporal: Client;
  taskQueue: string;
  programs: ProgramService;
  files: FileService;
  identities: IdentityNumbers;
  certificates: Pick<CertificateService, 'forEnterprise'>;
  /** the consultant directory: whom a case may engage, and the engaged one's name and agency */
  agencies: Pick<AgencyService, 'requireEngageable' | 'engaged'>;
}

/** A deadline the case (or, before it exists, the enterprise) does not have: the rule names the ones it has, as the form does. */
function noSuchDeadline(deadline: string, known: string[], applied: boolean): AppError {
  const zh = known.map((name) => `“${DEADLINE_LABELS[name] ?? name}”`).join('、');
  const rule = applied
    ? `该企业的案件没有此期限，可延长${zh} (the case has no deadline ${deadline}; it has ${known.join(', ')})`
    : known.length
      ? `该企业尚未申报，只能延长${zh} (the enterprise has not applied yet: only ${known.join(', ')} can be extended)`
      : '该企业尚未申报，此项目没有可延长的期限 (the enterprise has not applied yet, and this track has no application deadline to extend)';
  return new AppError('bad_request', '无法延期：请选择该企业有的期限 (no such deadline to extend)', [{ path: 'deadline', rule }]);
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** An application request as it came, read without trusting its shape: any part may be missing or wrong. */
function typedRequest(request: unknown): { programId?: unknown; track?: unknown; application: Record<string, unknown> } {
  const body = request && typeof request === 'object' ? (request as Record<string, unknown>) : {};
  const application = body.application && typeof body.application === 'object' && !Array.isArray(body.application) ? (body.application as Record<string, unknown>) : {};
  return { programId: body.programId, track: body.track, application };
}

/** What an application's checks read: the enterprise, what was typed, and what its shape already refused. */
interface TypedApplicationInput {
  uscc: string;
  application: Record<string, unknown>;
  shape: FieldProblem[];
}

/** One application per enterprise, track and year: said plainly, the case itself one click away (the pages link it). */
const alreadyApplied = (program: ProgramDefinition, trackName: string) =>
  new AppError('conflict', `本企业已申报${program.year}年度${trackName}，不能重复申报 (your enterprise has already applied for this track this year)`, [
    { path: 'application.uscc', rule: '每家企业每年每个类别只能申报一次 (one application per enterprise, track and program year)' },
  ]);

export function createCaseService({ orm, temporal, taskQueue, programs, files, identities, certificates, agencies }: CaseDeps) {
  const extensionFor = async (caseId: string, deadline: string): Promise<ExtensionRecord | null> =>
    (await orm.em.fork().find(ExtensionRecord, { caseId, deadline }, { orderBy: { grantedAt: 'desc' }, limit: 1 }))[0] ?? null;

  /**
   * The enterprise (and its district office, when known) hears of an extension granted before its
   * case exists: no case workflow runs yet to send it, so a workflow of its own does, started once
   * per extension. The extension stands even if the mail cannot be started now; the log says so.
   */
  const tellOfEarlyExtension = async (record: ExtensionRecord, body: z.infer<typeof extensionBody>, actor: Actor, previous: Date) => {
    const extension = { deadline: record.deadline, dueAt: record.dueAt.toISOString(), reason: record.reason, actor, grantedAt: record.grantedAt.toISOString() };
    const notice = { caseId: record.caseId, uscc: body.uscc, extension, previousDueAt: previous.toISOString(), before: { programId: body.programId, track: body.track } };
    await temporal.workflow.start('extensionNotice', { workflowId: `extension-notice-${record.id}`, taskQueue, args: [notice] }).catch((error: unknown) => {
      console.error(`[extensions] the mail of extension ${record.id} (${record.caseId}) could not be started:`, error);
    });
  };

  /**
   * Everything that must hold before an application is accepted, all told at once: the shape of
   * each field, the form's rules (identity number, district, the credit report being the
   * enterprise's own upload), the application conditions and the track's prerequisite. Throws one
   * AppError naming each field and rule; a field of the wrong shape is not judged further.
   */
  const checkApplication = async (program: ProgramDefinition, typed: TypedApplicationInput, now: Date, options: { idNumberOnRecord: boolean; prerequisite?: Prerequisite | undefined }) => {
    const today = localDate(now, program.timeZone);
    const { uscc, application, shape } = typed;
    const creditRecords = await orm.em.fork().find(CreditRecordEntry, { uscc });
    const { input, conditions } = applicationRuleProblems({
      application,
      today,
      idNumberOnRecord: options.idNumberOnRecord,
      districts: program.districts,
      eligibility: program.eligibility,
      creditRecords: creditRecords.map((r) => ({ kind: r.kind, occurredOn: r.occurredOn })),
    });
    const report = application.creditReportFileId;
    if (typeof report === 'string' && report && !shape.some((p) => p.path === 'application.creditReportFileId')) {
      await files.requireOwned(uscc, [{ path: 'application.creditReportFileId', id: report }]).catch((error: unknown) => {
        if (!(error instanceof AppError)) throw error;
        input.push(...error.fields);
      });
    }
    if (options.prerequisite) {
      const trackNames = Object.fromEntries(Object.values(program.tracks).map((t) => [t.id, t.name]));
      const failure = prerequisiteFailure({ applicationDate: today, certificates: await certificates.forEnterprise(uscc) }, options.prerequisite, trackNames);
      if (failure) conditions.push(conditionProblem(failure));
    }
    const refusal = applicationRefusal({ shape, input, conditions });
    if (refusal) throw new AppError(refusal.conditionsOnly ? 'unprocessable' : 'bad_request', applicationRefusalMessage(refusal), refusal.problems);
  };

  const service = {
    /**
     * An enterprise applies: checked against its program, every problem of the form told at once,
     * then one workflow per (program, track, enterprise). Takes the request as it came (the pages
     * send what was typed) or already parsed (the API).
     */
    async submitApplication(actor: Actor, request: unknown): Promise<CaseView> {
      if (actor.role !== 'enterprise' || !actor.scopeId) throw new AppError('forbidden', '由企业申报 (only an enterprise applies)');
      const parsed = submitApplicationBody.safeParse(request);
      const shape = parsed.success ? [] : fromZodError(parsed.error).fields;
      const typed = typedRequest(request);
      if (shape.some((p) => p.path === 'programId')) throw new AppError('bad_request', '没有此计划 (no such program)', shape.filter((p) => p.path === 'programId'));
      const given = text(typed.application.uscc).toUpperCase();
      if (given && !usccProblem(given) && given !== actor.scopeId) {
        throw new AppError('forbidden', '只能为本企业申报 (an enterprise user applies only for its own enterprise)', [
          { path: 'application.uscc', rule: '应为本企业的统一社会信用代码 (must be the credit code of your own enterprise)' },
        ]);
      }
      const program = parsed.success && parsed.data.programId ? await programs.latest(parsed.data.programId) : typeof typed.programId === 'string' ? await programs.latest(typed.programId) : await programs.current();
      const track = parsed.success ? parsed.data.track : ((TRACKS as readonly unknown[]).includes(typed.track ?? 'standard') ? ((typed.track ?? 'standard') as TrackId) : null);
      const trackDefinition = track ? program.tracks[track] : undefined;
      const open = Object.values(program.tracks).filter((t) => t.acceptanceReview.length || t.demonstration);
      if (track && !open.some((t) => t.id === track)) {
        shape.push({ path: 'track', rule: `${program.title}不受理该类别的申报 (program ${program.id} takes no applications for track ${track}; one of ${open.map((t) => t.id).join(', ')})` });
      }
      const now = new Date();
      if (track && trackDefinition && open.includes(trackDefinition)) {
        const caseId = caseIdFor(program.id, track, actor.scopeId);
        const [applied, extension] = await Promise.all([orm.em.fork().count(CaseRecord, { id: caseId }), extensionFor(caseId, 'application')]);
        // an enterprise that has applied is told so first: what it typed this time does not matter
        if (applied) throw alreadyApplied(program, trackDefinition.name);
        // a demonstration track takes applications until its districts must have recommended
        const applicationDeadline = (trackDefinition.deadlines.application ?? trackDefinition.deadlines.recommendation)!;
        const due = extension ? extension.dueAt : programDeadline(program, applicationDeadline);
        if (now > due) {
          const when = formatLocal(due, program.timeZone);
          throw new AppError('unprocessable', `申报截止时间 ${when} 已过${extension ? '' : '，如需延期请联系市经信委'} (the application deadline ${due.toISOString()} has passed${extension ? '' : '; the city office can grant an extension'})`, [
            { path: 'submittedAt', rule: `应在 ${when} 之前提交 (must be before ${when})` },
          ]);
        }
      }
      await checkApplication(program, { uscc: actor.scopeId, application: parsed.success ? { ...parsed.data.application } : typed.application, shape }, now, {
        idNumberOnRecord: false,
        prerequisite: trackDefinition?.demonstration?.prerequisite,
      });
      // checkApplication refuses any problem of shape: what is left parsed, for a track that is open
      if (!parsed.success || !trackDefinition) throw new AppError('internal', 'an application of the wrong shape passed its checks');
      const { application, track: applied } = parsed.data;
      const caseId = caseIdFor(program.id, applied, application.uscc);

      const plan = casePlanFor(program, applied, application.district);
      const input: CaseStartInput = {
        caseId,
        programId: program.id,
        programVersion: program.version,
        track: applied,
        // the full identity number stays in the register: the workflow gets it masked, with a ref
        application: await identities.seal(application),
        submittedBy: actor,
        submittedAt: now.toISOString(),
        plan,
      };
      // one round trip: the case starts and answers once its first task is open (Update-with-Start)
      const start = new WithStartWorkflowOperation(trackDefinition.demonstration ? 'demonstrationTrack' : 'caseWorkflow', {
        workflowId: caseId,
        taskQueue,
        args: [input],
        // a case whose recording failed ends failed, and only such a run may be replaced by a new application
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowIdConflictPolicy: 'FAIL',
      });
      const settled = await temporal.workflow.executeUpdateWithStart(caseSettledUpdate, { startWorkflowOperation: start }).catch(async (error: unknown) => {
        // no case came of it: its number is not kept either
        if (!(await start.workflowHandle().then(() => true, () => false))) await identities.discard(input.application.legalRepresentativeIdRef!);
        if (error instanceof WorkflowExecutionAlreadyStartedError) throw alreadyApplied(program, trackDefinition.name);
        throw error;
      });
      if (settled.status === 'failed' && settled.closure) throw new AppError('unprocessable', settled.closure.reason, [{ path: 'application', rule: settled.closure.reason }]);
      // the draft is used up: the 申报 page now shows the case
      await orm.em.fork().nativeDelete(DraftRecord, { uscc: application.uscc, programId: program.id, track: applied });
      return service.getCase(actor, caseId);
    },

    /**
     * A corrected application is checked like a new one, every problem at once, and stays the same
     * enterprise in the same district (fixed at submission); a number left as shown (masked) keeps
     * the one on record. Takes the form as typed (the pages) or parsed (the API).
     */
    async checkCorrection(caseId: string, typedApplication: unknown): Promise<ApplicationForm> {
      const record = await orm.em.fork().findOneOrFail(CaseRecord, { id: caseId });
      const parsed = applicationSchema.safeParse(typedApplication);
      const shape = parsed.success ? [] : fromZodError(parsed.error, 'application').fields;
      const application: Record<string, unknown> = parsed.success ? { ...parsed.data } : typedRequest({ application: typedApplication }).application;
      const fixed: FieldProblem[] = [];
      if (text(application.uscc).toUpperCase() !== record.enterpriseUscc) {
        fixed.push({ path: 'application.uscc', rule: `补正不能更换企业，应为 ${record.enterpriseUscc} (a correction cannot change the enterprise: must stay ${record.enterpriseUscc})` });
      }
      if (text(application.district) !== record.district) {
        fixed.push({ path: 'application.district', rule: `补正不能更换所属镇（区），应为 ${record.district}；如需移交，请联系市经信委 (a correction cannot move the case to another district: must stay ${record.district})` });
      }
      const program = await programs.version(record.programId, record.programVersion);
      const unchanged = isUnchanged({ ...record.application, legalRepresentativeIdNumber: text(application.legalRepresentativeIdNumber).toUpperCase() }, record.application);
      await checkApplication(program, { uscc: record.enterpriseUscc, application, shape: [...shape, ...fixed] }, new Date(), { idNumberOnRecord: unchanged });
      if (!parsed.success) throw new AppError('internal', 'a correction of the wrong shape passed its checks');
      return parsed.data;
    },

    /** A corrected application, checked (checkCorrection), travels sealed like the first. */
    async checkResubmission(caseId: string, application: ApplicationForm): Promise<ApplicationForm> {
      const checked = await service.checkCorrection(caseId, application);
      const record = await orm.em.fork().findOneOrFail(CaseRecord, { id: caseId });
      return identities.seal(checked, record.application);
    },

    async caseRecord(actor: Actor, caseId: string): Promise<CaseRecord> {
      const record = await orm.em.fork().findOne(CaseRecord, { id: caseId });
      if (!record || !actorMaySeeCase(actor, { ...record, consultantUserId: record.consultantUserId ?? null })) throw new AppError('not_found', `没有案件 ${caseId} (no such case)`);
      return record;
    },

    /** The case as the offices see it: the projection, its tasks, versions, decisions and scores. */
    async getCase(actor: Actor, caseId: string): Promise<CaseView> {
      const record = await service.caseRecord(actor, caseId);
      const em = orm.em.fork();
      const office = OFFICE_ROLES.has(actor.role);
      const [tasks, events, versions, program, undelivered, documents, consultant] = await Promise.all([
        em.find(TaskRecord, { caseId }, { orderBy: { openedAt: 'asc', id: 'asc' } }),
        em.find(CaseEventRecord, { caseId }, { orderBy: { at: 'asc' } }),
        em.find(ApplicationVersionRecord, { caseId }, { orderBy: { version: 'asc' } }),
        programs.version(record.programId, record.programVersion),
        // the offices are shown mail that did not (or may not have) reached its recipient
        office ? em.find(NotificationRecord, { caseId, status: { $in: ['failed', 'bounced', 'uncertain'] } }, { orderBy: { createdAt: 'asc' } }) : Promise.resolve([]),
        em.find(CaseDocumentRecord, { caseId }, { orderBy: { kind: 'asc' } }),
        agencies.engaged(record.consultantUserId ?? null),
      ]);
      return {
        ...toCaseView(record, tasks, events, versions, program, consultant),
        documents: documents.map((d) => ({ kind: d.kind, fileId: d.fileId, sha256: d.sha256, createdAt: d.createdAt })),
        deliveryProblems: undelivered.map((n) => ({ key: n.key, recipient: n.recipient, template: n.template, subject: n.subject, status: n.status, smtpResponse: n.smtpResponse ?? null, attempts: n.attempts, at: n.createdAt })),
      };
    },

    async listCases(actor: Actor, filter: { status?: string | undefined } = {}): Promise<CaseRecord[]> {
      const scope =
        actor.role === 'enterprise'
          ? { enterpriseUscc: actor.scopeId ?? '' }
          : actor.role === 'district_officer'
            ? { district: actor.scopeId ?? '' }
            : actor.role === 'consultant'
              ? { $or: [{ consultantUserId: actor.userId }, { consultantUserId: null, agencyId: actor.scopeId ?? '' }] }
              : {};
      const rows = await orm.em.fork().find(CaseRecord, { ...scope, ...(filter.status ? { status: filter.status } : {}) }, { orderBy: { updatedAt: 'desc' }, limit: 500 });
      for (const row of rows) row.application = masked(row.application);
      return rows;
    },

    /** Who may engage a consultant on a case: the enterprise itself or the city office (the workflow holds the same rule). */
    async requireConsultantEngager(actor: Actor, caseId: string): Promise<void> {
      await service.caseRecord(actor, caseId);
      if (actor.role !== 'enterprise' && actor.role !== 'city_officer') throw new AppError('forbidden', '顾问由企业本身或市经信委聘请 (the enterprise itself or the city office engages a consultant)');
    },

    /** The enterprise (or the city) engages a consultant for self-compliance. */
    async assignConsultant(actor: Actor, caseId: string, consultantUserId: string): Promise<CaseView> {
      await service.requireConsultantEngager(actor, caseId);
      const consultant = await agencies.requireEngageable(consultantUserId);
      await temporal.workflow.getHandle(caseId).executeUpdate(assignConsultantUpdate, { args: [{ consultant: actorOf(consultant), actor }] }).catch(refusalToAppError);
      return service.getCase(actor, caseId);
    },

    /** Only the city office holds a case's deadlines; a case the actor may not see is 404 first. */
    async requireDeadlineHolder(actor: Actor, caseId: string): Promise<void> {
      await service.caseRecord(actor, caseId);
      if (actor.role !== 'city_officer') throw new AppError('forbidden', '只有市经信委可以暂停或恢复期限 (only the city office puts deadlines on hold)');
    },

    /** A city officer puts a running case's deadline on hold, or lets it run again; both on record. */
    async holdDeadline(actor: Actor, caseId: string, deadline: string, hold: { reason: string } | null): Promise<CaseView> {
      await service.requireDeadlineHolder(actor, caseId);
      const handle = temporal.workflow.getHandle(caseId);
      if (hold) await handle.executeUpdate(suspendDeadlineUpdate, { args: [{ deadline, reason: hold.reason, actor }] }).catch(refusalToAppError);
      else await handle.executeUpdate(resumeDeadlineUpdate, { args: [{ deadline, actor }] }).catch(refusalToAppError);
      return service.getCase(actor, caseId);
    },

    /**
     * A city officer moves a deadline for one case, recorded with its reason. Before the case exists
     * (the application deadline) the record alone lets the late application in.
     */
    async grantExtension(actor: Actor, body: z.infer<typeof extensionBody>): Promise<GrantedExtension> {
      if (actor.role !== 'city_officer') throw new AppError('forbidden', '由市经信委办理延期 (only the city office grants extensions)');
      const program = await programs.latest(body.programId);
      const track = requireTrack(program, body.track);
      const dueAt = deadlineInstant({ date: body.dueDate, time: body.dueTime, inclusive: true }, program.timeZone);
      if (dueAt <= new Date()) throw new AppError('bad_request', '新的期限应晚于现在 (the new deadline must lie in the future)', [{ path: 'dueDate', rule: '应晚于现在 (in the future)' }]);
      const caseId = caseIdFor(program.id, body.track, body.uscc);
      const running = await orm.em.fork().findOne(CaseRecord, { id: caseId });
      const known = running ? Object.keys(running.deadlines) : Object.keys(track.deadlines).filter((name) => name === 'application');
      if (!known.includes(body.deadline)) throw noSuchDeadline(body.deadline, known, Boolean(running));
      if (running) {
        // the case's own record of it is the workflow's (an event written by its activity, and its mail): nothing to write twice
        const state = await temporal.workflow
          .getHandle(caseId)
          .executeUpdate(extendDeadlineUpdate, { args: [{ deadline: body.deadline, dueAt: dueAt.toISOString(), reason: body.reason, actor }] })
          .catch(refusalToAppError);
        const granted = state.extensions.at(-1)!;
        return { caseId, deadline: granted.deadline, dueAt: new Date(granted.dueAt), reason: granted.reason, grantedBy: actor.userId, grantedByName: actor.name, grantedAt: new Date(granted.grantedAt) };
      }
      // before the case exists (the application deadline), this record alone lets the late application in
      const previous = (await extensionFor(caseId, body.deadline))?.dueAt ?? programDeadline(program, track.deadlines[body.deadline]!);
      const em = orm.em.fork();
      const record = em.create(ExtensionRecord, { id: crypto.randomUUID(), caseId, deadline: body.deadline, dueAt, reason: body.reason, grantedBy: actor.userId, grantedByName: actor.name, grantedAt: new Date() });
      await em.flush();
      await tellOfEarlyExtension(record, body, actor, previous);
      return { caseId, deadline: record.deadline, dueAt: record.dueAt, reason: record.reason, grantedBy: record.grantedBy, grantedByName: record.grantedByName, grantedAt: record.grantedAt };
    },

    /**
     * Whom the city office may grant an extension in a program's track, and which deadlines: the
     * running cases with the deadlines each has (as extended), and the enterprises with a login that
     * have not applied yet, for the application deadline only (where the track has one).
     */
    async extensionChoices(actor: Actor, programId: string, trackId: TrackId): Promise<ExtensionChoices> {
      if (actor.role !== 'city_officer') throw new AppError('forbidden', '由市经信委办理延期 (only the city office grants extensions)');
      const program = await programs.latest(programId);
      const track = requireTrack(program, trackId);
      const em = orm.em.fork();
      const running = await em.find(CaseRecord, { programId, track: trackId, status: 'active' }, { orderBy: { enterpriseName: 'asc' }, fields: ['id', 'enterpriseUscc', 'enterpriseName', 'stage', 'deadlines'] });
      const cases = running.map((c) => ({ caseId: c.id, uscc: c.enterpriseUscc, name: c.enterpriseName, stage: c.stage, deadlines: c.deadlines }));
      const programDeadlines = Object.fromEntries(Object.entries(track.deadlines).map(([name, deadline]) => [name, programDeadline(program, deadline).toISOString()]));
      if (!track.deadlines.application) return { programDeadlines, cases, notApplied: [] };
      const applied = new Set((await em.find(CaseRecord, { programId, track: trackId }, { fields: ['enterpriseUscc'] })).map((c) => c.enterpriseUscc));
      const logins = await em.find(UserRecord, { role: 'enterprise', active: true, scopeId: { $ne: null } }, { fields: ['scopeId', 'name'], orderBy: { email: 'asc' } });
      const waiting = [...new Map(logins.filter((u) => !applied.has(u.scopeId!)).map((u) => [u.scopeId!, u.name])).entries()];
      const registered = new Map((await em.find(EnterpriseRecord, { uscc: { $in: waiting.map(([uscc]) => uscc) } }, { fields: ['uscc', 'name'] })).map((e) => [e.uscc, e.name]));
      const notApplied = waiting
        .map(([uscc, login]) => ({ uscc, name: registered.get(uscc) ?? officeInName(login) ?? login, extendedTo: null as string | null }))
        .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
      for (const enterprise of notApplied) enterprise.extendedTo = (await extensionFor(caseIdFor(programId, trackId, enterprise.uscc), 'application'))?.dueAt.toISOString() ?? null;
      return { programDeadlines, cases, notApplied };
    },
  };
  return service;
}

export type CaseService = ReturnType<typeof createCaseService>;

/** What the extension form chooses from (extensionChoices). */
export interface ExtensionChoices {
  /** the track's deadlines as the program sets them: name → instant */
  programDeadlines: Record<string, string>;
  /** the running cases, each with its deadlines in force */
  cases: Array<{ caseId: string; uscc: string; name: string; stage: string; deadlines: Record<string, string> }>;
  /** enterprises with a login that have not applied to the track: only the application deadline moves for them (extendedTo: as extended before) */
  notApplied: Array<{ uscc: string; name: string; extendedTo: string | null }>;
}

/** A deadline moved for one case, as the city office is told. */
export interface GrantedExtension {
  caseId: string;
  deadline: string;
  dueAt: Date;
  reason: string;
  grantedBy: string;
  grantedByName: string;
  grantedAt: Date;
}
