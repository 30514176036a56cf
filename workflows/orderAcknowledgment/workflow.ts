import { allHandlersFinished, condition, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { deadlinePassed, humanStepBook } from '../shared/humanSteps';
import { upsertCaseAttributes } from '../shared/searchAttributes';
import { deadlinePriority, URGENT, urgentBudgetDeadline } from '../shared/taskPriority';
import {
  answerCancellation,
  cancellationDecideBy,
  type CancellationContext,
  type WarehouseAnswer,
} from './cancellation';
import { checkCancellationDecision, checkShipmentRequest } from './decisions';
import {
  nextDeadline,
  recordDispatch,
  watchClocks,
  type DispatchClockContext,
  type DispatchClockState,
} from './dispatchClock';
// `local`: the PostgreSQL-only steps as local activities, fewer Temporal actions per order (proxies.ts).
import {
  orderActivities as acts,
  orderActivitiesWith,
  orderLocalActivities as local,
  orderUrgentLocal,
} from './proxies';
import { reusableWakeTimer } from './wakeTimer';
import {
  addressUpdatedSignal,
  cancellationChangedSignal,
  cancellationStepKey,
  cancellationDecisionUpdate,
  DISPATCH_STEP_KEY,
  getOrderQuery,
  orderStatusChangedSignal,
  packageUpdatedSignal,
  shippedUpdate,
  type CancellationDecision,
  type CancellationDecisionResult,
  type OrderAcknowledgmentInput,
  type OrderOutcome,
  type OrderView,
  type ShipmentRequest,
  type ShippedPackage,
} from './messages';
import { DISPATCHED_STATUSES, forwardStatus, SHIPPABLE_STATUSES } from './orderStatus';
import type { HeldOrderLine, OrderClocks, OrderSnapshot } from './types';

const DISPATCHED = DISPATCHED_STATUSES;
const SHIPPABLE = SHIPPABLE_STATUSES;
const BEFORE_FULFILMENT = ['UNPAID', 'ON_HOLD'];

type OrderEvent = 'status' | 'cancellation' | 'address' | 'package';

/**
 * One workflow per order (`order:<shopId>:<orderId>`), inside TikTok's clocks:
 * wait out payment and the remorse window → hand the order to the warehouse → escalate before the dispatch deadline
 * → mark it shipped on TikTok when the warehouse says so → follow the carrier scan → record dispatch on time or late.
 * Cancellation requests are answered before their own deadline; fulfilled-by-TikTok orders are only tracked.
 */
export async function orderAcknowledgment(input: OrderAcknowledgmentInput): Promise<OrderOutcome> {
  const { shopId, orderId } = input;
  const events: OrderEvent[] = [];
  const signalledStatuses: string[] = [];
  let published = '';
  const wakeOrClock = reusableWakeTimer();
  // Filled by the first read below; handlers are registered first so queries and signals are never refused.
  let order: OrderSnapshot = {
    orderId,
    status: 'UNKNOWN',
    region: '',
    fulfilledByTikTok: false,
    shippingType: 'SELLER',
    lineItemIds: [],
    packages: [],
  };
  let clocks: OrderClocks = { pollEveryMs: 0, cancellationDecisionMarginMs: 0 };
  const view: OrderView = {
    shopId,
    orderId,
    state: order.status,
    risk: 'on_track',
    fulfilledByTikTok: false,
    acknowledged: false,
    escalated: [],
    packages: [],
  };
  let shippedAt: string | undefined;
  const dispatchState: DispatchClockState = { readyToShipRecorded: false, lateRecorded: false };
  let warehouseAnswer: WarehouseAnswer | undefined;
  /** The order's human steps (docs/case-contract.md): the warehouse's cancellation answer, shipping in time. */
  const steps = humanStepBook({ shopId, caseId: orderId, workflowId: workflowInfo().workflowId });
  let changed = false;
  let nextPollAt = 0;
  let held: HeldOrderLine[] = [];
  let heldEarly = false;
  let handedOffOnRead = false;
  let trackingRecorded = false;
  /** Set by finish(): the order's end state; a warehouse answer still waiting for its request is settled by it. */
  let closedAs: string | undefined;

  setHandler(orderStatusChangedSignal, (change) => {
    events.push('status');
    signalledStatuses.push(change?.status ?? '');
  });
  setHandler(cancellationChangedSignal, () => void events.push('cancellation'));
  setHandler(addressUpdatedSignal, () => void events.push('address'));
  setHandler(packageUpdatedSignal, () => void events.push('package'));
  setHandler(getOrderQuery, () => view);
  const shipments = new Map<string, Promise<ShippedPackage[]>>();
  setHandler(
    shippedUpdate,
    async (request) => {
      // Who reported it does not make it another shipment.
      const { decidedBy: _by, ...shipment } = request;
      const key = JSON.stringify(shipment);
      // A repeated report (the warehouse retrying while the first waits in the rate budget) joins the first.
      const same = shipments.get(key);
      if (same) return same;
      const run = ship(request);
      shipments.set(key, run);
      return run.then(
        (shipped) => {
          view.shipmentError = undefined;
          return shipped;
        },
        (err: unknown) => {
          shipments.delete(key); // a failed report may be sent again
          // Shown by the order's view: a caller that did not wait for the outcome (202) sees it there.
          view.shipmentError = { at: new Date().toISOString(), message: failureMessage(err) };
          throw err;
        },
      );
    },
    {
      validator: (request: ShipmentRequest) => {
        checkShipmentRequest(request);
        if (order.fulfilledByTikTok) throw new Error('the order is fulfilled by TikTok: nothing to ship');
        if (!view.acknowledged) throw new Error(`the order is ${order.status} and not yet handed to the warehouse`);
        if (order.status === 'CANCELLED' || view.cancellation?.outcome === 'approved')
          throw new Error('the order is cancelled');
        if (DISPATCHED.includes(order.status)) throw new Error(`the order is already ${order.status}`);
      },
    },
  );
  setHandler(
    cancellationDecisionUpdate,
    async ({ stopped, decidedBy }): Promise<CancellationDecisionResult> => {
      // The answer is about the request pending now (the validator checked there is one). A later read can drop it
      // (withdrawn by the buyer) or replace it (a new request) before the main loop decides: the wait ends then too,
      // or the HTTP call would hang and finish() would wait on allHandlersFinished forever (issue 12, item 1).
      const { cancelId } = view.cancellation!;
      warehouseAnswer = { stopped, decidedBy, at: new Date().toISOString() };
      changed = true;
      await condition(
        () =>
          closedAs !== undefined ||
          view.cancellation?.cancelId !== cancelId ||
          view.cancellation?.outcome !== undefined,
      );
      const c = view.cancellation;
      if (c?.cancelId === cancelId && c.outcome) return { outcome: c.outcome, reason: c.reason, cancelId };
      if (c && c.cancelId !== cancelId)
        return { outcome: 'superseded', reason: `request ${cancelId} was replaced by ${c.cancelId}`, cancelId };
      if (closedAs !== undefined)
        return { outcome: 'superseded', reason: `the order closed as ${closedAs} before a decision`, cancelId };
      return {
        outcome: 'withdrawn',
        reason: `request ${cancelId} is no longer pending on TikTok (order ${order.status})`,
        cancelId,
      };
    },
    {
      validator: (decision: CancellationDecision) => {
        checkCancellationDecision(decision);
        const c = view.cancellation;
        if (!c || !view.acknowledged) throw new Error('no cancellation request is waiting for the warehouse');
        // From its human step's due time the workflow decides by rule (whether or not it has done so yet).
        const decideBy = c.deadline ? Date.parse(c.deadline) - clocks.cancellationDecisionMarginMs : undefined;
        if (decideBy !== undefined && Date.now() >= decideBy)
          throw deadlinePassed(
            `the answer was due by ${new Date(decideBy).toISOString()}; the request is decided by rule now`,
          );
        if (c.outcome) throw new Error(`the cancellation request was already ${c.outcome}`);
      },
    },
  );

  /** Marks the reported packages shipped on TikTok (or ships with TikTok Shipping) and releases their held units. */
  async function ship(request: ShipmentRequest): Promise<ShippedPackage[]> {
    const deadline = clocks.deadlines?.carrierScanBy;
    // Fulfilment calls leave the task queue by deadline (the rate budget then serves them earliest first).
    const fulfilment = orderActivitiesWith(deadlinePriority(clocks.taskPriority, deadline, Date.now()));
    const shipped = request.tiktokShipping
      ? await fulfilment.shipWithTikTok({ shopId, orderId, lineItemIds: request.lineItemIds, deadline })
      : await fulfilment.shipPackages({
          shopId,
          orderId,
          warehouseId: order.warehouseId,
          packages: request.packages,
          deadline,
        });
    for (const pkg of shipped) {
      view.packages = [...view.packages.filter((p) => p.packageId !== pkg.packageId), pkg];
    }
    shippedAt ??= new Date().toISOString();
    changed = true;
    await steps.close(DISPATCH_STEP_KEY, 'decided', {
      decidedBy: request.decidedBy,
      decidedAt: shippedAt,
      decision: { packages: shipped.map((p) => p.packageId) },
    });
    const lineItemIds = request.tiktokShipping
      ? request.lineItemIds
      : request.packages.some((p) => !p.lineItemIds)
        ? undefined
        : request.packages.flatMap((p) => p.lineItemIds ?? []);
    await releaseHeld('shipped', lineItemIds);
    return shipped;
  }

  /** Reads the order back; `handOff` and `tracking` do the step the read leads to in the same activity. */
  async function refresh(step?: 'first' | 'handOff' | 'tracking'): Promise<void> {
    const deadline = clocks.deadlines?.carrierScanBy;
    if (step === 'handOff') {
      const out = await orderUrgentLocal.readAndHandOff({ shopId, orderId, deadline });
      order = out.order;
      handedOffOnRead = out.handedOff;
      if (out.referenceError)
        log.warn('external order reference not registered', { orderId, error: out.referenceError });
    } else if (step === 'tracking') {
      const out = await acts.readDispatchedOrder({ shopId, orderId, deadline });
      order = out.order;
      trackingRecorded = DISPATCHED.includes(order.status);
    } else if (step === 'first') {
      order = await orderUrgentLocal.readOrder(shopId, orderId, urgentBudgetDeadline(undefined, Date.now()));
    } else {
      order = await acts.readOrder(shopId, orderId, deadline);
    }
    view.fulfilledByTikTok = order.fulfilledByTikTok;
    if (clocks.pollEveryMs === 0 || (!clocks.deadlines && order.paidAt)) clocks = await local.planOrderClocks(order);
    const request = order.cancellation;
    const before = view.cancellation;
    if (request && request.cancelId !== before?.cancelId) {
      view.cancellation = { ...request, waitingForWarehouse: false };
      warehouseAnswer = undefined;
      if (before) await steps.close(cancellationStepKey(before.cancelId), 'superseded');
    } else if (!request && before && !before.outcome) {
      view.cancellation = undefined; // withdrawn by the buyer (or answered elsewhere)
      await steps.close(cancellationStepKey(before.cancelId), 'withdrawn');
    }
    // The safety-net poll keeps its cadence instead of moving with every read, so its timer survives webhooks.
    if (nextPollAt <= Date.now()) nextPollAt = Date.now() + clocks.pollEveryMs;
  }

  function publish(): void {
    view.state = order.status;
    const d = clocks.deadlines;
    view.readyToShipBy = d?.readyToShipBy;
    view.carrierScanBy = d?.carrierScanBy;
    const current = [order.status, view.risk, d?.readyToShipBy, d?.carrierScanBy].join('|');
    if (current === published) return; // search attributes are upserted only when they change
    published = current;
    upsertCaseAttributes({
      shopId,
      caseId: orderId,
      stage: order.status,
      risk: view.risk,
      ...(d ? { nextDeadline: nextDeadline(order.status, view.risk, d), hardDeadline: d.carrierScanBy } : {}),
    });
  }

  /** Waits for a webhook, an update or the next clock; returns after reading the order back when one is due. */
  async function waitForNext(wakeAt: number[]): Promise<void> {
    const next = Math.min(nextPollAt, ...wakeAt.filter((t) => t > Date.now()));
    const woken = await wakeOrClock(next, () => events.length > 0 || changed);
    // A clock read before the hand-off hands off on the same read when it finds the order shippable.
    const mayHandOff = !view.acknowledged && !view.cancellation && !order.fulfilledByTikTok;
    changed = false;
    const pending = events.splice(0);
    const statuses = signalledStatuses.splice(0);
    if (pending.includes('address') && view.acknowledged) await tellWarehouse(false);
    // A status webhook that repeats what the last read said (a duplicate delivery, a reconciliation pass) is news
    // to nobody; anything else is read back from TikTok (the source of truth), as is every clock.
    const repeated = (e: OrderEvent) =>
      e === 'address' || (e === 'status' && statuses.every((s) => s === order.status));
    if (woken && pending.every(repeated)) return;
    if (!woken) return refresh(mayHandOff ? 'handOff' : undefined);
    // A status webhook that moves the order forward is taken at its word where the step needs nothing else (shipped →
    // AWAITING_COLLECTION); where it does, the read and the step are one activity (hand-off, tracking).
    const ahead = pending.every((e) => e === 'status') && forwardStatus(order.status, statuses);
    if (ahead === 'AWAITING_COLLECTION' && view.acknowledged) order = { ...order, status: ahead };
    else if (ahead && SHIPPABLE.includes(ahead) && mayHandOff) await refresh('handOff');
    else if (ahead && DISPATCHED.includes(ahead) && !order.fulfilledByTikTok) await refresh('tracking');
    else await refresh();
  }

  /** The outbox row and its WMS delivery in one activity; the first hand-off also links the order on TikTok. */
  async function tellWarehouse(cancelled: boolean, firstHandOff = false): Promise<void> {
    const out = await (firstHandOff ? orderActivitiesWith({ priority: URGENT }) : acts).handOffToWarehouse({
      shopId,
      orderId,
      cancelled,
      reuseRecentRead: firstHandOff,
      registerReference: firstHandOff,
      deadline: clocks.deadlines?.carrierScanBy,
    });
    if (out.referenceError) log.warn('external order reference not registered', { orderId, error: out.referenceError });
  }

  /** Releases held units (all, or these line items'); taken off `held` before the call so none is released twice. */
  async function releaseHeld(reason: 'shipped' | 'cancelled' | 'dispatched', lineItemIds?: string[]): Promise<void> {
    const lines = held.filter((l) => !lineItemIds || lineItemIds.includes(l.lineItemId));
    if (lines.length === 0) return;
    held = held.filter((l) => !lines.includes(l));
    await local.releaseOrderUnits({ shopId, orderId, lines, reason });
  }

  async function finish(outcome: OrderOutcome): Promise<OrderOutcome> {
    await releaseHeld(outcome.outcome === 'cancelled' ? 'cancelled' : 'dispatched');
    // What was still asked of a person is moot now (the order went or was cancelled another way).
    await steps.closeAll(outcome.outcome === 'cancelled' ? 'withdrawn' : 'superseded');
    view.risk = 'done';
    publish();
    closedAs = outcome.status;
    await condition(allHandlersFinished);
    return outcome;
  }

  // 1. Nothing is done before payment or during the buyer-remorse window (ON_HOLD); the status webhook ends the wait,
  //    a timer at the end of the window reads the order back in case the webhook was lost.
  await refresh('first');
  publish();
  if (
    !order.fulfilledByTikTok &&
    order.lines !== undefined &&
    (BEFORE_FULFILMENT.includes(order.status) || SHIPPABLE.includes(order.status))
  ) {
    // TikTok took the units off its stock when the order was placed: they are held from the first read (through
    // payment and the remorse window), so a stock push in between cannot offer them again. The feed's hold, and the
    // warehouse's reservation (integrations/wms.ts) in the same call.
    held = await local.commitOrderUnits({ shopId, orderId, lines: order.lines, soldAt: order.paidAt });
    heldEarly = true;
  }
  let onHoldRechecks = 0;
  while (BEFORE_FULFILMENT.includes(order.status)) {
    const d = clocks.deadlines;
    const remorseEnd = d ? Date.parse(d.remorseCheckAt || d.remorseEndsAt) : 0;
    // Still ON_HOLD after the window (read too early, or TikTok holds it longer): read again, each wait doubling.
    const recheck = clocks.onHoldRecheckMs && remorseEnd <= Date.now();
    const wakeAt = recheck
      ? Date.now() + Math.min(clocks.pollEveryMs, clocks.onHoldRecheckMs! * 2 ** onHoldRechecks++)
      : remorseEnd;
    await waitForNext(order.status === 'ON_HOLD' ? [wakeAt] : []);
    publish();
  }

  // 2. Fulfilled by TikTok: tracked, never acted on.
  if (order.fulfilledByTikTok) {
    while (order.status !== 'CANCELLED' && !DISPATCHED.includes(order.status)) {
      await waitForNext([]);
      publish();
    }
    return finish({ outcome: order.status === 'CANCELLED' ? 'cancelled' : 'fbt_tracked', status: order.status });
  }

  // 3. Seller fulfilment, until the carrier scan or a cancellation.
  for (;;) {
    if (order.status === 'CANCELLED') {
      if (view.acknowledged) await tellWarehouse(true);
      return finish({ outcome: 'cancelled', status: order.status });
    }
    if (DISPATCHED.includes(order.status)) return finish(await recordDispatch(dispatchClock(), order));
    if (view.cancellation && !view.cancellation.outcome) await answerCancellation(cancellationContext());
    else if (!view.acknowledged && SHIPPABLE.includes(order.status) && view.cancellation?.outcome !== 'approved')
      await acknowledge();
    else if (!view.acknowledged && order.status === 'AWAITING_COLLECTION') shippedAt ??= new Date().toISOString();
    if (order.status === 'CANCELLED' || DISPATCHED.includes(order.status)) continue;
    await watchClocks(dispatchClock());
    publish();
    const d = clocks.deadlines;
    const decideBy = cancellationDecideBy(view, clocks.cancellationDecisionMarginMs);
    await waitForNext([
      ...(d && !dispatchState.lateRecorded
        ? [Date.parse(d.carrierScanBy), ...d.escalations.map((e) => Date.parse(e.fireAt))]
        : []),
      ...(decideBy !== undefined ? [decideBy] : []),
    ]);
  }

  /** Hands the order to the warehouse (outbox row, WMS) and links it on TikTok (Add External Order References). */
  async function acknowledge(): Promise<void> {
    if (!handedOffOnRead) await tellWarehouse(false, true);
    view.acknowledged = true;
    // Units handed to the warehouse are committed on the product's inventory feed until shipped or cancelled (when
    // the first read could not hold them).
    if (!heldEarly) held = await local.commitOrderUnits({ shopId, orderId });
  }

  function dispatchClock(): DispatchClockContext {
    const deadlines = clocks.deadlines;
    return { shopId, orderId, view, deadlines, shippedAt, state: dispatchState, acts, local, trackingRecorded, steps };
  }

  function cancellationContext(): CancellationContext {
    const decisionMarginMs = clocks.cancellationDecisionMarginMs;
    return { shopId, orderId, view, warehouseAnswer, shippedAt, decisionMarginMs, refresh, acts, steps };
  }
}

/** The innermost message of an activity failure (the TikTok or validation reason, not "Activity task failed"). */
function failureMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(err);
}
