import type { DocumentKind } from '../../domain/documents/documents.ts';
import { acts } from '../runtime/activities.ts';

/**
 * One document of a case printed on request (a form to print, sign and stamp). A workflow of its
 * own, so the printing is retried by Temporal and never holds up the case; the activity skips
 * printing when the document's input has not changed.
 */
export async function caseDocument(input: { caseId: string; kind: DocumentKind }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
  return acts.generateDocument(input);
}
