import { Migration } from '@mikro-orm/migrations';

/** The 汇总表 printed per program, track and scope (a district code, or 'city'), with the checksums of their input and of the PDF. */
export class Migration20261123_summaryLists extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "summary_lists" ("program_id" varchar(255) not null, "track" varchar(255) not null, "scope" varchar(255) not null, "file_id" uuid not null, "input_sha256" varchar(255) not null, "sha256" varchar(255) not null, "created_at" timestamptz not null, primary key ("program_id", "track", "scope"));`);
    this.addSql(`create index "summary_lists_file_id_index" on "summary_lists" ("file_id");`);
  }
}
