import { createHash, randomBytes } from 'node:crypto';
import { DEADLINE_LABELS, STAGE_LABELS } from '../../domain/case/model.ts';
import type { Actor, Role } from '../../domain/identity/roles.ts';
import { programDeadline } from '../../domain/program/program.ts';
import { CaseRecord, UserRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { openTasksOf } from '../../infra/db/queries.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';
import { toICalendar, type CalendarEvent } from './ics.ts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

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
      // a task whose date is still to be announced has no place in a calendar yet
      const dated = (await openTasksOf(em, actor)).filter((task): task is typeof task & { dueAt: Date } => task.dueAt instanceof Date);
      const events: CalendarEvent[] = dated.map((task) => ({
        uid: `task-${task.id}@credcase`,
        start: task.dueAt,
        summary: `【待办截止】${task.enterpriseName} · ${STAGE_LABELS[task.stage] ?? task.stage}`,
        description: `${task.enterpriseName}：${STAGE_LABELS[task.stage] ?? task.stage}，办理期限。`,
        url: `${publicUrl()}/tasks/${encodeURIComponent(task.id)}`,
      }));
      if (actor.role === 'enterprise') {
        // its own cases' deadlines, as they stand with extensions
        const cases = await em.find(CaseRecord, { enterpriseUscc: actor.scopeId ?? '', status: 'active' });
        for (const c of cases) {
          for (const [name, dueAt] of Object.entries(c.deadlines)) {
            events.push({ uid: `deadline-${c.id}-${name}@credcase`, start: new Date(dueAt), summary: `【截止】${DEADLINE_LABELS[name] ?? name}`, description: `${c.enterpriseName}（${c.id}）`, url: `${publicUrl()}/cases/${encodeURIComponent(c.id)}` });
          }
        }
        if (cases.length) return toICalendar(`${record.name} 的贯标日程`, events);
      }
      // the current work plan's deadlines, for offices and for enterprises yet to apply
      const program = await programs.current();
      for (const track of Object.values(program.tracks)) {
        for (const [name, deadline] of Object.entries(track.deadlines)) {
          events.push({
            uid: `deadline-${program.id}-${track.id}-${name}@credcase`,
            start: programDeadline(program, deadline),
            summary: `【截止】${track.name} · ${DEADLINE_LABELS[name] ?? name}`,
            description: `${program.title}`,
          });
        }
      }
      return toICalendar(`${record.name} 的贯标日程`, events);
    },
  };
}

export type MeService = ReturnType<typeof createMeService>;
