import type { CompletionPayload } from './model.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value can be a file id at all (a form or a workflow may carry anything). */
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * The uploaded files a case takes up through one of its payloads: the application's credit report,
 * a checklist item's documents, the acceptance materials and their evidence. Whoever may see the
 * case may read them; nothing else makes a file part of a case.
 */
export function filesReferenced(payload: Pick<CompletionPayload, 'application' | 'fileIds' | 'acceptance' | 'materials' | 'evaluation'>): string[] {
  const { application, fileIds, acceptance, materials, evaluation } = payload;
  const ids = [
    application?.creditReportFileId,
    ...(fileIds ?? []),
    acceptance?.workSummaryFileId,
    acceptance?.internalEvaluationFileId,
    acceptance?.commitmentLetterFileId,
    ...Object.values(acceptance?.selfEvaluation?.evidence ?? {}).flat(),
    ...Object.values(materials ?? {}),
    ...Object.values(evaluation?.evidence ?? {}).flat(),
  ];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id !== ''))];
}
