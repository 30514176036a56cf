// The inventory feed's state as its signals change it (pure; the workflow's handlers call these with Date.now()).
import { currentLagMs, LAG_GUARD, noteLag, noteSaleLag } from './lagGuard';
import type { InventoryFeedInput, InventoryFeedState, SkuFeedState, StockChanged, UnitsCommitted } from './messages';
import { mergeLevels, stockNeedsRound, unitsNeedRound } from './quietRounds';
import { noteHold } from './unheldSales';

/** Commit refs remembered to count a repeated unitsCommitted once (the oldest are forgotten first). */
export const MAX_COMMIT_REFS = 500;

/** Where a run starts: fresh (a round owed at once), or what the previous run carried over continue-as-new. */
export function startingState(carried: InventoryFeedInput['carried']): {
  state: InventoryFeedState;
  dirty: boolean;
  recheckAt: number | undefined;
} {
  const { dirty: _dirty, recheckAt: _recheckAt, ...carriedState } = carried ?? { dirty: true };
  return {
    state: carried
      ? (carriedState as InventoryFeedState)
      : { listing: 'unknown', zeroRefused: false, skus: {}, commitRefs: [] },
    dirty: carried?.dirty ?? true,
    // A retry still owed (an unconfirmed or failed push) survives continue-as-new: it is carried with the state.
    recheckAt: carried?.recheckAt,
  };
}

/** The SKU's feed state, created on first mention. */
export function skuState(state: InventoryFeedState, sellerSku: string): SkuFeedState {
  return (state.skus[sellerSku] ??= { version: 0, committed: 0 });
}

/** Takes a stock change in; true when it needs a push round. */
export function applyStockChange(state: InventoryFeedState, change: StockChanged | undefined, now: number): boolean {
  // How late this change reaches us: the lag guard holds stock back while it is long (lagGuard.ts).
  if (change?.at) state.lag = noteLag(state.lag, Date.parse(change.at), now);
  // Without its levels a stock event starts a round; with them, only when they can change what TikTok shows.
  if (!change?.levels) return true;
  let round = false;
  for (const sellerSku of change.sellerSkus) {
    const s = skuState(state, sellerSku);
    if (s.known) mergeLevels(s.known.levels, change.levels[sellerSku] ?? {});
    if (stockNeedsRound(s)) round = true;
  }
  return round;
}

/** Takes units held or released for an order in (a repeated `ref` counts once); true when they need a push round. */
export function applyUnitsCommitted(state: InventoryFeedState, u: UnitsCommitted, now: number): boolean {
  if (u.ref !== undefined) {
    if (state.commitRefs.includes(u.ref)) return false;
    state.commitRefs = [...state.commitRefs, u.ref].slice(-MAX_COMMIT_REFS);
  }
  let guardUp = false;
  if (u.soldAt && u.delta > 0) {
    // How late this TikTok sale reached the warehouse's hold; a round when it switches the lag guard on.
    const quiet = currentLagMs(state.lag, now) <= LAG_GUARD.quietLagMs;
    state.lag = noteSaleLag(state.lag, Date.parse(u.soldAt), now);
    guardUp = quiet && currentLagMs(state.lag, now) > LAG_GUARD.quietLagMs;
  }
  const s = skuState(state, u.sellerSku);
  s.committed = Math.max(0, s.committed + u.delta);
  // The ledger of TikTok's sales against our holds: a hold, or a cancelled one (TikTok's count takes it back).
  if (u.delta > 0 || u.reason === 'cancelled') noteHold(s.tiktok, u.delta, u.soldAt);
  if (u.delta > 0) s.soldSincePush = (s.soldSincePush ?? 0) + u.delta;
  if (u.delta < 0 && u.reason !== 'shipped' && u.reason !== 'dispatched')
    s.cancelledSincePush = (s.cancelledSincePush ?? 0) - u.delta;
  else if (u.delta < 0) s.shippedUnits = (s.shippedUnits ?? 0) - u.delta;
  // A sale on TikTok (TikTok already took the units off its count) and a shipment (the warehouse's count follows)
  // start no round unless the sale sells the SKU out; cancellations and unknown counts still do.
  return guardUp || unitsNeedRound(u, s);
}
