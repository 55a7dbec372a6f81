import { createHash, randomBytes } from 'node:crypto';
import { deadlineStates, stillRunning } from '../../domain/case/deadlineStates.ts';
import { caseTimeline } from '../../domain/case/timeline.ts';
import { labelsFor, type Locale } from '../../domain/i18n/labels.ts';
import type { Actor, Role } from '../../domain/identity/roles.ts';
import { programDeadline } from '../../domain/program/program.ts';
import type { TrackId } from '../../domain/program/types.ts';
import { taskDetail } from '../../domain/tasks/taskTitle.ts';
import { CaseRecord, TaskRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { openTasksOf } from '../../infra/db/queries.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import { toICalendar, type CalendarEvent } from './ics.ts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The feed's words in the reader's language: a deadline still ahead, one the case has done, one passed. */
const FEED_WORDS: Record<Locale, { task: string; deadline: string; done: string; passed: string; due: (enterprise: string, what: string) => string; calendar: (name: string) => string }> = {
  'zh-CN': { task: '【待办截止】', deadline: '【截止】', done: '【已完成】', passed: '【已截止】', due: (enterprise, what) => `${enterprise}：${what}，办理期限。`, calendar: (name) => `${name} 的贯标日程` },
  en: { task: '[Task due] ', deadline: '[Deadline] ', done: '[Done] ', passed: '[Passed] ', due: (enterprise, what) => `${enterprise}: ${what}, due.`, calendar: (name) => `${name}: credit-management deadlines` },
};

/** A person's own settings: digest or single reminders, mail language, and a private calendar feed. */
export function createMeService({ orm, programs, publicUrl }: { orm: Orm; programs: ProgramService; publicUrl: () => string }) {
  const user = async (actor: Actor) => {
    const record = await orm.em.fork().findOne(UserRecord, { id: actor.userId });
    if (!record) throw new AppError('not_found', '没有此用户 (no such user)');
    return record;
  };
  const preferencesOf = (u: UserRecord) => ({ digest: u.digest, locale: u.locale, calendarFeed: Boolean(u.calendarTokenHash) });

  return {
    async preferences(actor: Actor) {
      return preferencesOf(await user(actor));
    },

    async updatePreferences(actor: Actor, changes: { digest?: boolean | undefined; locale?: 'zh-CN' | 'en' | undefined }) {
      const em = orm.em.fork();
      const record = await em.findOneOrFail(UserRecord, { id: actor.userId });
      if (changes.digest !== undefined) record.digest = changes.digest;
      if (changes.locale !== undefined) record.locale = changes.locale;
      await em.flush();
      return preferencesOf(record);
    },

    /** A new private feed URL; any earlier one stops working. */
    async issueCalendarToken(actor: Actor): Promise<{ url: string }> {
      const token = randomBytes(24).toString('base64url');
      await orm.em.fork().nativeUpdate(UserRecord, { id: actor.userId }, { calendarTokenHash: tokenHash(token) });
      return { url: `${publicUrl()}/calendar/${token}.ics` };
    },

    async revokeCalendarToken(actor: Actor): Promise<void> {
      await orm.em.fork().nativeUpdate(UserRecord, { id: actor.userId }, { calendarTokenHash: null });
    },

    /** The feed: the person's open tasks by due date, and the program deadlines that concern them. */
    async calendar(token: string): Promise<string> {
      const em = orm.em.fork();
      const record = await em.findOne(UserRecord, { calendarTokenHash: tokenHash(token), active: true });
      if (!record) throw new AppError('not_found', '没有此日历 (no such calendar)');
      const actor = { userId: record.id, role: record.role as Role, scopeId: record.scopeId ?? null };
      const locale: Locale = record.locale === 'en' ? 'en' : 'zh-CN';
      const labels = labelsFor(locale);
      const words = FEED_WORDS[locale];
      const now = new Date();
      // a task whose date is still to be announced has no place in a calendar yet
      const dated = (await openTasksOf(em, actor)).filter((task): task is typeof task & { dueAt: Date } => task.dueAt instanceof Date);
      const casesOfTasks = await em.find(CaseRecord, { id: { $in: [...new Set(dated.map((t) => t.caseId))] } }, { fields: ['id', 'programId', 'programVersion'] });
      const programOfCase = new Map(await Promise.all(casesOfTasks.map(async (c) => [c.id, await programs.version(c.programId, c.programVersion)] as const)));
      const events: CalendarEvent[] = dated.map((task) => {
        const detail = taskDetail(task, programOfCase.get(task.caseId)?.selfCompliance ?? [], locale);
        const what = `${labels.stage(task.stage)}${detail ? ` · ${detail}` : ''}`;
        return {
          uid: `task-${task.id}@credcase`,
          start: task.dueAt,
          summary: `${words.task}${task.enterpriseName} · ${what}`,
          description: words.due(task.enterpriseName, what),
          url: `${publicUrl()}/tasks/${encodeURIComponent(task.id)}`,
        };
      });
      if (actor.role === 'enterprise') {
        // its own cases' deadlines, as they stand with extensions: the ones the case has gone past read as done
        const cases = await em.find(CaseRecord, { enterpriseUscc: actor.scopeId ?? '', status: 'active' });
        const tasks = await em.find(TaskRecord, { caseId: { $in: cases.map((c) => c.id) } });
        for (const c of cases) {
          const track = (await programs.version(c.programId, c.programVersion)).tracks[c.track as TrackId];
          const timeline = track ? caseTimeline(track, { ...c, tasks: tasks.filter((t) => t.caseId === c.id) }, now) : [];
          for (const deadline of deadlineStates(timeline, c)) {
            const prefix = stillRunning(deadline.state) ? words.deadline : words.done;
            events.push({ uid: `deadline-${c.id}-${deadline.name}@credcase`, start: new Date(deadline.at), summary: `${prefix}${labels.deadline(deadline.name)}`, description: `${c.enterpriseName}（${c.id}）`, url: `${publicUrl()}/cases/${encodeURIComponent(c.id)}` });
          }
        }
        if (cases.length) return toICalendar(words.calendar(record.name), events);
      }
      // the current work plan's deadlines, for offices and for enterprises yet to apply; the passed ones say so
      const program = await programs.current();
      for (const track of Object.values(program.tracks)) {
        for (const [name, deadline] of Object.entries(track.deadlines)) {
          const at = programDeadline(program, deadline);
          events.push({
            uid: `deadline-${program.id}-${track.id}-${name}@credcase`,
            start: at,
            summary: `${at < now ? words.passed : words.deadline}${labels.track(track.id, track.name)} · ${labels.deadline(name)}`,
            description: `${program.title}`,
          });
        }
      }
      return toICalendar(words.calendar(record.name), events);
    },
  };
}

export type MeService = ReturnType<typeof createMeService>;
