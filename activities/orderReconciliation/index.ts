import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import { createOrderReconciliationRepository } from '../../db/orderReconciliation';
import { createWebhookInboxRepository } from '../../db/webhookInbox';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { ensureReconciliationSchedule, setReconciliationSchedulePaused } from '../../temporal/orderReconciliation';
import { startOrSignalOrderWorkflow, type OrderStartOutcome } from '../../temporal/orderStart';
import { orderStatusChangedSignal } from '../../workflows/orderAcknowledgment/messages';
import type { ReconciliationCounts, ReconciledOrder } from '../../workflows/orderReconciliation/messages';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

// A first run (no watermark yet) looks this far back: orders updated before the shop was connected are not ours.
const INITIAL_LOOKBACK_MS = 24 * 3_600_000;
// Search Orders is read from the watermark minus this overlap: an update indexed late by TikTok, or sharing the
// watermark's second, is still found. Orders found twice are only signalled again (the workflow reads them back).
export const RECONCILE_OVERLAP_SECONDS = 120;
const PAGE_SIZE = 100;

export interface OrderReconciliationDeps {
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE' | 'ORDER_RECONCILE_INTERVAL'>;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
}

export function createOrderReconciliationActivities(deps: OrderReconciliationDeps) {
  const startDeps = { temporal: deps.temporal, taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE };
  const reconciliation = createOrderReconciliationRepository(deps.db);
  const inbox = createWebhookInboxRepository(deps.db);

  return {
    /** Reads the shop's watermark and opens this run's row; returns where Search Orders starts (unix seconds). */
    async beginReconciliationRun(input: {
      shopId: string;
      workflowId: string;
      runId: string;
    }): Promise<{ watermark: string | null; updateTimeGe: number }> {
      const row = await reconciliation.watermark(input.shopId);
      const fromMs = row
        ? row.updated_since.getTime() - RECONCILE_OVERLAP_SECONDS * 1000
        : Date.now() - INITIAL_LOOKBACK_MS;
      const updateTimeGe = Math.max(0, Math.floor(fromMs / 1000));
      await reconciliation.openRun({
        shopId: input.shopId,
        workflowId: input.workflowId,
        runId: input.runId,
        searchedFrom: new Date(updateTimeGe * 1000),
        watermarkBefore: row?.updated_since ?? null,
      });
      return { watermark: row?.updated_since.toISOString() ?? null, updateTimeGe };
    },

    /**
     * One page of Search Orders, updated since `updateTimeGe`, newest update first: with offset pages, an order
     * updated during the run moves to a page already read (it is newer than the watermark, so the next run finds
     * it) and never pushes an unread order out of reach. Ids, status and update time only.
     */
    async searchUpdatedOrders(input: {
      shopId: string;
      updateTimeGe: number;
      pageToken?: string;
    }): Promise<{ orders: ReconciledOrder[]; nextPageToken?: string }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const page = await callEndpoint(deps.tiktok.client, endpoints.searchOrders, shop, {
        page_size: PAGE_SIZE,
        page_token: input.pageToken,
        sort_field: 'update_time',
        sort_order: 'DESC',
        update_time_ge: input.updateTimeGe,
      });
      return {
        orders: page.orders.map((o) => ({ orderId: o.id, status: o.status, updateTime: o.update_time ?? 0 })),
        nextPageToken: page.next_page_token || undefined,
      };
    },

    /**
     * Start-or-signal of each order's workflow through the one start path (temporal/orderStart.ts): a missing
     * workflow is started (so is a new run of one that failed), a running one is told to read the order back, a
     * completed one is left alone and counted (ALLOW_DUPLICATE_FAILED_ONLY).
     */
    async reconcileOrders(input: { shopId: string; orders: ReconciledOrder[] }): Promise<ReconciliationCounts> {
      const counts: Record<OrderStartOutcome, number> = { started: 0, signalled: 0, closed: 0 };
      // The status each order is in reached its workflow by webhook already (routed, or waiting in the inbox for
      // the relay): nothing was missed, and a signal would only make the workflow read the order back again.
      const delivered = await inbox.orderStatusEvents(
        input.shopId,
        input.orders.map((o) => o.orderId),
      );
      const known = new Set(delivered.map((d) => `${d.order_id}\u0000${d.order_status}`));
      let alreadyNotified = 0;
      for (const o of input.orders) {
        if (known.has(`${o.orderId}\u0000${o.status}`)) {
          alreadyNotified += 1;
          continue;
        }
        const outcome = await startOrSignalOrderWorkflow(startDeps, input.shopId, o.orderId, orderStatusChangedSignal, {
          status: o.status,
          updateTime: o.updateTime,
        });
        counts[outcome] += 1;
      }
      return { started: counts.started, signalled: counts.signalled, alreadyClosed: counts.closed, alreadyNotified };
    },

    /** Moves the watermark forward (never back) and closes the run's row, in one transaction. */
    async finishReconciliationRun(input: {
      shopId: string;
      workflowId: string;
      runId: string;
      status: 'completed' | 'failed';
      /** Highest update_time seen (unix seconds); undefined: nothing seen, the watermark stays. */
      maxUpdateTime?: number;
      pages: number;
      seen: number;
      counts: ReconciliationCounts;
      error?: string;
    }): Promise<{ watermark: string | null }> {
      const seen =
        input.status === 'completed' && input.maxUpdateTime !== undefined && input.maxUpdateTime > 0
          ? new Date(input.maxUpdateTime * 1000)
          : undefined;
      const watermark = await reconciliation.closeRun({
        shopId: input.shopId,
        workflowId: input.workflowId,
        runId: input.runId,
        status: input.status,
        seenAt: seen,
        pages: input.pages,
        seen: input.seen,
        started: input.counts.started,
        signalled: input.counts.signalled,
        alreadyClosed: input.counts.alreadyClosed,
        error: input.error,
      });
      return { watermark: watermark?.toISOString() ?? null };
    },

    /** Creates or updates the shop's `reconcile-orders:<shopId>` Schedule and leaves it running. */
    async ensureOrderReconciliationSchedule(shopId: string): Promise<'created' | 'updated'> {
      return ensureReconciliationSchedule({ temporal: deps.temporal, cfg: deps.cfg }, shopId);
    },

    /** Pauses the schedule while the shop's authorization is revoked (its calls would only wait). */
    async pauseOrderReconciliationSchedule(shopId: string, reason: string): Promise<boolean> {
      return setReconciliationSchedulePaused(
        { temporal: deps.temporal },
        shopId,
        true,
        `authorization revoked: ${reason}`.slice(0, 500),
      );
    },
  };
}

export type OrderReconciliationActivities = ReturnType<typeof createOrderReconciliationActivities>;
