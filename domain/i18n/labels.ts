import { DEADLINE_LABELS, OUTCOME_LABELS, STAGE_LABELS, STATUS_LABELS, type CaseStatus, type Outcome } from '../case/model.ts';
import { ROLE_LABELS, type Role } from '../identity/roles.ts';
import type { TrackId } from '../program/types.ts';

export type Locale = 'zh-CN' | 'en';

const EN_STAGES: Record<string, string> = {
  submitted: 'Submitted',
  district_review: 'District review',
  district_forwarding: 'District forwarding',
  city_review: 'City review',
  correction: 'Correction',
  self_compliance: 'Self-compliance',
  acceptance_district_check: 'Acceptance: district check',
  acceptance_city_review: 'Acceptance: city review',
  acceptance_prefecture_review: 'Acceptance: Suzhou review',
  acceptance_correction: 'Acceptance: correction',
  certified: 'Certified',
  rejected: 'Rejected',
  failed: 'Failed acceptance',
  lapsed: 'Lapsed',
  district_recommendation: 'District recommendation',
  city_recommendation: 'City recommendation',
  prefecture_recommendation: 'Suzhou recommendation',
  consultant_contract: 'Consultant contract',
  contract_filing: 'Contract filing',
  creation: 'Demonstration work with the consultant',
  application_package: 'Application package',
  package_correction: 'Package correction',
  package_submission: 'Package submission',
  awaiting_acceptance: 'Awaiting the acceptance date',
  acceptance: 'Acceptance',
  publicity: 'Publicity',
  not_recommended: 'Not recommended',
};

const EN_OUTCOMES: Record<Outcome, string> = {
  approve: 'Approved',
  return: 'Returned for correction',
  reject: 'Rejected',
  forward: 'Forwarded',
  resubmit: 'Resubmitted',
  done: 'Done',
  submit: 'Submitted',
  recommend: 'Recommended',
  decline: 'Not recommended',
  file: 'Filed',
  pass: 'Passed acceptance',
  fail: 'Failed acceptance',
  uphold: 'Objection upheld',
  dismiss: 'Objection dismissed',
};

const EN_ROLES: Record<Role, string> = {
  enterprise: 'Enterprise',
  consultant: 'Consultant',
  district_officer: 'District office',
  city_officer: 'City credit office',
  prefecture_officer: 'Suzhou credit office',
  province_officer: 'Jiangsu credit office',
  admin: 'Administrator',
};

const EN_DEADLINES: Record<string, string> = {
  application: 'Application deadline',
  acceptanceMaterials: 'Acceptance materials deadline',
  correction: 'Correction period',
  recommendation: 'Recommendation deadline',
  applicationPackage: 'Application package deadline',
  publicity: 'Publicity period',
};

const EN_TRACKS: Record<TrackId, string> = {
  standard: 'Credit-management standard compliance',
  'municipal-demo': 'Suzhou demonstration enterprise',
  'provincial-demo': 'Jiangsu demonstration enterprise',
};

const EN_TASK_KINDS: Record<string, string> = {
  review: 'Review',
  forward: 'Forward in a batch',
  correct_application: 'Correct the application',
  self_compliance_item: 'Self-compliance item',
  guidance: 'Guidance',
  consultant_review: 'Advice on the evaluation report',
  acceptance_submission: 'Hand in the acceptance materials',
  recommend: 'Recommend',
  choose_agency: 'Choose a credit service agency',
  sign_contract: 'Sign the consulting contract',
  file_contract: 'Stamp and file the contract',
  schedule_survey: 'Arrange the on-site survey',
  survey_report: 'Survey report and receipt',
  diagnosis: 'Problem diagnosis',
  internal_evaluation: 'Internal evaluation',
  work_plan: 'Demonstration work plan',
  coaching: 'Coaching record',
  evaluation_report: 'Credit-management evaluation report',
  evaluation_feedback: 'Written feedback on the evaluation report',
  application_package: 'Prepare the application package',
  submit_package: 'Submit the application package',
  acceptance: 'Demonstration acceptance',
  objection_review: 'Look into a publicity objection',
};

/** The self-compliance checklist of the work plan (its items' keys are the program's; unknown keys keep their Chinese title). */
const EN_CHECKLIST_ITEMS: Record<string, string> = {
  working_group: 'Set up the standard-compliance working group',
  work_plan: 'Draw up the standard-compliance work plan',
  credit_department: 'Name the credit-management department and its duties',
  training: 'Hold standard-compliance training',
  internal_evaluation: 'Carry out the internal evaluation and write its report',
};

const EN_STATUSES: Record<CaseStatus, string> = {
  active: 'In progress',
  rejected: 'Application rejected',
  lapsed: 'Lapsed',
  failed: 'Failed acceptance',
  certified: 'Certified',
};

/** The words of the process in the reader's language; Chinese is the default and the fallback. */
export function labelsFor(locale: string) {
  const en = locale === 'en';
  return {
    /** a task kind; `chinese` is the registry's own label */
    taskKind: (kind: string, chinese: string) => (en ? (EN_TASK_KINDS[kind] ?? kind) : chinese),
    /** a self-compliance checklist item; `chinese` is the program's title of it */
    checklistItem: (key: string, chinese: string) => (en ? (EN_CHECKLIST_ITEMS[key] ?? chinese) : chinese),
    status: (status: string) => (en ? EN_STATUSES[status as CaseStatus] : STATUS_LABELS[status as CaseStatus]) ?? status,
    stage: (stage: string) => (en ? EN_STAGES[stage] : STAGE_LABELS[stage]) ?? stage,
    outcome: (outcome: Outcome) => (en ? EN_OUTCOMES : OUTCOME_LABELS)[outcome],
    role: (role: Role) => (en ? EN_ROLES : ROLE_LABELS)[role],
    deadline: (name: string) => (en ? EN_DEADLINES[name] : DEADLINE_LABELS[name]) ?? name,
    track: (track: string, chineseName: string) => (en ? (EN_TRACKS[track as TrackId] ?? track) : chineseName),
    appointment: (kind: 'survey' | 'acceptance') => (en ? { survey: 'On-site survey', acceptance: 'Acceptance' } : { survey: '现场调查', acceptance: '示范验收' })[kind],
    /** a due date set later (验收时间另行通知) */
    dateToBeAnnounced: en ? 'date to be announced' : '另行通知',
  };
}
