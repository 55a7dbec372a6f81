import { Migration } from '@mikro-orm/migrations';

/** Keys shared by every server process (the CSRF token key), so a form from one process is accepted by another. */
export class Migration20261122_serverSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "server_secrets" ("name" varchar(255) not null, "value" varchar(255) not null, "created_at" timestamptz not null, primary key ("name"));`);
  }
}
