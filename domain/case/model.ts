import type { Actor, Role } from '../identity/roles.ts';
import type { LevelChoice } from '../evaluation/rubric.ts';
import type { DemonstrationDefinition, ReminderPolicy, ReviewStep, TrackId } from '../program/types.ts';
import type { WorkingDayCalendar } from '../program/workingDays.ts';

/** Attachment 2 (江苏省信用管理贯标企业申报表) with the declarations the application conditions need. */
export interface ApplicationForm {
  enterpriseName: string;
  uscc: string;
  legalRepresentative: string;
  /**
   * 法定代表人身份证号. Full only as the enterprise types it; once received it is stored in the
   * identity register and travels masked (320585********1234) with its ref.
   */
  legalRepresentativeIdNumber: string;
  /** where the full number is kept (identity_numbers); absent only before the form is received */
  legalRepresentativeIdRef?: string;
  foundedOn: string;
  /** 注册资本, in 万元 */
  registeredCapital: number;
  industry: string;
  district: string;
  registeredAddress: string;
  businessAddress: string;
  postCode: string;
  contactPhone: string;
  fax: string;
  mainBusiness: string;
  /** 申请贯标的理由 */
  reasons: string;
  independentLegalPerson: boolean;
  /** 经企业自主查询，近3年内无严重失信行为 */
  declaresNoSeriousDishonesty: boolean;
  /** 企业近三年信用信息查询报告 (upload) */
  creditReportFileId: string;
}

