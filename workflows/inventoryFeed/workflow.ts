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
import { getInventoryFeedQuery, stockChangedSignal, unitsCommittedSignal, type InventoryFeedInput } from './messages';
import { applyStockChange, applyUnitsCommitted, skuState, startingState } from './feedState';
import { activationSkus, deactivationSkus, listingAfterRead, planRound, type RoundPlan } from './round';
import { preparePush, recordPush } from './pushRound';

const DEFAULT_COALESCE_MS = 1_000;
const DEFAULT_AUDIT_POLL_MS = 30_000;
const DEFAULT_MAX_HISTORY_EVENTS = 5_000;
const CONFIRM_ATTEMPTS = 6;
const CONFIRM_INTERVAL_MS = 1_000;
const UNCONFIRMED_RECHECK_MS = 60_000;

/**
 * One long-lived workflow per TikTok product (all its variants): keeps TikTok's quantities equal to what the
 * warehouse can sell, pushes 0 (or deactivates) when a variant sells out and confirms it by reading TikTok back,
 * re-activates after a restock (through audit) and pushes the quantities again.
 */
export async function inventoryFeed(input: InventoryFeedInput): Promise<void> {
  const start = startingState(input.carried);
  const state = start.state;
  let { dirty, recheckAt } = start;
  const coalesceMs = input.coalesceMs ?? DEFAULT_COALESCE_MS;
  const recheckMs = input.recheckMs ?? UNCONFIRMED_RECHECK_MS;
  const auditPollMs = input.auditPollMs ?? DEFAULT_AUDIT_POLL_MS;
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const ref = { shopId: input.shopId, productId: input.productId };

  setHandler(stockChangedSignal, (change) => {
    if (applyStockChange(state, change, Date.now())) dirty = true;
  });
  setHandler(unitsCommittedSignal, (u) => {
    if (applyUnitsCommitted(state, u, Date.now())) dirty = true;
  });
  setHandler(getInventoryFeedQuery, () => state);

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
    const round = planRound(state, snap, Date.now());
    const { plan, settings } = round;
    if (plan.targets.length === 0) return false;

    if (state.listing === 'unknown' || state.listing === 'inactive_elsewhere') {
      state.listing = listingAfterRead(state.listing, await readProductListing(ref));
    }
    if (state.listing === 'inactive_elsewhere') {
      // Deactivated by someone else (seller, platform) or not live: not ours to re-list. Read it again next time.
      return false;
    }

    if (plan.deactivate) {
      let unconfirmed = false;
      // With 0 accepted, the quantities go first: the fastest way off the feed, then the deactivation.
      if (state.listing === 'active' && settings.zeroAccepted) unconfirmed = await push(round);
      if (state.listing === 'active' || state.listing === 'awaiting_audit') {
        const out = await urgentActivities.setProductListing({
          ...ref,
          action: 'deactivate',
          reason: plan.reason ?? 'out of stock',
          skus: deactivationSkus(state, round),
          urgent: true,
        });
        if (!out.accepted) {
          state.listing = 'unknown';
          return true;
        }
        const confirmed = await confirmListing('deactivated', out.logIds);
        if (confirmed) state.listing = 'deactivated_by_feed';
        for (const t of plan.targets) skuState(state, t.sellerSku).pushed = undefined;
        return unconfirmed || !confirmed;
      }
      return unconfirmed;
    }

    if (state.listing === 'deactivated_by_feed') {
      const out = await setProductListing({
        ...ref,
        action: 'activate',
        reason: 'restocked',
        skus: activationSkus(state, round),
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
    return push(round);
  }

  /** Pushes every SKU whose target differs from what TikTok was last told; true when something is unconfirmed. */
  async function push(round: RoundPlan): Promise<boolean> {
    const prepared = preparePush(state, round);
    if (!prepared) return false;
    // Push and read-back are one activity (its own confirmation loop): a third of the server's work per push.
    const result = await (prepared.urgent ? urgentActivities.pushAndConfirmInventory : pushAndConfirmInventory)({
      ...ref,
      skus: prepared.skus,
      urgent: prepared.urgent,
      confirmAttempts: CONFIRM_ATTEMPTS,
      confirmIntervalMs: CONFIRM_INTERVAL_MS,
    });
    const outcome = recordPush(state, prepared, round, result);
    if (outcome.roundAgain) dirty = true;
    return outcome.unconfirmed;
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
