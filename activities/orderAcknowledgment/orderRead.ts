import { ApplicationFailure } from '@temporalio/common';
import { createShopRepository } from '../../db/shops';
import type { ShopRef } from '../../integrations/tiktok/common';
import { createOrderDetailReader } from '../../integrations/tiktok/orderDetailReader';
import type { TikTokOrder } from '../../integrations/tiktok/orders';
import { ORDER_NOT_FOUND } from '../../workflows/shared/failureTypes';
import type { OrderSnapshot } from '../../workflows/orderAcknowledgment/types';
import type { OrderActivityDeps } from './deps';
import { createHealthMarks } from './healthFacts';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

/** TikTok's unix seconds as ISO 8601 (0 and absent: undefined). */
export const iso = (seconds: number | undefined): string | undefined =>
  seconds === undefined || seconds === 0 ? undefined : new Date(seconds * 1000).toISOString();
/** A call's place in the shop's rate budget (integrations/tiktok/rateBudget.ts): its deadline, if any. */
export const callOpts = (deadline?: string) => ({ deadline: deadline ? new Date(deadline) : undefined });

const REUSE_READ_MS = 5_000;

/**
 * Get Order Detail for the order's steps. The order workflow reads an order (readOrder) and, right after, hands it to
 * the warehouse (writeOutbox), which needs the full detail with the buyer's address. Within a few seconds the read is
 * reused instead of spending a second Get Order Detail from the shop's rate budget. Memory only (buyer data never
 * leaves this process), short. Concurrent reads of one shop share Get Order Detail calls (up to 50 ids each).
 */
export function createOrderDetailCache(deps: Pick<OrderActivityDeps, 'tiktok'>) {
  const recentReads = new Map<string, { at: number; order: TikTokOrder }>();
  const orderReader = createOrderDetailReader(deps.tiktok.client);
  return async function orderDetail(
    shop: ShopRef,
    orderId: string,
    deadline?: string,
    opts: { reuseRecent?: boolean } = {},
  ): Promise<TikTokOrder> {
    const key = `${shop.shopId}:${orderId}`;
    const recent = recentReads.get(key);
    if (opts.reuseRecent && recent && Date.now() - recent.at < REUSE_READ_MS) return recent.order;
    const order = await orderReader.read(shop, orderId, callOpts(deadline));
    if (!order) throw ApplicationFailure.nonRetryable(`order ${orderId} not found`, ORDER_NOT_FOUND);
    const now = Date.now();
    for (const [k, v] of recentReads) if (now - v.at >= REUSE_READ_MS) recentReads.delete(k);
    recentReads.set(key, { at: now, order });
    return order;
  };
}

export type OrderDetail = ReturnType<typeof createOrderDetailCache>;

/** Step: read the order (status, clocks, lines, packages, a pending cancellation request). */
export function createOrderReadActivities(deps: OrderActivityDeps, orderDetail: OrderDetail) {
  const shops = createShopRepository(deps.db);
  const health = createHealthMarks(deps);

  async function shopRegion(shopId: string): Promise<string> {
    const region = await shops.region(shopId);
    if (region !== undefined) return region;
    return (await shops.connected(shopId))?.region ?? 'US';
  }

  return {
    /** Get Order Detail, reduced to ids, status and clocks; plus the pending cancellation request, if any. */
    async readOrder(shopId: string, orderId: string, deadline?: string): Promise<OrderSnapshot> {
      const shop = await deps.tokens.shopRef(shopId);
      const order = await orderDetail(shop, orderId, deadline);
      await health.orderRead(shopId, order);
      let cancellation: OrderSnapshot['cancellation'];
      if (order.is_buyer_request_cancel) {
        const found = await callEndpoint(
          deps.tiktok.client,
          endpoints.searchCancellations,
          shop,
          { order_ids: [orderId], cancel_status: ['CANCELLATION_REQUEST_PENDING'] },
          callOpts(deadline),
        );
        const pending = found.cancellations.find((c) => c.cancel_status === 'CANCELLATION_REQUEST_PENDING');
        if (pending) {
          const due = pending.seller_next_action_response?.find((a) => a.deadline !== undefined)?.deadline;
          cancellation = { cancelId: pending.cancel_id, deadline: iso(typeof due === 'number' ? due : undefined) };
        }
      }
      const packageIds = new Set([
        ...(order.packages ?? []).map((p) => p.id),
        ...order.line_items.flatMap((li) => (li.package_id ? [li.package_id] : [])),
      ]);
      return {
        orderId: order.id,
        status: order.status,
        region: await shopRegion(shopId),
        fulfilledByTikTok: order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK',
        shippingType: order.shipping_type === 'TIKTOK' ? 'TIKTOK' : 'SELLER',
        warehouseId: order.warehouse_id,
        paidAt: iso(order.paid_time),
        rtsSlaAt: iso(order.rts_sla_time),
        ttsSlaAt: iso(order.tts_sla_time),
        collectedAt: iso(order.collection_time),
        lineItemIds: order.line_items.map((li) => li.id),
        lines: order.line_items.map((li) => ({
          lineItemId: li.id,
          skuId: li.sku_id ?? null,
          sellerSku: li.seller_sku ?? null,
        })),
        packages: [...packageIds].map((packageId) => {
          const li = order.line_items.find((l) => l.package_id === packageId);
          return { packageId, status: li?.package_status, trackingNumber: li?.tracking_number };
        }),
        cancellation,
      };
    },
  };
}

export type OrderReadActivities = ReturnType<typeof createOrderReadActivities>;
