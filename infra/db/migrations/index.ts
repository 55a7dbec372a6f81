import { Migration20261121_init } from './Migration20261121_init.ts';

/** Every migration, in order. Both drivers (PGlite and PostgreSQL) run this same list. */
export const MIGRATIONS = [{ name: 'Migration20261121_init', class: Migration20261121_init }];
