import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities/index.ts';
import type { DocumentKind } from '../../domain/documents/documents.ts';

/**
 * Printing: a package binds many files, so it may take minutes; it heartbeats per item, and a worker
 * lost mid-binding is noticed within the heartbeat timeout and the binding starts again.
 */
const printing = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One document of a case printed on request (a form to print, sign and stamp, a package to bind). A
 * workflow of its own, so the printing is retried by Temporal and never holds up the case; the
 * activity skips printing when the document's input has not changed.
 */
export async function caseDocument(input: { caseId: string; kind: DocumentKind }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
  return printing.generateDocument(input);
}
