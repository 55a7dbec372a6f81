import { Migration } from '@mikro-orm/migrations';

/**
 * The full standard-compliance track: the enterprise register of attachment 2, application
 * versions, credit records, extensions, batches, files, drafts, the personal-data access log, and
 * the case and task columns of self-compliance and acceptance. New NOT NULL columns are backfilled
 * through a temporary default, so databases with earlier cases migrate too.
 */
export class Migration20261121_standardTrack extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "application_versions" ("case_id" varchar(255) not null, "version" int not null, "form" jsonb not null, "submitted_at" timestamptz not null, "submitted_by" uuid not null, primary key ("case_id", "version"));`);
    this.addSql(`create table "batches" ("id" uuid not null, "number" varchar(255) not null, "program_id" varchar(255) not null, "track" varchar(255) not null, "district" varchar(255) not null, "case_ids" jsonb not null, "forwarded_by" uuid not null, "forwarded_by_name" varchar(255) not null, "forwarded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "batches" add constraint "batches_number_unique" unique ("number");`);
    this.addSql(`create index "batches_district_index" on "batches" ("district");`);
    this.addSql(`create table "enterprise_credit_records" ("id" uuid not null, "uscc" varchar(255) not null, "kind" varchar(255) not null, "occurred_on" varchar(255) not null, "note" text not null, "recorded_by" uuid not null, "recorded_by_name" varchar(255) not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "enterprise_credit_records_uscc_index" on "enterprise_credit_records" ("uscc");`);
    this.addSql(`create table "drafts" ("uscc" varchar(255) not null, "program_id" varchar(255) not null, "track" varchar(255) not null, "form" jsonb not null, "updated_by" uuid not null, "updated_at" timestamptz not null, primary key ("uscc", "program_id", "track"));`);
    this.addSql(`create table "deadline_extensions" ("id" uuid not null, "case_id" varchar(255) not null, "deadline" varchar(255) not null, "due_at" timestamptz not null, "reason" text not null, "granted_by" uuid not null, "granted_by_name" varchar(255) not null, "granted_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "deadline_extensions_case_id_index" on "deadline_extensions" ("case_id");`);
    this.addSql(`create table "files" ("id" uuid not null, "owner_uscc" varchar(255) null, "uploaded_by" uuid not null, "name" varchar(255) not null, "mime" varchar(255) not null, "size" int not null, "sha256" varchar(255) not null, "content" bytea not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "files_owner_uscc_index" on "files" ("owner_uscc");`);
    this.addSql(`create table "pii_access_log" ("id" uuid not null, "actor_id" uuid not null, "actor_name" varchar(255) not null, "actor_role" varchar(255) not null, "subject_uscc" varchar(255) not null, "field" varchar(255) not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "pii_access_log_subject_uscc_index" on "pii_access_log" ("subject_uscc");`);
    this.addSql(`alter table "cases" add "deadlines" jsonb not null default '{}', add "consultant_user_id" uuid null, add "acceptance" jsonb null, add "acceptance_version" int not null default 0, add "reviewer_scores" jsonb not null default '{}', add "certificate_number" varchar(255) null, add "certificate_issued_on" varchar(255) null, add "closure_reason" text null, add "closed_at" timestamptz null;`);
    this.addSql(`alter table "enterprises" add "legal_representative_id_number" varchar(255) not null default '', add "registered_capital" double precision not null default 0, add "industry" varchar(255) not null default '', add "registered_address" varchar(255) not null default '', add "business_address" varchar(255) not null default '', add "post_code" varchar(255) not null default '', add "fax" varchar(255) not null default '', add "main_business" text not null default '';`);
    this.addSql(`alter table "tasks" add "subject" varchar(255) null, add "result" jsonb null, add "adjusts_scores" boolean not null default false, add "issues_certificate" boolean not null default false;`);
    this.addSql(`alter table "cases" alter column "deadlines" drop default;`);
    this.addSql(`alter table "cases" alter column "reviewer_scores" drop default;`);
    this.addSql(`alter table "enterprises" alter column "legal_representative_id_number" drop default;`);
    this.addSql(`alter table "enterprises" alter column "registered_capital" drop default;`);
    this.addSql(`alter table "enterprises" alter column "industry" drop default;`);
    this.addSql(`alter table "enterprises" alter column "registered_address" drop default;`);
    this.addSql(`alter table "enterprises" alter column "business_address" drop default;`);
    this.addSql(`alter table "enterprises" alter column "post_code" drop default;`);
    this.addSql(`alter table "enterprises" alter column "fax" drop default;`);
    this.addSql(`alter table "enterprises" alter column "main_business" drop default;`);
  }
}
