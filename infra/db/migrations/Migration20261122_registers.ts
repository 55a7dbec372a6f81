import { Migration } from '@mikro-orm/migrations';

/**
 * The two registers the demonstration tracks need: certificates (their prerequisite is a certificate
 * held long enough) and credit service agencies (an enterprise picks one for its consultant contract).
 * Certificates the 贯标 track has already issued are taken into the register from their cases, so an
 * enterprise certified before this change meets the prerequisite without an import; the 贯标 pass is
 * the Suzhou credit office's (acceptance_prefecture_review).
 */
export class Migration20261122_registers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "certificates" ("id" uuid not null, "uscc" varchar(255) not null, "track" varchar(255) not null, "number" varchar(255) not null, "issued_on" varchar(255) not null, "issued_by" varchar(255) not null, "source" varchar(255) not null, "case_id" varchar(255) null, "imported_by" uuid null, "revoked_at" timestamptz null, "revoked_by" uuid null, "revoked_reason" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "certificates_uscc_index" on "certificates" ("uscc");`);
    this.addSql(`alter table "certificates" add constraint "certificates_number_unique" unique ("number");`);
    this.addSql(
      `insert into "certificates" ("id", "uscc", "track", "number", "issued_on", "issued_by", "source", "case_id", "created_at")` +
        ` select gen_random_uuid(), "enterprise_uscc", "track", "certificate_number", "certificate_issued_on", '苏州市信用办', 'case', "id", coalesce("closed_at", "updated_at")` +
        ` from "cases" where "certificate_number" is not null and "certificate_issued_on" is not null on conflict do nothing;`,
    );
    this.addSql(`create table "agencies" ("id" varchar(255) not null, "name" varchar(255) not null, "uscc" varchar(255) not null, "contact_person" varchar(255) not null, "contact_phone" varchar(255) not null, "address" varchar(255) not null, "active" boolean not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "agencies" add constraint "agencies_uscc_unique" unique ("uscc");`);
  }
}
