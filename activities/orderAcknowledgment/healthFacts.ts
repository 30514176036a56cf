import { log } from '@temporalio/activity';
import { createAccountHealthRepository, type OrderHealthFacts } from '../../db/accountHealth';
import type { TikTokOrder } from '../../integrations/tiktok/orders';
import type { OrderActivityDeps } from './deps';

const at = (seconds: number | undefined): Date | null =>
  seconds === undefined || seconds === 0 ? null : new Date(seconds * 1000);

/** What account health needs of an order read from TikTok (Get Order Detail, docs/tiktok-shop-api-sources.md §5.2). */
export function orderHealthFacts(shopId: string, order: TikTokOrder): OrderHealthFacts {
  return {
    shopId,
    orderId: order.id,
    status: order.status,
    paidAt: at(order.paid_time),
    fulfilledByTikTok: order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK',
    tiktokShipping: order.shipping_type === 'TIKTOK',
    creatorSample: order.is_sample_order === true,
    collectedAt: at(order.collection_time),
    deliverBy: at(order.delivery_sla_time),
    deliveredAt: at(order.delivery_time),
    cancelledAt: order.status === 'CANCELLED' ? (at(order.cancel_time) ?? new Date()) : null,
    cancelInitiator: order.cancellation_initiator ?? null,
    cancelReason: order.cancel_reason ?? null,
  };
}

/**
 * Marks the shop's account health dirty where the order's activities record what moves its metrics (facts of a read,
 * dispatch and tracking events). Only the move from clean to dirty calls `onShopHealthDirty` (the accountHealth
 * workflow's signal), so a flash sale costs one signal per refresh, not one per order. A failed hook is logged and
 * the mark undone, so the next event tries again; the order's own step never fails for it.
 */
export function createHealthMarks(deps: Pick<OrderActivityDeps, 'db' | 'onShopHealthDirty'>) {
  const repo = createAccountHealthRepository(deps.db);
  async function touched(shopId: string): Promise<void> {
    const now = new Date();
    if (!(await repo.markDirty(shopId, now)) || !deps.onShopHealthDirty) return;
    try {
      await deps.onShopHealthDirty(shopId);
    } catch (err) {
      await repo.clearDirty(shopId, now);
      log.warn('account health not signalled', { shopId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return {
    touched,
    /** Records the facts of an order just read; marks the shop dirty when they changed. */
    async orderRead(shopId: string, order: TikTokOrder): Promise<void> {
      if (await repo.recordOrderFacts(orderHealthFacts(shopId, order))) await touched(shopId);
    },
  };
}

export type HealthMarks = ReturnType<typeof createHealthMarks>;
