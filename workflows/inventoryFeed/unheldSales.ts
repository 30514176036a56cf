// TikTok's own sales that no order workflow has held yet (issue 12 item 12). Pure and deterministic: the push activity
// applies it to each SKU right after reading TikTok's count, the feed's state keeps its ledger; unit-tested on its own.
//
// Why: TikTok takes a sold unit off its count at once, while our order workflow holds it (feed `committed`, warehouse
// reservation) only after its first read, a minute later when the worker falls behind (bench/RESULTS.md, F16, F19).
// In between, the warehouse's count still holds that unit twice over: a push computed from it re-adds units TikTok
// already sold, and once TikTok's count was capped the other channel's sales never reached TikTok at all. The feed
// keeps a ledger per SKU instead of guessing: units TikTok sold as its own count shows them (our last push minus
// what TikTok shows now, read before every push) against units our order workflows held since. The difference is
// known at push time, outside the lagging queue, and held back twice: once because those units are sold, once more
// (or the lag guard's margin, whichever is larger) because the other channel still sees them on the shelf until
// their holds arrive and may sell them meanwhile.
import { totalQuantity, type WarehouseQuantity } from './inventoryMath';

/** The ledger of one SKU, from the first push the feed made (`since`, workflow time in ms) on. */
export interface TikTokLedger {
  since: number;
  /** Units TikTok sold since `since`, as its count showed them at each read before a push (cancellations net). */
  sold: number;
  /** Units our order workflows held for TikTok sales made since `since` (cancelled holds net). */
  held: number;
}

/** Sold on TikTok, not yet held, as the ledger knew before this read (may be negative for a moment: a hold can be
 * heard of before the read that counts its sale). */
export const unheldOf = (ledger: TikTokLedger | undefined): number => (ledger ? ledger.sold - ledger.held : 0);

/** A hold (+n) or a cancelled hold (−n) of a TikTok sale, counted when the sale belongs to the ledger's time. */
export function noteHold(ledger: TikTokLedger | undefined, delta: number, soldAt: string | undefined): void {
  if (!ledger) return;
  // TikTok states paid times in whole seconds: a sale in the ledger's first second belongs to it.
  if (delta > 0 && soldAt !== undefined && Date.parse(soldAt) < Math.floor(ledger.since / 1000) * 1000) return;
  ledger.held += delta;
}

/** The ledger after a push TikTok took (or already showed): `soldSincePush` is what this push's read measured. */
export function afterPush(
  ledger: TikTokLedger | undefined,
  soldSincePush: number | undefined,
  now: number,
): TikTokLedger {
  if (!ledger) return { since: now, sold: 0, held: 0 };
  return { ...ledger, sold: ledger.sold + (soldSincePush ?? 0) };
}

export interface FitInput {
  /** The plan's quantities for this SKU (on-hand − held − buffer − lag margin). */
  inventory: WarehouseQuantity[];
  /** What TikTok was last told for this SKU (total), if anything. */
  lastPushedTotal?: number;
  /** The ledger's unheld units before this read (unheldOf). */
  unheldBeforeRead?: number;
  /** The lag guard's margin already in the plan. */
  lagMargin?: number;
  /** False: TikTok refuses 0, a warehouse with units keeps at least one. */
  zeroAccepted?: boolean;
  /** False unless stock came in, an order was cancelled or a margin shrank since the last push: never raise TikTok's count. */
  allowIncrease?: boolean;
}

export interface Fit {
  inventory: WarehouseQuantity[];
  /** Units TikTok sold since our last push (last pushed − shown), when TikTok's count was read. */
  soldSincePush?: number;
  /** Units held back for TikTok sales not yet held. */
  heldBack: number;
}

/**
 * Fits one SKU's planned quantities to what TikTok shows (`shown`, per warehouse, read just before the push): takes
 * off the unheld sales and the other channel's chance at them, then, unless an increase is allowed, never above what
 * TikTok shows.
 */
export function fitToTikTok(item: FitInput, shown: ReadonlyMap<string, number> | undefined): Fit {
  const shownTotal = shown ? [...shown.values()].reduce((a, q) => a + q, 0) : undefined;
  const soldSincePush =
    item.lastPushedTotal !== undefined && shownTotal !== undefined ? item.lastPushedTotal - shownTotal : undefined;
  const unheld = (item.unheldBeforeRead ?? 0) + (soldSincePush ?? 0);
  const heldBack = unheld > 0 ? unheld + Math.max(0, unheld - Math.max(0, item.lagMargin ?? 0)) : 0;
  let inventory = takeOff(item.inventory, heldBack, item.zeroAccepted === false ? 1 : 0);
  if (shown && !item.allowIncrease) {
    inventory = inventory.map((w) => ({
      ...w,
      quantity: Math.min(w.quantity, shown.get(w.warehouse_id) ?? w.quantity),
    }));
  }
  return { inventory, ...(soldSincePush === undefined ? {} : { soldSincePush }), heldBack };
}

/** Takes `units` off the fullest warehouses first, never below `min` where a warehouse had units. */
function takeOff(inventory: readonly WarehouseQuantity[], units: number, min: 0 | 1): WarehouseQuantity[] {
  const out = inventory.map((w) => ({ ...w }));
  let left = Math.min(units, totalQuantity(out));
  while (left > 0) {
    const fullest = out
      .filter((w) => w.quantity > min)
      .sort((a, b) => b.quantity - a.quantity || (a.warehouse_id < b.warehouse_id ? -1 : 1))[0];
    if (!fullest) break;
    fullest.quantity -= 1;
    left -= 1;
  }
  return out;
}
