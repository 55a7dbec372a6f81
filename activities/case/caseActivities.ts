import type { Actor } from '../../domain/identity/roles.ts';
import { ApplicationFailure } from '@temporalio/activity';
import { maskResidentId } from '../../domain/identity/residentId.ts';
import type { ApplicationForm, CaseStartInput, CaseStatus, Certificate, Decision, Extension, TaskRef } from '../../domain/case/model.ts';
import {
  ApplicationVersionRecord,
  CaseEventRecord,
  CaseRecord,
  EnterpriseRecord,
  ProgramRecord,
  TaskRecord,
} from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { linkCaseFiles } from './caseFiles.ts';
import { insertOnce } from '../../infra/db/queries.ts';
import { CertificateNumberTaken, recordIssued } from '../../infra/db/certificates.ts';
import { ROLE_LABELS } from '../../domain/identity/roles.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { certifyingOffice } from '../../domain/program/program.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

/**
 * Persistence of a case's projection. Every write is an upsert or a guarded update keyed by
 * what the workflow decided, so a retried activity leaves the same rows.
 */
export function createCaseActivities({ orm }: { orm: Orm }) {
  const event = (em: EntityManager, caseId: string, key: string, kind: string, at: Date, actor: Pick<Actor, 'userId' | 'name'> | null, detail: Record<string, unknown>) =>
    insertOnce(em, CaseEventRecord, { key: `${caseId}:${key}`, caseId, kind, at, actorId: actor?.userId ?? null, actorName: actor?.name ?? null, detail });

  /** A deadline now due at another instant: the case's record, its open tasks, and the event that says why. */
  const recordDeadlineMove = async (
    em: EntityManager,
    move: { caseId: string; deadline: string; dueAt: string; at: string; taskIds: string[]; eventKey: string; eventKind: string; actor: Actor; reason: string },
  ) => {
    const at = new Date(move.at);
    const record = await em.findOneOrFail(CaseRecord, { id: move.caseId });
    record.deadlines = { ...record.deadlines, [move.deadline]: move.dueAt };
    record.updatedAt = at;
    await em.flush();
    await em.nativeUpdate(TaskRecord, { id: { $in: move.taskIds }, status: 'open' }, { dueAt: new Date(move.dueAt) });
    await event(em, move.caseId, move.eventKey, move.eventKind, at, move.actor, { deadline: move.deadline, dueAt: move.dueAt, reason: move.reason });
  };

  /** The enterprise register holds what the enterprise declared last: its first application or a correction. */
  const register = async (em: EntityManager, form: ApplicationForm, at: Date) => {
    if (!form.legalRepresentativeIdRef) throw ApplicationFailure.nonRetryable('the application reached the case unsealed: its identity number must be in the register first', 'InvalidData');
    await em.upsert(EnterpriseRecord, {
      uscc: form.uscc,
      name: form.enterpriseName,
      district: form.district,
      legalRepresentative: form.legalRepresentative,
      legalRepresentativeIdMasked: maskResidentId(form.legalRepresentativeIdNumber),
      legalRepresentativeIdRef: form.legalRepresentativeIdRef,
      foundedOn: form.foundedOn,
      registeredCapital: form.registeredCapital,
      industry: form.industry,
      registeredAddress: form.registeredAddress,
      businessAddress: form.businessAddress,
      postCode: form.postCode,
      contactPhone: form.contactPhone,
      fax: form.fax,
      mainBusiness: form.mainBusiness,
      updatedAt: at,
    });
  };

  /** A case's certificate goes into the register its later prerequisites are read from. */
  const registerCertificate = async (em: EntityManager, caseId: string, certificate: Certificate) => {
    const record = await em.findOneOrFail(CaseRecord, { id: caseId });
    const program = await em.findOneOrFail(ProgramRecord, { id: record.programId, version: record.programVersion });
    const track = program.definition.tracks[record.track as TrackId];
    try {
      await recordIssued(em, { uscc: record.enterpriseUscc, track: record.track as TrackId, number: certificate.number, issuedOn: certificate.issuedOn, issuedBy: ROLE_LABELS[certifyingOffice(track)], caseId });
    } catch (error) {
      if (!(error instanceof CertificateNumberTaken)) throw error;
      // the office typed a number the register already holds: the case keeps it, the register shows the clash
      await event(em, caseId, `certificate-clash:${certificate.number}`, 'certificate_number_taken', new Date(), null, { number: certificate.number, heldBy: error.existing.uscc });
    }
  };

  const recordSubmission = async (em: EntityManager, input: CaseStartInput) => {
    const { application: form } = input;
    const submittedAt = new Date(input.submittedAt);
    await register(em, form, submittedAt);
    await insertOnce(
      em,
      CaseRecord,
      {
        id: input.caseId,
        programId: input.programId,
        programVersion: input.programVersion,
        programYear: input.plan.programYear,
        track: input.track,
        enterpriseUscc: form.uscc,
        enterpriseName: form.enterpriseName,
        district: form.district,
        stage: 'submitted',
        status: 'active',
        application: form,
        applicationVersion: 1,
        submittedBy: input.submittedBy.userId,
        submittedAt,
        updatedAt: submittedAt,
        deadlines: input.plan.deadlines,
        consultantUserId: null,
        agencyId: null,
        acceptance: null,
        acceptanceVersion: 0,
        reviewerScores: {},
        certificateNumber: null,
        certificateIssuedOn: null,
        closureReason: null,
        closedAt: null,
      }
    );
    await insertOnce(
      em,
      ApplicationVersionRecord,
      { caseId: input.caseId, version: 1, form, submittedAt, submittedBy: input.submittedBy.userId }
    );
    await linkCaseFiles(em, input.caseId, { application: form });
    await event(em, input.caseId, 'submitted', 'submitted', submittedAt, input.submittedBy, { applicationVersion: 1 });
  };

  const recordOpenTask = async (em: EntityManager, { caseId, task, caseStage }: { caseId: string; task: TaskRef; caseStage: string | null }) => {
    const openedAt = new Date(task.openedAt);
    await insertOnce(
      em,
      TaskRecord,
      {
        id: task.id,
        caseId,
        kind: task.kind,
        stage: task.stage,
        subject: task.subject ?? null,
        assigneeRole: task.assignment.role,
        jurisdiction: task.assignment.jurisdiction,
        assigneeUserId: task.assignment.userId ?? null,
        status: 'open',
        openedAt,
        dueAt: task.dueAt ? new Date(task.dueAt) : null,
        outcome: null,
        comment: null,
        completedBy: null,
        completedByName: null,
        completedAt: null,
        result: null,
        adjustsScores: task.adjustsScores ?? false,
        issuesCertificate: task.issuesCertificate ?? false,
      }
    );
    // the workflow decides whether the task moves the case (one writer of the stage: the workflow's decision)
    if (caseStage) await em.nativeUpdate(CaseRecord, { id: caseId }, { stage: caseStage, updatedAt: openedAt });
    await event(em, caseId, `${task.id}:opened`, 'task_opened', openedAt, null, { taskId: task.id, stage: task.stage, kind: task.kind, subject: task.subject ?? null, dueAt: task.dueAt });
  };

  const recordDecided = async (em: EntityManager, { caseId, decision, applicationVersion, acceptanceVersion }: { caseId: string; decision: Decision; applicationVersion: number; acceptanceVersion: number }) => {
    const decidedAt = new Date(decision.decidedAt);
    const { payload } = decision;
    await em.nativeUpdate(
      TaskRecord,
      { id: decision.taskId, status: 'open' },
      {
        status: 'completed',
        outcome: decision.outcome,
        comment: decision.comment,
        completedBy: decision.actor.userId,
        completedByName: decision.actor.name,
        completedAt: decidedAt,
        result: payload,
      },
    );
    if (payload.outcome === 'resubmit' && payload.application) {
      await insertOnce(
        em,
        ApplicationVersionRecord,
        { caseId, version: applicationVersion, form: payload.application, submittedAt: decidedAt, submittedBy: decision.actor.userId }
      );
      await em.nativeUpdate(
        CaseRecord,
        { id: caseId, applicationVersion: { $lt: applicationVersion } },
        { application: payload.application, applicationVersion, enterpriseName: payload.application.enterpriseName, updatedAt: decidedAt },
      );
      await register(em, payload.application, decidedAt);
    }
    if (payload.outcome === 'submit' && payload.acceptance) {
      await em.nativeUpdate(CaseRecord, { id: caseId, acceptanceVersion: { $lt: acceptanceVersion } }, { acceptance: payload.acceptance, acceptanceVersion, updatedAt: decidedAt });
    }
    // a demonstration case's agency and lead consultant come with its contract: they may then see the case
    if (payload.agencyId) await em.nativeUpdate(CaseRecord, { id: caseId }, { agencyId: payload.agencyId, updatedAt: decidedAt });
    if (payload.leadConsultant) await em.nativeUpdate(CaseRecord, { id: caseId }, { consultantUserId: payload.leadConsultant.userId, updatedAt: decidedAt });
    if (payload.scoreAdjustments?.length) {
      const record = await em.findOneOrFail(CaseRecord, { id: caseId });
      const adjusted = { ...record.reviewerScores };
      for (const a of payload.scoreAdjustments) adjusted[a.itemId] = { ...a, actorName: decision.actor.name };
      record.reviewerScores = adjusted;
      await em.flush();
    }
    await linkCaseFiles(em, caseId, payload);
    await event(em, caseId, `${decision.taskId}:decision`, 'decision', decidedAt, decision.actor, {
      taskId: decision.taskId,
      kind: decision.kind,
      stage: decision.stage,
      subject: decision.subject,
      outcome: decision.outcome,
      comment: decision.comment,
      role: decision.actor.role,
      ...(payload.outcome === 'resubmit' ? { applicationVersion } : {}),
      ...(payload.outcome === 'submit' ? { acceptanceVersion } : {}),
      ...(payload.certificate ? { certificate: payload.certificate } : {}),
      ...(payload.batch ? { batch: payload.batch } : {}),
      ...(payload.scoreAdjustments?.length ? { scoreAdjustments: payload.scoreAdjustments } : {}),
    });
  };

  return {
    // the projection's writes of one step commit together: a retry finds all of them or none
    async recordCaseSubmitted(input: CaseStartInput): Promise<void> {
      await orm.em.fork().transactional((em) => recordSubmission(em, input));
    },

    /** A task opened by the workflow; caseStage is where the case now stands, or null for a side task (a consultant's). */
    async openTask(opened: { caseId: string; task: TaskRef; caseStage: string | null }): Promise<void> {
      await orm.em.fork().transactional((em) => recordOpenTask(em, opened));
    },

    /** A completed task, and what it changes in the case: a corrected application, acceptance materials, reviewer scores. */
    async recordDecision(decided: { caseId: string; decision: Decision; applicationVersion: number; acceptanceVersion: number }): Promise<void> {
      await orm.em.fork().transactional((em) => recordDecided(em, decided));
    },

    async cancelTasks({ caseId, taskIds, reason }: { caseId: string; taskIds: string[]; reason: string }): Promise<void> {
      await orm.em.fork().nativeUpdate(TaskRecord, { caseId, id: { $in: taskIds }, status: 'open' }, { status: 'cancelled', comment: reason });
    },

    async recordCaseStage({ caseId, stage, status }: { caseId: string; stage: string; status: CaseStatus }): Promise<void> {
      await orm.em.fork().nativeUpdate(CaseRecord, { id: caseId }, { stage, status, updatedAt: new Date() });
    },

    /** The end of a case: certified (with its certificate), rejected, failed or lapsed (with the reason and date). */
    async recordCaseClosed({
      caseId,
      status,
      stage,
      closure,
      certificate,
    }: {
      caseId: string;
      status: CaseStatus;
      stage: string;
      closure: { reason: string; at: string } | null;
      certificate: Certificate | null;
    }): Promise<void> {
      const em = orm.em.fork();
      const at = closure ? new Date(closure.at) : new Date();
      await em.nativeUpdate(
        CaseRecord,
        { id: caseId },
        {
          stage,
          status,
          closureReason: closure?.reason ?? null,
          closedAt: at,
          certificateNumber: certificate?.number ?? null,
          certificateIssuedOn: certificate?.issuedOn ?? null,
          updatedAt: at,
        },
      );
      await event(em, caseId, `closed:${status}`, status, at, null, { reason: closure?.reason ?? null, ...(certificate ? { certificate } : {}) });
      if (status === 'certified' && certificate) await registerCertificate(em, caseId, certificate);
    },

    async recordExtension({ caseId, extension, taskIds }: { caseId: string; extension: Extension; taskIds: string[] }): Promise<void> {
      await recordDeadlineMove(orm.em.fork(), {
        caseId,
        deadline: extension.deadline,
        dueAt: extension.dueAt,
        at: extension.grantedAt,
        taskIds,
        eventKey: `extension:${extension.grantedAt}`,
        eventKind: 'extension',
        actor: extension.actor,
        reason: extension.reason,
      });
    },

    /** A deadline put on hold or running again (moved later by the time it was held), on the record. */
    async recordDeadlineHold(input: { caseId: string; deadline: string; event: 'suspended' | 'resumed'; at: string; dueAt: string; reason: string; actor: Actor; taskIds: string[] }): Promise<void> {
      await recordDeadlineMove(orm.em.fork(), { ...input, eventKey: `${input.event}:${input.deadline}:${input.at}`, eventKind: `deadline_${input.event}` });
    },

    /** The deadlines in force, when the workflow adds one (a correction period). */
    async recordDeadlines({ caseId, deadlines }: { caseId: string; deadlines: Record<string, string> }): Promise<void> {
      await orm.em.fork().nativeUpdate(CaseRecord, { id: caseId }, { deadlines });
    },

    /** A task's due date set later (an acceptance date announced for a group of cases). */
    async recordTaskDue({ caseId, taskId, dueAt, reason, actor }: { caseId: string; taskId: string; dueAt: string; reason: string; actor: Actor }): Promise<void> {
      const em = orm.em.fork();
      await em.nativeUpdate(TaskRecord, { id: taskId, status: 'open' }, { dueAt: new Date(dueAt) });
      await event(em, caseId, `${taskId}:due:${dueAt}`, 'task_scheduled', new Date(), actor, { taskId, dueAt, reason });
    },

    async recordConsultant({ caseId, consultant }: { caseId: string; consultant: Actor }): Promise<void> {
      const em = orm.em.fork();
      await em.nativeUpdate(CaseRecord, { id: caseId }, { consultantUserId: consultant.userId, updatedAt: new Date() });
      await event(em, caseId, `consultant:${consultant.userId}`, 'consultant_engaged', new Date(), consultant, { consultant: consultant.name });
    },
  };
}
