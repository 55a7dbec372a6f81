import { Migration } from '@mikro-orm/migrations';

const MASK = (n: string) => `left(${n}, 6) || repeat('*', greatest(length(${n}) - 10, 0)) || right(${n}, 4)`;

/**
 * Full identity numbers move out of the register, cases, versions, task results and drafts into
 * identity_numbers; everything else keeps the masked number and a ref.
 */
export class Migration20261122_identityVault extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "identity_numbers" ("ref" uuid not null, "uscc" varchar(255) not null, "number" varchar(255) not null, "recorded_at" timestamptz not null, primary key ("ref"));`);
    this.addSql(`create index "identity_numbers_uscc_index" on "identity_numbers" ("uscc");`);
    this.addSql(`alter table "enterprises" add "legal_representative_id_masked" varchar(255) null, add "legal_representative_id_ref" uuid null;`);
    this.addSql(`update "enterprises" set "legal_representative_id_ref" = gen_random_uuid(), "legal_representative_id_masked" = ${MASK('"legal_representative_id_number"')};`);
    this.addSql(`insert into "identity_numbers" ("ref", "uscc", "number", "recorded_at") select "legal_representative_id_ref", "uscc", "legal_representative_id_number", "updated_at" from "enterprises";`);
    this.addSql(`alter table "enterprises" drop column "legal_representative_id_number", alter column "legal_representative_id_masked" set not null, alter column "legal_representative_id_ref" set not null;`);
    const maskIn = (table: string, column: string, path: string) =>
      this.addSql(
        `update "${table}" set "${column}" = jsonb_set("${column}"::jsonb, '{${path}}', to_jsonb(${MASK(`("${column}"::jsonb #>> '{${path}}')`)}))` +
          ` where "${column}" is not null and ("${column}"::jsonb #>> '{${path}}') is not null and ("${column}"::jsonb #>> '{${path}}') not like '%*%';`,
      );
    maskIn('cases', 'application', 'legalRepresentativeIdNumber');
    maskIn('application_versions', 'form', 'legalRepresentativeIdNumber');
    maskIn('tasks', 'result', 'application,legalRepresentativeIdNumber');
    this.addSql(`update "drafts" set "form" = "form"::jsonb - 'legalRepresentativeIdNumber';`);
  }
}
