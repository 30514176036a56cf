// The inventory feed's protection against its own lag (issue 12 item 12). Pure and deterministic (workflow clock
// only), unit-tested on its own; imports only the feed's math.
//
// Why: when the worker falls behind (a slow or shared machine, a worker restarting), every step between a sale and
// TikTok's count gets later: another channel's sale reaches TikTok's count after the feed's lag, and a TikTok sale
// reaches the warehouse's allocation after the order's hand-off. Meanwhile both channels sell the same last units.
// The seller's safety buffer (catalog_items.safety_buffer) covers a lag of seconds; a lag of a minute sold 15 units
// that were not there in a full flash sale (issue 12). So the feed measures its lag and holds back, beyond the
// buffer, the units other channels are expected to sell in that time: the lead-time safety stock of inventory
// theory (demand rate × lead time, times a factor for its variance). While the lag is short nothing changes.
import { planProduct, type FeedSettings, type ProductPlan, type SkuStock } from './inventoryMath';

export const LAG_GUARD = {
  /** Below this measured lag the safety buffer suffices (the flash sale's hand-off target is p99 ≤ 5 s). */
  quietLagMs: 5_000,
  /** How fast a measured lag is forgotten (decaying peak): a burst of lag keeps the guard up for minutes. */
  lagDecayMs: 60_000,
  /** Memory of the other channels' sales rate (exponentially decayed count of units over this time constant). */
  rateWindowMs: 120_000,
  /**
   * Units held per unit of expected sales in the lag: sales in a short window are bursty (a Poisson count exceeds
   * twice its mean often enough at these small means), so hold three times the mean.
   */
  factor: 3,
  /**
   * Longest sale-to-hold sample taken as such: an order found minutes late by reconciliation (a lost webhook) is one
   * order's delay, not the pipeline's; a longer sample counts as this long.
   */
  maxSaleLagMs: 300_000,
} as const;

const decay = (value: number, elapsedMs: number, timeConstantMs: number): number =>
  value * Math.exp(-Math.max(0, elapsedMs) / timeConstantMs);

/** The feed's measured lag (one per feed: every SKU of a product waits in the same worker and queues). */
export interface FeedLag {
  /** Workflow time (ms) of the last sample. */
  at: number;
  /** Decaying peak of the samples, as of `at`. */
  lagMs: number;
}

/**
 * A lag sample: a stock change committed at `committedAt` (the API's `at` on the stockChanged signal) reaches the
 * workflow at `now` (workflow time of the task that handles it). The signal, the task queue and a busy or restarting
 * worker all show here.
 */
export function noteLag(prev: FeedLag | undefined, committedAt: number, now: number): FeedLag {
  const sample = Number.isFinite(committedAt) ? Math.max(0, now - committedAt) : 0;
  if (!prev) return { at: now, lagMs: sample };
  return {
    at: Math.max(prev.at, now),
    lagMs: Math.max(sample, decay(prev.lagMs, now - prev.at, LAG_GUARD.lagDecayMs)),
  };
}

/**
 * A sale-to-hold sample: TikTok sold units at `soldAt` (the order's paid time) and the order's first read holds them
 * (the feed's unitsCommitted, sent together with the warehouse reservation) at `now`. Until then the warehouse
 * counts them available and another channel may sell them, so this delay is lag the guard covers, like the feed's
 * own. Under backlog it is the order workflow's first task waiting in the queue (bench/RESULTS.md, full run F1).
 */
export function noteSaleLag(prev: FeedLag | undefined, soldAt: number, now: number): FeedLag {
  return noteLag(prev, Number.isFinite(soldAt) ? Math.max(soldAt, now - LAG_GUARD.maxSaleLagMs) : now, now);
}

/** The lag the feed should assume now: the decaying peak of its samples. */
export function currentLagMs(lag: FeedLag | undefined, now: number): number {
  return lag ? decay(lag.lagMs, now - lag.at, LAG_GUARD.lagDecayMs) : 0;
}

/** What the guard remembers of one SKU (carried in the feed's state across continue-as-new). */
export interface SkuSales {
  /** Workflow time (ms) of the last observation. */
  at: number;
  /** Units sold by other channels, exponentially decayed with `rateWindowMs`, as of `at`. */
  otherUnits: number;
  /** Total on-hand and units released as shipped at the last observation (to tell other channels' sales apart). */
  onHand: number;
  shipped: number;
  /** The margin the last push was computed with (a smaller one later may raise TikTok's count by the difference). */
  marginAtPush?: number;
}

export interface SkuObservation {
  /** Workflow time of the round (ms since the epoch). */
  now: number;
  /** Total on-hand over the SKU's warehouses (the warehouse's latest counts). */
  onHand: number;
  /** Cumulative units of this SKU released because they left the warehouse for our orders (shipped, dispatched). */
  shipped: number;
}

/**
 * One round's observation of a SKU: on-hand that fell by more than our own shipments is another channel's sale; a
 * rise (restock, return, a shipment's release arriving after its count) cancels that much of the decayed count.
 */
export function observeSku(prev: SkuSales | undefined, o: SkuObservation): SkuSales {
  if (!prev) return { at: o.now, otherUnits: 0, onHand: o.onHand, shipped: o.shipped };
  const soldElsewhere = prev.onHand - o.onHand - (o.shipped - prev.shipped);
  return {
    ...prev,
    at: Math.max(prev.at, o.now),
    otherUnits: Math.max(0, decay(prev.otherUnits, o.now - prev.at, LAG_GUARD.rateWindowMs) + soldElsewhere),
    onHand: o.onHand,
    shipped: o.shipped,
  };
}

/**
 * Units to hold back beyond the safety buffer: 0 while the lag is short, else factor × other sales expected in it,
 * and at least one: while lagging the count is uncertain (a sale elsewhere may be the first of its SKU, before any
 * rate is known; under worker restarts a TikTok sale reaches the warehouse's allocation late, and the other channel
 * sells from that allocation).
 */
export function lagMargin(lag: FeedLag | undefined, sales: SkuSales | undefined, now: number): number {
  const lagMs = currentLagMs(lag, now);
  if (lagMs <= LAG_GUARD.quietLagMs) return 0;
  const otherUnits = sales ? decay(sales.otherUnits, now - sales.at, LAG_GUARD.rateWindowMs) : 0;
  const expected = (otherUnits / LAG_GUARD.rateWindowMs) * lagMs;
  return Math.max(1, Math.ceil(LAG_GUARD.factor * expected - 1e-9));
}

/**
 * The product's plan with each SKU's margin held back as extra buffer. Whether the product is taken off sale is the
 * unguarded plan's decision (a margin holds a SKU at 0, it does not delist a product that has stock; re-listing goes
 * through TikTok's audit). Where TikTok refuses 0 the margin could not be expressed: the unguarded plan stands.
 */
export function guardPlan(
  stock: readonly SkuStock[],
  settings: FeedSettings,
  margins: Readonly<Record<string, number>>,
): ProductPlan {
  const plan = planProduct(stock, settings);
  if (!settings.zeroAccepted || plan.deactivate || stock.every((s) => !(margins[s.sellerSku]! > 0))) return plan;
  const guarded = planProduct(
    stock.map((s) => ({ ...s, safetyBuffer: s.safetyBuffer + Math.max(0, margins[s.sellerSku] ?? 0) })),
    { ...settings, deactivateWhenAllVariantsOut: false },
  );
  return { ...guarded, deactivate: plan.deactivate, reason: plan.reason };
}
