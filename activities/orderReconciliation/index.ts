import { startOrSignalOrderWorkflow } from '../../temporal/orderStart';
import { orderStatusChangedSignal } from '../../workflows/orderAcknowledgment/messages';
import type { ReconciliationCounts, ReconciledOrder } from '../../workflows/orderReconciliation/messages';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { reconcileItems, updatedSinceQuery, type ReconciliationSearchDeps } from '../reconciliation';

const PAGE_SIZE = 100;

export type OrderReconciliationDeps = ReconciliationSearchDeps;

/** Search Orders and the order workflows' start-or-signal; the run's bookkeeping is activities/reconciliation/. */
export function createOrderReconciliationActivities(deps: OrderReconciliationDeps) {
  const startDeps = { temporal: deps.temporal, taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE };

  return {
    /** One page of Search Orders updated since `updateTimeGe`, newest first: ids, status and update time only. */
    async searchUpdatedOrders(input: {
      shopId: string;
      updateTimeGe: number;
      pageToken?: string;
    }): Promise<{ orders: ReconciledOrder[]; nextPageToken?: string }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const page = await callEndpoint(
        deps.tiktok.client,
        endpoints.searchOrders,
        shop,
        updatedSinceQuery(input, PAGE_SIZE),
      );
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
      return reconcileItems(
        deps.db,
        'orders',
        input.shopId,
        input.orders.map((o) => ({ id: o.orderId, status: o.status, updateTime: o.updateTime })),
        (o) =>
          startOrSignalOrderWorkflow(startDeps, input.shopId, o.id, orderStatusChangedSignal, {
            status: o.status,
            updateTime: o.updateTime,
          }),
      );
    },
  };
}

export type OrderReconciliationActivities = ReturnType<typeof createOrderReconciliationActivities>;
