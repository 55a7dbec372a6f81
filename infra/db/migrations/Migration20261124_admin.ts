import { Migration } from '@mikro-orm/migrations';

/**
 * Administration: a login deactivated by an admin (and when), set-password links (single use,
 * expiring, only their hash kept), and the admin's audit log of what was changed and by whom.
 */
export class Migration20261124_admin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add "deactivated_at" timestamptz null;`);
    this.addSql(`create table "set_password_tokens" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(255) null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "scope_label" varchar(255) null, "created_by" uuid not null, "created_by_name" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "set_password_tokens_user_id_index" on "set_password_tokens" ("user_id");`);
    this.addSql(`alter table "set_password_tokens" add constraint "set_password_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create table "admin_audit" ("id" uuid not null, "at" timestamptz not null, "kind" varchar(255) not null, "action" varchar(255) not null, "actor_id" uuid not null, "actor_name" varchar(255) not null, "actor_role" varchar(255) not null, "subject" varchar(255) not null, "subject_label" varchar(255) not null, "subject_uscc" varchar(255) null, "detail" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "admin_audit_at_index" on "admin_audit" ("at");`);
    this.addSql(`create index "admin_audit_subject_uscc_index" on "admin_audit" ("subject_uscc");`);
  }
}
