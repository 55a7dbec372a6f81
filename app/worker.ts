/** Production worker process: `npm run worker`, configured by the environment (see README). */
import { runProcess } from './runProcess.ts';

await runProcess({ worker: true, http: false }, 'worker');
