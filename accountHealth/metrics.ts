/**
 * TikTok's fulfilment metrics from our own records (pure: the rows come from db/accountHealth.ts). Definitions per
 * seller-us.tiktok.com's guides as summarised in policy/dispatchRows.ts and policy/accountHealthRows.ts:
 * - LDR: seller-fulfilled orders not carrier-scanned by the dispatch deadline ÷ orders dispatched in the window;
 *   FBT orders count in the denominator only.
 * - VTR: dispatched orders with at least the minimum carrier scans ÷ dispatched orders; FBT and TikTok Shipping exempt.
 * - SFCR: orders cancelled through the seller's fault ÷ orders paid in the window; creator samples excluded.
 * - OTDR: orders delivered by their deliver-by time ÷ orders delivered in the window (seller-fulfilled ones).
 * - Response rate: not measured until buyer messaging is integrated.
 */
import type { DispatchFactRow, OrderHealthFacts } from '../db/accountHealth';
import { OFFENDING_ORDERS_CAP, type AccountMetric, type MetricKey, type MetricThreshold } from './model';
import type { PolicyReader } from './policyReader';

const DAY_MS = 86_400_000;

export interface MetricInputs {
  asOf: Date;
  facts: OrderHealthFacts[];
  dispatch: DispatchFactRow[];
  /** How many offending and pending orders each metric lists (default OFFENDING_ORDERS_CAP; an appeal lists all). */
  offendingCap?: number;
}

/** Whether a cancellation counts against the seller (SFCR): the seller's own, or TikTok's for a missed SLA. */
export function sellerFaultCancellation(f: Pick<OrderHealthFacts, 'cancelInitiator' | 'cancelReason' | 'paidAt'>) {
  const reason = f.cancelReason ?? '';
  // A seller cancelling at the buyer's request, or an order the buyer never paid, is not the seller's fault.
  if (f.cancelInitiator === 'SELLER') return !/buyer_requested|buyer_hasnt_paid/.test(reason);
  // TikTok's auto-cancellation of a paid order is for a missed SLA ("Guide to SFCR"); unpaid timeouts and anti-spam
  // blocks are not.
  if (f.cancelInitiator === 'SYSTEM') return f.paidAt !== null && !/unpaid|anti_spa/.test(reason);
  return false;
}

interface Counted {
  numerator: number;
  denominator: number;
  /** Orders against the metric, with the time they count at (newest first once sorted). */
  offending: { orderId: string; at: Date }[];
  excluded?: Partial<AccountMetric['excluded']>;
  note?: string;
  /** Orders that will count against the metric once TikTok counts them (AccountMetric.pendingOrderIds). */
  pending?: { orderId: string; at: Date }[];
}

/** The share of the rate that counts against the shop: the rate itself (max) or its complement (min). */
const badShare = (rate: number, direction: 'max' | 'min') => (direction === 'max' ? rate : 1 - rate);

/** Whether `rate` is past `t`: above a maximum, below a minimum. */
export const pastThreshold = (rate: number, t: Pick<MetricThreshold, 'direction' | 'value'>) =>
  t.direction === 'max' ? rate > t.value : rate < t.value;

function threshold(
  policy: PolicyReader,
  key: string,
  level: MetricThreshold['level'],
  direction: MetricThreshold['direction'],
): MetricThreshold[] {
  const row = policy.find<number>(key);
  return row ? [{ level, direction, value: row.value, policyKey: key, uncertain: row.uncertain === true }] : [];
}

function metric(
  key: MetricKey,
  name: string,
  asOf: Date,
  days: number,
  thresholds: MetricThreshold[],
  windowUncertain: boolean,
  counted: Counted,
  cap = OFFENDING_ORDERS_CAP,
): AccountMetric {
  const rate = counted.denominator === 0 ? null : counted.numerator / counted.denominator;
  let breached: AccountMetric['breached'] = 'none';
  for (const t of thresholds) {
    if (rate !== null && pastThreshold(rate, t) && breached !== 'enforcement') breached = t.level;
  }
  const newestFirst = (list: { orderId: string; at: Date }[]) =>
    [...list].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.orderId < b.orderId ? -1 : 1));
  const offending = newestFirst(counted.offending);
  const pending = counted.pending && newestFirst(counted.pending);
  return {
    key,
    name,
    status: rate === null ? 'no_orders' : 'measured',
    ...(counted.note ? { note: counted.note } : {}),
    rate,
    numerator: counted.numerator,
    denominator: counted.denominator,
    window: { days, from: new Date(asOf.getTime() - days * DAY_MS).toISOString(), to: asOf.toISOString() },
    thresholds,
    breached,
    offendingOrderIds: offending.slice(0, cap).map((o) => o.orderId),
    offendingTotal: offending.length,
    ...(pending ? { pendingOrderIds: pending.slice(0, cap).map((o) => o.orderId), pendingTotal: pending.length } : {}),
    excluded: { fbt: 0, creatorSample: 0, tiktokShipping: 0, ...counted.excluded },
    unverified: windowUncertain || thresholds.some((t) => t.uncertain),
  };
}

