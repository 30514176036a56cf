import { log } from '@temporalio/activity';
import { markShopHealthDirty } from '../../accountHealth/dirty';
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
 * dispatch and tracking events); the hook is called once per clean→dirty move (accountHealth/dirty.ts).
 */
export function createHealthMarks(deps: Pick<OrderActivityDeps, 'db' | 'onShopHealthDirty'>) {
  const repo = createAccountHealthRepository(deps.db);
  const touched = (shopId: string) =>
    markShopHealthDirty(deps.db, shopId, deps.onShopHealthDirty, (message, meta) => {
      log.warn(message, meta);
    });
  return {
    touched,
    /** Records the facts of an order just read; marks the shop dirty when they changed. */
    async orderRead(shopId: string, order: TikTokOrder): Promise<void> {
      if (await repo.recordOrderFacts(orderHealthFacts(shopId, order))) await touched(shopId);
    },
  };
}

export type HealthMarks = ReturnType<typeof createHealthMarks>;
