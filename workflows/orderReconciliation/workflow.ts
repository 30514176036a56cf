import { ActivityFailure, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OrderReconciliationActivities } from '../../activities/orderReconciliation';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';
import {
  getReconciliationProgressQuery,
  type OrderReconciliationInput,
  type OrderReconciliationResult,
  type ReconciliationCounts,
} from './messages';

const retry = { nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED] };
const db = proxyActivities<OrderReconciliationActivities>({ startToCloseTimeout: '30 seconds', retry });
const tiktok = proxyActivities<OrderReconciliationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One run per firing of the shop's `reconcile-orders:<shopId>` Schedule: every order TikTok updated since the
 * watermark (minus an overlap) is started or signalled through the same path as the webhooks, so an order whose
 * webhooks were dropped still gets its orderAcknowledgment; then the watermark moves to the newest update seen.
 */
export async function orderReconciliation(input: OrderReconciliationInput): Promise<OrderReconciliationResult> {
  const { shopId } = input;
  const { workflowId, runId } = workflowInfo();
  const run = { shopId, workflowId, runId };
  const counts: ReconciliationCounts = { started: 0, signalled: 0, alreadyClosed: 0, alreadyNotified: 0 };
  const seen = new Set<string>();
  let pages = 0;
  let maxUpdateTime: number | undefined;
  let searchedFrom = '';
  setHandler(getReconciliationProgressQuery, () => ({ shopId, ...counts, seen: seen.size, pages, searchedFrom }));

  const begun = await db.beginReconciliationRun(run);
  searchedFrom = new Date(begun.updateTimeGe * 1000).toISOString();
  try {
    let pageToken: string | undefined;
    do {
      const page = await tiktok.searchUpdatedOrders({ shopId, updateTimeGe: begun.updateTimeGe, pageToken });
      pages += 1;
      // Pages are newest first: an order updated mid-run can show up twice; it is handled once.
      const fresh = page.orders.filter((o) => !seen.has(o.orderId));
      for (const o of page.orders) {
        seen.add(o.orderId);
        maxUpdateTime = Math.max(maxUpdateTime ?? 0, o.updateTime);
      }
      if (fresh.length > 0) {
        const c = await tiktok.reconcileOrders({ shopId, orders: fresh });
        counts.started += c.started;
        counts.signalled += c.signalled;
        counts.alreadyClosed += c.alreadyClosed;
        counts.alreadyNotified = (counts.alreadyNotified ?? 0) + (c.alreadyNotified ?? 0);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (err) {
    if (err instanceof ActivityFailure) {
      // The watermark stays where it was: the next run searches the same window again.
      await db.finishReconciliationRun({
        ...run,
        status: 'failed',
        pages,
        seen: seen.size,
        counts,
        error: err.cause?.message ?? err.message,
      });
    }
    throw err;
  }
  const finished = await db.finishReconciliationRun({
    ...run,
    status: 'completed',
    maxUpdateTime,
    pages,
    seen: seen.size,
    counts,
  });
  return {
    shopId,
    ...counts,
    seen: seen.size,
    pages,
    searchedFrom,
    watermarkBefore: begun.watermark,
    watermarkAfter: finished.watermark,
  };
}
