import { Migration } from '@mikro-orm/migrations';

/**
 * The delivery log keeps the mail as rendered (a resend sends the same mail), who holds the latest
 * attempt and since when (a retry recognises its own abandoned attempt), and who asked for a resend.
 * Rows from before carry nulls: they are sent from a fresh rendering, as before.
 */
export class Migration20261122_mailDelivery extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "notifications" add "body_html" text null, add "body_text" text null, add "sender" varchar(255) null, add "attempted_at" timestamptz null, add "resent_by" uuid null, add "resent_by_name" varchar(255) null, add "resent_at" timestamptz null;`,
    );
  }
}
