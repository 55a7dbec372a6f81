/** Production API/web process: `npm run server`, configured by the environment (see README). */
import { bootstrap } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

try {
  const app = await bootstrap(loadConfig(), { worker: false, http: true });
  console.log(`listening on ${await app.start()}`);
  const stop = () => void app.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
