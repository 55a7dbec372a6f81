import type { TrackId } from '../../domain/program/types.ts';
import { acts } from '../runtime/activities.ts';

/**
 * A 汇总表 printed on request, for a district or (district null) the city. A workflow of its own, as
 * a case's documents: the printing is retried by Temporal, and the activity skips printing when the
 * list's input has not changed.
 */
export async function summaryList(input: { programId: string; track: TrackId; district: string | null }): Promise<{ fileId: string; sha256: string; generated: boolean }> {
  return acts.generateSummaryList(input);
}
