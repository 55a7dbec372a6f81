import { Migration } from '@mikro-orm/migrations';

/** First answers to requests sent with an Idempotency-Key. */
export class Migration20261122_idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_keys" ("id" varchar(255) not null, "fingerprint" varchar(255) not null, "status" varchar(255) not null, "response_status" int null, "response_body" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "idempotency_keys_created_at_index" on "idempotency_keys" ("created_at");`);
  }
}
