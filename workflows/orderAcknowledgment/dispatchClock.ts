import type { orderActivities } from './proxies';
import type { OrderOutcome, OrderView } from './messages';
import { DISPATCHED_STATUSES } from './orderStatus';
import type { OrderClocks, OrderSnapshot } from './types';

/** What the dispatch clock of one order has recorded so far (each fact once). */
export interface DispatchClockState {
  readyToShipRecorded: boolean;
  lateRecorded: boolean;
}

export interface DispatchClockContext {
  shopId: string;
  orderId: string;
  view: OrderView;
  deadlines: OrderClocks['deadlines'];
  shippedAt: string | undefined;
  state: DispatchClockState;
  /** Remote activities (TikTok, notifications) and the PostgreSQL-only ones as local activities. */
  acts: typeof orderActivities;
  local: typeof orderActivities;
  /** The read that saw the carrier scan already recorded its tracking events (readDispatchedOrder). */
  trackingRecorded?: boolean;
}

/** Escalations at the policy offsets before the carrier-scan deadline; the deadline itself marks the order late. */
export async function watchClocks(ctx: DispatchClockContext): Promise<void> {
  const { shopId, orderId, view, deadlines: d, shippedAt, state, acts, local } = ctx;
  if (!d || !view.acknowledged || view.cancellation?.outcome === 'approved') return;
  if (shippedAt && !state.readyToShipRecorded) {
    state.readyToShipRecorded = true;
    const onTime = Date.parse(shippedAt) <= Date.parse(d.readyToShipBy);
    const rts = { shopId, orderId, deadline: d.readyToShipBy, occurredAt: shippedAt, onTime };
    await local.recordDispatchEvent({ ...rts, kind: 'ready_to_ship' });
  }
  if (state.lateRecorded) return;
  const now = Date.now();
  const due = Date.parse(d.carrierScanBy);
  if (now >= due) {
    state.lateRecorded = true;
    view.risk = 'late';
    const occurredAt = new Date(now).toISOString();
    await local.recordDispatchEvent({ shopId, orderId, kind: 'late', deadline: d.carrierScanBy, occurredAt });
    await acts.raiseOpsTask({
      shopId,
      orderId,
      kind: 'late_dispatch',
      severity: 'critical',
      title: `Order ${orderId} missed its dispatch deadline`,
      body: `No carrier scan by ${d.carrierScanBy}: this counts as a late dispatch.${shippedAt ? ' The package is marked shipped; chase the carrier.' : ' Ship it now.'}`,
      dueAt: d.carrierScanBy,
    });
    return;
  }
  for (const e of d.escalations) {
    if (Date.parse(e.fireAt) > now || view.escalated.includes(e.offset)) continue;
    view.escalated.push(e.offset);
    view.risk = 'at_risk';
    await acts.raiseOpsTask({
      shopId,
      orderId,
      kind: `escalation:${e.offset}`,
      severity: e === d.escalations.at(-1) ? 'critical' : 'warning',
      title: `Order ${orderId}: ${e.offset} left to dispatch`,
      body: shippedAt
        ? `Marked shipped; waiting for the carrier scan, due ${d.carrierScanBy}.`
        : `Not yet shipped by the warehouse; the carrier must scan it by ${d.carrierScanBy}.`,
      dueAt: d.carrierScanBy,
    });
  }
}

/** The carrier scan: dispatched on time or late (and a near-miss after the last escalation), tracking recorded. */
export async function recordDispatch(ctx: DispatchClockContext, order: OrderSnapshot): Promise<OrderOutcome> {
  const { shopId, orderId, view, deadlines: d, shippedAt, acts, local, trackingRecorded } = ctx;
  const occurredAt = order.collectedAt ?? new Date().toISOString();
  if (!d) return { outcome: 'dispatched', status: order.status };
  const onTime = Date.parse(occurredAt) <= Date.parse(d.carrierScanBy);
  const detail = { escalated: view.escalated, deadlineSource: d.source, readyToShipBy: d.readyToShipBy, shippedAt };
  await local.recordDispatchEvent({
    shopId,
    orderId,
    kind: 'dispatched',
    deadline: d.carrierScanBy,
    occurredAt,
    onTime,
    detail,
  });
  const lastEscalation = Math.max(...d.escalations.map((e) => Date.parse(e.fireAt)));
  if (onTime && Date.parse(occurredAt) >= lastEscalation) {
    await local.recordDispatchEvent({
      shopId,
      orderId,
      kind: 'near_miss',
      deadline: d.carrierScanBy,
      occurredAt,
      onTime,
      detail,
    });
  }
  if (!trackingRecorded) await acts.recordTracking({ shopId, orderId });
  return { outcome: 'dispatched', status: order.status, onTime };
}

/** Statuses in which the package is marked shipped: what is due next is the carrier scan. */
const MARKED_SHIPPED: readonly string[] = ['AWAITING_COLLECTION', ...DISPATCHED_STATUSES];

/**
 * The order's NextDeadline (workflows/shared/searchAttributes.ts): ready to ship (marked shipped) until the package is marked
 * shipped, then the carrier scan; null once the order is done (nothing is due any more).
 */
export function nextDeadline(
  status: string,
  risk: OrderView['risk'],
  d: Pick<NonNullable<OrderClocks['deadlines']>, 'readyToShipBy' | 'carrierScanBy'>,
): string | null {
  if (risk === 'done') return null;
  return MARKED_SHIPPED.includes(status) ? d.carrierScanBy : d.readyToShipBy;
}
