/** `npm run migrate`: applies pending migrations to the configured database and exits. */
import { loadConfig } from '../infra/config.ts';
import { migrate, openOrm } from '../infra/db/orm.ts';

const orm = await openOrm(loadConfig().database);
await migrate(orm);
console.log(`migrations applied: ${(await orm.migrator.getExecuted()).map((m) => m.name).join(', ')}`);
await orm.close();
