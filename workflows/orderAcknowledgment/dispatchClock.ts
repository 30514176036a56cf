import type { HumanStepBook } from '../shared/humanSteps';
import type { orderActivities } from './proxies';
import { DISPATCH_STEP_KEY, ORDER_DISPATCH_CASE, SHIPMENT_SCHEMA, type OrderOutcome, type OrderView } from './messages';
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
  /** The order's human steps: shipping it before the deadline is one (`dispatch`, update `shipped`). */
  steps: HumanStepBook;
}

/**
 * Opens (or raises) the order's dispatch step while the order is not marked shipped: a person may report the shipment
 * (update `shipped`); once it is marked shipped only the carrier scan is missing, which no update answers.
 */
async function openDispatchStep(
  ctx: DispatchClockContext,
  step: { title: string; severity: 'warning' | 'critical'; escalation: string },
): Promise<void> {
  const d = ctx.deadlines!;
  if (ctx.shippedAt) return;
  await ctx.steps.open({
    caseKind: ORDER_DISPATCH_CASE,
    stepKey: DISPATCH_STEP_KEY,
    updateName: 'shipped',
    title: step.title,
    inputSchema: SHIPMENT_SCHEMA,
    context: {
      orderId: ctx.orderId,
      readyToShipBy: d.readyToShipBy,
      carrierScanBy: d.carrierScanBy,
      escalation: step.escalation,
      note: 'Report the packages handed to the carrier, or {"tiktokShipping": true}; shipping late still counts.',
    },
    dueAt: d.carrierScanBy,
    severity: step.severity,
  });
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
    const title = `Order ${orderId} missed its dispatch deadline`;
    await openDispatchStep(ctx, { title, severity: 'critical', escalation: 'late' });
    await acts.notifyOperators({
      shopId,
      orderId,
      kind: 'late_dispatch',
      severity: 'critical',
      title,
      body: `No carrier scan by ${d.carrierScanBy}: this counts as a late dispatch.${shippedAt ? ' The package is marked shipped; chase the carrier.' : ' Ship it now.'}`,
    });
    return;
  }
  const fired = d.escalations.filter((e) => Date.parse(e.fireAt) <= now && !view.escalated.includes(e.offset));
  if (fired.length === 0) return;
  // Several due at once (the worker was down): the step is raised once, to the latest of them.
  const last = fired.at(-1)!;
  const severity = (e: typeof last) => (e === d.escalations.at(-1) ? 'critical' : 'warning');
  const title = (e: typeof last) => `Order ${orderId}: ${e.offset} left to dispatch`;
  view.escalated.push(...fired.map((e) => e.offset));
  view.risk = 'at_risk';
  await openDispatchStep(ctx, { title: title(last), severity: severity(last), escalation: last.offset });
  for (const e of fired) {
    await acts.notifyOperators({
      shopId,
      orderId,
      kind: `escalation:${e.offset}`,
      severity: severity(e),
      title: title(e),
      body: shippedAt
        ? `Marked shipped; waiting for the carrier scan, due ${d.carrierScanBy}.`
        : `Not yet shipped by the warehouse; the carrier must scan it by ${d.carrierScanBy}.`,
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
