// One push round of the inventory feed before anything is sent (pure; the workflow calls these): the snapshot taken
// into the state, the plan, and the SKUs a listing change names.
import type { ListingItem, SnapshotSku } from '../../activities/inventoryFeed';
import { skuState } from './feedState';
import type { FeedSettings, ProductPlan, SkuStock } from './inventoryMath';
import { guardPlan, lagMargin, observeSku } from './lagGuard';
import type { InventoryFeedState, Listing } from './messages';
import { mergeLevels } from './quietRounds';

/** What the round's snapshot activity (loadInventorySnapshot) returns. */
export interface InventorySnapshot {
  skus: SnapshotSku[];
  settings: FeedSettings;
}

/** What a round decides from its snapshot. */
export interface RoundPlan {
  plan: ProductPlan;
  settings: FeedSettings;
  /** Total on-hand per seller_sku. */
  onHand: Record<string, number>;
  /** The lag guard's margin per seller_sku in this round. */
  margins: Record<string, number>;
  /** occurred_at of each SKU's latest stock event (ISO). */
  eventAt: Record<string, string | null>;
  /** Workflow time of the round (ms). */
  at: number;
}

/**
 * Takes the round's snapshot into the state (versions, the levels known per warehouse, the sales the lag guard
 * observes; the plan and its time as `lastPlan`, `lastSyncAt`) and plans the product.
 */
export function planRound(state: InventoryFeedState, snap: InventorySnapshot, now: number): RoundPlan {
  const sku = (sellerSku: string) => skuState(state, sellerSku);
  const stock: SkuStock[] = snap.skus.map((s) => ({ ...s, committed: sku(s.sellerSku).committed }));
  const onHand = Object.fromEntries(
    stock.map((s) => [s.sellerSku, Object.values(s.onHand).reduce((a, q) => a + q, 0)]),
  );
  for (const s of snap.skus) {
    const feed = sku(s.sellerSku);
    feed.version = Math.max(feed.version, s.feedVersion);
    if (s.sequences) {
      const levels = feed.known?.levels ?? {};
      const at = (w: string) => ({ onHand: s.onHand[w] ?? 0, sequence: s.sequences?.[w] ?? 0 });
      mergeLevels(levels, Object.fromEntries(s.warehouseIds.map((w) => [w, at(w)])));
      feed.known = { warehouseIds: s.warehouseIds, buffer: s.safetyBuffer, levels };
    }
  }
  const settings = { ...snap.settings, zeroAccepted: snap.settings.zeroAccepted && !state.zeroRefused };
  // Lagging: hold back what other channels are expected to sell before TikTok's count catches up (lagGuard.ts).
  const margins: Record<string, number> = {};
  for (const s of snap.skus) {
    const feed = sku(s.sellerSku);
    feed.sales = observeSku(feed.sales, { now, onHand: onHand[s.sellerSku] ?? 0, shipped: feed.shippedUnits ?? 0 });
    margins[s.sellerSku] = lagMargin(state.lag, feed.sales, now);
  }
  const plan = guardPlan(stock, settings, margins);
  state.lastPlan = plan;
  state.lastSyncAt = new Date(now).toISOString();
  const eventAt = Object.fromEntries(snap.skus.map((s) => [s.sellerSku, s.stockEventAt]));
  return { plan, settings, onHand, margins, eventAt, at: now };
}

/** The listing after reading TikTok's product status: only a product pending when first seen awaits audit. */
export function listingAfterRead(listing: Listing, status: string): Listing {
  if (status === 'ACTIVATE') return 'active';
  return status === 'PENDING' && listing === 'unknown' ? 'awaiting_audit' : 'inactive_elsewhere';
}

/**
 * The SKUs a deactivation names: the sold-out ones (or all, when none is), each at 0 with its next version (taken
 * now: the deactivation is a push of its own).
 */
export function deactivationSkus(state: InventoryFeedState, round: RoundPlan): ListingItem[] {
  const out = round.plan.targets.filter((t) => t.available === 0 || t.inventory === null);
  const targets = out.length > 0 ? out : round.plan.targets;
  return targets.map((t) => ({
    sellerSku: t.sellerSku,
    skuId: t.skuId,
    quantity: 0,
    version: ++skuState(state, t.sellerSku).version,
    stockEventAt: round.eventAt[t.sellerSku] ?? null,
  }));
}

/** The SKUs a re-activation names: every target at its available units, under the current version. */
export function activationSkus(state: InventoryFeedState, round: RoundPlan): ListingItem[] {
  return round.plan.targets.map((t) => ({
    sellerSku: t.sellerSku,
    skuId: t.skuId,
    quantity: t.available,
    version: skuState(state, t.sellerSku).version,
    stockEventAt: round.eventAt[t.sellerSku] ?? null,
  }));
}
