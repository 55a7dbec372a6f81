import type { DirectoryAgency } from '../features/registers/agencyService.ts';

/** The directory as the case page's select shows it: one group per agency, the chosen consultant (if any) selected. */
export function consultantChoices(directory: DirectoryAgency[], chosen: string | null) {
  return directory.map((agency) => ({ ...agency, consultants: agency.consultants.map((c) => ({ ...c, selected: c.userId === chosen })) }));
}

/** The engaged consultant as the case page names them: the agency said once, even where the name already carries it. */
export function engagedAs(consultant: { name: string; agencyName: string | null } | null) {
  if (!consultant) return null;
  const { name, agencyName } = consultant;
  return { name, agencyName: agencyName && !name.includes(agencyName) ? agencyName : null };
}
