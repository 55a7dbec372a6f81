/** Production API and web process: `npm run server`, configured by the environment (see README). */
import { runProcess } from './runProcess.ts';

await runProcess({ worker: false, http: true }, 'server');
