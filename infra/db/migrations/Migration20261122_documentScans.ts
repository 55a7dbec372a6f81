import { Migration } from '@mikro-orm/migrations';

/** Signed scans handed back against a generated form, and the progress of a long printing (a package). */
export class Migration20261122_documentScans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "case_document_scans" ("file_id" uuid not null, "case_id" varchar(255) not null, "kind" varchar(255) not null, "printed_sha256" varchar(255) not null, "uploaded_by" uuid not null, "uploaded_by_name" varchar(255) not null, "uploaded_at" timestamptz not null, primary key ("file_id"));`);
    this.addSql(`create index "case_document_scans_document_index" on "case_document_scans" ("case_id", "kind");`);
    this.addSql(`create table "case_document_progress" ("case_id" varchar(255) not null, "kind" varchar(255) not null, "done" int not null, "total" int not null, "step" varchar(255) not null, "updated_at" timestamptz not null, primary key ("case_id", "kind"));`);
  }
}
