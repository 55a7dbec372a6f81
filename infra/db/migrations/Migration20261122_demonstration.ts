import { Migration } from '@mikro-orm/migrations';

/** The demonstration tracks: a case's agency, tasks that wait for a date, and publicity objections. */
export class Migration20261122_demonstration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "cases" add column "agency_id" varchar(255) null;`);
    this.addSql(`alter table "tasks" alter column "due_at" drop not null;`);
    this.addSql(`create table "objections" ("id" uuid not null, "case_id" varchar(255) not null, "name" varchar(255) not null, "contact" varchar(255) not null, "text" text not null, "filed_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "objections_case_id_index" on "objections" ("case_id");`);
  }
}
