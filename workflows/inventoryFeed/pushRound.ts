// A quantity push of the inventory feed (pure; the workflow calls these around the pushAndConfirmInventory
// activity): which SKUs go out and with what, then what the outcome changes in the state.
import type { InventoryFeedActivities, PushItem } from '../../activities/inventoryFeed';
import { skuState } from './feedState';
import { totalQuantity } from './inventoryMath';
import type { InventoryFeedState } from './messages';
import type { RoundPlan } from './round';
import { afterPush, unheldOf } from './unheldSales';

type PushRequest = Parameters<InventoryFeedActivities['pushAndConfirmInventory']>[0];
export type PushResult = Awaited<ReturnType<InventoryFeedActivities['pushAndConfirmInventory']>>;

/** One SKU of a push: its next version, and whether it lowers TikTok's count (then the push is urgent). */
export type PushedSku = PushItem & { decrease: boolean };

export interface PreparedPush {
  items: PushedSku[];
  urgent: boolean;
  /** The request's SKUs: each item with what TikTok was last told and whether its count may go up. */
  skus: PushRequest['skus'];
  /** Units sold and cancelled that this push accounts for, per seller_sku. */
  seenSold: Record<string, number>;
  cancelled: Record<string, number>;
}

/**
 * The push of every SKU whose target differs from what TikTok was last told (or was never confirmed), each under its
 * next version (taken now); undefined when there is nothing to push.
 */
export function preparePush(state: InventoryFeedState, round: RoundPlan): PreparedPush | undefined {
  const sku = (sellerSku: string) => skuState(state, sellerSku);
  const { plan, eventAt, onHand, margins } = round;
  const changed = plan.targets.filter((t) => {
    if (t.inventory === null) return false;
    const last = sku(t.sellerSku).pushed;
    return !last || !last.confirmed || JSON.stringify(last.inventory) !== JSON.stringify(t.inventory);
  });
  if (changed.length === 0) return undefined;
  const items = changed.map((t) => {
    const s = sku(t.sellerSku);
    const previous = s.pushed ? totalQuantity(s.pushed.inventory) : Infinity;
    return {
      sellerSku: t.sellerSku,
      skuId: t.skuId,
      version: ++s.version,
      inventory: t.inventory ?? [],
      stockEventAt: eventAt[t.sellerSku] ?? null,
      decrease: t.available === 0 || t.available < previous,
    };
  });
  const urgent = items.some((i) => i.decrease);
  const seenSold = Object.fromEntries(items.map((i) => [i.sellerSku, sku(i.sellerSku).soldSincePush ?? 0]));
  const cancelled = Object.fromEntries(items.map((i) => [i.sellerSku, sku(i.sellerSku).cancelledSincePush ?? 0]));
  const skus = items.map((i) => {
    const last = sku(i.sellerSku).pushed;
    return {
      ...i,
      lastPushedTotal: last ? totalQuantity(last.inventory) : undefined,
      // TikTok's sales no order workflow has held yet, and the lag margin already planned (unheldSales.ts).
      unheldBeforeRead: unheldOf(sku(i.sellerSku).tiktok),
      lagMargin: margins[i.sellerSku] ?? 0,
      zeroAccepted: round.settings.zeroAccepted,
      allowIncrease:
        sku(i.sellerSku).onHandAtPush === undefined ||
        (onHand[i.sellerSku] ?? 0) > sku(i.sellerSku).onHandAtPush! ||
        cancelled[i.sellerSku]! > 0 ||
        // the lag guard or the unheld sales held back more at the last push than the plan does now: those units
        // may go back on sale (the read decides how many)
        (sku(i.sellerSku).sales?.marginAtPush ?? 0) > (margins[i.sellerSku] ?? 0),
    };
  });
  return { items, urgent, skus, seenSold, cancelled };
}

/**
 * Records a push's outcome in the state. `unconfirmed`: something is not confirmed (or failed) and is due for
 * another try; `roundAgain`: the state changed so that a new round must plan again (the product is not active, or
 * TikTok refused a 0).
 */
export function recordPush(
  state: InventoryFeedState,
  push: PreparedPush,
  round: RoundPlan,
  result: PushResult,
): { unconfirmed: boolean; roundAgain: boolean } {
  const sku = (sellerSku: string) => skuState(state, sellerSku);
  const { items, seenSold, cancelled } = push;
  const { onHand, margins } = round;
  // Orders heard of while the push was out count toward the next one.
  for (const i of items) {
    const s = sku(i.sellerSku);
    s.soldSincePush = (s.soldSincePush ?? 0) - seenSold[i.sellerSku]!;
    s.cancelledSincePush = (s.cancelledSincePush ?? 0) - cancelled[i.sellerSku]!;
    if (result.logIds[i.sellerSku] !== undefined) {
      s.onHandAtPush = onHand[i.sellerSku];
      if (s.sales) s.sales.marginAtPush = (margins[i.sellerSku] ?? 0) + (result.unseenSold[i.sellerSku] ?? 0);
    }
    // TikTok took this push (or already showed it): the ledger counts the sales its read measured, and starts at the
    // round's time (a sale after it is counted by the next read).
    if (result.logIds[i.sellerSku] !== undefined || result.unchanged.includes(i.sellerSku)) {
      s.tiktok = afterPush(s.tiktok, result.tiktokSold?.[i.sellerSku], round.at);
    }
  }
  state.unseenSold = (state.unseenSold ?? 0) + Object.values(result.unseenSold).reduce((a, b) => a + b, 0);
  if (result.productInactive) {
    state.listing = 'unknown';
    return { unconfirmed: true, roundAgain: true };
  }
  if (result.zeroRefused) state.zeroRefused = true;
  const sent = items.filter((i) => result.logIds[i.sellerSku] !== undefined);
  for (const i of sent) {
    const confirmed = result.confirmed.includes(i.skuId);
    sku(i.sellerSku).pushed = { version: i.version, inventory: result.sent[i.sellerSku] ?? i.inventory, confirmed };
  }
  // TikTok already showed what this push would have set (read just before): as good as a confirmed push.
  for (const i of items.filter((x) => result.unchanged.includes(x.sellerSku))) {
    sku(i.sellerSku).pushed = {
      version: i.version,
      inventory: result.sent[i.sellerSku] ?? i.inventory,
      confirmed: true,
    };
    sku(i.sellerSku).onHandAtPush = onHand[i.sellerSku];
  }
  const pending = sent.filter((i) => !result.confirmed.includes(i.skuId));
  return { unconfirmed: pending.length > 0 || result.failed.length > 0, roundAgain: result.zeroRefused };
}
