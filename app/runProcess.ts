import { bootstrap, type AppOptions } from './bootstrap.ts';
import { ConfigError, loadConfig } from '../infra/config.ts';

/** A production process (worker or server) configured by the environment; SIGINT/SIGTERM stop it cleanly. */
export async function runProcess(options: AppOptions, role: string): Promise<void> {
  try {
    const app = await bootstrap(loadConfig(), options);
    const stop = () => void app.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const url = await app.start();
    console.log(`${role} running${url ? ` on ${url}` : ''}`);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
