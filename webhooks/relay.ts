import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import type { Logger } from 'pino';
import type { OnShopHealthDirty } from '../accountHealth/model';
import type { AppConfig } from '../config';
import type { Db } from '../db/knex';
import { createWebhookInboxRepository, INBOX_CHANNEL, type ClaimedInboxRow } from '../db/webhookInbox';
import type { TikTokWebhookEvent, WebhookKind } from '../integrations/tiktok/webhooks';
import { signalAccountHealthDirty } from '../temporal/accountHealth';
import { WEBHOOK_ROUTES, type RouteContext, type WebhookRoute } from './routes';

export interface RelayOptions {
  db: Db;
  /** For LISTEN/NOTIFY: a dedicated connection, outside the knex pool. */
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  routes?: Partial<Record<WebhookKind, WebhookRoute>>;
  /** The accountHealth workflow's signal (webhooks/routes.ts RouteContext). */
  onShopHealthDirty?: OnShopHealthDirty;
  batchSize?: number;
  /** Deliveries to Temporal in flight at once. */
  concurrency?: number;
  /** Fallback poll when no notification arrives (NOTIFY is an optimisation, not a guarantee). */
  pollMs?: number;
  /** How long a claimed row is this relay's; a relay that dies mid-delivery leaves it to another after this. */
  leaseMs?: number;
}

/** A claimed row; `lease_until` is the lease this relay holds on it. */
type InboxRow = ClaimedInboxRow<TikTokWebhookEvent>;

const backoffMs = (attempts: number) => Math.min(60_000, 500 * 2 ** Math.min(attempts, 7));

/**
 * What the routes reach: the database, Temporal, and the account-health signal (by default the shop's accountHealth
 * workflow's, temporal/accountHealth.ts), so a delivery a route records marks the shop dirty and signals it once.
 */
export function relayRouteContext(
  opts: Pick<RelayOptions, 'db' | 'temporal' | 'taskQueue' | 'onShopHealthDirty'>,
  logger: RouteContext['logger'],
): RouteContext {
  const { db, temporal, taskQueue } = opts;
  const onShopHealthDirty =
    opts.onShopHealthDirty ?? ((shopId: string) => signalAccountHealthDirty({ temporal, taskQueue }, shopId));
  return { db, temporal, taskQueue, onShopHealthDirty, logger };
}

/**
 * Turns committed inbox rows into workflow signals. Several processes may each run one: a row is claimed with a lease
 * (status `delivering`, `next_attempt_at` = lease end) by one relay at a time, so a relay that dies mid-delivery only
 * delays its rows. Each delivery settles its own row as soon as it is done, and the relay claims more while others are
 * in flight, so one slow signal holds up nothing else. A failed delivery is retried with backoff, never dropped.
 */
