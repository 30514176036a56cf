import { createOrderRepository } from '../../db/orders';
import { DISPATCHED_STATUSES } from '../../workflows/orderAcknowledgment/orderStatus';
import type { OrderSnapshot } from '../../workflows/orderAcknowledgment/types';
import type { OrderActivityDeps } from './deps';
import { createHealthMarks } from './healthFacts';
import type { OrderReadActivities } from './orderRead';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

/** Step: the carrier scan and after: dispatch facts (read back by accountHealth/metrics.ts) and tracking events. */
export function createDispatchActivities(deps: OrderActivityDeps, read: OrderReadActivities) {
  const orders = createOrderRepository(deps.db);
  const health = createHealthMarks(deps);

  const activities = {
    /** Get Tracking → one order_dispatch_events row per carrier event; returns how many events TikTok has. */
    async recordTracking(input: { shopId: string; orderId: string }): Promise<number> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const events = await callEndpoint(deps.tiktok.client, endpoints.getTracking, shop, { order_id: input.orderId });
      let recorded = false;
      for (const e of events) {
        const fresh = await orders.recordDispatchEvent({
          dedupKey: `${input.shopId}:${input.orderId}:tracking:${e.update_time_millis}:${e.description ?? ''}`.slice(
            0,
            300,
          ),
          shopId: input.shopId,
          orderId: input.orderId,
          kind: 'tracking',
          occurredAt: new Date(e.update_time_millis),
          detail: { description: e.description ?? null },
        });
        recorded = recorded || fresh;
      }
      if (recorded) await health.touched(input.shopId);
      return events.length;
    },

    /** One dispatch fact (ready_to_ship, dispatched, late, near_miss) per order and kind. */
    async recordDispatchEvent(input: {
      shopId: string;
      orderId: string;
      kind: 'ready_to_ship' | 'dispatched' | 'late' | 'near_miss';
      deadline: string;
      occurredAt: string;
      onTime?: boolean;
      detail?: Record<string, unknown>;
    }): Promise<void> {
      const recorded = await orders.recordDispatchEvent({
        dedupKey: `${input.shopId}:${input.orderId}:${input.kind}`,
        shopId: input.shopId,
        orderId: input.orderId,
        kind: input.kind,
        deadline: new Date(input.deadline),
        occurredAt: new Date(input.occurredAt),
        onTime: input.onTime ?? null,
        detail: input.detail ?? {},
      });
      // Dispatch on time or late and a missed deadline move the late dispatch rate and its warnings.
      if (recorded && (input.kind === 'dispatched' || input.kind === 'late')) await health.touched(input.shopId);
    },

    /** The carrier scan's read: Get Order Detail (collection time) and the tracking events, as one activity. */
    async readDispatchedOrder(input: {
      shopId: string;
      orderId: string;
      deadline?: string;
    }): Promise<{ order: OrderSnapshot; trackingEvents: number }> {
      const order = await read.readOrder(input.shopId, input.orderId, input.deadline);
      const dispatched = DISPATCHED_STATUSES.includes(order.status);
      return { order, trackingEvents: dispatched ? await activities.recordTracking(input) : 0 };
    },
  };
  return activities;
}
