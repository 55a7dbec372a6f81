import { shiftDateToYear } from './calendar.ts';
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
  return {
    ...structuredClone(program),
    id: `${city}-${year}`,
    version: 1,
    year,
    title: program.title.replace(String(program.year), String(year)),
    tracks,
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
