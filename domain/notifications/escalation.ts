import type { Assignment } from '../case/model.ts';

/**
 * Who is told when a task stays overdue: the office that supervises its holder. An enterprise's
 * task goes to its district; a district's and a consultant's to the city; the city's to Suzhou;
 * Suzhou's to the province. The province has no one above it in this process.
 */
export function supervisingOffice(assignment: Assignment, caseDistrict: string): Assignment | null {
  switch (assignment.role) {
    case 'enterprise':
      return { role: 'district_officer', jurisdiction: caseDistrict };
    case 'district_officer':
    case 'consultant':
      return { role: 'city_officer', jurisdiction: null };
    case 'city_officer':
      return { role: 'prefecture_officer', jurisdiction: null };
    case 'prefecture_officer':
      return { role: 'province_officer', jurisdiction: null };
    default:
      return null;
  }
}
