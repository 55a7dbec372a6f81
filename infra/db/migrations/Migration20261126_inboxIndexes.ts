import { Migration } from '@mikro-orm/migrations';

/**
 * The inbox at scale (100k cases, 1M tasks): open tasks only, by whom they wait for, in the inbox's
 * order (due date, undated last, then id), so a page is read from the index; a person's own
 * tasks (a consultant's) apart; and what a row shows of its case, from an index without the case's
 * application.
 */
export class Migration20261126_inboxIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "tasks_open_inbox_index" on "tasks" ("assignee_role", "jurisdiction", (coalesce("due_at", 'infinity'::timestamptz)), "id") where "status" = 'open';`);
    this.addSql(`create index "tasks_open_assignee_index" on "tasks" ("assignee_user_id") where "status" = 'open' and "assignee_user_id" is not null;`);
    this.addSql(`create index "cases_inbox_index" on "cases" ("id") include ("track", "district", "enterprise_name", "enterprise_uscc", "program_id", "program_version");`);
  }
}
