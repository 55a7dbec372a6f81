import { Migration } from '@mikro-orm/migrations';

/** Documents the system generates for a case, with the checksums of their input and of the PDF. */
export class Migration20261122_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "case_documents" ("case_id" varchar(255) not null, "kind" varchar(255) not null, "file_id" uuid not null, "input_sha256" varchar(255) not null, "sha256" varchar(255) not null, "created_at" timestamptz not null, primary key ("case_id", "kind"));`);
  }
}
