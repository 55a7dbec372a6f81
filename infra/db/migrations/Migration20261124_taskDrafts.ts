import { Migration } from '@mikro-orm/migrations';

/** Drafts of task forms (the acceptance materials and their 1000-point score sheet), one per task. */
export class Migration20261124_taskDrafts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "task_drafts" ("task_id" varchar(255) not null, "case_id" varchar(255) not null, "body" jsonb not null, "file_ids" jsonb not null, "saved_by" uuid not null, "saved_by_name" varchar(255) not null, "saved_at" timestamptz not null, primary key ("task_id"));`);
    this.addSql(`create index "task_drafts_case_id_index" on "task_drafts" ("case_id");`);
  }
}
