import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { actorMaySeeCase } from '../../domain/case/authority.ts';
import { caseIdFor, type ApplicationForm, type CaseStartInput } from '../../domain/case/model.ts';
import { casePlanFor } from '../../domain/case/plan.ts';
import { checkEligibility } from '../../domain/eligibility/eligibility.ts';
import { RESIDENT_ID_RULE_MESSAGES, residentIdProblem } from '../../domain/identity/residentId.ts';
import { OFFICE_ROLES, type Actor } from '../../domain/identity/roles.ts';
import { deadlineInstant, formatLocal, localDate } from '../../domain/program/calendar.ts';
import { findDistrict, programDeadline, requireTrack } from '../../domain/program/program.ts';
import type { Prerequisite, ProgramDefinition } from '../../domain/program/types.ts';
import { checkPrerequisite as prerequisiteFailure } from '../../domain/eligibility/prerequisites.ts';
import type { CertificateService } from '../registers/certificateService.ts';
import type { AgencyService } from '../registers/agencyService.ts';
import {
  ApplicationVersionRecord,
  CaseDocumentRecord,
  CaseEventRecord,
  CaseRecord,
  CreditRecordEntry,
  ExtensionRecord,
  NotificationRecord,
  TaskRecord,
} from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { assignConsultantUpdate, caseSettledUpdate, extendDeadlineUpdate, resumeDeadlineUpdate, suspendDeadlineUpdate } from '../../workflows/case/messages.ts';
import { actorOf } from '../auth/authService.ts';
import { AppError } from '../errors.ts';
import { refusalToAppError } from '../temporalErrors.ts';
import { masked, toCaseView, type CaseView } from './caseView.ts';
import type { FileService } from '../files/fileService.ts';
import type { ProgramService } from '../programs/programService.ts';
import { isUnchanged, type IdentityNumbers } from '../enterprises/identityNumbers.ts';
import type { SubmitApplicationBody } from './schemas.ts';
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

/** The district code must be one of the program's; the rule names them. */
function requireDistrict(program: ProgramDefinition, district: string): void {
  if (findDistrict(program, district)) return;
  throw new AppError('bad_request', `district ${district} is not in program ${program.id}`, [
    { path: 'application.district', rule: `one of ${program.districts.map((d) => d.code).join(', ')}` },
  ]);
}

