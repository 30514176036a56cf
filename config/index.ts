import path from 'node:path';
import { z } from 'zod';
import { parseRateLimitConfig } from './rateLimits';
import { weakKeyringReason, weakSecretReason } from './secretStrength';

/** Repository root (this file compiles to dist/config/index.js). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const splitList = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Host header values the codec endpoint accepts: CODEC_ALLOWED_HOSTS, else the loopback names with its port. */
export function codecAllowedHosts(cfg: Pick<AppConfig, 'CODEC_ALLOWED_HOSTS' | 'CODEC_PORT'>): string[] {
  if (cfg.CODEC_ALLOWED_HOSTS) return splitList(cfg.CODEC_ALLOWED_HOSTS);
  return ['127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${cfg.CODEC_PORT}`);
}

/** Milliseconds of a `<n>s|m|h` duration (validated by the schema below). */
export function durationMs(value: string): number {
  const m = /^([0-9]+)(s|m|h)$/.exec(value.trim());
  if (!m) return NaN;
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),

  API_HOST: z.string().default('0.0.0.0'),
  API_PORT: port.default(3000),
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  ADMIN_API_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),

  CODEC_HOST: z.string().default('127.0.0.1'),
  CODEC_PORT: port.default(8888),
  CODEC_AUTH: z.enum(['none', 'api-key']).default('none'),
  CODEC_CORS_ORIGINS: z
    .string()
    .default('http://localhost:8233,http://127.0.0.1:8233')
    .refine(
      (v) => splitList(v).every((o) => /^https?:\/\/[^/*\s]+$/.test(o)),
      'a comma-separated list of Web UI origins (scheme://host[:port], no "*", no path)',
    ),
  // Host header values the codec endpoint answers (DNS rebinding); unset: the loopback names with CODEC_PORT.
  CODEC_ALLOWED_HOSTS: optionalString,
  // Express `trust proxy` for the codec endpoint (whose X-Forwarded-For names the client for the per-address limit).
  CODEC_TRUST_PROXY: z.string().default('loopback'),
  PAYLOAD_CODEC_KEYS: optionalString,
  PAYLOAD_CODEC_ACTIVE_KEY_ID: optionalString,
  SECRETS_ENCRYPTION_KEY: optionalString,

  // How long a stopping API waits for in-flight requests and a stopping worker for its running tasks (SIGTERM);
  // keep it below the orchestrator's kill timeout (docker-compose.yml: stop_grace_period).
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),

  DATABASE_URL: optionalString.pipe(z.url().optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_PORT: port.default(54329),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tiktok-shop-ops'),
  // Workflows kept in the worker's memory between tasks; beyond it the least recently used are evicted and replayed
  // from history when they wake. Bounds the worker's memory (about 0.3 MB each) while a sale has thousands open.
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(1_500),
  // Task pollers per worker: "autoscaling" (scaled on the server's backlog feedback) or a fixed maximum per kind.
  // Workflow tasks a worker runs at once. The SDK's default (40) starved a flash sale: a task holds its slot while its
  // local activities run (PostgreSQL writes, a signal to the inventory feed), and both worker threads sat half idle.
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(2000).default(200),
  WORKER_POLLERS: z.union([z.literal('autoscaling'), z.coerce.number().int().min(2).max(200)]).default('autoscaling'),
  // How long a workflow task waits on the worker's own (sticky) queue before the server hands it to any worker. The
  // SDK's 10 s is what a signal waited when its worker had died (chaos: hand-off p99 1.6 → 11.9 s); a live worker
  // takes its sticky tasks within milliseconds when it keeps up (signal → task p99 0.2 s in the full flash sale). Not
  // lower: on an overloaded worker each timeout adds a task and a replay on the shared queue, more load when it hurts.
  WORKER_STICKY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  // Task priority keys the Temporal server has (matching.priorityLevels; 5 unless configured; the embedded dev server is
  // started with 100) and the width of one deadline key (workflows/shared/taskPriority.ts).
  TEMPORAL_PRIORITY_LEVELS: z.coerce.number().int().min(1).max(1000).default(5),
  TEMPORAL_PRIORITY_STEP_SECONDS: z.coerce.number().int().min(1).default(60),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT_PATH: optionalString,
  TEMPORAL_TLS_KEY_PATH: optionalString,
  TEMPORAL_TLS_CA_PATH: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),

  // TikTok Shop app credentials (Partner Center). Unset in the embedded stack: demo credentials shared with the
  // local emulator are generated into DATA_DIR.
  TIKTOK_APP_KEY: optionalString,
  TIKTOK_APP_SECRET: optionalString,
  TIKTOK_SERVICE_ID: optionalString,
  TIKTOK_API_BASE_URL: optionalString.pipe(z.url().optional()),
  TIKTOK_AUTH_BASE_URL: optionalString.pipe(z.url().optional()),
  TIKTOK_AUTHORIZE_URL: optionalString.pipe(z.url().optional()),
  // Carrier tracking through EasyPost (integrations/easypost/tracking.ts, docs/easypost-tracking.md). Unset key in the
  // embedded stack: `npm start` runs the local EasyPost emulator and points these at it.
  EASYPOST_API_KEY: optionalString,
  /** The SDK's base URL, ending in /v2/ (default https://api.easypost.com/v2/). */
  EASYPOST_API_BASE_URL: optionalString.pipe(z.url().optional()),
  /** The webhook secret EasyPost signs tracker.updated Events with (X-Hmac-Signature); unset: every one is refused. */
  EASYPOST_WEBHOOK_SECRET: optionalString,
  /** Port of the local EasyPost emulator that `npm start` runs when EASYPOST_API_KEY is unset. */
  EASYPOST_EMULATOR_PORT: port.default(9110),
  // Limits per API family, e.g. `default=50/1s;fulfillment=100/60s`, each API of a family counted on its own per shop
  // (50 QPS per API and shop: https://partner.tiktokshop.com/docv2/page/64f1991d64ed2e0295f3d2c0; sources differ).
  TIKTOK_RATE_LIMITS: z
    .string()
    .default('default=50/1s')
    .superRefine((spec, ctx) => {
      try {
        parseRateLimitConfig(spec);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
  TIKTOK_TOKEN_REFRESH_MARGIN_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400 * 3)
    .default(3600),
  // Which webhook event types are subscribed for each connected shop (Event API names, comma-separated): by default every
  // kind webhooks/routes.ts routes (test/unit/categoryUngatingPlatform.test.ts checks it).
  TIKTOK_WEBHOOK_EVENTS: z
    .string()
    .default(
      'ORDER_STATUS_CHANGE,RECIPIENT_ADDRESS_UPDATE,PACKAGE_UPDATE,PRODUCT_STATUS_CHANGE,CANCELLATION_STATUS_CHANGE,RETURN_STATUS_CHANGE,SELLER_DEAUTHORIZATION,UPCOMING_AUTHORIZATION_EXPIRATION,PRODUCT_AUDIT_STATUS_CHANGE,PRODUCT_CATEGORY_CHANGE',
    ),
  EMULATOR_PORT: port.default(9100),
  // Tax engines (issue 20; integrations/taxEngines/). Avalara AvaTax: account id + license key (Basic auth), the base URL
  // ("sandbox", "production" or a full URL; default the sandbox) and the company code transactions are recorded under.
  // Unset account in the embedded stack: `npm start` runs the local AvaTax emulator and points these at it.
  AVATAX_ACCOUNT_ID: optionalString,
  AVATAX_LICENSE_KEY: optionalString,
  AVATAX_BASE_URL: optionalString.pipe(
    z
      .string()
      .refine(
        (v) => v === 'sandbox' || v === 'production' || /^https?:\/\//.test(v),
        '"sandbox", "production" or a URL',
      )
      .optional(),
  ),
  AVATAX_COMPANY_CODE: z.string().min(1).default('DEFAULT'),
  // TaxJar: the API token (Bearer) and the API host without /v2 (default the sandbox, whose transaction calls are
  // stubbed: set https://api.taxjar.com to record). Unset key in the embedded stack: the local TaxJar emulator.
  TAXJAR_API_KEY: optionalString,
  TAXJAR_API_URL: optionalString.pipe(z.url().optional()),
  /** Outbound notifications: Slack-compatible incoming-webhook URL (optional). */
  NOTIFY_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
  /** Warehouse management system: acknowledged orders are POSTed here, signed with WMS_SIGNING_SECRET (optional). */
  WMS_URL: optionalString.pipe(z.url().optional()),
  WMS_SIGNING_SECRET: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  WEBHOOK_RELAY_BATCH: z.coerce.number().int().min(1).max(1000).default(200),
  /**
   * Whether each worker process also relays webhook inbox rows to workflows. `false` when the relay runs as its own
   * process (`node dist/workers/relay.js`, what `npm start` and docker-compose do): it then has an event loop of its
   * own instead of sharing the worker's with activities. Several relays may run; rows are leased to one at a time.
   */
  WEBHOOK_RELAY_IN_WORKER: bool.default(true),
  /**
   * Most variant rows one catalog import may carry; a larger export is refused with 413 (split it). Bounds the work
   * of one import (a Search Products call per 50 rows and a Get Product per product, in the shop's rate budget).
   */
  CATALOG_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * Requests failing authentication (API key) or the webhook signature, per address and window, before further
   * failing ones are answered 429 and not stored. Requests that authenticate are never limited.
   */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(30),
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Retention (the `retention` Schedule): ages in days after which rows are deleted, in batches. */
  RETENTION_DEAD_LETTERS_DAYS: z.coerce.number().positive().default(30),
  /** Routed or skipped inbox rows; an order's rows only once its workflow has closed. */
  RETENTION_INBOX_DAYS: z.coerce.number().positive().default(14),
  /** Warehouse outbox rows (buyer address, message); only once the order's workflow has closed. */
  RETENTION_WAREHOUSE_PAYLOAD_DAYS: z.coerce.number().positive().default(90),
  RETENTION_INTERVAL: z
    .string()
    .trim()
    .regex(/^[1-9][0-9]*(s|m|h)$/, 'a duration such as 30m or 6h')
    .refine((v) => durationMs(v) >= 60_000, 'at least 1m')
    .default('1h'),
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * The file store (files/fileStore.ts): largest file one upload may carry; larger ones are answered 413. Default 10 MB,
   * Upload Product Image's own limit (https://partner.tiktokshop.com/docv2/page/upload-product-image-202309): any
   * evidence photo TikTok would take is taken here, none that TikTok would refuse for its size.
   */
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * Days a stored file is kept after its latest upload, then deleted by the `retention` workflow. 400: evidence has to
   * outlive the return it was sent for and every later look at it (the buyer escalates within 10 days of a rejection,
   * the seller may appeal the decision within 21: seller-us.tiktok.com "After-Sale Dispute Escalation Policy",
   * 2025-10-30) and serve a full tax year of records, with a month to spare.
   */
  FILE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** Does TikTok take Update Inventory quantity 0? `policy` reads inventory.zeroQuantityAccepted (policy/inventoryRows.ts). */
  INVENTORY_ZERO_QUANTITY_ACCEPTED: z.enum(['policy', 'true', 'false']).default('policy'),
  /** How often each connected shop's `reconcile-orders:<shopId>` Schedule searches for orders a webhook missed. */
  ORDER_RECONCILE_INTERVAL: z
    .string()
    .trim()
    .regex(/^[1-9][0-9]*(s|m|h)$/, 'a duration such as 30s, 5m or 1h')
    .refine((v) => durationMs(v) >= 10_000 && durationMs(v) <= 86_400_000, 'between 10s and 24h')
    .default('5m'),
  /**
   * The buyer-remorse (ON_HOLD) window: `policy` (order.remorseWindow.minutes, 60 in the US) or a duration such as
   * 10s. Sources and platforms differ (the flash-sale emulator runs 10 s); the order reads itself back this long after
   * payment when its status webhook was lost.
   */
  ORDER_REMORSE_WINDOW: z
    .string()
    .trim()
    .regex(/^(policy|[1-9][0-9]*(s|m|h))$/, '"policy" or a duration such as 10s, 60m or 1h')
    .default('policy'),
});

/** Every environment variable the configuration schema reads (README.md's configuration table lists each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

export type AppConfig = z.infer<typeof schema> & {
  /** True when no external PostgreSQL/Temporal is configured: the embedded developer stack. */
  embedded: { postgres: boolean; temporal: boolean };
};

/**
 * Reads and validates the environment once. A bad value stops start-up with a message naming the variable.
 * Secrets come only from the environment (or, for the embedded default, from generated files in DATA_DIR).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (Boolean(cfg.TIKTOK_APP_KEY) !== Boolean(cfg.TIKTOK_APP_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  TIKTOK_APP_SECRET: TIKTOK_APP_KEY and TIKTOK_APP_SECRET go together',
    );
  }
  if (Boolean(cfg.AVATAX_ACCOUNT_ID) !== Boolean(cfg.AVATAX_LICENSE_KEY)) {
    throw new ConfigError(
      'Invalid configuration:\n  AVATAX_LICENSE_KEY: AVATAX_ACCOUNT_ID and AVATAX_LICENSE_KEY go together',
    );
  }
  if (cfg.TEMPORAL_TLS_CERT_PATH && !cfg.TEMPORAL_TLS_KEY_PATH) {
    throw new ConfigError(
      'Invalid configuration:\n  TEMPORAL_TLS_KEY_PATH: required when TEMPORAL_TLS_CERT_PATH is set',
    );
  }
  if (cfg.WMS_URL && !cfg.WMS_SIGNING_SECRET) {
    throw new ConfigError('Invalid configuration:\n  WMS_SIGNING_SECRET: required when WMS_URL is set');
  }
  if (cfg.CODEC_AUTH === 'none' && !isLoopbackHost(cfg.CODEC_HOST)) {
    throw new ConfigError(
      `Invalid configuration:\n  CODEC_AUTH: "none" is only allowed when CODEC_HOST is a loopback address (CODEC_HOST=${cfg.CODEC_HOST}); use api-key`,
    );
  }
  if (!isLoopbackHost(cfg.CODEC_HOST) && !cfg.CODEC_ALLOWED_HOSTS) {
    throw new ConfigError(
      'Invalid configuration:\n  CODEC_ALLOWED_HOSTS: required when CODEC_HOST is not loopback (the Host names the Web UI reaches the codec endpoint by)',
    );
  }
  if (cfg.NODE_ENV === 'production') {
    const missing = (
      [
        'PAYLOAD_CODEC_KEYS',
        'SECRETS_ENCRYPTION_KEY',
        'ADMIN_API_KEY',
        'TIKTOK_APP_KEY',
        'TIKTOK_APP_SECRET',
        'PUBLIC_BASE_URL',
      ] as const
    ).filter((k) => !cfg[k]);
    if (missing.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: required when NODE_ENV=production (secrets are never generated in production)`).join('\n')}`,
      );
    }
    const weak = [
      ...(['ADMIN_API_KEY', 'WMS_SIGNING_SECRET'] as const).map((k) => [k, cfg[k] && weakSecretReason(cfg[k])]),
      ...(['PAYLOAD_CODEC_KEYS', 'SECRETS_ENCRYPTION_KEY'] as const).map((k) => [
        k,
        cfg[k] && weakKeyringReason(cfg[k]),
      ]),
    ].filter(([, reason]) => reason);
    if (weak.length > 0) {
      throw new ConfigError(
        `Invalid configuration:\n${weak.map(([k, reason]) => `  ${k}: ${reason} (refused when NODE_ENV=production)`).join('\n')}`,
      );
    }
  }
  return {
    ...cfg,
    DATA_DIR: path.resolve(cfg.DATA_DIR),
    embedded: { postgres: !cfg.DATABASE_URL, temporal: !cfg.TEMPORAL_ADDRESS },
  };
}