function notMeasured(key: MetricKey, name: string, asOf: Date, note: string, thresholds: MetricThreshold[] = []) {
  const m = metric(key, name, asOf, 0, thresholds, false, { numerator: 0, denominator: 0, offending: [] });
  return { ...m, status: 'not_measured' as const, note };
}

/**
 * In the window that starts at `from` and runs to the latest record: a window has no upper bound because TikTok's
 * clock (the emulator's, under compressed time) may be ahead of ours, and a scan it dates a second ahead still counts.
 */
const since = (at: Date | null, from: Date): at is Date => at !== null && at >= from;

/** The dispatched events of seller-fulfilled orders in [from, to], one per order. */
function dispatchedIn(inputs: MetricInputs, from: Date) {
  return inputs.dispatch.filter((d) => d.kind === 'dispatched' && since(d.occurred_at, from));
}

export function lateDispatchRate(policy: PolicyReader, inputs: MetricInputs): AccountMetric {
  const name = 'Late Dispatch Rate';
  const window = policy.find<number>('ldr.window.days');
  if (!window) return notMeasured('ldr', name, inputs.asOf, `no LDR policy for region ${policy.region}`);
  const from = new Date(inputs.asOf.getTime() - window.value * DAY_MS);
  const byId = new Map(inputs.facts.map((f) => [f.orderId, f]));
  const seller = dispatchedIn(inputs, from).filter((d) => byId.get(d.order_id)?.fulfilledByTikTok !== true);
  const fbt = inputs.facts.filter((f) => f.fulfilledByTikTok && since(f.collectedAt, from));
  const late = seller.filter((d) => d.on_time === false);
  // Past the deadline without a scan yet (and not cancelled): each counts as late once the carrier scans it.
  const scanned = new Set(inputs.dispatch.filter((d) => d.kind === 'dispatched').map((d) => d.order_id));
  const pending = inputs.dispatch.filter(
    (d) =>
      d.kind === 'late' &&
      since(d.occurred_at, from) &&
      !scanned.has(d.order_id) &&
      byId.get(d.order_id)?.status !== 'CANCELLED',
  );
  const thresholds = [
    ...threshold(policy, 'ldr.recommendedMax', 'recommended', 'max'),
    ...threshold(policy, 'ldr.enforcementAbove', 'enforcement', 'max'),
  ];
  return metric(
    'ldr',
    name,
    inputs.asOf,
    window.value,
    thresholds,
    window.uncertain === true,
    {
      numerator: late.length,
      denominator: seller.length + fbt.length,
      offending: late.map((d) => ({ orderId: d.order_id, at: d.occurred_at })),
      pending: pending.map((d) => ({ orderId: d.order_id, at: d.occurred_at })),
      // FBT orders are in the denominator only: not excluded, so not counted here.
      note: `dispatch = ${policy.find<string>('dispatch.sla.event')?.value ?? 'carrier scan'} by the dispatch deadline; FBT orders count in the denominator only`,
    },
    inputs.offendingCap,
  );
}

export function validTrackingRate(policy: PolicyReader, inputs: MetricInputs): AccountMetric {
  const name = 'Valid Tracking Rate';
  const window = policy.find<{ min: number; max: number }>('vtr.window.days');
  const minScans = policy.find<number>('vtr.minCarrierScans');
  if (!window || !minScans) return notMeasured('vtr', name, inputs.asOf, `no VTR policy for region ${policy.region}`);
  const days = window.value.max;
  const from = new Date(inputs.asOf.getTime() - days * DAY_MS);
  const byId = new Map(inputs.facts.map((f) => [f.orderId, f]));
  const dispatched = dispatchedIn(inputs, from);
  const exempt = (id: string) => byId.get(id)?.fulfilledByTikTok === true || byId.get(id)?.tiktokShipping === true;
  const counted = dispatched.filter((d) => !exempt(d.order_id));
  const scans = new Map<string, number>();
  for (const t of inputs.dispatch) if (t.kind === 'tracking') scans.set(t.order_id, (scans.get(t.order_id) ?? 0) + 1);
  const invalid = counted.filter((d) => (scans.get(d.order_id) ?? 0) < minScans.value);
  return metric(
    'vtr',
    name,
    inputs.asOf,
    days,
    threshold(policy, 'vtr.min', 'enforcement', 'min'),
    window.uncertain === true || minScans.uncertain === true,
    {
      numerator: counted.length - invalid.length,
      denominator: counted.length,
      offending: invalid.map((d) => ({ orderId: d.order_id, at: d.occurred_at })),
      excluded: {
        tiktokShipping: dispatched.filter((d) => byId.get(d.order_id)?.tiktokShipping === true).length,
        fbt: dispatched.filter((d) => byId.get(d.order_id)?.fulfilledByTikTok === true).length,
      },
      note: `valid = at least ${minScans.value} carrier scans; counted per order (our records hold tracking per order)`,
    },

    inputs.offendingCap,
  );
}

