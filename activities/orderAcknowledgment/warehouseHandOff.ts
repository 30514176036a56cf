import { ApplicationFailure } from '@temporalio/common';
import { createOrderRepository } from '../../db/orders';
import { type TikTokOrder } from '../../integrations/tiktok/orders';
import { sendWmsHandOff } from '../../integrations/wms';
import { openJson, outboxKeyring, sealJson } from '../../secrets/sealedJson';
import { NON_RETRYABLE_TIKTOK_FAILURES, ORDER_NOT_FOUND } from '../../workflows/shared/failureTypes';
import { urgentBudgetDeadline } from '../../workflows/shared/taskPriority';
import { SHIPPABLE_STATUSES } from '../../workflows/orderAcknowledgment/orderStatus';
import type { ReadAndHandOffResult } from '../../workflows/orderAcknowledgment/types';
import type { OrderActivityDeps } from './deps';
import { callOpts, iso, type OrderDetail, type OrderReadActivities } from './orderRead';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

/** The order as the warehouse receives it (buyer details included: this stays in PostgreSQL and the WMS). */
function warehousePayload(shopId: string, order: TikTokOrder) {
  return {
    shopId,
    orderId: order.id,
    status: order.status,
    warehouseId: order.warehouse_id ?? null,
    shippingType: order.shipping_type ?? 'SELLER',
    deliveryOption: order.delivery_option_name ?? null,
    buyerMessage: order.buyer_message ?? null,
    recipient: order.recipient_address ?? null,
    lineItems: order.line_items.map((li) => ({
      lineItemId: li.id,
      skuId: li.sku_id ?? null,
      sellerSku: li.seller_sku ?? null,
      productName: li.product_name ?? null,
      skuName: li.sku_name ?? null,
    })),
    slaTimes: { readyToShipBy: iso(order.rts_sla_time) ?? null, carrierScanBy: iso(order.tts_sla_time) ?? null },
  };
}

/**
 * Step: the hand-off to the warehouse. The order goes to the warehouse outbox (sealed), is POSTed to the WMS and, the
 * first time, linked on TikTok as an external order reference.
 */
