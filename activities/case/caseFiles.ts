import { filesReferenced, isUuid } from '../../domain/case/files.ts';
import type { CompletionPayload } from '../../domain/case/model.ts';
import { CaseFileRecord, FileRecord } from '../../infra/db/entities.ts';
import type { Orm } from '../../infra/db/orm.ts';
import { removeOrphanFiles } from '../../infra/db/fileRetention.ts';
import { insertOnce } from '../../infra/db/queries.ts';

type EntityManager = ReturnType<Orm['em']['fork']>;

/** The daily clean-up of uploads no case and no draft took up (infra/db/fileRetention.ts). */
export function createFileActivities({ orm }: { orm: Orm }) {
  return {
    async removeOrphanFiles(): Promise<{ removed: number }> {
      return { removed: await removeOrphanFiles(orm) };
    },
  };
}

/**
 * Records the files a case's payload takes up in case_files, the one place file access is decided
 * from. Only files that exist are linked (a workflow started without the API may carry made-up ids);
 * a retried activity links the same rows.
 */
export async function linkCaseFiles(em: EntityManager, caseId: string, payload: Pick<CompletionPayload, 'application' | 'fileIds' | 'acceptance' | 'materials' | 'evaluation'>): Promise<void> {
  const ids = filesReferenced(payload).filter(isUuid);
  if (!ids.length) return;
  const existing = await em.find(FileRecord, { id: { $in: ids } }, { fields: ['id'] });
  if (!existing.length) return;
  await insertOnce(em, CaseFileRecord, existing.map((file) => ({ caseId, fileId: file.id })));
}
