import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  localSnapshot,
  pushAndConfirmInventory,
  readProductListing,
  setProductListing,
  urgent as urgentActivities,
} from './proxies';
import {
  getInventoryFeedQuery,
  stockChangedSignal,
  unitsCommittedSignal,
  type InventoryFeedInput,
  type InventoryFeedState,
  type SkuFeedState,
} from './messages';
import { mergeLevels, stockNeedsRound, unitsNeedRound } from './quietRounds';
import { currentLagMs, guardPlan, LAG_GUARD, lagMargin, noteLag, noteSaleLag, observeSku } from './lagGuard';
import { totalQuantity, type ProductPlan, type SkuStock } from './inventoryMath';

const DEFAULT_COALESCE_MS = 1_000;
const DEFAULT_AUDIT_POLL_MS = 30_000;
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;
const CONFIRM_ATTEMPTS = 6;
const CONFIRM_INTERVAL_MS = 1_000;
const UNCONFIRMED_RECHECK_MS = 60_000;
const MAX_COMMIT_REFS = 500;

/**
 * One long-lived workflow per TikTok product (all its variants): keeps TikTok's quantities equal to what the
 * warehouse can sell, pushes 0 (or deactivates) when a variant sells out and confirms it by reading TikTok back,
 * re-activates after a restock (through audit) and pushes the quantities again.
 */
