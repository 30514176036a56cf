// The available-quantity math of the inventory feed. Pure and deterministic: used by the inventoryFeed workflow
// and unit-tested on its own. No imports, so it is safe in the workflow sandbox.

export interface WarehouseQuantity {
  warehouse_id: string;
  quantity: number;
}

export interface SkuStock {
  sellerSku: string;
  skuId: string;
  /** Every warehouse the SKU is assigned to on TikTok; Update Inventory must list all of them. */
  warehouseIds: string[];
  /** Absolute on-hand per warehouse from the warehouse's stock events (a missing warehouse counts as 0). */
  onHand: Record<string, number>;
  /** Units handed to the warehouse for orders but not shipped yet (still in on-hand, no longer sellable). */
  committed: number;
  safetyBuffer: number;
}

export interface FeedSettings {
  /** Whether TikTok takes quantity 0 (policy inventory.zeroQuantityAccepted, or learned from a refusal). */
  zeroAccepted: boolean;
  deactivateWhenAllVariantsOut: boolean;
  /** Upper bound of one warehouse's quantity (policy inventory.maxQuantity). */
  maxQuantity: number;
}

export interface SkuTarget {
  sellerSku: string;
  skuId: string;
  /** Units offered on TikTok: max(0, on-hand − committed − safety buffer). */
  available: number;
  /** One entry per assigned warehouse, or null when TikTok cannot be told this total (0 refused). */
  inventory: WarehouseQuantity[] | null;
}

export interface ProductPlan {
  targets: SkuTarget[];
  /** Take the product off sale (Deactivate Products) instead of, or after, pushing quantities. */
  deactivate: boolean;
  reason: string | null;
}

/** available = on-hand − units handed to the warehouse but not shipped − safety buffer, never below 0. */
export function availableUnits(onHand: number, committed: number, safetyBuffer: number): number {
  return Math.max(0, Math.max(0, onHand) - Math.max(0, committed) - Math.max(0, safetyBuffer));
}

/**
 * Spreads `total` sellable units over every assigned warehouse, at most each warehouse's own on-hand: the units held
 * back (committed + buffer) come off the fullest warehouses first. With `minPerWarehouse` 1 (0 refused) each
 * warehouse gets at least one unit, taken from the fullest; impossible (null) when total < number of warehouses.
 * Quantities are capped at `maxQuantity` (capping only understates stock, never oversells).
 */
export function allocateToWarehouses(
  total: number,
  warehouseIds: readonly string[],
  onHand: Readonly<Record<string, number>>,
  minPerWarehouse: 0 | 1,
  maxQuantity: number,
): WarehouseQuantity[] | null {
  const ids = [...warehouseIds];
  if (ids.length === 0) return null;
  if (minPerWarehouse === 1 && total < ids.length) return null;
  const alloc = new Map(ids.map((id) => [id, Math.max(0, onHand[id] ?? 0)]));
  const fullest = () =>
    [...alloc.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]!;
  let excess = [...alloc.values()].reduce((a, b) => a + b, 0) - total;
  // Take held-back units off the fullest warehouse, in chunks that keep the order stable.
  while (excess > 0) {
    const [id, qty] = fullest();
    const sorted = [...alloc.values()].sort((a, b) => b - a);
    const next = sorted.find((v) => v < qty) ?? 0;
    const take = Math.min(excess, Math.max(1, qty - next));
    alloc.set(id, qty - take);
    excess -= take;
  }
  if (minPerWarehouse === 1) {
    for (const id of ids) {
      if (alloc.get(id)! > 0) continue;
      const [from, qty] = fullest();
      alloc.set(from, qty - 1);
      alloc.set(id, 1);
    }
  }
  return ids.map((id) => ({ warehouse_id: id, quantity: Math.min(alloc.get(id)!, maxQuantity) }));
}

/** What the product should look like on TikTok for the given stock. */
export function planProduct(skus: readonly SkuStock[], settings: FeedSettings): ProductPlan {
  const targets = skus.map((s): SkuTarget => {
    const onHand = s.warehouseIds.reduce((sum, w) => sum + Math.max(0, s.onHand[w] ?? 0), 0);
    const available = availableUnits(onHand, s.committed, s.safetyBuffer);
    const min = available === 0 ? 0 : settings.zeroAccepted ? 0 : 1;
    const inventory =
      available === 0 && !settings.zeroAccepted
        ? null
        : allocateToWarehouses(available, s.warehouseIds, s.onHand, min, settings.maxQuantity);
    return { sellerSku: s.sellerSku, skuId: s.skuId, available, inventory };
  });
  const allOut = targets.length > 0 && targets.every((t) => t.available === 0);
  if (allOut && settings.deactivateWhenAllVariantsOut) {
    return { targets, deactivate: true, reason: 'every variant is out of stock' };
  }
  const inexpressible = targets.filter((t) => t.inventory === null).map((t) => t.sellerSku);
  if (inexpressible.length > 0) {
    return {
      targets,
      deactivate: true,
      reason: `TikTok refuses the quantities of ${inexpressible.join(', ')} (0 not accepted)`,
    };
  }
  return { targets, deactivate: false, reason: null };
}

/** Total of a push. */
export const totalQuantity = (inventory: readonly WarehouseQuantity[] | null): number =>
  (inventory ?? []).reduce((a, w) => a + w.quantity, 0);
