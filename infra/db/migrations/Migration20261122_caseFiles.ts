import { Migration } from '@mikro-orm/migrations';

/** Every acceptance submission a case holds or held: the case's latest and each submit task's. */
const ACCEPTANCE_DOCUMENTS = `
  select "id" as "case_id", "acceptance" as "doc" from "cases" where "acceptance" is not null
  union all
  select "case_id", "result"->'acceptance' from "tasks" where jsonb_typeof("result"->'acceptance') = 'object'`;

/** A JSON value as an array, [] when it is none (jsonb_array_elements refuses anything else). */
const array = (expression: string) => `case when jsonb_typeof(${expression}) = 'array' then ${expression} else '[]'::jsonb end`;

/** The files every existing case takes up, from everything that references one; only files that exist. */
export const BACKFILL_CASE_FILES = `
      insert into "case_files" ("case_id", "file_id")
      select distinct "refs"."case_id", "files"."id" from (
        select "case_id", "form"->>'creditReportFileId' as "file_id" from "application_versions"
        union all select "id", "application"->>'creditReportFileId' from "cases"
        union all select "case_id", "result"->'application'->>'creditReportFileId' from "tasks" where "result" is not null
        union all select "tasks"."case_id", "ids"."value" from "tasks", jsonb_array_elements_text(${array(`"tasks"."result"->'fileIds'`)}) as "ids"("value")
        union all select "a"."case_id", "a"."doc"->>'workSummaryFileId' from (${ACCEPTANCE_DOCUMENTS}) as "a"
        union all select "a"."case_id", "a"."doc"->>'internalEvaluationFileId' from (${ACCEPTANCE_DOCUMENTS}) as "a"
        union all select "a"."case_id", "a"."doc"->>'commitmentLetterFileId' from (${ACCEPTANCE_DOCUMENTS}) as "a"
        union all select "a"."case_id", "ids"."value" from (${ACCEPTANCE_DOCUMENTS}) as "a",
          jsonb_each(case when jsonb_typeof("a"."doc"->'selfEvaluation'->'evidence') = 'object' then "a"."doc"->'selfEvaluation'->'evidence' else '{}'::jsonb end) as "item"("key", "list"),
          jsonb_array_elements_text(${array(`"item"."list"`)}) as "ids"("value")
      ) as "refs"
      join "files" on "files"."id"::text = "refs"."file_id"
      on conflict do nothing;`;

/**
 * case_files: which files each case takes up, so a file is readable by those who may see its case.
 * Existing cases are backfilled from everything that references a file (every application version,
 * every completion's documents, every acceptance submission and its evidence), else their files
 * would read as orphans and be removed.
 */
export class Migration20261122_caseFiles extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "case_files" ("case_id" varchar(255) not null, "file_id" uuid not null, primary key ("case_id", "file_id"));`);
    this.addSql(`create index "case_files_file_id_index" on "case_files" ("file_id");`);
    this.addSql(BACKFILL_CASE_FILES);
  }
}
