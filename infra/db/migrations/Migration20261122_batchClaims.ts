import { Migration } from '@mikro-orm/migrations';

/**
 * 汇总报送 as one unit: each forward task is claimed by one batch (batch_cases), batches carry their
 * sequence and whether their forwarding finished, and a batch number is unique within its program
 * (two programs of one year both have a 第1批). Earlier batches are numbered in the order they were
 * forwarded and count as forwarded.
 */
export class Migration20261122_batchClaims extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "batch_cases" ("task_id" varchar(255) not null, "case_id" varchar(255) not null, "batch_id" uuid not null, primary key ("task_id"));`);
    this.addSql(`create index "batch_cases_case_id_index" on "batch_cases" ("case_id");`);
    this.addSql(`create index "batch_cases_batch_id_index" on "batch_cases" ("batch_id");`);
    this.addSql(`alter table "batches" drop constraint "batches_number_unique";`);
    this.addSql(`alter table "batches" add "sequence" int null, add "status" varchar(255) not null default 'forwarded';`);
    this.addSql(
      `update "batches" set "sequence" = "numbered"."n" from (select "id", row_number() over (partition by "program_id", "track", "district" order by "forwarded_at", "id") as "n" from "batches") as "numbered" where "batches"."id" = "numbered"."id";`,
    );
    this.addSql(`alter table "batches" alter column "sequence" set not null;`);
    this.addSql(`alter table "batches" alter column "status" drop default;`);
    this.addSql(`alter table "batches" add constraint "batches_program_id_number_unique" unique ("program_id", "number");`);
    this.addSql(`alter table "batches" add constraint "batches_program_id_track_district_sequence_unique" unique ("program_id", "track", "district", "sequence");`);
  }
}