export function sellerFaultCancellationRate(policy: PolicyReader, inputs: MetricInputs): AccountMetric {
  const name = 'Seller-Fault Cancellation Rate';
  const window = policy.find<number>('sfcr.window.days');
  if (!window) return notMeasured('sfcr', name, inputs.asOf, `no SFCR policy for region ${policy.region}`);
  const from = new Date(inputs.asOf.getTime() - window.value * DAY_MS);
  const paid = inputs.facts.filter((f) => since(f.paidAt, from));
  const samples = paid.filter((f) => f.creatorSample);
  const counted = paid.filter((f) => !f.creatorSample);
  const fault = counted.filter((f) => f.cancelledAt !== null && sellerFaultCancellation(f));
  return metric(
    'sfcr',
    name,
    inputs.asOf,
    window.value,
    threshold(policy, 'sfcr.max', 'enforcement', 'max'),
    window.uncertain === true,
    {
      numerator: fault.length,
      denominator: counted.length,
      offending: fault.map((f) => ({ orderId: f.orderId, at: f.cancelledAt! })),
      excluded: { creatorSample: samples.length },
      note: 'orders paid in the window; cancelled by the seller (not at the buyer’s request) or auto-cancelled by TikTok once paid',
    },

    inputs.offendingCap,
  );
}

export function onTimeDeliveryRate(policy: PolicyReader, inputs: MetricInputs): AccountMetric {
  const name = 'On-Time Delivery Rate';
  const window = policy.find<number>('otdr.window.days');
  if (!window) return notMeasured('otdr', name, inputs.asOf, `no on-time delivery policy for region ${policy.region}`);
  const from = new Date(inputs.asOf.getTime() - window.value * DAY_MS);
  const delivered = inputs.facts.filter((f) => since(f.deliveredAt, from) && f.deliverBy !== null);
  const fbt = delivered.filter((f) => f.fulfilledByTikTok);
  const counted = delivered.filter((f) => !f.fulfilledByTikTok);
  const late = counted.filter((f) => f.deliveredAt! > f.deliverBy!);
  return metric(
    'otdr',
    name,
    inputs.asOf,
    window.value,
    threshold(policy, 'otdr.min', 'recommended', 'min'),
    window.uncertain === true,
    {
      numerator: counted.length - late.length,
      denominator: counted.length,
      offending: late.map((f) => ({ orderId: f.orderId, at: f.deliveredAt! })),
      excluded: { fbt: fbt.length },
      note: 'delivered by the deliver-by time TikTok states (delivery_sla_time); FBT orders left out (TikTok delivers them)',
    },

    inputs.offendingCap,
  );
}

export function responseRate(policy: PolicyReader, inputs: MetricInputs): AccountMetric {
  return notMeasured(
    'responseRate',
    'Response Rate',
    inputs.asOf,
    'not measured yet: buyer messaging is not integrated',
    [
      ...threshold(policy, 'response.recommendedMin', 'recommended', 'min'),
      ...threshold(policy, 'response.enforcementBelow', 'enforcement', 'min'),
    ],
  );
}

/** Every metric, in the order reports show them. */
export function computeMetrics(policy: PolicyReader, inputs: MetricInputs): AccountMetric[] {
  return [
    lateDispatchRate(policy, inputs),
    validTrackingRate(policy, inputs),
    sellerFaultCancellationRate(policy, inputs),
    onTimeDeliveryRate(policy, inputs),
    responseRate(policy, inputs),
  ];
}

/** How many days back the metrics read (the widest window in force). */
export function metricsLookbackDays(policy: PolicyReader): number {
  return Math.max(
    policy.find<number>('ldr.window.days')?.value ?? 0,
    policy.find<{ max: number }>('vtr.window.days')?.value.max ?? 0,
    policy.find<number>('sfcr.window.days')?.value ?? 0,
    policy.find<number>('otdr.window.days')?.value ?? 0,
  );
}

export { badShare };
