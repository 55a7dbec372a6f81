import { programDeadline, requireTrack } from '../program/program.ts';
import type { ProgramDefinition, TrackId } from '../program/types.ts';
import type { CasePlan } from './model.ts';

/** What a case pins of its program when it starts: chains, checklist, and its deadlines as instants. */
export function casePlanFor(program: ProgramDefinition, track: TrackId): CasePlan {
  const definition = requireTrack(program, track);
  const acceptance = definition.deadlines.acceptanceMaterials;
  return {
    programYear: program.year,
    timeZone: program.timeZone,
    applicationReview: definition.applicationReview,
    acceptanceReview: definition.acceptanceReview,
    correctionDays: program.correctionDays,
    selfCompliance: program.selfCompliance.map(({ key, title }) => ({ key, title })),
    deadlines: acceptance ? { acceptanceMaterials: programDeadline(program, acceptance).toISOString() } : {},
    reminders: program.reminders,
    calendar: program.calendar,
    compressedDayMs: program.compressedDayMs ?? null,
  };
}
