import { Migration } from '@mikro-orm/migrations';

/** Per-user notification choices: a daily digest instead of single reminders, and a private calendar feed. */
export class Migration20261121_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add "digest" boolean not null default false, add "calendar_token_hash" varchar(255) null;`);
    this.addSql(`alter table "users" add constraint "users_calendar_token_hash_unique" unique ("calendar_token_hash");`);
  }
}
