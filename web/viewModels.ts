// the score sheet's view models live with the sheet (web/scoreSheet.ts); the case page reads its totals from here
// (its deadlines, with where each stands, come with its timeline: web/casePage.ts and domain/case/deadlineStates.ts)
export { scoreTable } from './scoreSheet.ts';
