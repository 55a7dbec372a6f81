import { Migration } from '@mikro-orm/migrations';

/** Users, sessions, programs, enterprises, and the case/task/event/notification projections. */
export class Migration20261121_init extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "case_events" ("key" varchar(255) not null, "case_id" varchar(255) not null, "at" timestamptz not null, "kind" varchar(255) not null, "actor_id" uuid null, "actor_name" varchar(255) null, "detail" jsonb not null, primary key ("key"));`);
    this.addSql(`create index "case_events_case_id_index" on "case_events" ("case_id");`);
    this.addSql(`create table "cases" ("id" varchar(255) not null, "program_id" varchar(255) not null, "program_version" int not null, "program_year" int not null, "track" varchar(255) not null, "enterprise_uscc" varchar(255) not null, "enterprise_name" varchar(255) not null, "district" varchar(255) not null, "stage" varchar(255) not null, "status" varchar(255) not null, "application" jsonb not null, "application_version" int not null, "submitted_by" uuid not null, "submitted_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "cases_enterprise_uscc_index" on "cases" ("enterprise_uscc");`);
    this.addSql(`create index "cases_district_index" on "cases" ("district");`);
    this.addSql(`create table "enterprises" ("uscc" varchar(255) not null, "name" varchar(255) not null, "district" varchar(255) not null, "legal_representative" varchar(255) not null, "founded_on" varchar(255) not null, "contact_phone" varchar(255) not null, "updated_at" timestamptz not null, primary key ("uscc"));`);
    this.addSql(`create index "enterprises_district_index" on "enterprises" ("district");`);
    this.addSql(`create table "notifications" ("key" varchar(255) not null, "case_id" varchar(255) null, "task_id" varchar(255) null, "recipient" varchar(255) not null, "template" varchar(255) not null, "subject" varchar(255) not null, "status" varchar(255) not null, "attempts" int not null default 0, "smtp_response" text null, "message_id" varchar(255) null, "created_at" timestamptz not null, "sent_at" timestamptz null, primary key ("key"));`);
    this.addSql(`create index "notifications_case_id_index" on "notifications" ("case_id");`);
    this.addSql(`create table "programs" ("id" varchar(255) not null, "version" int not null, "year" int not null, "city" varchar(255) not null, "definition" jsonb not null, "created_at" timestamptz not null, primary key ("id", "version"));`);
    this.addSql(`create table "sessions" ("token_hash" varchar(255) not null, "user_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("token_hash"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create table "tasks" ("id" varchar(255) not null, "case_id" varchar(255) not null, "kind" varchar(255) not null, "stage" varchar(255) not null, "assignee_role" varchar(255) not null, "jurisdiction" varchar(255) null, "assignee_user_id" uuid null, "status" varchar(255) not null, "opened_at" timestamptz not null, "due_at" timestamptz not null, "outcome" varchar(255) null, "comment" text null, "completed_by" uuid null, "completed_by_name" varchar(255) null, "completed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "tasks_case_id_index" on "tasks" ("case_id");`);
    this.addSql(`create index "tasks_status_index" on "tasks" ("status");`);
    this.addSql(`create index "tasks_inbox_index" on "tasks" ("assignee_role", "jurisdiction", "status");`);
    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(255) not null, "name" varchar(255) not null, "role" varchar(255) not null, "scope_id" varchar(255) null, "password_hash" varchar(255) not null, "active" boolean not null default true, "locale" varchar(255) not null default 'zh-CN', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
  }
}
