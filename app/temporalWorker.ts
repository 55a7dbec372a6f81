import { DefaultLogger, Runtime, Worker, type LogLevel, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import { activityErrorInterceptor } from '../infra/temporal/activityErrors.ts';
import type { WorkerTuning } from '../infra/config.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** a prebuilt bundle (tests build it once); otherwise the worker bundles workflows/ at start */
  workflowBundle?: WorkflowBundleOption;
  tuning?: WorkerTuning;
}

export function createWorker({ connection, namespace, taskQueue, deps, workflowBundle, tuning = {} }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...tuning,
    activities: createActivities(deps),
    interceptors: { activity: [activityErrorInterceptor] },
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}

let runtimeInstalled = false;

/**
 * The SDK's runtime, once per process (it can be configured only before first use): our log level,
 * and no signal handlers of its own, because our processes stop the worker themselves, in order.
 */
export function installRuntimeLogging(level: 'debug' | 'info' | 'warn' | 'error'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger(level.toUpperCase() as LogLevel), shutdownSignals: [] });
}
