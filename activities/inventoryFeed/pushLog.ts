import type { Db } from '../../db/knex';
import { createInventoryRepository } from '../../db/inventory';

/** The SKU fields a push log row records. */
export interface PushLogItem {
  sellerSku: string;
  skuId: string;
  quantity: number;
  version: number;
  stockEventAt: string | null;
  warehouses?: unknown;
}

/** Writes one inventory_push_log row per SKU of a request to TikTok (quantity, deactivate, activate); returns ids. */
export function createPushLog(db: Db) {
  const inventory = createInventoryRepository(db);
  return function logRows(
    ref: { shopId: string; productId: string },
    action: 'quantity' | 'deactivate' | 'activate',
    items: PushLogItem[],
    requestedAt: Date,
    outcome: (i: number) => { outcome: string; detail?: string } = () => ({ outcome: 'requested' }),
  ): Promise<string[]> {
    return inventory.logPushes(
      items.map((i, n) => ({
        shopId: ref.shopId,
        productId: ref.productId,
        skuId: i.skuId,
        sellerSku: i.sellerSku,
        action,
        quantity: i.quantity,
        warehouses: i.warehouses ?? [],
        version: i.version,
        stockEventAt: i.stockEventAt,
        requestedAt,
        outcome: outcome(n).outcome,
        detail: outcome(n).detail ?? null,
      })),
    );
  };
}
