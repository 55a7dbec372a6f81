// Every workflow the worker registers. This file is the worker's workflowsPath.
export { caseWorkflow } from './tracks/standardTrack.ts';
export { digestWorkflow } from './digest/digestWorkflow.ts';
export { resendNotificationWorkflow } from './notifications/resend.ts';
export { extensionNotice } from './notifications/extensionNotice.ts';
export { setPasswordMail } from './notifications/setPasswordMail.ts';
export { demonstrationTrack } from './tracks/demonstrationTrack.ts';
export { recommendationRound } from './rounds/recommendationRound.ts';
export { acceptanceSchedule } from './rounds/acceptanceSchedule.ts';
export { forwardBatch } from './rounds/forwardBatch.ts';
export { caseDocument } from './documents/caseDocument.ts';
export { summaryList } from './documents/summaryList.ts';
