import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AppConfig } from '../../config';
import { createDeadLetterRepository } from '../../db/deadLetters';
import type { Db } from '../../db/knex';
import { createOrderRepository } from '../../db/orders';
import { createStoredFileRepository } from '../../db/storedFiles';
import { createWebhookInboxRepository } from '../../db/webhookInbox';
import { orderWorkflowId } from '../../workflows/ids';

/** What a purged warehouse_outbox payload holds: no buyer data, and never equal to an order's payload. */
export const PURGED_PAYLOAD = { purged: true } as const;

export type RetentionKind = 'dead_letters' | 'webhook_inbox' | 'warehouse_outbox' | 'stored_files';

export interface PurgeResult {
  deleted: number;
  /** Rows kept because their order's workflow is still open. */
  keptOpen: number;
  /** Continue after this id (keyset page); undefined when the expired rows are exhausted. */
  nextAfterId?: string;
}

type RetentionConfig = Pick<
  AppConfig,
  'RETENTION_DEAD_LETTERS_DAYS' | 'RETENTION_INBOX_DAYS' | 'RETENTION_WAREHOUSE_PAYLOAD_DAYS' | 'RETENTION_BATCH_SIZE'
>;

const DAY_MS = 86_400_000;
// Describe calls at once while checking which orders are closed.
const DESCRIBE_CONCURRENCY = 10;

/** The order ids an inbox event is about (order, cancellation, address and package webhooks). */
function ordersOfEvent(event: unknown): string[] {
  const data = (event as { data?: Record<string, unknown> } | null)?.data;
  if (!data) return [];
  const ids = new Set<string>();
  if (typeof data.order_id === 'string') ids.add(data.order_id);
  if (Array.isArray(data.package_list)) {
    for (const pkg of data.package_list as { order_id_list?: unknown }[]) {
      if (Array.isArray(pkg.order_id_list)) for (const id of pkg.order_id_list) if (typeof id === 'string') ids.add(id);
    }
  }
  return [...ids];
}

/**
 * Retention (issue 13 item 2): deletes expired rows (of the warehouse outbox: its payload) in bounded batches, one
 * keyset page per call. Rows about an order (inbox events, the warehouse outbox) are purged only once the order's
 * workflow has closed: while it runs,
 * reconciliation and the warehouse may still need them.
 */
export function createRetentionActivities(deps: { db: Db; temporal: Client; cfg: RetentionConfig }) {
  async function closedOrders(keys: { shopId: string; orderId: string }[]): Promise<Set<string>> {
    const unique = [...new Map(keys.map((k) => [`${k.shopId}/${k.orderId}`, k])).values()];
    const closed = new Set<string>();
    for (let i = 0; i < unique.length; i += DESCRIBE_CONCURRENCY) {
      await Promise.all(
        unique.slice(i, i + DESCRIBE_CONCURRENCY).map(async ({ shopId, orderId }) => {
          try {
            const d = await deps.temporal.workflow.getHandle(orderWorkflowId(shopId, orderId)).describe();
            if (d.status.name !== 'RUNNING') closed.add(`${shopId}/${orderId}`);
          } catch (err) {
            // No workflow (never started, or gone from Temporal's own retention): nothing runs that needs the row.
            if (err instanceof WorkflowNotFoundError) closed.add(`${shopId}/${orderId}`);
            else throw err;
          }
        }),
      );
      heartbeat();
    }
    return closed;
  }

  const deadLetters = createDeadLetterRepository(deps.db);
  const inbox = createWebhookInboxRepository(deps.db);
  const orders = createOrderRepository(deps.db);
  const storedFiles = createStoredFileRepository(deps.db);
  const cutoff = (days: number) => new Date(Date.now() - days * DAY_MS);
  const limit = () => deps.cfg.RETENTION_BATCH_SIZE;

  return {
    async purgeExpired(kind: RetentionKind, afterId = '0'): Promise<PurgeResult> {
      if (kind === 'dead_letters') {
        const ids = await deadLetters.expiredIds(cutoff(deps.cfg.RETENTION_DEAD_LETTERS_DAYS), afterId, limit());
        const deleted = await deadLetters.deleteIds(ids);
        return { deleted, keptOpen: 0, nextAfterId: ids.length === limit() ? ids.at(-1) : undefined };
      }
      if (kind === 'stored_files') {
        // Each file carries its own expiry (FILE_RETENTION_DAYS from its latest upload): no cutoff, no cursor, the
        // deleted rows are gone from the next page's query.
        const deleted = await storedFiles.deleteExpired(new Date(), limit());
        return { deleted, keptOpen: 0, nextAfterId: deleted === limit() ? afterId : undefined };
      }
      if (kind === 'webhook_inbox') {
        // Delivered rows only: pending, failed and unrouted rows still have work to do.
        const rows = await inbox.expiredDeliveredPage(cutoff(deps.cfg.RETENTION_INBOX_DAYS), afterId, limit());
        const about = rows.map((r) => ({
          id: r.id,
          keys: ordersOfEvent(r.event).map((orderId) => ({ shopId: r.shop_id ?? '', orderId })),
        }));
        const closed = await closedOrders(about.flatMap((a) => a.keys));
        const purgeable = about
          .filter((a) => a.keys.every((k) => closed.has(`${k.shopId}/${k.orderId}`)))
          .map((a) => a.id);
        const deleted = await inbox.deleteIds(purgeable);
        return {
          deleted,
          keptOpen: rows.length - purgeable.length,
          nextAfterId: rows.length === limit() ? rows.at(-1)!.id : undefined,
        };
      }
      // The buyer data goes, the row stays as a tombstone with its version: an order whose workflow failed may be
      // started again (ALLOW_DUPLICATE_FAILED_ONLY), and its next hand-off must be version + 1, never a repeat of an
      // Idempotency-Key (order + version) the WMS already answered with other content.
      const rows = await orders.expiredOutboxPage(cutoff(deps.cfg.RETENTION_WAREHOUSE_PAYLOAD_DAYS), afterId, limit());
      const closed = await closedOrders(rows.map((r) => ({ shopId: r.shop_id, orderId: r.order_id })));
      const purgeable = rows.filter((r) => closed.has(`${r.shop_id}/${r.order_id}`)).map((r) => r.id);
      const deleted = await orders.purgeOutboxPayloads(purgeable, PURGED_PAYLOAD);
      return {
        deleted,
        keptOpen: rows.length - purgeable.length,
        nextAfterId: rows.length === limit() ? rows.at(-1)!.id : undefined,
      };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
