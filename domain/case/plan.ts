import { programDeadline, requireTrack } from '../program/program.ts';
import type { ProgramDefinition, TrackDefinition, TrackId } from '../program/types.ts';
import type { CasePlan, DemonstrationPlan } from './model.ts';

/** The deadlines a case runs against: every named deadline of its track but the intake's own. */
function caseDeadlines(program: ProgramDefinition, definition: TrackDefinition): Record<string, string> {
  return Object.fromEntries(
    Object.entries(definition.deadlines)
      // the application deadline is the API's (a case exists only once it is met)
      .filter(([name]) => name !== 'application')
      .map(([name, deadline]) => [name, programDeadline(program, deadline).toISOString()]),
  );
}

function demonstrationPlan(program: ProgramDefinition, district: string, definition: TrackDefinition): DemonstrationPlan | null {
  if (!definition.demonstration) return null;
  const { prerequisite: _decidedAtIntake, ...steps } = definition.demonstration;
  const districtQuota = program.districts.find((d) => d.code === district)?.quotas[definition.id] ?? 0;
  return { ...steps, trackName: definition.name, quotas: { district: districtQuota, city: definition.cityQuota ?? null } };
}

/** What a case pins of its program when it starts: chains, checklist, and its deadlines as instants. */
export function casePlanFor(program: ProgramDefinition, track: TrackId, district = ''): CasePlan {
  const definition = requireTrack(program, track);
  return {
    programYear: program.year,
    timeZone: program.timeZone,
    applicationReview: definition.applicationReview,
    acceptanceReview: definition.acceptanceReview,
    correctionDays: program.correctionDays,
    selfCompliance: program.selfCompliance.map(({ key, title }) => ({ key, title })),
    deadlines: caseDeadlines(program, definition),
    reminders: program.reminders,
    calendar: program.calendar,
    compressedDayMs: program.compressedDayMs ?? null,
    demonstration: demonstrationPlan(program, district, definition),
  };
}