export function createWarehouseHandOffActivities(
  deps: OrderActivityDeps,
  orderDetail: OrderDetail,
  read: OrderReadActivities,
) {
  const client = deps.tiktok.client;
  const orders = createOrderRepository(deps.db);

  const activities = {
    /** Writes (or refreshes) the order's warehouse_outbox row; returns its version. One row per order. */
    async writeOutbox(input: {
      shopId: string;
      orderId: string;
      cancelled?: boolean;
      /** The first hand-off right after readOrder: its read of the last few seconds may serve. */
      reuseRecentRead?: boolean;
      /** When the read must be made, its place in the rate budget (the first hand-off's: urgentBudgetDeadline). */
      readDeadline?: string;
    }): Promise<{ version: number }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const order = await orderDetail(shop, input.orderId, input.readDeadline, { reuseRecent: input.reuseRecentRead });
      const plain = { ...warehousePayload(input.shopId, order), cancelled: input.cancelled === true };
      const existing = await orders.outboxRow(input.shopId, input.orderId);
      // Compared in plaintext: sealing the same order twice gives different ciphertexts (random IV).
      if (existing && JSON.stringify(openJson(outboxKeyring(deps), existing.payload)) === JSON.stringify(plain)) {
        return { version: existing.version };
      }
      const payload = JSON.stringify(sealJson(outboxKeyring(deps), plain));
      const version = await orders.writeOutbox({
        shopId: input.shopId,
        orderId: input.orderId,
        warehouseId: order.warehouse_id ?? null,
        payload,
      });
      return { version };
    },

    /**
     * POSTs the outbox row to the WMS (when WMS_URL is set), signed (integrations/wms.ts); its `Idempotency-Key` is
     * the order and version, so a retry is recognised by the WMS.
     */
    async sendToWms(input: { shopId: string; orderId: string }): Promise<{ sent: boolean; version?: number }> {
      const row = await orders.outboxRow(input.shopId, input.orderId);
      if (!row) throw ApplicationFailure.nonRetryable(`no outbox row for order ${input.orderId}`, ORDER_NOT_FOUND);
      if (!deps.cfg.WMS_URL || !deps.cfg.WMS_SIGNING_SECRET) return { sent: false };
      if (row.sent_version === row.version) return { sent: true, version: row.version };
      await sendWmsHandOff(
        { url: deps.cfg.WMS_URL, secret: deps.cfg.WMS_SIGNING_SECRET, fetch: deps.fetch },
        { shopId: input.shopId, orderId: input.orderId, version: row.version },
        openJson(outboxKeyring(deps), row.payload),
      );
      await orders.markOutboxSent(row.id, row.version);
      return { sent: true, version: row.version };
    },

    /**
     * Add External Order References: links our warehouse order (same id) to the TikTok order (§5.1, §5.5).
     * Idempotent: reads the order's references first (Get External Order References) and adds ours only when it is
     * not there yet, so a retry after a lost response never applies the mutation twice.
     */
    async registerExternalReference(input: { shopId: string; orderId: string; deadline?: string }): Promise<void> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const reference = { id: `wms-${input.orderId}`, platform: 'WAREHOUSE_MANAGEMENT_SYSTEM' } as const;
      const existing = await callEndpoint(
        client,
        endpoints.getExternalOrderReferences,
        shop,
        { order_id: input.orderId, platform: reference.platform },
        callOpts(input.deadline),
      );
      if (existing.external_orders.some((e) => e.id === reference.id)) return;
      const result = await callEndpoint(
        client,
        endpoints.addExternalOrderReferences,
        shop,
        { orders: [{ id: input.orderId, external_order: reference }] },
        callOpts(input.deadline),
      );
      if (result.errors.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `external order reference refused: ${result.errors.map((e) => `${e.code} ${e.message ?? ''}`).join('; ')}`,
          'TikTokApiError',
        );
      }
    },

    /**
     * The hand-off as one activity: the outbox row (writeOutbox), then its delivery to the WMS (sendToWms). Both
     * steps are idempotent (same payload → same version; the WMS gets the version's idempotency key), so a retry
     * after either one repeats nothing; one activity instead of two halves the server's work per hand-off.
     */
    async handOffToWarehouse(input: {
      shopId: string;
      orderId: string;
      cancelled?: boolean;
      reuseRecentRead?: boolean;
      /** The first hand-off also links the order on TikTok (registerExternalReference, idempotent). */
      registerReference?: boolean;
      deadline?: string;
    }): Promise<{ version: number; sent: boolean; referenceError?: string }> {
      // The first hand-off waits in the rate budget like a stock-out, not by a carrier-scan deadline days away (that
      // put a new order's calls behind every older order's), since the warehouse's picking time comes out of the SLA.
      const readDeadline = input.registerReference ? urgentBudgetDeadline(input.deadline, Date.now()) : input.deadline;
      const { version } = await activities.writeOutbox({ ...input, readDeadline });
      const { sent } = await activities.sendToWms(input);
      if (!input.registerReference) return { version, sent };
      try {
        // Part of the hand-off (a local activity in the order workflow): it waits in the budget as urgently as the read.
        await activities.registerExternalReference({ ...input, deadline: readDeadline });
        return { version, sent };
      } catch (err) {
        // A refusal (non-retryable) leaves the hand-off done and is reported; anything transient retries the whole
        // activity, whose earlier steps repeat nothing.
        const refused =
          err instanceof ApplicationFailure &&
          (err.nonRetryable || (NON_RETRYABLE_TIKTOK_FAILURES as readonly string[]).includes(err.type ?? ''));
        if (!refused) throw err;
        return { version, sent, referenceError: err.message };
      }
    },

    /**
     * The read that a status webhook asks for, and the step it leads to, as one activity (one server round trip on
     * the order's tightest clock): Get Order Detail, then the first hand-off (handOffToWarehouse on the same read)
     * when the order is shippable, seller-fulfilled and has no pending cancellation request.
     */
    async readAndHandOff(input: { shopId: string; orderId: string; deadline?: string }): Promise<ReadAndHandOffResult> {
      const order = await read.readOrder(input.shopId, input.orderId, urgentBudgetDeadline(input.deadline, Date.now()));
      if (order.fulfilledByTikTok || order.cancellation || !SHIPPABLE_STATUSES.includes(order.status))
        return { order, handedOff: false };
      const out = await activities.handOffToWarehouse({
        shopId: input.shopId,
        orderId: input.orderId,
        reuseRecentRead: true,
        registerReference: true,
        deadline: input.deadline,
      });
      return { order, handedOff: true, ...(out.referenceError ? { referenceError: out.referenceError } : {}) };
    },
  };
  return activities;
}