export function createWebhookRelay(opts: RelayOptions) {
  const routes = opts.routes ?? WEBHOOK_ROUTES;
  const batchSize = opts.batchSize ?? 200;
  const concurrency = opts.concurrency ?? 32;
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 60_000;
  const log = opts.logger.child({ component: 'webhook-relay' });
  const inbox = createWebhookInboxRepository(opts.db);
  const context = relayRouteContext(opts, log);
  let listener: PgClient | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let notified = false;
  let loop: Promise<void> | undefined;
  const inFlight = new Set<Promise<void>>();
  /** The last claim filled the room it had: rows are waiting, so a finished delivery wakes the loop. */
  let backlog = false;

  async function deliver(row: InboxRow): Promise<Record<string, unknown>> {
    const route = routes[row.kind as WebhookKind];
    if (!route) return { status: 'unrouted', routed_at: null };
    try {
      const outcome = await route(row.event, context);
      if (outcome.status === 'skipped') return { status: 'skipped', last_error: outcome.reason, routed_at: new Date() };
      return { status: 'routed', workflow_id: outcome.workflowIds.join(','), routed_at: new Date(), last_error: null };
    } catch (err) {
      // The target workflow already closed and its id may not be reused (e.g. a late event for a finished order).
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return { status: 'skipped', last_error: `workflow already closed: ${err.message}`, routed_at: new Date() };
      }
      log.warn({ err, inboxId: row.id, kind: row.kind }, 'webhook delivery failed; will retry');
      return {
        status: 'failed',
        attempts: row.attempts + 1,
        last_error: (err as Error).message.slice(0, 2000),
        next_attempt_at: new Date(Date.now() + backoffMs(row.attempts + 1)),
      };
    }
  }

  /** Claims up to `limit` due rows (oldest first), including rows whose earlier relay's lease ran out. */
  async function claim(limit: number): Promise<InboxRow[]> {
    return inbox.claim<TikTokWebhookEvent>(leaseMs, limit);
  }

  /**
   * Delivers one claimed row and records the outcome on it, only while the lease is still this relay's: a delivery
   * that outlived its lease (another relay took the row) leaves the outcome to that relay.
   */
  async function deliverAndSettle(row: InboxRow): Promise<void> {
    const update = await deliver(row);
    await inbox.settle(row, update);
  }

  /** Starts deliveries for claimed rows, at most `concurrency` in flight; resolves once each has started. */
  async function dispatch(rows: InboxRow[]): Promise<void> {
    for (const row of rows) {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const p: Promise<void> = deliverAndSettle(row)
        .catch((err: unknown) => {
          // The outcome could not be written: the lease runs out and the row is delivered again (signals are
          // idempotent for the workflows).
          log.error({ err, inboxId: row.id }, 'could not record a webhook delivery; it will be retried');
        })
        .finally(() => {
          inFlight.delete(p);
          if (backlog) wake?.();
        });
      inFlight.add(p);
    }
  }

  /** Routes one batch and waits for it; returns how many rows it took. */
  async function drainOnce(): Promise<number> {
    const rows = await claim(batchSize);
    await dispatch(rows);
    await Promise.all(inFlight);
    return rows.length;
  }

  /** Rows left unrouted by an older release become pending again once their kind has a route. */
  async function requeueNewlyRoutable(): Promise<number> {
    return inbox.requeueUnrouted(Object.keys(routes));
  }

  async function run(): Promise<void> {
    let lastRequeue = 0;
    // Under a backlog, claim again once a quarter of the slots is free (not one row per finished delivery).
    const claimAtRoom = Math.min(batchSize, Math.max(1, Math.floor(concurrency / 4)));
    while (!stopped) {
      try {
        if (Date.now() - lastRequeue > 60_000) {
          const requeued = await requeueNewlyRoutable();
          if (requeued > 0) log.info({ requeued }, 'routing webhooks that earlier had no route');
          lastRequeue = Date.now();
        }
        const room = Math.min(batchSize, concurrency - inFlight.size);
        if (room >= claimAtRoom || (room > 0 && inFlight.size === 0)) {
          notified = false;
          const rows = await claim(room);
          backlog = rows.length === room;
          await dispatch(rows);
          if (backlog || notified) continue; // more waiting
        }
      } catch (err) {
        log.error({ err }, 'webhook relay pass failed');
      }
      // Sleep until a notification, room for more under a backlog, or the poll.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    await Promise.all(inFlight);
  }

  return {
    drainOnce,
    requeueNewlyRoutable,
    async start(): Promise<void> {
      listener = new PgClient({ connectionString: opts.databaseUrl });
      await listener.connect();
      listener.on('notification', () => {
        notified = true;
        wake?.();
      });
      listener.on('error', (err) => log.warn({ err }, 'relay LISTEN connection error; polling continues'));
      await listener.query(`LISTEN ${INBOX_CHANNEL}`);
      loop = run();
    },
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await loop;
      await listener?.end().catch(() => undefined);
    },
  };
}

export type WebhookRelay = ReturnType<typeof createWebhookRelay>;

/** The relay as a process runs it (a worker, workers/relay.ts): database, task queue and batch from the config. */
export function createConfiguredRelay(
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE' | 'WEBHOOK_RELAY_BATCH'> & { DATABASE_URL: string },
  deps: { db: Db; temporal: Client; logger: Logger; onShopHealthDirty?: OnShopHealthDirty },
): WebhookRelay {
  return createWebhookRelay({
    ...deps,
    databaseUrl: cfg.DATABASE_URL,
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    batchSize: cfg.WEBHOOK_RELAY_BATCH,
  });
}
