import { Migration20261121_init } from './Migration20261121_init.ts';
import { Migration20261121_standardTrack } from './Migration20261121_standardTrack.ts';
import { Migration20261121_notifications } from './Migration20261121_notifications.ts';
import { Migration20261122_identityVault } from './Migration20261122_identityVault.ts';
import { Migration20261122_idempotency } from './Migration20261122_idempotency.ts';
import { Migration20261122_batchClaims } from './Migration20261122_batchClaims.ts';
import { Migration20261122_mailDelivery } from './Migration20261122_mailDelivery.ts';
import { Migration20261122_caseFiles } from './Migration20261122_caseFiles.ts';
import { Migration20261122_serverSecrets } from './Migration20261122_serverSecrets.ts';
import { Migration20261122_demonstration } from './Migration20261122_demonstration.ts';
import { Migration20261122_documents } from './Migration20261122_documents.ts';
import { Migration20261122_documentScans } from './Migration20261122_documentScans.ts';
import { Migration20261122_registers } from './Migration20261122_registers.ts';
import { Migration20261123_summaryLists } from './Migration20261123_summaryLists.ts';
import { Migration20261124_taskDrafts } from './Migration20261124_taskDrafts.ts';
import { Migration20261124_admin } from './Migration20261124_admin.ts';
import { Migration20261124_inbox } from './Migration20261124_inbox.ts';
import { Migration20261126_inboxIndexes } from './Migration20261126_inboxIndexes.ts';

/** Every migration, in order. Both drivers (PGlite and PostgreSQL) run this same list. */
export const MIGRATIONS = [
  { name: 'Migration20261121_init', class: Migration20261121_init },
  { name: 'Migration20261121_standardTrack', class: Migration20261121_standardTrack },
  { name: 'Migration20261121_notifications', class: Migration20261121_notifications },
  { name: 'Migration20261122_identityVault', class: Migration20261122_identityVault },
  { name: 'Migration20261122_idempotency', class: Migration20261122_idempotency },
  { name: 'Migration20261122_batchClaims', class: Migration20261122_batchClaims },
  { name: 'Migration20261122_mailDelivery', class: Migration20261122_mailDelivery },
  { name: 'Migration20261122_caseFiles', class: Migration20261122_caseFiles },
  { name: 'Migration20261122_serverSecrets', class: Migration20261122_serverSecrets },
  { name: 'Migration20261122_registers', class: Migration20261122_registers },
  { name: 'Migration20261122_demonstration', class: Migration20261122_demonstration },
  { name: 'Migration20261122_documents', class: Migration20261122_documents },
  { name: 'Migration20261122_documentScans', class: Migration20261122_documentScans },
  { name: 'Migration20261123_summaryLists', class: Migration20261123_summaryLists },
  { name: 'Migration20261124_taskDrafts', class: Migration20261124_taskDrafts },
  { name: 'Migration20261124_admin', class: Migration20261124_admin },
  { name: 'Migration20261124_inbox', class: Migration20261124_inbox },
  { name: 'Migration20261126_inboxIndexes', class: Migration20261126_inboxIndexes },
];
