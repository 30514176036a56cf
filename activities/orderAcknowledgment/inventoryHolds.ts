import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config';
import { createCatalogRepository } from '../../db/catalog';
import type { Db } from '../../db/knex';
import { createOrderRepository } from '../../db/orders';
import type { Keyring } from '../../secrets/keyring';
import { openJson, outboxKeyring } from '../../secrets/sealedJson';
import { sendUnitsCommitted } from '../../temporal/inventoryFeed';
import { sendWmsReservation, type WmsReservation } from '../../integrations/wms';
import { ORDER_NOT_FOUND } from '../../workflows/shared/failureTypes';
import type { HeldOrderLine, OrderLine } from '../../workflows/orderAcknowledgment/types';

export interface OrderInventoryDeps {
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE'> & Partial<Pick<AppConfig, 'WMS_URL' | 'WMS_SIGNING_SECRET'>>;
  db: Db;
  temporal: Client;
  /** Opens the outbox payload (sealed with SECRETS_ENCRYPTION_KEY). */
  secretsKeyring?: Keyring;
  fetch?: typeof fetch;
}

type OutboxLine = OrderLine;

/** Groups held lines by product and seller_sku: one unitsCommitted signal per SKU (one line item is one unit). */
function bySku(lines: HeldOrderLine[]): { productId: string; sellerSku: string; lineItemIds: string[] }[] {
  const groups = new Map<string, { productId: string; sellerSku: string; lineItemIds: string[] }>();
  for (const l of lines) {
    const key = `${l.productId}\u0000${l.sellerSku}`;
    const g = groups.get(key) ?? { productId: l.productId, sellerSku: l.sellerSku, lineItemIds: [] };
    g.lineItemIds.push(l.lineItemId);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, lineItemIds: [...g.lineItemIds].sort() }));
}

/**
 * Step: hold the order's units (first sight, hand-off) and release them (shipped, cancelled, dispatched).
 * The oversell guard between orders and the inventory feed: units handed to the warehouse are no longer sellable
 * until the warehouse's own count drops (shipment), so the order workflow commits them on its product's feed
 * (`unitsCommitted` +n) at hand-off and releases them (−n) when shipped or cancelled. Signals carry a `ref` derived
 * from the order, the SKU and (for releases) the line items, so a retried activity counts once.
 */