export function createCaseService({ orm, temporal, taskQueue, programs, files, identities, certificates, agencies }: CaseDeps) {
  const extensionFor = async (caseId: string, deadline: string): Promise<ExtensionRecord | null> =>
    (await orm.em.fork().find(ExtensionRecord, { caseId, deadline }, { orderBy: { grantedAt: 'desc' }, limit: 1 }))[0] ?? null;

  /** Everything that must hold before an application is accepted; throws naming each field and rule. */
  const checkApplication = async (program: ProgramDefinition, application: ApplicationForm, now: Date, idNumberOnRecord = false) => {
    const today = localDate(now, program.timeZone);
    const idProblem = idNumberOnRecord ? null : residentIdProblem(application.legalRepresentativeIdNumber, today);
    if (idProblem) {
      throw new AppError('bad_request', `application.legalRepresentativeIdNumber: ${RESIDENT_ID_RULE_MESSAGES[idProblem]}`, [
        { path: 'application.legalRepresentativeIdNumber', rule: RESIDENT_ID_RULE_MESSAGES[idProblem] },
      ]);
    }
    await files.requireOwned(application.uscc, [{ path: 'application.creditReportFileId', id: application.creditReportFileId }]);
    const creditRecords = await orm.em.fork().find(CreditRecordEntry, { uscc: application.uscc });
    const failures = checkEligibility(
      {
        applicationDate: today,
        district: application.district,
        programDistricts: program.districts,
        independentLegalPerson: application.independentLegalPerson,
        foundedOn: application.foundedOn,
        declaresNoSeriousDishonesty: application.declaresNoSeriousDishonesty,
        creditRecords: creditRecords.map((r) => ({ kind: r.kind, occurredOn: r.occurredOn })),
      },
      program.eligibility,
    );
    if (failures.length) {
      throw new AppError('unprocessable', `不符合申报条件 (not eligible): ${failures.map((f) => f.message).join(' ')}`, failures.map((f) => ({ path: f.path, rule: f.message })));
    }
  };

  /** A demonstration track's prerequisite: a certificate of the track below, held long enough (our register). */
  const checkPrerequisite = async (program: ProgramDefinition, prerequisite: Prerequisite, uscc: string, now: Date) => {
    const trackNames = Object.fromEntries(Object.values(program.tracks).map((t) => [t.id, t.name]));
    const failure = prerequisiteFailure({ applicationDate: localDate(now, program.timeZone), certificates: await certificates.forEnterprise(uscc) }, prerequisite, trackNames);
    if (failure) throw new AppError('unprocessable', `不符合申报条件 (not eligible): ${failure.message}`, [{ path: failure.path, rule: failure.message }]);
  };

  const service = {
    /** An enterprise applies: checked against its program, then one workflow per (program, track, enterprise). */
    async submitApplication(actor: Actor, body: SubmitApplicationBody): Promise<CaseView> {
      const { application, track } = body;
      if (actor.role !== 'enterprise') throw new AppError('forbidden', '由企业申报 (only an enterprise applies)');
      if (actor.scopeId !== application.uscc) {
        throw new AppError('forbidden', '只能为本企业申报 (an enterprise user applies only for its own enterprise)', [
          { path: 'application.uscc', rule: '应为本企业的统一社会信用代码 (must be the credit code of your own enterprise)' },
        ]);
      }
      const program = body.programId ? await programs.latest(body.programId) : await programs.current();
      const trackDefinition = program.tracks[track];
      if (!trackDefinition || (!trackDefinition.acceptanceReview.length && !trackDefinition.demonstration)) {
        const open = Object.values(program.tracks).filter((t) => t.acceptanceReview.length || t.demonstration).map((t) => t.id);
        throw new AppError('unprocessable', `${program.title}不受理该类别的申报 (program ${program.id} takes no applications for track ${track})`, [{ path: 'track', rule: `one of ${open.join(', ')}` }]);
      }
      requireDistrict(program, application.district);
      const caseId = caseIdFor(program.id, track, application.uscc);
      const now = new Date();
      // a demonstration track takes applications until its districts must have recommended
      const applicationDeadline = (trackDefinition.deadlines.application ?? trackDefinition.deadlines.recommendation)!;
      const extension = await extensionFor(caseId, 'application');
      const due = extension ? extension.dueAt : programDeadline(program, applicationDeadline);
      if (now > due) {
        const when = formatLocal(due, program.timeZone);
        throw new AppError('unprocessable', `申报截止时间 ${when} 已过 (the application deadline ${due.toISOString()} has passed)${extension ? '' : '; the city office can grant an extension'}`, [
          { path: 'submittedAt', rule: `must be before ${when}` },
        ]);
      }
      await checkApplication(program, application, now);
      if (trackDefinition.demonstration) await checkPrerequisite(program, trackDefinition.demonstration.prerequisite, application.uscc, now);

      const plan = casePlanFor(program, track, application.district);
      const input: CaseStartInput = {
        caseId,
        programId: program.id,
        programVersion: program.version,
        track,
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
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          throw new AppError('conflict', `${application.enterpriseName} 已申报${trackDefinition.name}（${program.id}）(has already applied)`, [
            { path: 'application.uscc', rule: '每家企业每年每个类别只能申报一次 (one application per enterprise, track and program year)' },
          ]);
        }
        throw error;
      });
      if (settled.status === 'failed' && settled.closure) throw new AppError('unprocessable', settled.closure.reason, [{ path: 'application', rule: settled.closure.reason }]);
      return service.getCase(actor, caseId);
    },

    /**
     * A corrected application is checked like a new one, stays the same enterprise in the same
     * district (fixed at submission), and travels sealed like the first; a number left as shown
     * (masked) keeps the one on record.
     */
    async checkResubmission(caseId: string, application: ApplicationForm): Promise<ApplicationForm> {
      const record = await orm.em.fork().findOneOrFail(CaseRecord, { id: caseId });
      if (application.uscc !== record.enterpriseUscc) {
        throw new AppError('bad_request', `补正不能更换企业 (a correction cannot change the enterprise)`, [{ path: 'application.uscc', rule: `应为 ${record.enterpriseUscc} (must stay ${record.enterpriseUscc})` }]);
      }
      if (application.district !== record.district) {
        throw new AppError('bad_request', `补正不能更换所属镇（区）(a correction cannot move the case to another district)`, [
          { path: 'application.district', rule: `应为 ${record.district}；如需移交，请联系市经信委 (must stay ${record.district})` },
        ]);
      }
      const program = await programs.version(record.programId, record.programVersion);
      requireDistrict(program, application.district);
      const unchanged = isUnchanged(application, record.application);
      await checkApplication(program, application, new Date(), unchanged);
      return identities.seal(application, record.application);
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
      const known = running ? Object.keys(running.deadlines) : Object.keys(track.deadlines);
      if (!known.includes(body.deadline) || (!running && body.deadline !== 'application')) {
        const allowed = running ? known : ['application'];
        throw new AppError('bad_request', `no deadline ${body.deadline} to extend`, [{ path: 'deadline', rule: `one of ${allowed.join(', ')}` }]);
      }
      if (running) {
        // the case's own record of it is the workflow's (an event written by its activity): nothing to write twice
        const state = await temporal.workflow
          .getHandle(caseId)
          .executeUpdate(extendDeadlineUpdate, { args: [{ deadline: body.deadline, dueAt: dueAt.toISOString(), reason: body.reason, actor }] })
          .catch(refusalToAppError);
        const granted = state.extensions.at(-1)!;
        return { caseId, deadline: granted.deadline, dueAt: new Date(granted.dueAt), reason: granted.reason, grantedBy: actor.userId, grantedByName: actor.name, grantedAt: new Date(granted.grantedAt) };
      }
      // before the case exists (the application deadline), this record alone lets the late application in
      const em = orm.em.fork();
      const record = em.create(ExtensionRecord, { id: crypto.randomUUID(), caseId, deadline: body.deadline, dueAt, reason: body.reason, grantedBy: actor.userId, grantedByName: actor.name, grantedAt: new Date() });
      await em.flush();
      return { caseId, deadline: record.deadline, dueAt: record.dueAt, reason: record.reason, grantedBy: record.grantedBy, grantedByName: record.grantedByName, grantedAt: record.grantedAt };
    },
  };
  return service;
}

export type CaseService = ReturnType<typeof createCaseService>;

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