export async function inventoryFeed(input: InventoryFeedInput): Promise<void> {
  const { dirty: _dirty, recheckAt: _recheckAt, ...carriedState } = input.carried ?? { dirty: true };
  const state: InventoryFeedState = input.carried
    ? (carriedState as InventoryFeedState)
    : { listing: 'unknown', zeroRefused: false, skus: {}, commitRefs: [] };
  let dirty = input.carried?.dirty ?? true;
  // A retry still owed (an unconfirmed or failed push) survives continue-as-new: it is carried with the state.
  let recheckAt: number | undefined = input.carried?.recheckAt;
  /** The lag guard's margin per seller_sku in the current round. */
  let margins: Record<string, number> = {};
  const coalesceMs = input.coalesceMs ?? DEFAULT_COALESCE_MS;
  const recheckMs = input.recheckMs ?? UNCONFIRMED_RECHECK_MS;
  const auditPollMs = input.auditPollMs ?? DEFAULT_AUDIT_POLL_MS;
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const ref = { shopId: input.shopId, productId: input.productId };
  const sku = (sellerSku: string): SkuFeedState => (state.skus[sellerSku] ??= { version: 0, committed: 0 });

  setHandler(stockChangedSignal, (change) => {
    // How late this change reaches us: the lag guard holds stock back while it is long (lagGuard.ts).
    if (change?.at) state.lag = noteLag(state.lag, Date.parse(change.at), Date.now());
    // Without its levels a stock event starts a round; with them, only when they can change what TikTok shows.
    if (!change?.levels) return void (dirty = true);
    for (const sellerSku of change.sellerSkus) {
      const s = sku(sellerSku);
      if (s.known) mergeLevels(s.known.levels, change.levels[sellerSku] ?? {});
      if (stockNeedsRound(s)) dirty = true;
    }
  });
  setHandler(unitsCommittedSignal, (u) => {
    if (u.ref !== undefined) {
      if (state.commitRefs.includes(u.ref)) return;
      state.commitRefs = [...state.commitRefs, u.ref].slice(-MAX_COMMIT_REFS);
    }
    let guardUp = false;
    if (u.soldAt && u.delta > 0) {
      // How late this TikTok sale reached the warehouse's hold; a round when it switches the lag guard on.
      const now = Date.now();
      const quiet = currentLagMs(state.lag, now) <= LAG_GUARD.quietLagMs;
      state.lag = noteSaleLag(state.lag, Date.parse(u.soldAt), now);
      guardUp = quiet && currentLagMs(state.lag, now) > LAG_GUARD.quietLagMs;
    }
    const s = sku(u.sellerSku);
    s.committed = Math.max(0, s.committed + u.delta);
    if (u.delta > 0) s.soldSincePush = (s.soldSincePush ?? 0) + u.delta;
    if (u.delta < 0 && u.reason !== 'shipped' && u.reason !== 'dispatched')
      s.cancelledSincePush = (s.cancelledSincePush ?? 0) - u.delta;
    else if (u.delta < 0) s.shippedUnits = (s.shippedUnits ?? 0) - u.delta;
    // A sale on TikTok (TikTok already took the units off its count) and a shipment (the warehouse's count follows)
    // start no round unless the sale sells the SKU out; cancellations and unknown counts still do.
    if (guardUp || unitsNeedRound(u, s)) dirty = true;
  });
  setHandler(getInventoryFeedQuery, () => state);

  function level(s: { onHand: Record<string, number>; sequences?: Record<string, number> }, warehouseId: string) {
    return { onHand: s.onHand[warehouseId] ?? 0, sequence: s.sequences?.[warehouseId] ?? 0 };
  }

  const historyIsLarge = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > maxEvents;
  };

  for (;;) {
    // Continue-as-new whenever the history is large, dirty or not: under a steady stream of signals the feed is
    // always dirty, and waiting for a quiet moment let its history grow without bound. Everything pending goes
    // along (dirty, the retry time), so the next run does exactly what this one would have done.
    if (historyIsLarge()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof inventoryFeed>({
        ...input,
        carried: { ...state, dirty, ...(recheckAt === undefined ? {} : { recheckAt }) },
      });
      return;
    }
    const timeout = recheckAt === undefined ? undefined : Math.max(0, recheckAt - Date.now());
    const woke =
      timeout === undefined
        ? (await condition(() => dirty || historyIsLarge()), true)
        : await condition(() => dirty || historyIsLarge(), timeout);
    if (!woke) dirty = true; // an unconfirmed push is due for another try
    if (!dirty) continue; // the history grew large while idle
    if (historyIsLarge()) continue; // continue-as-new first; the round runs in the next run
    // Coalesce: the events of a burst become one push with the latest numbers.
    await sleep(coalesceMs);
    dirty = false;
    recheckAt = undefined;
    try {
      if (await sync()) recheckAt = Date.now() + recheckMs;
    } catch (err) {
      // A failed round (shop not connected, a TikTok refusal) must not end a long-lived feed: try again later.
      if (!(err instanceof ActivityFailure)) throw err;
      state.listing = state.listing === 'active' ? 'unknown' : state.listing;
      state.lastError = err.cause?.message ?? err.message;
      recheckAt = Date.now() + recheckMs;
    }
  }

  /** One round: read stock, plan, then push / deactivate / re-activate. Returns true when something is unconfirmed. */
  async function sync(): Promise<boolean> {
    const snap = await localSnapshot(ref);
    const stock: SkuStock[] = snap.skus.map((s) => ({ ...s, committed: sku(s.sellerSku).committed }));
    const onHand = Object.fromEntries(
      stock.map((s) => [s.sellerSku, Object.values(s.onHand).reduce((a, q) => a + q, 0)]),
    );
    for (const s of snap.skus) {
      const feed = sku(s.sellerSku);
      feed.version = Math.max(feed.version, s.feedVersion);
      if (s.sequences) {
        const levels = feed.known?.levels ?? {};
        mergeLevels(levels, Object.fromEntries(s.warehouseIds.map((w) => [w, level(s, w)])));
        feed.known = { warehouseIds: s.warehouseIds, buffer: s.safetyBuffer, levels };
      }
    }
    const settings = { ...snap.settings, zeroAccepted: snap.settings.zeroAccepted && !state.zeroRefused };
    // Lagging: hold back what other channels are expected to sell before TikTok's count catches up (lagGuard.ts).
    const now = Date.now();
    margins = {};
    for (const s of snap.skus) {
      const feed = sku(s.sellerSku);
      feed.sales = observeSku(feed.sales, { now, onHand: onHand[s.sellerSku] ?? 0, shipped: feed.shippedUnits ?? 0 });
      margins[s.sellerSku] = lagMargin(state.lag, feed.sales, now);
    }
    const plan = guardPlan(stock, settings, margins);
    state.lastPlan = plan;
    state.lastSyncAt = new Date().toISOString();
    const eventAt = Object.fromEntries(snap.skus.map((s) => [s.sellerSku, s.stockEventAt]));
    if (plan.targets.length === 0) return false;

    if (state.listing === 'unknown' || state.listing === 'inactive_elsewhere') {
      const status = await readProductListing(ref);
      state.listing =
        status === 'ACTIVATE'
          ? 'active'
          : status === 'PENDING' && state.listing === 'unknown'
            ? 'awaiting_audit'
            : 'inactive_elsewhere';
    }
    if (state.listing === 'inactive_elsewhere') {
      // Deactivated by someone else (seller, platform) or not live: not ours to re-list. Read it again next time.
      return false;
    }

    if (plan.deactivate) {
      let unconfirmed = false;
      // With 0 accepted, the quantities go first: the fastest way off the feed, then the deactivation.
      if (state.listing === 'active' && settings.zeroAccepted) unconfirmed = await push(plan, eventAt, onHand);
      if (state.listing === 'active' || state.listing === 'awaiting_audit') {
        const outSkus = plan.targets.filter((t) => t.available === 0 || t.inventory === null);
        const targets = outSkus.length > 0 ? outSkus : plan.targets;
        const out = await urgentActivities.setProductListing({
          ...ref,
          action: 'deactivate',
          reason: plan.reason ?? 'out of stock',
          skus: targets.map((t) => ({
            sellerSku: t.sellerSku,
            skuId: t.skuId,
            quantity: 0,
            version: ++sku(t.sellerSku).version,
            stockEventAt: eventAt[t.sellerSku] ?? null,
          })),
          urgent: true,
        });
        if (!out.accepted) {
          state.listing = 'unknown';
          return true;
        }
        const confirmed = await confirmListing('deactivated', out.logIds);
        if (confirmed) state.listing = 'deactivated_by_feed';
        for (const t of plan.targets) sku(t.sellerSku).pushed = undefined;
        return unconfirmed || !confirmed;
      }
      return unconfirmed;
    }

    if (state.listing === 'deactivated_by_feed') {
      const out = await setProductListing({
        ...ref,
        action: 'activate',
        reason: 'restocked',
        skus: plan.targets.map((t) => ({
          sellerSku: t.sellerSku,
          skuId: t.skuId,
          quantity: t.available,
          version: sku(t.sellerSku).version,
          stockEventAt: eventAt[t.sellerSku] ?? null,
        })),
        urgent: false,
      });
      if (!out.accepted) {
        state.listing = 'unknown';
        return true;
      }
      state.listing = 'awaiting_audit';
    }
    if (state.listing === 'awaiting_audit') {
      // Re-activated products go through audit again (Activate Product, ref §7.2 in docs/tiktok-shop-api-sources.md):
      // read the status back on a timer until it is ACTIVATE; a new stock event interrupts the wait so the plan is made
      // again.
      for (;;) {
        const status = await readProductListing(ref);
        if (status === 'ACTIVATE') {
          state.listing = 'active';
          break;
        }
        if (status !== 'PENDING') {
          state.listing = 'inactive_elsewhere';
          return false;
        }
        if (await condition(() => dirty, auditPollMs)) return false;
      }
    }
    return push(plan, eventAt, onHand);
  }

  /** Pushes every SKU whose target differs from what TikTok was last told (or was never confirmed). */
  async function push(
    plan: ProductPlan,
    eventAt: Record<string, string | null>,
    onHand: Record<string, number>,
  ): Promise<boolean> {
    const changed = plan.targets.filter((t) => {
      if (t.inventory === null) return false;
      const last = sku(t.sellerSku).pushed;
      return !last || !last.confirmed || JSON.stringify(last.inventory) !== JSON.stringify(t.inventory);
    });
    if (changed.length === 0) return false;
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
    // Push and read-back are one activity (its own confirmation loop): a third of the server's work per push.
    const result = await (urgent ? urgentActivities.pushAndConfirmInventory : pushAndConfirmInventory)({
      ...ref,
      skus: items.map((i) => {
        const last = sku(i.sellerSku).pushed;
        return {
          ...i,
          lastPushedTotal: last ? totalQuantity(last.inventory) : undefined,
          seenSoldSincePush: seenSold[i.sellerSku],
          allowIncrease:
            sku(i.sellerSku).onHandAtPush === undefined ||
            (onHand[i.sellerSku] ?? 0) > sku(i.sellerSku).onHandAtPush! ||
            cancelled[i.sellerSku]! > 0 ||
            // the lag guard held back more at the last push than now: those units may go back on sale
            (sku(i.sellerSku).sales?.marginAtPush ?? 0) > (margins[i.sellerSku] ?? 0),
        };
      }),
      urgent,
      confirmAttempts: CONFIRM_ATTEMPTS,
      confirmIntervalMs: CONFIRM_INTERVAL_MS,
    });
    // Orders heard of while the push was out count toward the next one.
    for (const i of items) {
      const s = sku(i.sellerSku);
      s.soldSincePush = (s.soldSincePush ?? 0) - seenSold[i.sellerSku]!;
      s.cancelledSincePush = (s.cancelledSincePush ?? 0) - cancelled[i.sellerSku]!;
      if (result.logIds[i.sellerSku] !== undefined) {
        s.onHandAtPush = onHand[i.sellerSku];
        if (s.sales) s.sales.marginAtPush = margins[i.sellerSku] ?? 0;
      }
    }
    state.unseenSold = (state.unseenSold ?? 0) + Object.values(result.unseenSold).reduce((a, b) => a + b, 0);
    if (result.productInactive) {
      state.listing = 'unknown';
      dirty = true;
      return true;
    }
    if (result.zeroRefused) {
      state.zeroRefused = true;
      dirty = true;
    }
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
    return pending.length > 0 || result.failed.length > 0;
  }

  async function confirmListing(expect: 'deactivated' | 'active', logIds: string[]): Promise<boolean> {
    for (let attempt = 0; attempt < CONFIRM_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(CONFIRM_INTERVAL_MS);
      const status = await readProductListing({
        ...ref,
        confirm: { expect, logIds, final: attempt === CONFIRM_ATTEMPTS - 1 },
      });
      if (expect === 'deactivated' ? status.endsWith('DEACTIVATED') : status === 'ACTIVATE') return true;
    }
    return false;
  }
}