export function createOrderInventoryActivities(deps: OrderInventoryDeps) {
  const feedDeps = { temporal: deps.temporal, cfg: deps.cfg };
  const orders = createOrderRepository(deps.db);
  const catalogItems = createCatalogRepository(deps.db);

  /**
   * Tells the WMS to hold (or release) the order's units (integrations/wms.ts), so the warehouse's
   * available-to-promise leaves them out from the first sight of the order instead of from its hand-off, which under
   * backlog comes minutes later (bench/RESULTS.md, full run F1: 137 units sold twice in that gap). Best effort: the
   * hand-off still allocates the units, so a WMS that is down or slow costs this order its early hold, not its
   * progress (the activity does not retry on it: the feed's own hold is already counted).
   */
  async function reserveAtWarehouse(reservation: WmsReservation): Promise<boolean> {
    const { WMS_URL: url, WMS_SIGNING_SECRET: secret } = deps.cfg;
    if (!url || !secret || reservation.lineItems.length === 0) return false;
    try {
      await sendWmsReservation({ url, secret, fetch: deps.fetch }, reservation);
      return true;
    } catch (err) {
      log.warn('warehouse reservation not sent', {
        shopId: reservation.shopId,
        orderId: reservation.orderId,
        action: reservation.action,
        error: (err as Error).message,
      });
      return false;
    }
  }

  return {
    /**
     * Holds the order's units: maps each line's TikTok SKU id to its catalog seller_sku and product, and sends +n
     * per seller_sku. The lines are the given ones (the order as first read, so units TikTok already took off its
     * stock are held from the first sight of the order, through the remorse window) or, without them, those of the
     * order's outbox row (hand-off). Lines whose SKU is not in the catalog are skipped (logged): the feed does not
     * manage that SKU. Returns the held lines for the later release.
     */
    async commitOrderUnits(input: {
      shopId: string;
      orderId: string;
      lines?: OrderLine[];
      /** When TikTok sold them (the order's paid time): the feed's lag guard measures the sale-to-hold delay. */
      soldAt?: string;
    }): Promise<HeldOrderLine[]> {
      let lines: OutboxLine[];
      if (input.lines) lines = input.lines;
      else {
        const row = await orders.outboxRow(input.shopId, input.orderId);
        if (!row) throw ApplicationFailure.nonRetryable(`no outbox row for order ${input.orderId}`, ORDER_NOT_FOUND);
        lines = openJson<{ lineItems?: OutboxLine[] }>(outboxKeyring(deps), row.payload).lineItems ?? [];
      }
      const skuIds = [...new Set(lines.flatMap((l) => (l.skuId ? [l.skuId] : [])))];
      const catalog = await catalogItems.itemsByTikTokSku(input.shopId, skuIds);
      const bySkuId = new Map(catalog.map((c) => [c.tiktok_sku_id, c]));
      const held: HeldOrderLine[] = [];
      for (const l of lines) {
        const item = l.skuId ? bySkuId.get(l.skuId) : undefined;
        if (!item) {
          log.info('order line not in the catalog: no inventory hold', {
            shopId: input.shopId,
            orderId: input.orderId,
            lineItemId: l.lineItemId,
            skuId: l.skuId,
            sellerSku: l.sellerSku,
          });
          continue;
        }
        held.push({ lineItemId: l.lineItemId, sellerSku: item.seller_sku, productId: item.tiktok_product_id });
      }
      // First sight (lines given): the warehouse holds the same units the feed holds, before the feed's signals.
      if (input.lines) {
        const skuIdOf = new Map(lines.map((l) => [l.lineItemId, l.skuId]));
        await reserveAtWarehouse({
          action: 'hold',
          shopId: input.shopId,
          orderId: input.orderId,
          lineItems: held.map((h) => ({
            lineItemId: h.lineItemId,
            skuId: skuIdOf.get(h.lineItemId) ?? null,
            sellerSku: h.sellerSku,
          })),
        });
      }
      for (const g of bySku(held)) {
        await sendUnitsCommitted(feedDeps, input.shopId, g.productId, {
          sellerSku: g.sellerSku,
          delta: g.lineItemIds.length,
          ref: `${input.orderId}:${g.sellerSku}:handoff`,
          platformSale: true,
          ...(input.lines && input.soldAt ? { soldAt: input.soldAt } : {}),
        });
      }
      return held;
    },

    /** Shipped (these lines) or cancelled / dispatched (the rest): −n per seller_sku of the given held lines. */
    async releaseOrderUnits(input: {
      shopId: string;
      orderId: string;
      lines: HeldOrderLine[];
      reason: 'shipped' | 'cancelled' | 'dispatched';
    }): Promise<number> {
      // A cancelled order's units are free again at the warehouse too (a no-op there once it was handed off: its
      // cancelled hand-off withdraws it). Shipped or dispatched units left with the hand-off's allocation.
      if (input.reason === 'cancelled') {
        await reserveAtWarehouse({
          action: 'release',
          shopId: input.shopId,
          orderId: input.orderId,
          lineItems: input.lines.map((l) => ({ lineItemId: l.lineItemId, skuId: null, sellerSku: l.sellerSku })),
        });
      }
      let released = 0;
      for (const g of bySku(input.lines)) {
        await sendUnitsCommitted(feedDeps, input.shopId, g.productId, {
          sellerSku: g.sellerSku,
          delta: -g.lineItemIds.length,
          ref: `${input.orderId}:${g.sellerSku}:release:${g.lineItemIds.join('+')}`,
          reason: input.reason,
        });
        released += g.lineItemIds.length;
      }
      return released;
    },
  };
}

export type OrderInventoryActivities = ReturnType<typeof createOrderInventoryActivities>;
