import type { Client } from '@temporalio/client';
import { ownSummaryListDistrict, summaryListAccess, summaryListScope } from '../../domain/documents/summaryList.ts';
import type { Actor } from '../../domain/identity/roles.ts';
import { findDistrict } from '../../domain/program/program.ts';
import type { TrackId } from '../../domain/program/types.ts';
import type { summaryList } from '../../workflows/documents/summaryList.ts';
import { AppError } from '../errors.ts';
import type { ProgramService } from '../programs/programService.ts';

export interface SummaryListDeps {
  temporal: Client;
  taskQueue: string;
  programs: ProgramService;
}

export interface PrintedSummaryList {
  fileId: string;
  sha256: string;
  generated: boolean;
}

/** 汇总表: a district's list of a track's cases for the city, and the city's for Suzhou, printed on request. */
export function createSummaryListService({ temporal, taskQueue, programs }: SummaryListDeps) {
  return {
    /**
     * The list printed now (or, when no case in it has moved on, the one printed before). `district`:
     * a district code, null for the whole city, undefined for the asker's own (a district office's
     * district, the city for the higher offices). A district office has its own district's list only:
     * another district's, or the city's, is not found.
     */
    async print(actor: Actor, programId: string, track: TrackId, district: string | null | undefined): Promise<PrintedSummaryList> {
      const scope = district === undefined ? ownSummaryListDistrict(actor) : district;
      const access = summaryListAccess(actor, scope);
      if (access === 'forbidden') throw new AppError('forbidden', '汇总表由镇（区）经发中心、市经信委及苏州市、江苏省信用办打印 (for the credit offices)');
      if (access === 'not_found') throw new AppError('not_found', `没有此汇总表 (no such list): ${scope ?? '全市'}`);
      const program = await programs.latest(programId);
      if (!program.tracks[track]) throw new AppError('not_found', `计划 ${programId} 没有此类别 (the program has no track ${track})`);
      if (scope !== null && !findDistrict(program, scope)) {
        throw new AppError('bad_request', `没有此镇（区）(no district ${scope} in program ${programId})`, [{ path: 'district', rule: `one of ${program.districts.map((d) => d.code).join(', ')}, or null for the city` }]);
      }
      return temporal.workflow.execute<typeof summaryList>('summaryList', {
        workflowId: `summary-list-${programId}-${track}-${summaryListScope(scope)}`,
        taskQueue,
        args: [{ programId, track, district: scope }],
        // asked twice at once: both wait for the one printing
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    },
  };
}

export type SummaryListService = ReturnType<typeof createSummaryListService>;
