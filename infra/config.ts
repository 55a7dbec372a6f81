import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every setting the system reads, from the environment, validated once at start-up.
 * Defaults describe the embedded default (one machine: Temporal dev server, PGlite, local mail catcher).
 */
const schema = z
  .object({
    DATA_DIR: z.string().min(1).default('./data'),
    HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: z.coerce.number({ error: 'must be a port number, 0 to 65535' }).int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_DRIVER: z.enum(['pglite', 'postgresql']).default('pglite'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('credcase'),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    /** the Temporal Web UI the operators open a case's workflow in (the dev server serves it on 8233) */
    TEMPORAL_UI_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8233' }).default('http://127.0.0.1:8233'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    MAIL_FROM: z.string().min(3).default('太仓市信用管理贯标平台 <noreply@credcase.local>'),
    SESSION_TTL_HOURS: z.coerce.number({ error: 'must be a number of hours' }).positive().default(12),
    COOKIE_SECURE: bool.default(false),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** the Chromium the workers print documents with (Debian's `chromium`, with `fonts-noto-cjk` for Chinese) */
    CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
    /** how long a request to print waits for the document before answering 202 and leaving the page to follow it */
    DOCUMENT_WAIT_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(0).max(300).default(20),
    /** case workflows a worker keeps in memory between their steps (a step of one not kept replays its history first) */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number({ error: 'must be a whole number' }).int().min(0).max(1_000_000).optional(),
    /** activities (mail, projection, documents) one worker runs at once */
    WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(10_000).optional(),
    /** a workflow bundle built ahead (`npm run bundle`): the worker starts without bundling workflows/ itself */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /** a worker process answers GET /healthz on this port (unset: no health port) */
    WORKER_HEALTH_PORT: z.coerce.number({ error: 'must be a port number, 0 to 65535' }).int().min(0).max(65535).optional(),
  })
  .superRefine(
    (env, ctx) => {
    if (env.DATABASE_DRIVER === 'postgresql' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when DATABASE_DRIVER=postgresql' });
    }
    if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_KEY_PATH'], message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together' });
    }
    },
    // run even when single settings are already wrong, so one start-up names every problem
    { when: () => true },
  );

export type Config = ReturnType<typeof toConfig>;

/** What a worker may be tuned by (the SDK's defaults otherwise). */
export interface WorkerTuning {
  maxCachedWorkflows?: number;
  maxConcurrentActivityTaskExecutions?: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function toConfig(env: z.infer<typeof schema>) {
  return {
    dataDir: env.DATA_DIR,
    http: {
      host: env.HTTP_HOST,
      port: env.HTTP_PORT,
      /** base of links in e-mails; unset: the address the server listens on */
      publicUrl: env.PUBLIC_URL ?? null,
      cookieSecure: env.COOKIE_SECURE,
      sessionTtlHours: env.SESSION_TTL_HOURS,
    },
    database:
      env.DATABASE_DRIVER === 'postgresql'
        ? { driver: 'postgresql' as const, url: env.DATABASE_URL! }
        : { driver: 'pglite' as const, dataDir: `${env.DATA_DIR}/pglite` },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls: env.TEMPORAL_TLS || Boolean(env.TEMPORAL_API_KEY) || Boolean(env.TEMPORAL_TLS_CERT_PATH),
      tlsCertPath: env.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: env.TEMPORAL_TLS_KEY_PATH,
      apiKey: env.TEMPORAL_API_KEY,
      /** base of the Web UI's links, without a trailing slash */
      uiUrl: env.TEMPORAL_UI_URL.replace(/\/+$/, ''),
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    logLevel: env.LOG_LEVEL,
    documents: { chromiumPath: env.CHROMIUM_PATH, waitSeconds: env.DOCUMENT_WAIT_SECONDS },
    worker: {
      tuning: {
        ...(env.WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS } : {}),
        ...(env.WORKER_MAX_CONCURRENT_ACTIVITIES !== undefined ? { maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES } : {}),
      } satisfies WorkerTuning,
      healthPort: env.WORKER_HEALTH_PORT ?? null,
      bundlePath: env.WORKFLOW_BUNDLE_PATH ?? null,
    },
  };
}

/** Reads the settings; throws a ConfigError that names each bad setting and its rule. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`));
  }
  return toConfig(parsed.data);
}
