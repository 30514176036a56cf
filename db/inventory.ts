import type { Db } from './knex';

/** One warehouse count: the absolute on-hand of a SKU in a warehouse, ordered per (shop, SKU, warehouse) by sequence. */
export interface StockCount {
  shopId: string;
  sellerSku: string;
  warehouseId: string;
  onHand: number;
  sequence: number;
  /** ISO 8601. */
  occurredAt: string;
}

/**
 * What became of one count: `applied` (it is the stored level now), `repeated` (the stored level has this very
 * sequence) or `older` (a newer sequence is stored). `currentSequence` is the stored sequence afterwards.
 */
export interface StockCountOutcome {
  outcome: 'applied' | 'repeated' | 'older';
  currentSequence: number;
}

export interface StockLevelRow {
  seller_sku: string;
  warehouse_id: string;
  on_hand: number;
  occurred_at: Date;
  /** bigint: a string. */
  sequence: string;
}

/** One inventory_push_log row to write: what the feed asked TikTok for one SKU. */
export interface PushLogEntry {
  shopId: string;
  productId: string;
  skuId: string;
  sellerSku: string;
  action: 'quantity' | 'deactivate' | 'activate';
  quantity: number;
  warehouses: unknown;
  version: number;
  stockEventAt: string | null;
  requestedAt: Date;
  outcome: string;
  detail: string | null;
}

/** Inventory: the warehouses' stock levels (stock_levels) and what the feed pushed to TikTok (inventory_push_log). */
export function createInventoryRepository(db: Db) {
  return {
    /**
     * Applies warehouse counts in one transaction, in the given order. A count replaces the stored level only when
     * its sequence is newer, so an older or repeated count never moves stock backwards. One outcome per count.
     */
    async applyStockCounts(counts: StockCount[]): Promise<StockCountOutcome[]> {
      return db.transaction(async (trx) => {
        const outcomes: StockCountOutcome[] = [];
        for (const e of counts) {
          const rows = await trx('stock_levels')
            .insert({
              shop_id: e.shopId,
              seller_sku: e.sellerSku,
              warehouse_id: e.warehouseId,
              on_hand: e.onHand,
              sequence: e.sequence,
              occurred_at: new Date(e.occurredAt),
              received_at: trx.fn.now(),
            })
            .onConflict(['shop_id', 'seller_sku', 'warehouse_id'])
            .merge(['on_hand', 'sequence', 'occurred_at', 'received_at'])
            .where('stock_levels.sequence', '<', e.sequence)
            .returning<{ sequence: string }[]>('sequence');
          if (rows.length > 0) {
            outcomes.push({ outcome: 'applied', currentSequence: e.sequence });
            continue;
          }
          const existing = await trx('stock_levels')
            .where({ shop_id: e.shopId, seller_sku: e.sellerSku, warehouse_id: e.warehouseId })
            .first<{ sequence: string }>('sequence');
          const current = Number(existing.sequence);
          outcomes.push({ outcome: current === e.sequence ? 'repeated' : 'older', currentSequence: current });
        }
        return outcomes;
      });
    },

    /** The stored levels of these seller SKUs, every warehouse. */
    async levelsOf(shopId: string, sellerSkus: string[]): Promise<StockLevelRow[]> {
      return db('stock_levels')
        .where({ shop_id: shopId })
        .whereIn('seller_sku', sellerSkus)
        .select<StockLevelRow[]>('seller_sku', 'warehouse_id', 'on_hand', 'occurred_at', 'sequence');
    },

    /** Whether any of these seller SKUs has a stored level. */
    async anyStocked(shopId: string, sellerSkus: string[]): Promise<boolean> {
      const row: unknown = await db('stock_levels')
        .where({ shop_id: shopId })
        .whereIn('seller_sku', sellerSkus)
        .first();
      return Boolean(row);
    },

    /** Writes push log rows; returns their ids in order. */
    async logPushes(entries: PushLogEntry[]): Promise<string[]> {
      if (entries.length === 0) return [];
      const rows = await db('inventory_push_log')
        .insert(
          entries.map((e) => ({
            shop_id: e.shopId,
            tiktok_product_id: e.productId,
            tiktok_sku_id: e.skuId,
            seller_sku: e.sellerSku,
            action: e.action,
            quantity: e.quantity,
            warehouses: JSON.stringify(e.warehouses ?? []),
            version: e.version,
            stock_event_at: e.stockEventAt,
            requested_at: e.requestedAt,
            outcome: e.outcome,
            detail: e.detail,
          })),
        )
        .returning<{ id: string }[]>('id');
      return rows.map((r) => String(r.id));
    },

    /** TikTok shows what these rows asked for. */
    async confirmPushes(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db('inventory_push_log')
        .whereIn('id', ids)
        .whereNull('confirmed_at')
        .update({ confirmed_at: new Date(), outcome: 'confirmed' });
    },

    /** TikTok never showed what these rows asked for. */
    async markPushesUnconfirmed(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db('inventory_push_log').whereIn('id', ids).update({ outcome: 'unconfirmed' });
    },

    /** Quantity pushes of these SKUs that TikTok took (requested or confirmed): what a retried attempt skips. */
    async sentQuantityPushes(
      shopId: string,
      productId: string,
      sellerSkus: string[],
    ): Promise<{ id: string; seller_sku: string; version: number }[]> {
      return db('inventory_push_log')
        .where({ shop_id: shopId, tiktok_product_id: productId, action: 'quantity' })
        .whereIn('seller_sku', sellerSkus)
        .whereIn('outcome', ['requested', 'confirmed'])
        .select<{ id: string; seller_sku: string; version: number }[]>('id', 'seller_sku', 'version');
    },

    /**
     * The feed's behaviour per UTC day in [from, to): pushes, pushes that took a SKU off sale (quantity 0 or
     * deactivate), and the slowest out-of-stock → confirmed-delist latency (seconds) of the day.
     */
    async feedDays(
      shopId: string,
      from: Date,
      to: Date,
    ): Promise<{ day: string; pushes: number; deactivations: number; maxLagSeconds: number | null }[]> {
      const rows = await db('inventory_push_log')
        .where({ shop_id: shopId })
        .where('requested_at', '>=', from)
        .where('requested_at', '<', to)
        .groupByRaw('1')
        .orderByRaw('1')
        .select<{ day: string; pushes: string; deactivations: string; max_lag: string | null }[]>(
          db.raw("to_char(requested_at at time zone 'UTC', 'YYYY-MM-DD') as day"),
          db.raw('count(*) as pushes'),
          db.raw("count(*) filter (where quantity = 0 or action = 'deactivate') as deactivations"),
          db.raw(
            "max(extract(epoch from (confirmed_at - stock_event_at))) filter (where quantity = 0 or action = 'deactivate') as max_lag",
          ),
        );
      return rows.map((r) => ({
        day: r.day,
        pushes: Number(r.pushes),
        deactivations: Number(r.deactivations),
        maxLagSeconds: r.max_lag === null ? null : Math.round(Number(r.max_lag)),
      }));
    },
  };
}

export type InventoryRepository = ReturnType<typeof createInventoryRepository>;
