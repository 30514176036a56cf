// When a signal to the inventory feed needs a push round, and when TikTok already shows the right count (pure; the
// feed's signal handlers call these).
import { totalQuantity } from './inventoryMath';
import type { SkuFeedState, StockLevel, UnitsCommitted } from './messages';

/** What TikTok shows for the SKU: the last confirmed push minus the units sold on TikTok since. */
function onTikTok(s: SkuFeedState): number | undefined {
  return s.pushed?.confirmed ? totalQuantity(s.pushed.inventory) - (s.soldSincePush ?? 0) : undefined;
}

/**
 * Held or released units: a TikTok sale was already taken off TikTok's count, and a shipment's units leave the
 * warehouse's count too; only a sale that sells the SKU out, a cancellation or an unknown count needs a round.
 */
export function unitsNeedRound(u: UnitsCommitted, s: SkuFeedState): boolean {
  if (u.delta < 0) return u.reason !== 'shipped' && u.reason !== 'dispatched';
  const shown = onTikTok(s);
  return !u.platformSale || shown === undefined || shown <= 0;
}

/** Keeps the latest level per warehouse (a late signal carrying an older sequence changes nothing). */
export function mergeLevels(known: Record<string, StockLevel>, levels: Record<string, StockLevel>): void {
  for (const [warehouseId, level] of Object.entries(levels)) {
    if ((known[warehouseId]?.sequence ?? -Infinity) < level.sequence) known[warehouseId] = level;
  }
}

/**
 * After a stock event: a round is needed when TikTok should show fewer (or none), or more after a restock or a
 * cancellation (the only reasons the feed raises TikTok's count). A SKU on several warehouses always gets a round:
 * the split across warehouses may change with an unchanged total.
 */
export function stockNeedsRound(s: SkuFeedState): boolean {
  const shown = onTikTok(s);
  if (shown === undefined || !s.known || s.known.warehouseIds.length !== 1) return true;
  const onHand = s.known.warehouseIds.reduce((a, w) => a + Math.max(0, s.known!.levels[w]?.onHand ?? 0), 0);
  const available = Math.max(0, onHand - s.committed - s.known.buffer);
  if (available === 0 || available < shown) return true;
  if (available === shown) return false;
  return s.onHandAtPush === undefined || onHand > s.onHandAtPush || (s.cancelledSincePush ?? 0) > 0;
}
