import { ApplicationFailure } from '@temporalio/activity';
import type { Assignment, Decision, Extension, TaskRef } from '../../domain/case/model.ts';
import { supervisingOffice } from '../../domain/notifications/escalation.ts';
import type { Reminder } from '../../domain/notifications/reminders.ts';
import { labelsFor } from '../../domain/i18n/labels.ts';
import type { Role } from '../../domain/identity/roles.ts';
import { nameWithOffice, personalName } from '../../domain/identity/personNames.ts';
import { taskDetail, taskTitle } from '../../domain/tasks/taskTitle.ts';
import { openTasksOf } from '../../infra/db/queries.ts';
import { formatLocal, formatLocalDate, formatLocalDateTime } from '../../domain/program/calendar.ts';
import type { ProgramDefinition, TrackId } from '../../domain/program/types.ts';
import { CaseRecord, EnterpriseRecord, NotificationRecord, ProgramRecord, TaskRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { programVersionCache } from '../../infra/db/programVersions.ts';
import type { Mailer } from '../../infra/mail/mailer.ts';
import { currentAttempt, deliverOnce, recordQueued, resendStored, type Attempt, type Notification, type ResendOutcome, type ResendRequest } from './deliver.ts';
import { isMailLocale, type MailTemplate, type RenderMail } from './templates.ts';

/** The stages a return sends the enterprise to: their task's mail tells of the return too. */
const CORRECTIONS: ReadonlySet<string> = new Set(['correction', 'acceptance_correction', 'package_correction']);

interface Deps {
  orm: Orm;
  mailer: Mailer;
  publicUrl: string;
  render: RenderMail;
}

/** E-mails that follow case events. Each recipient's mail is keyed by (task, event, recipient). */
export function createNotificationActivities({ orm, mailer, publicUrl, render }: Deps) {
  const storedVersion = programVersionCache(orm);
  /** The program version a case pinned (stored before the case began: its absence is a fault, retried). */
  const pinnedProgram = async (record: { id: string; programId: string; programVersion: number }): Promise<ProgramDefinition> => {
    const program = await storedVersion(record.programId, record.programVersion);
    if (!program) throw new Error(`case ${record.id} pins program ${record.programId} version ${record.programVersion}, which is not stored`);
    return program;
  };
  const caseContext = async (caseId: string) => {
    const em = orm.em.fork();
    const record = await em.findOneOrFail(CaseRecord, { id: caseId });
    const program = await pinnedProgram(record);
    const track = program.tracks[record.track as keyof typeof program.tracks];
    return { em, record, program, timeZone: program.timeZone, trackName: track?.name ?? record.track };
  };
  type CaseContext = Awaited<ReturnType<typeof caseContext>>;

  const localeOf = (user: UserRecord) => (isMailLocale(user.locale) ? user.locale : 'zh-CN');
  /** The reader's words and clock face: every date in a mail is written as the pages write it. */
  const wordsFor = (user: UserRecord, timeZone: string) => {
    const locale = localeOf(user);
    return {
      ...labelsFor(locale),
      time: (instant: Date | string) => formatLocal(instant, timeZone, locale),
      date: (date: Date | string) => formatLocalDate(date, timeZone, locale),
      /** a local date and time as an appointment holds it (2026-07-10T09:30) */
      wallTime: (localDateTime: string) => formatLocalDateTime(localDateTime, timeZone, locale),
      /** what the task asks: the checklist item it is about, or its kind */
      task: (task: { kind: string; subject?: string | null }, program: ProgramDefinition) => taskTitle(task, program.selfCompliance, locale),
      /** the same, where the stage's name does not say it already (null for a review: its stage is the step) */
      taskDetail: (task: { kind: string; subject?: string | null }, program: ProgramDefinition) => taskDetail(task, program.selfCompliance, locale),
    };
  };
  /** The greeting names the person; their office or company is who the mail is for already. */
  const greeting = (user: UserRecord) => personalName(user.name);

  /** What every mail about a task says: whose, which step and what it asks, when due, and the link straight to it. */
  const aboutTask = (user: UserRecord, context: Pick<CaseContext, 'record' | 'trackName' | 'timeZone' | 'program'>, task: TaskRef) => {
    const words = wordsFor(user, context.timeZone);
    return {
      recipientName: greeting(user),
      enterpriseName: context.record.enterpriseName,
      trackName: words.track(context.record.track, context.trackName),
      stageLabel: words.stage(task.stage),
      itemLabel: words.taskDetail(task, context.program),
      dueLocal: task.dueAt ? words.time(task.dueAt) : words.dateToBeAnnounced,
      taskUrl: `${publicUrl}/tasks/${encodeURIComponent(task.id)}`,
    };
  };

  /** The return that sent the case back to the enterprise: the latest review answered "return". */
  const latestReturn = (em: CaseContext['em'], caseId: string) =>
    em.findOne(TaskRecord, { caseId, outcome: 'return', status: 'completed' }, { orderBy: { completedAt: 'desc' } });

  /**
   * One mail per recipient, each under its own idempotency key. Every mail is on record before the
   * first goes out, so none is missing from the log while SMTP fails. A refused mailbox is recorded
   * and does not stop the others; nor does a passing failure: the attempt tries every mail it has
   * time for (the untried first), then throws, and the retried activity skips what went out.
   */
  const mailEach = async (
    em: ReturnType<Orm['em']['fork']>,
    recipients: UserRecord[],
    message: { caseId: string; taskId: string; template: MailTemplate; event: string },
    dataFor: (user: UserRecord) => Record<string, unknown>,
  ): Promise<{ recipients: number; bounced: string[] }> => {
    const attempt = currentAttempt();
    const bounced: string[] = [];
    const notifications: Notification[] = recipients.map((user) => ({
      key: `${message.taskId}:${message.event}:${user.id}`,
      caseId: message.caseId,
      taskId: message.taskId,
      to: user.email,
      template: message.template,
      mail: render(message.template, dataFor(user), localeOf(user)),
    }));
    for (const notification of notifications) await recordQueued(em, notification);
    let failure: unknown = null;
    for (const notification of await untriedFirst(em, notifications)) {
      try {
        // an office's resend holds it now: look again on the next attempt, in case that resend fails
        if ((await deliverOnce(em, mailer, notification, attempt)) === 'in-flight') failure ??= inFlight(notification.key);
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (type === 'MailBounced') {
          bounced.push(notification.to);
          await reportBounce(em, message.caseId, notification.key, notification.to, notification.mail.subject, attempt);
          continue;
        }
        failure ??= error;
        if (type === 'MailAttemptOutOfTime') break;
      }
    }
    if (failure) throw failure;
    return { recipients: recipients.length, bounced };
  };

  /**
   * 自主贯标 opens with the checklist's items and the acceptance materials at once: one mail to the
   * enterprise lists every item by its title, each with its link, and the materials after them.
   */
  const mailChecklist = async (context: CaseContext, recipients: UserRecord[], submission: TaskRef) => {
    const open = await context.em.find(TaskRecord, { caseId: context.record.id, kind: 'self_compliance_item', status: 'open' });
    const order = context.program.selfCompliance.map((item) => item.key);
    const items = open.sort((a, b) => order.indexOf(a.subject ?? '') - order.indexOf(b.subject ?? ''));
    return mailEach(context.em, recipients, { caseId: context.record.id, taskId: submission.id, template: 'self-compliance', event: 'assigned' }, (user) => {
      const words = wordsFor(user, context.timeZone);
      return {
        ...aboutTask(user, context, submission),
        items: items.map((t) => ({ title: words.task(t, context.program), taskUrl: `${publicUrl}/tasks/${encodeURIComponent(t.id)}` })),
      };
    });
  };

  /** The programs (as each case pinned it) of some tasks' cases, by case: what the tasks are called. */
  const programsOfTasks = async (em: ReturnType<Orm['em']['fork']>, tasks: { caseId: string }[]): Promise<Map<string, ProgramDefinition>> => {
    const cases = await em.find(CaseRecord, { id: { $in: [...new Set(tasks.map((t) => t.caseId))] } }, { fields: ['id', 'programId', 'programVersion'] });
    const byCase = new Map<string, ProgramDefinition>();
    for (const c of cases) byCase.set(c.id, await pinnedProgram(c));
    return byCase;
  };

  const inFlight = (key: string) => ApplicationFailure.retryable(`另一发送正在进行 (another sender holds mail ${key} right now)`, 'MailInFlight');

  /** Mails never tried go before those that failed before: an SMTP server that hangs cannot starve the last recipient. */
  const untriedFirst = async (em: ReturnType<Orm['em']['fork']>, notifications: Notification[]): Promise<Notification[]> => {
    const rows = new Map((await em.find(NotificationRecord, { key: { $in: notifications.map((n) => n.key) } }, { refresh: true })).map((r) => [r.key, r]));
    const rank = (n: Notification) => rows.get(n.key)?.attempts ?? 0;
    return [...notifications].sort((a, b) => rank(a) - rank(b));
  };

  /** A refused mailbox is the case's district office's to sort out: they get told, once per bounce. */
  const reportBounce = async (em: ReturnType<Orm['em']['fork']>, caseId: string, key: string, failedTo: string, mailSubject: string, attempt: Attempt) => {
    const record = await em.findOne(CaseRecord, { id: caseId });
    if (!record) return;
    const row = await em.findOneOrFail(NotificationRecord, { key }, { refresh: true });
    const offices = (await holdersOf(em, { role: 'district_officer', jurisdiction: record.district })).filter((u) => u.email !== failedTo);
    const program = await em.findOneOrFail(ProgramRecord, { id: record.programId, version: record.programVersion });
    for (const officer of offices) {
      await deliverOnce(em, mailer, {
        key: `${key}:bounce-report:${officer.id}`,
        caseId,
        taskId: null,
        to: officer.email,
        template: 'delivery-failed',
        mail: render(
          'delivery-failed',
          {
            recipientName: greeting(officer),
            failedTo,
            mailSubject,
            enterpriseName: record.enterpriseName,
            trackName: labelsFor(localeOf(officer)).track(record.track, program.definition.tracks[record.track as keyof typeof program.definition.tracks]?.name ?? record.track),
            failedLocal: wordsFor(officer, program.definition.timeZone).time(row.createdAt),
            smtpResponse: row.smtpResponse ?? '',
            caseUrl: `${publicUrl}/cases/${encodeURIComponent(caseId)}`,
          },
          localeOf(officer),
        ),
      }, attempt).catch(() => undefined); // a report that cannot be delivered either stays on the case page
    }
  };

  /** Every active user who may act on an assignment: the named person, or the role within the jurisdiction. */
  const holdersOf = (em: ReturnType<Orm['em']['fork']>, assignment: Assignment) =>
    em.find(
      UserRecord,
      {
        role: assignment.role,
        active: true,
        ...(assignment.jurisdiction === null ? {} : { scopeId: assignment.jurisdiction }),
        ...(assignment.userId ? { id: assignment.userId } : {}),
      },
      { orderBy: { email: 'asc' } },
    );

  return {
    /**
     * An office's resend of one logged mail, exactly as first rendered: one attempt, made only if the
     * mail is still failed or uncertain after the attempts the office saw (workflow resend-<key>-<n>).
     */
    async resendNotification(request: ResendRequest): Promise<ResendOutcome> {
      return resendStored(orm.em.fork(), mailer, request, currentAttempt());
    },

    /**
     * Tells everyone who may act on a newly opened task: every active user with the role in that
     * jurisdiction. Two openings say more in one mail than in several: the self-compliance checklist
     * comes with its acceptance materials (one mail lists every item, instead of six in a minute),
     * and a correction comes with the return that asked for it (one mail says both).
     */
    async notifyTaskOpened({ caseId, task }: { caseId: string; task: TaskRef }): Promise<{ recipients: number; bounced: string[] }> {
      // the checklist's items are listed in the mail of their acceptance materials, opened right after them
      if (task.kind === 'self_compliance_item') return { recipients: 0, bounced: [] };
      const context = await caseContext(caseId);
      const recipients = await holdersOf(context.em, task.assignment);
      const message = { caseId, taskId: task.id, event: 'assigned' };
      if (task.kind === 'acceptance_submission' && task.stage === 'self_compliance') return mailChecklist(context, recipients, task);
      const returned = CORRECTIONS.has(task.stage) ? await latestReturn(context.em, caseId) : null;
      if (returned) {
        return mailEach(context.em, recipients, { ...message, template: 'returned' }, (user) => {
          const words = wordsFor(user, context.timeZone);
          const { recipientName, enterpriseName, trackName, dueLocal, taskUrl } = aboutTask(user, context, task);
          return {
            recipientName,
            enterpriseName,
            trackName,
            dueLocal,
            taskUrl,
            taskLabel: words.task(task, context.program),
            returnedAtLabel: words.stage(returned.stage),
            returnedBy: nameWithOffice(returned.completedByName ?? '', words.role(returned.assigneeRole as Role), localeOf(user)),
            returnedLocal: words.time(returned.completedAt ?? new Date()),
            comment: returned.comment ?? null,
          };
        });
      }
      return mailEach(context.em, recipients, { ...message, template: 'task-assigned' }, (user) => ({
        ...aboutTask(user, context, task),
        uscc: context.record.enterpriseUscc,
      }));
    },

    /**
     * A reminder of a task's due date (before, on the day, overdue) to whoever may complete it, or
     * an escalation to the supervising office. Users who chose the daily digest get no 'before'
     * reminders; due-day and overdue notices always go out.
     */
    async sendReminder({ caseId, task, reminder }: { caseId: string; task: TaskRef; reminder: Reminder }): Promise<{ recipients: number; bounced: string[] }> {
      const context = await caseContext(caseId);
      const { em, record, timeZone } = context;
      const base = (user: UserRecord) => aboutTask(user, context, task);
      if (reminder.kind === 'escalation') {
        const office = supervisingOffice(task.assignment, record.district);
        if (!office) return { recipients: 0, bounced: [] };
        const holders = await holdersOf(em, task.assignment);
        return mailEach(em, await holdersOf(em, office), { caseId, taskId: task.id, template: 'escalation', event: reminder.occurrence }, (user) => {
          const role = wordsFor(user, timeZone).role(task.assignment.role);
          // each holder with their office once: 陈静（沙溪镇经发中心）, not 镇（区）经发中心（陈静（沙溪镇经发中心））
          const named = holders.map((h) => nameWithOffice(h.name, role, localeOf(user)));
          return { ...base(user), assigneeLabel: named.length ? named.join(localeOf(user) === 'en' ? ', ' : '、') : role, daysOverdue: reminder.daysOverdue ?? 0 };
        });
      }
      const holders = await holdersOf(em, task.assignment);
      const recipients = reminder.kind === 'before' ? holders.filter((u) => !u.digest) : holders;
      const template = reminder.kind === 'before' ? 'reminder' : reminder.kind === 'due_day' ? 'due-today' : 'overdue';
      return mailEach(em, recipients, { caseId, taskId: task.id, template, event: reminder.occurrence }, (user) => ({
        ...base(user),
        ...(reminder.kind === 'before' ? { daysLeft: reminder.daysBefore ?? 0 } : {}),
      }));
    },

    /**
     * The daily digest, for every active user who chose it: their open tasks by due date, the
     * overdue ones first. One mail per user and day, whatever the retries.
     */
    async sendDigests({ day }: { day: string }): Promise<{ sent: number; bounced: string[] }> {
      const attempt = currentAttempt();
      const em = orm.em.fork();
      const readers = await em.find(UserRecord, { digest: true, active: true }, { orderBy: { email: 'asc' } });
      const bounced: string[] = [];
      let sent = 0;
      const now = Date.now();
      for (const user of readers) {
        const tasks = await openTasksOf(em, { userId: user.id, role: user.role as Role, scopeId: user.scopeId ?? null });
        const words = wordsFor(user, 'Asia/Shanghai');
        const programOf = await programsOfTasks(em, tasks);
        const items = tasks.map((t) => ({
          enterpriseName: t.enterpriseName,
          stageLabel: words.stage(t.stage),
          itemLabel: programOf.has(t.caseId) ? words.taskDetail(t, programOf.get(t.caseId)!) : null,
          dueLocal: t.dueAt ? words.time(t.dueAt) : words.dateToBeAnnounced,
          overdue: t.dueAt !== null && t.dueAt !== undefined && t.dueAt.getTime() < now,
          taskUrl: `${publicUrl}/tasks/${encodeURIComponent(t.id)}`,
        }));
        const data = { recipientName: greeting(user), dayLocal: words.date(day), overdueCount: items.filter((i) => i.overdue).length, inboxUrl: `${publicUrl}/tasks`, tasks: items };
        try {
          const result = await deliverOnce(em, mailer, {
            key: `digest:${day}:${user.id}`,
            caseId: null,
            taskId: null,
            to: user.email,
            template: 'digest',
            mail: render('digest', data, localeOf(user)),
          }, attempt);
          if (result === 'sent') sent += 1;
        } catch (error) {
          if ((error as { type?: string }).type !== 'MailBounced') throw error;
          bounced.push(user.email);
        }
      }
      return { sent, bounced };
    },

    /**
     * An appointment (the on-site survey, the acceptance) set, or the day before it: to the
     * enterprise and its consultant, and for an acceptance to the district office as well.
     */
    async notifyAppointment({ caseId, kind, appointment, occasion }: { caseId: string; kind: 'survey' | 'acceptance'; appointment: { at: string; place: string }; occasion: 'set' | 'reminder' }): Promise<{ recipients: number; bounced: string[] }> {
      const context = await caseContext(caseId);
      const { em, record, timeZone, trackName } = context;
      const assignments: Assignment[] = [{ role: 'enterprise', jurisdiction: record.enterpriseUscc }];
      if (record.consultantUserId) assignments.push({ role: 'consultant', jurisdiction: null, userId: record.consultantUserId });
      if (kind === 'acceptance') assignments.push({ role: 'district_officer', jurisdiction: record.district });
      const recipients = (await Promise.all(assignments.map((a) => holdersOf(em, a)))).flat();
      return mailEach(em, recipients, { caseId, taskId: `${caseId}:${kind}`, template: 'appointment', event: `${appointment.at}:${occasion}` }, (user) => {
        const words = wordsFor(user, timeZone);
        return {
          recipientName: greeting(user),
          enterpriseName: record.enterpriseName,
          trackName: words.track(record.track, trackName),
          appointmentLabel: words.appointment(kind),
          whenLocal: words.wallTime(appointment.at),
          place: appointment.place,
          reminder: occasion === 'reminder',
          caseUrl: `${publicUrl}/cases/${encodeURIComponent(caseId)}`,
        };
      });
    },

    /** Tells the enterprise its case is certified (number and date) or lapsed (which deadline, when). */
    async notifyEnterpriseOfClosure({
      caseId,
      uscc,
      status,
      lapsed,
    }: {
      caseId: string;
      uscc: string;
      status: 'certified' | 'lapsed';
      lapsed: { name: string; dueAt: string } | null;
    }): Promise<{ recipients: number; bounced: string[] }> {
      const { em, record, timeZone, trackName } = await caseContext(caseId);
      const recipients = await holdersOf(em, { role: 'enterprise', jurisdiction: uscc });
      const caseUrl = `${publicUrl}/cases/${encodeURIComponent(caseId)}`;
      if (status === 'certified') {
        return mailEach(em, recipients, { caseId, taskId: caseId, template: 'certificate', event: 'certified' }, (user) => {
          const words = wordsFor(user, timeZone);
          return {
            recipientName: greeting(user),
            enterpriseName: record.enterpriseName,
            trackName: words.track(record.track, trackName),
            certificateNumber: record.certificateNumber ?? '',
            issuedOn: record.certificateIssuedOn ? words.date(record.certificateIssuedOn) : '',
            caseUrl,
          };
        });
      }
      return mailEach(em, recipients, { caseId, taskId: caseId, template: 'lapsed', event: 'lapsed' }, (user) => {
        const words = wordsFor(user, timeZone);
        return {
          recipientName: greeting(user),
          enterpriseName: record.enterpriseName,
          trackName: words.track(record.track, trackName),
          deadlineLabel: words.deadline(lapsed?.name ?? 'correction'),
          deadlineLocal: lapsed ? words.time(lapsed.dueAt) : '',
          lapsedLocal: words.time(record.closedAt ?? new Date()),
          caseUrl,
        };
      });
    },

    /**
     * A deadline of one enterprise's case moved (延期): the enterprise's users and its district office
     * hear the new date, the one it replaces and why, once per extension. Before the case exists
     * (the application deadline) the enterprise is known by its code and the program by `before`:
     * its users are told, and its district office when the register knows its district.
     */
    async notifyExtension({
      caseId,
      uscc,
      extension,
      previousDueAt,
      before,
    }: {
      caseId: string;
      uscc: string;
      extension: Extension;
      previousDueAt: string | null;
      before?: { programId: string; track: TrackId };
    }): Promise<{ recipients: number; bounced: string[] }> {
      const em = orm.em.fork();
      const record = await em.findOne(CaseRecord, { id: caseId });
      const registered = await em.findOne(EnterpriseRecord, { uscc });
      const program = record
        ? await em.findOneOrFail(ProgramRecord, { id: record.programId, version: record.programVersion })
        : await em.findOneOrFail(ProgramRecord, { id: before?.programId ?? '' }, { orderBy: { version: 'desc' } });
      const { timeZone } = program.definition;
      const track = (record?.track ?? before?.track ?? 'standard') as TrackId;
      const district = record?.district ?? registered?.district ?? null;
      const enterprise = await holdersOf(em, { role: 'enterprise', jurisdiction: uscc });
      const office = district ? await holdersOf(em, { role: 'district_officer', jurisdiction: district }) : [];
      return mailEach(em, [...enterprise, ...office], { caseId, taskId: caseId, template: 'extension', event: `extension:${extension.deadline}:${extension.grantedAt}` }, (user) => {
        const words = wordsFor(user, timeZone);
        const forEnterprise = user.role === 'enterprise';
        return {
          recipientName: greeting(user),
          enterpriseName: record?.enterpriseName ?? registered?.name ?? uscc,
          uscc,
          trackName: words.track(track, program.definition.tracks[track]?.name ?? track),
          deadlineLabel: words.deadline(extension.deadline),
          dueLocal: words.time(extension.dueAt),
          previousLocal: previousDueAt ? words.time(previousDueAt) : words.dateToBeAnnounced,
          reason: extension.reason,
          grantedBy: nameWithOffice(extension.actor.name, words.role(extension.actor.role), localeOf(user)),
          forEnterprise,
          applied: Boolean(record),
          // before the case exists: the enterprise applies, its district office finds it in its list once it has
          linkUrl: record ? `${publicUrl}/cases/${encodeURIComponent(caseId)}` : forEnterprise ? `${publicUrl}/apply` : `${publicUrl}/cases`,
        };
      });
    },

    /**
     * Tells the enterprise's users what a reviewer decided. A return opens the enterprise's
     * correction at once, and that task's mail tells of the return: nothing is sent here for it.
     */
    async notifyEnterpriseOfDecision({ caseId, uscc, decision }: { caseId: string; uscc: string; decision: Decision }): Promise<{ recipients: number; bounced: string[] }> {
      if (decision.outcome === 'return') return { recipients: 0, bounced: [] };
      const { em, record, timeZone, trackName } = await caseContext(caseId);
      const recipients = await holdersOf(em, { role: 'enterprise', jurisdiction: uscc });
      return mailEach(em, recipients, { caseId, taskId: decision.taskId, template: 'decision', event: 'decision' }, (user) => {
        const words = wordsFor(user, timeZone);
        return {
          recipientName: greeting(user),
          enterpriseName: record.enterpriseName,
          trackName: words.track(record.track, trackName),
          stageLabel: words.stage(decision.stage),
          outcomeLabel: words.outcome(decision.outcome),
          comment: decision.comment,
          decidedBy: nameWithOffice(decision.actor.name, words.role(decision.actor.role), localeOf(user)),
          decidedLocal: words.time(decision.decidedAt),
          caseUrl: `${publicUrl}/cases/${encodeURIComponent(caseId)}`,
        };
      });
    },
  };
}
