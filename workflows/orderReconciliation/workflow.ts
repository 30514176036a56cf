import { proxyActivities } from '@temporalio/workflow';
import type { OrderReconciliationActivities } from '../../activities/orderReconciliation';
import type { ReconciliationActivities } from '../../activities/reconciliation';
import {
  BOOKKEEPING_ACTIVITY_OPTIONS,
  SEARCH_ACTIVITY_OPTIONS,
  reconcileSinceWatermark,
} from '../shared/reconciliation';
import type { OrderReconciliationInput, OrderReconciliationResult } from './messages';

const db = proxyActivities<ReconciliationActivities>(BOOKKEEPING_ACTIVITY_OPTIONS);
const tiktok = proxyActivities<OrderReconciliationActivities>(SEARCH_ACTIVITY_OPTIONS);

/**
 * One run per firing of the shop's `reconcile-orders:<shopId>` Schedule: every order TikTok updated since the
 * watermark (minus an overlap) is started or signalled through the same path as the webhooks, so an order whose
 * webhooks were dropped still gets its orderAcknowledgment; then the watermark moves to the newest update seen.
 */
export async function orderReconciliation(input: OrderReconciliationInput): Promise<OrderReconciliationResult> {
  const { shopId } = input;
  const seen = new Set<string>();
  return reconcileSinceWatermark('orders', shopId, db, async (updateTimeGe, pageToken) => {
    const page = await tiktok.searchUpdatedOrders({ shopId, updateTimeGe, pageToken });
    // Pages are newest first: an order updated mid-run can show up twice; it is handled once.
    const fresh = page.orders.filter((o) => !seen.has(o.orderId));
    for (const o of page.orders) seen.add(o.orderId);
    const maxUpdateTime = page.orders.length > 0 ? Math.max(...page.orders.map((o) => o.updateTime)) : undefined;
    const counts =
      fresh.length > 0
        ? await tiktok.reconcileOrders({ shopId, orders: fresh })
        : { started: 0, signalled: 0, alreadyClosed: 0 };
    return { ...counts, seen: fresh.length, maxUpdateTime, nextPageToken: page.nextPageToken };
  });
}
