import type { Orm } from './orm.ts';

/** Uploads no case, no draft and no 汇总表 took up are removed once they are this old. */
export const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes uploads older than ORPHAN_AGE_MS that no case (case_files), no draft, no draft of a task still
 * open (task_drafts) and no 汇总表 (summary_lists) refers to: the files of refused forms nobody came
 * back to, uploads never handed in, and lists printed anew since. Returns how many went.
 */
export async function removeOrphanFiles(orm: Orm, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - ORPHAN_AGE_MS);
  const em = orm.em.fork();
  return em.getConnection().execute(
    `delete from "files" where "created_at" < ?
       and not exists (select 1 from "case_files" where "case_files"."file_id" = "files"."id")
       and not exists (select 1 from "summary_lists" where "summary_lists"."file_id" = "files"."id")
       and not exists (select 1 from "drafts" where "drafts"."form"->>'creditReportFileId' = "files"."id"::text)
       and not exists (select 1 from "task_drafts" join "tasks" on "tasks"."id" = "task_drafts"."task_id"
                        where "tasks"."status" = 'open' and "task_drafts"."file_ids" @> jsonb_build_array("files"."id"::text))`,
    [before],
    'run',
  ).then((result: { affectedRows?: number }) => result.affectedRows ?? 0);
}