export const TASK_KINDS = [
  'review',
  'forward',
  'correct_application',
  'self_compliance_item',
  'acceptance_submission',
  'guidance',
  'consultant_review',
  // the demonstration tracks (二(二), 二(三))
  'recommend',
  'choose_agency',
  'sign_contract',
  'file_contract',
  'schedule_survey',
  'survey_report',
  'diagnosis',
  'internal_evaluation',
  'work_plan',
  'coaching',
  'evaluation_report',
  'evaluation_feedback',
  'application_package',
  'submit_package',
  'acceptance',
  'objection_review',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const OUTCOMES = ['approve', 'return', 'reject', 'forward', 'resubmit', 'done', 'submit', 'recommend', 'decline', 'file', 'pass', 'fail', 'uphold', 'dismiss'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Who may act on a task: a role within a jurisdiction (a district code, an agency, a USCC; null = city-wide). */
export interface Assignment {
  role: Role;
  jurisdiction: string | null;
  /** a named person (a consultant engaged on the case); null = anyone holding the role there */
  userId?: string | null;
}

export interface TaskRef {
  id: string;
  kind: TaskKind;
  stage: string;
  /** which checklist item or material the task is about, where it is about one */
  subject?: string | null;
  assignment: Assignment;
  openedAt: string;
  /** null: the task waits for a date someone sets later (an acceptance "另行通知") */
  dueAt: string | null;
  adjustsScores?: boolean;
  issuesCertificate?: boolean;
  /** a recommendation's quota: counted by the round of its scope before it reaches the case */
  quota?: 'district' | 'city' | 'none';
}

export interface SelfEvaluation {
  /** item id → level, as the enterprise scored itself */
  scores: Record<string, LevelChoice>;
  /** item id → evidence file ids (佐证材料) */
  evidence: Record<string, string[]>;
}

/** 贯标验收材料 */
export interface AcceptanceSubmission {
  workSummaryFileId: string;
  internalEvaluationFileId: string;
  /** attachment 3, signed by the legal representative and stamped, scanned */
  commitmentLetterFileId: string;
  selfEvaluation: SelfEvaluation;
}

export interface ScoreAdjustment {
  itemId: string;
  level: LevelChoice;
  comment: string;
}

export interface Certificate {
  number: string;
  issuedOn: string;
}

/** 苏州市信用办鉴定盖章备案: the filed consultant contract */
export interface ContractFiling {
  number: string;
  filedOn: string;
}

/** 现场调查: when and where the consultant meets the enterprise */
export interface SurveyAppointment {
  /** local date and time, YYYY-MM-DDTHH:MM (Asia/Shanghai) */
  at: string;
  place: string;
}

/** 问题诊断: one finding, tied to the rubric item it is about */
export interface Finding {
  itemId: string;
  finding: string;
}

/** The acceptor's appointment for a group of cases (验收时间另行通知) */
export interface AcceptanceAppointment {
  /** local date and time, YYYY-MM-DDTHH:MM */
  at: string;
  place: string;
}

export interface BatchRef {
  id: string;
  number: string;
  forwardedAt: string;
}

/** What a person hands in to complete a task; which parts are needed depends on the task's kind. */
export interface CompletionPayload {
  outcome: Outcome;
  comment?: string | null;
  application?: ApplicationForm;
  fields?: Record<string, string>;
  fileIds?: string[];
  acceptance?: AcceptanceSubmission;
  scoreAdjustments?: ScoreAdjustment[];
  certificate?: Certificate;
  batch?: BatchRef;
  /** case material key → uploaded file id (the contract, the survey report, the package's forms, …) */
  materials?: Record<string, string>;
  /** the credit service agency the enterprise chooses */
  agencyId?: string;
  /** the lead consultant the agency names (resolved from the user register by the API) */
  leadConsultant?: Actor;
  /** the contract says the service is free to the enterprise (paid by public funds) */
  freeOfCharge?: boolean;
  filing?: ContractFiling;
  survey?: SurveyAppointment;
  findings?: Finding[];
  /** the internal evaluation against the 1000-point rubric */
  evaluation?: SelfEvaluation;
  /** a return at acceptance: the package is corrected by this local date */
  correctionDueOn?: string;
  /** a recommendation within a quota: the round that counted it (set by the round, never by a person) */
  quotaRound?: string;
}

export interface Decision {
  taskId: string;
  kind: TaskKind;
  stage: string;
  subject: string | null;
  outcome: Outcome;
  comment: string | null;
  actor: Actor;
  decidedAt: string;
  payload: CompletionPayload;
}

export const CASE_STATUSES = ['active', 'rejected', 'lapsed', 'failed', 'certified'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  active: '办理中',
  rejected: '申报未通过',
  lapsed: '逾期失效',
  failed: '验收未通过',
  certified: '已通过验收',
};

export const STAGE_LABELS: Record<string, string> = {
  submitted: '已申报',
  district_review: '镇（区）初审',
  district_forwarding: '镇（区）汇总报送',
  city_review: '市经信委审核',
  correction: '退回补正',
  self_compliance: '自主贯标',
  acceptance_district_check: '验收材料镇（区）审核',
  acceptance_city_review: '市经信委统一验收',
  acceptance_prefecture_review: '苏州市信用办验收审核',
  acceptance_correction: '验收材料退回补正',
  district_recommendation: '镇（区）择优推荐',
  city_recommendation: '市经信委择优推荐',
  prefecture_recommendation: '苏州市信用办择优推荐',
  consultant_contract: '签订咨询辅导合同',
  contract_filing: '合同鉴定盖章备案',
  creation: '示范创建',
  application_package: '申报材料准备',
  package_correction: '申报材料退回补正',
  package_submission: '申报材料报送',
  awaiting_acceptance: '等待验收（时间另行通知）',
  acceptance: '验收审定',
  publicity: '公示',
  not_recommended: '未获推荐',
  certified: '已通过验收',
  rejected: '申报未通过',
  failed: '验收未通过',
  lapsed: '逾期失效',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  approve: '审核通过',
  return: '退回补正',
  reject: '未通过',
  forward: '已汇总报送',
  resubmit: '已重新提交',
  done: '已完成',
  submit: '已提交',
  recommend: '推荐',
  decline: '不予推荐',
  file: '已鉴定盖章备案',
  pass: '验收通过',
  fail: '验收未通过',
  uphold: '异议成立',
  dismiss: '异议不成立',
};

export const DEADLINE_LABELS: Record<string, string> = {
  application: '贯标申报截止',
  acceptanceMaterials: '验收材料报送截止',
  correction: '补正期限',
  recommendation: '推荐截止',
  applicationPackage: '申报材料报送截止',
  publicity: '公示期',
};


/** The program's rules as the case pinned them at submission: what the workflow needs to run. */
export interface CasePlan {
  programYear: number;
  timeZone: string;
  applicationReview: ReviewStep[];
  acceptanceReview: ReviewStep[];
  correctionDays: number;
  selfCompliance: { key: string; title: string }[];
  /** deadline name → instant (ISO), computed from the program's local dates */
  deadlines: Record<string, string>;
  reminders: ReminderPolicy;
  calendar: WorkingDayCalendar;
  /** a compressed calendar (demos, tests): the length of a reminder-policy day in ms */
  compressedDayMs: number | null;
  /** the demonstration tracks' steps (null for 贯标) */
  demonstration?: DemonstrationPlan | null;
}

/** What a demonstration case pins of its track: the chain, the acceptor, the package, the periods. */
export type DemonstrationPlan = Omit<DemonstrationDefinition, 'prerequisite'> & {
  /** the district's and the city's quota for this track (推荐名额) */
  quotas: { district: number; city: number | null };
  trackName: string;
};

export interface CaseStartInput {
  caseId: string;
  programId: string;
  programVersion: number;
  track: TrackId;
  application: ApplicationForm;
  submittedBy: Actor;
  submittedAt: string;
  plan: CasePlan;
}

export interface Extension {
  deadline: string;
  dueAt: string;
  reason: string;
  actor: Actor;
  grantedAt: string;
}

/** The case as its workflow holds it; the API answers from the PostgreSQL projection of the same. */
export interface CaseState {
  caseId: string;
  programId: string;
  programVersion: number;
  track: TrackId;
  stage: string;
  status: CaseStatus;
  application: ApplicationForm;
  applicationVersion: number;
  openTasks: TaskRef[];
  decisions: Decision[];
  /** deadline name → instant in force (extensions applied) */
  deadlines: Record<string, string>;
  extensions: Extension[];
  /** self-compliance checklist: item key → when it was completed */
  checklist: Record<string, string>;
  consultant: Actor | null;
  acceptance: AcceptanceSubmission | null;
  acceptanceVersion: number;
  /** reviewers' levels where they differ from the enterprise's own; the enterprise's stay in acceptance */
  reviewerScores: Record<string, ScoreAdjustment & { actor: Actor }>;
  certificate: Certificate | null;
  /** why and when a case ended other than certified: lapse, rejection, failed acceptance */
  closure: { reason: string; at: string } | null;
  /** the deadline whose passing lapsed the case */
  lapsedDeadline: string | null;
  /** deadlines on hold: name → since when, with the reason and who put it on hold */
  suspensions: Record<string, { since: string; reason: string; actor: Actor }>;
  /** material key → file id: what the case holds for its application package (demonstration tracks) */
  materials: Record<string, string>;
  /** the credit service agency the enterprise chose (demonstration tracks) */
  agency: string | null;
  contractFiling: ContractFiling | null;
  survey: SurveyAppointment | null;
  acceptanceAppointment: AcceptanceAppointment | null;
  /** 公示: the period, and each objection filed with where it stands */
  publicity: { from: string; until: string } | null;
  objections: { id: string; status: 'open' | 'upheld' | 'dismissed' }[];
}

export function caseIdFor(programId: string, track: TrackId, uscc: string): string {
  return `case-${programId}-${track}-${uscc}`;
}
