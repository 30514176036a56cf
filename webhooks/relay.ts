import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../db/knex';
import type { TikTokWebhookEvent, WebhookKind } from '../integrations/tiktok/webhooks';
import { INBOX_CHANNEL } from './tiktokInbox';
import { WEBHOOK_ROUTES, type WebhookRoute } from './routes';

export interface RelayOptions {
  db: Db;
  /** For LISTEN/NOTIFY: a dedicated connection, outside the knex pool. */
  databaseUrl: string;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  routes?: Partial<Record<WebhookKind, WebhookRoute>>;
  batchSize?: number;
  /** Concurrent deliveries to Temporal within a batch. */
  concurrency?: number;
  /** Fallback poll when no notification arrives (NOTIFY is an optimisation, not a guarantee). */
  pollMs?: number;
}

interface InboxRow {
  id: string;
  kind: string;
  event: TikTokWebhookEvent;
  attempts: number;
}

const backoffMs = (attempts: number) => Math.min(60_000, 500 * 2 ** Math.min(attempts, 7));

/**
 * Turns committed inbox rows into workflow signals. Several worker processes may each run one: rows are claimed
 * with FOR UPDATE SKIP LOCKED, so each is delivered by one relay at a time; a failed delivery is retried with
 * backoff and never dropped.
 */
export function createWebhookRelay(opts: RelayOptions) {
  const routes = opts.routes ?? WEBHOOK_ROUTES;
  const batchSize = opts.batchSize ?? 200;
  const concurrency = opts.concurrency ?? 32;
  const pollMs = opts.pollMs ?? 1000;
  const log = opts.logger.child({ component: 'webhook-relay' });
  let listener: PgClient | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let notified = false;
  let loop: Promise<void> | undefined;

  async function deliver(row: InboxRow): Promise<Record<string, unknown>> {
    const route = routes[row.kind as WebhookKind];
    if (!route) return { status: 'unrouted', routed_at: null };
    try {
      const outcome = await route(row.event, { db: opts.db, temporal: opts.temporal, taskQueue: opts.taskQueue });
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

  /** Routes one batch; returns how many rows it took. */
  async function drainOnce(): Promise<number> {
    return opts.db.transaction(async (trx) => {
      const rows = await trx<InboxRow>('webhook_inbox')
        .select('id', 'kind', 'event', 'attempts')
        .whereIn('status', ['pending', 'failed'])
        .where('next_attempt_at', '<=', trx.fn.now())
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked();
      for (let i = 0; i < rows.length; i += concurrency) {
        const slice = rows.slice(i, i + concurrency);
        const updates = await Promise.all(slice.map((row) => deliver(row)));
        await Promise.all(slice.map((row, j) => trx('webhook_inbox').where({ id: row.id }).update(updates[j]!)));
      }
      return rows.length;
    });
  }

  /** Rows left unrouted by an older release become pending again once their kind has a route. */
  async function requeueNewlyRoutable(): Promise<number> {
    const kinds = Object.keys(routes);
    if (kinds.length === 0) return 0;
    return opts
      .db('webhook_inbox')
      .where({ status: 'unrouted' })
      .whereIn('kind', kinds)
      .update({ status: 'pending', next_attempt_at: opts.db.fn.now() });
  }

  async function run(): Promise<void> {
    let lastRequeue = 0;
    while (!stopped) {
      try {
        if (Date.now() - lastRequeue > 60_000) {
          const requeued = await requeueNewlyRoutable();
          if (requeued > 0) log.info({ requeued }, 'routing webhooks that earlier had no route');
          lastRequeue = Date.now();
        }
        notified = false;
        const taken = await drainOnce();
        if (taken === batchSize || notified) continue; // more waiting
      } catch (err) {
        log.error({ err }, 'webhook relay pass failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
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
