import { Migration20261121_init } from './Migration20261121_init.ts';
import { Migration20261121_standardTrack } from './Migration20261121_standardTrack.ts';
import { Migration20261121_notifications } from './Migration20261121_notifications.ts';

/** Every migration, in order. Both drivers (PGlite and PostgreSQL) run this same list. */
export const MIGRATIONS = [
  { name: 'Migration20261121_init', class: Migration20261121_init },
  { name: 'Migration20261121_standardTrack', class: Migration20261121_standardTrack },
  { name: 'Migration20261121_notifications', class: Migration20261121_notifications },
];
