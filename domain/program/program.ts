import { deadlineInstant, shiftDateToYear, type LocalDeadline } from './calendar.ts';
import { CHINA_2018_CALENDAR, CHINA_2026_CALENDAR, effectiveDeadlineDate, type WorkingDayCalendar } from './workingDays.ts';

const CHINA_CALENDARS: Record<number, Pick<WorkingDayCalendar, 'holidays' | 'adjustedWorkingDays'>> = {
  2018: CHINA_2018_CALENDAR,
  2026: CHINA_2026_CALENDAR,
};

/** A program deadline as an instant: rolled to the next working day when the program says so. */
export function programDeadline(program: ProgramDefinition, deadline: LocalDeadline): Date {
  return deadlineInstant({ ...deadline, date: effectiveDeadlineDate(program.calendar, deadline.date) }, program.timeZone);
}
import type { Role } from '../identity/roles.ts';
import type { District, ProgramDefinition, TrackDefinition, TrackId } from './types.ts';

/** A new year's program from an old one: same rules, every date moved to `year`. */
export function cloneProgramForYear(program: ProgramDefinition, year: number): ProgramDefinition {
  const tracks: ProgramDefinition['tracks'] = {};
  for (const [id, track] of Object.entries(program.tracks) as [TrackId, TrackDefinition][]) {
    const deadlines = Object.fromEntries(
      Object.entries(track.deadlines).map(([name, d]) => [name, { ...d, date: shiftDateToYear(d.date, year) }]),
    );
    tracks[id] = { ...track, deadlines };
  }
  const city = program.id.replace(/-\d{4}$/, '');
  // holidays do not move with the year: take the official schedule where we have it, else weekends only
  const holidays = CHINA_CALENDARS[year] ?? { holidays: [], adjustedWorkingDays: [] };
  return {
    ...structuredClone(program),
    id: `${city}-${year}`,
    version: 1,
    year,
    title: program.title.replace(String(program.year), String(year)),
    tracks,
    calendar: { ...holidays, rollDeadlinesToWorkingDay: program.calendar.rollDeadlinesToWorkingDay },
  };
}

export function findDistrict(program: ProgramDefinition, code: string): District | undefined {
  return program.districts.find((d) => d.code === code);
}

export function requireTrack(program: ProgramDefinition, track: TrackId): TrackDefinition {
  const definition = program.tracks[track];
  if (!definition) throw new RangeError(`program ${program.id} has no track ${track}`);
  return definition;
}

/** The office that issues a track's certificate: the demonstration acceptor, or the acceptance step that certifies. */
export function certifyingOffice(track: TrackDefinition | undefined): Role {
  return track?.demonstration?.acceptor ?? track?.acceptanceReview.find((step) => step.issuesCertificate)?.role ?? 'prefecture_officer';
}

/**
 * A demonstration track's stages while it runs, in order: its recommendation chain, then the
 * contract, creation, the package, acceptance and publicity (the seed's steps).
 */
export function demonstrationStages(demonstration: NonNullable<TrackDefinition['demonstration']>): string[] {
  return [
    ...demonstration.recommendation.map((step) => step.stage),
    'consultant_contract',
    'contract_filing',
    'creation',
    'application_package',
    'package_correction',
    'package_submission',
    'acceptance',
    'publicity',
  ];
}
