import { Migration } from '@mikro-orm/migrations';

/** The inbox: an office's task claimed by one officer (who, when), and each person's saved filters. */
export class Migration20261124_inbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "tasks" add "claimed_by_user_id" uuid null, add "claimed_by_name" varchar(255) null, add "claimed_at" timestamptz null;`);
    this.addSql(`create table "inbox_saved_filters" ("id" uuid not null, "user_id" uuid not null, "name" varchar(255) not null, "filter" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "inbox_saved_filters" add constraint "inbox_saved_filters_user_id_name_unique" unique ("user_id", "name");`);
  }
}
