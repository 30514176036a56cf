import { createCatalogRepository } from '../../db/catalog';
import { createInventoryRepository } from '../../db/inventory';
import { createShopRepository } from '../../db/shops';
import { policy } from '../../policy';
import type { FeedSettings } from '../../workflows/inventoryFeed/inventoryMath';
import type { InventoryFeedDeps } from './deps';

export interface SnapshotSku {
  sellerSku: string;
  skuId: string;
  warehouseIds: string[];
  onHand: Record<string, number>;
  safetyBuffer: number;
  feedVersion: number;
  /** occurred_at of the SKU's latest stock event (ISO). */
  stockEventAt: string | null;
  /** The stock event sequence behind each warehouse's on-hand (absent in histories recorded before it was read). */
  sequences?: Record<string, number>;
}

const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();

/** Step: the snapshot a push round starts from (PostgreSQL only) and the shop's feed settings (policy rows). */
export function createSnapshotActivities(deps: Pick<InventoryFeedDeps, 'cfg' | 'db'>) {
  const shops = createShopRepository(deps.db);
  const catalog = createCatalogRepository(deps.db);
  const inventory = createInventoryRepository(deps.db);

  async function settingsFor(shopId: string): Promise<FeedSettings & { defaultSafetyBuffer: number }> {
    const region = (await shops.region(shopId)) ?? 'US';
    const override = deps.cfg.INVENTORY_ZERO_QUANTITY_ACCEPTED;
    return {
      zeroAccepted:
        override === 'policy' ? policy<boolean>(region, 'inventory.zeroQuantityAccepted').value : override === 'true',
      deactivateWhenAllVariantsOut: policy<boolean>(region, 'inventory.deactivateWhenAllVariantsOut').value,
      maxQuantity: policy<number>(region, 'inventory.maxQuantity').value,
      defaultSafetyBuffer: policy<number>(region, 'inventory.defaultSafetyBuffer').value,
    };
  }

  return {
    /**
     * What the feed needs for one product, from PostgreSQL only: every catalog SKU with stock events, its on-hand
     * per warehouse, safety buffer and last pushed version, and the policy values (recorded in history).
     * SKUs without any stock event yet are left out: the feed does not touch what it has no count for.
     */
    async loadInventorySnapshot(ref: { shopId: string; productId: string }): Promise<{
      skus: SnapshotSku[];
      settings: FeedSettings;
    }> {
      const settings = await settingsFor(ref.shopId);
      const items = await catalog.itemsOfProduct(ref.shopId, ref.productId);
      const levels = await inventory.levelsOf(
        ref.shopId,
        items.map((i) => i.seller_sku),
      );
      const skus: SnapshotSku[] = [];
      for (const item of items) {
        const mine = levels.filter((l) => l.seller_sku === item.seller_sku);
        if (mine.length === 0) continue;
        const latest = mine.reduce((a, b) => (a.occurred_at > b.occurred_at ? a : b));
        skus.push({
          sellerSku: item.seller_sku,
          skuId: item.tiktok_sku_id,
          warehouseIds: item.warehouse_ids,
          onHand: Object.fromEntries(mine.map((l) => [l.warehouse_id, l.on_hand])),
          safetyBuffer: item.safety_buffer ?? settings.defaultSafetyBuffer,
          feedVersion: Number(item.feed_version),
          stockEventAt: iso(latest.occurred_at),
          sequences: Object.fromEntries(mine.map((l) => [l.warehouse_id, Number(l.sequence)])),
        });
      }
      const { defaultSafetyBuffer: _unused, ...feed } = settings;
      return { skus, settings: feed };
    },
  };
}
