import type { Outcome, TaskKind } from '../case/model.ts';
import { acceptanceSubmission } from './acceptanceSubmission.ts';
import { applicationPackage, submitPackage } from './applicationPackage.ts';
import { chooseAgency, fileContract, signContract } from './contract.ts';
import { coaching, diagnosis, evaluationFeedback, evaluationReport, internalEvaluation, scheduleSurvey, surveyReport, workPlan } from './creation.ts';
import { acceptance, objectionReview } from './demonstrationAcceptance.ts';
import { consultantReview, guidance } from './consultantAdvice.ts';
import { correctApplication } from './correctApplication.ts';
import { forward } from './forward.ts';
import type { TaskKindRules } from './kind.ts';
import { recommend } from './recommend.ts';
import { review } from './review.ts';
import { selfComplianceItem } from './selfComplianceItem.ts';

export type { CompletionContext, CompletionRefusal, TaskKindRules } from './kind.ts';

/** Every kind of task, by name: a new kind is one file and one line here. */
export const TASK_KIND_RULES: Record<TaskKind, TaskKindRules> = {
  review,
  forward,
  correct_application: correctApplication,
  self_compliance_item: selfComplianceItem,
  acceptance_submission: acceptanceSubmission,
  guidance,
  consultant_review: consultantReview,
  recommend,
  choose_agency: chooseAgency,
  sign_contract: signContract,
  file_contract: fileContract,
  schedule_survey: scheduleSurvey,
  survey_report: surveyReport,
  diagnosis,
  internal_evaluation: internalEvaluation,
  work_plan: workPlan,
  coaching,
  evaluation_report: evaluationReport,
  evaluation_feedback: evaluationFeedback,
  application_package: applicationPackage,
  submit_package: submitPackage,
  acceptance,
  objection_review: objectionReview,
};

export const TASK_KIND_LABELS = Object.fromEntries(Object.values(TASK_KIND_RULES).map((k) => [k.kind, k.label])) as Record<TaskKind, string>;
export const OUTCOMES_BY_KIND = Object.fromEntries(Object.values(TASK_KIND_RULES).map((k) => [k.kind, k.outcomes])) as Record<TaskKind, readonly Outcome[]>;

/** Tasks that run beside the case (a consultant's) rather than move it. */
export const runsBeside = (kind: TaskKind): boolean => TASK_KIND_RULES[kind].runsBeside;
