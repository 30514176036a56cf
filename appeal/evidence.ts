/**
 * The pure half of an appeal's evidence (issue 18 item 2): why each late dispatch was late and why each cancellation
 * counted, from our own event log; one breach's numbers as account health computed them; the counts the activity
 * returns. The reads are in activities/suspensionAppeal/evidence.ts.
 */
import type { AccountMetric } from '../accountHealth/model';
import type {
  AppealEvidence,
  AppealEvidenceRef,
  BreachEvidence,
  BreachType,
  CancellationCause,
  LateDispatchCause,
  LateDispatchRecord,
} from './model';

const HOUR_MS = 3_600_000;

/** Words for each cause, as the plan and the PDF print them. */
export const CAUSE_LABELS: Record<string, string> = {
  warehouse_hand_off_late: 'handed to the warehouse after the ready-to-ship deadline',
  warehouse_packing_late: 'marked shipped by the warehouse after the ready-to-ship deadline',
  carrier_pickup_late: 'shipped in time, first carrier scan after the dispatch deadline',
  unknown: 'no hand-off or shipment time in our records',
  out_of_stock: 'cancelled for lack of stock',
  sla_auto_cancel: 'auto-cancelled by TikTok for a missed SLA',
  pricing_error: 'cancelled for a pricing error',
  seller_other: 'cancelled by the seller for another reason',
  too_few_scans: 'fewer carrier scans than valid tracking requires',
};

const after = (a: string | null, b: string | null) => a !== null && b !== null && Date.parse(a) > Date.parse(b);

/**
 * Why an order missed its dispatch deadline, from the first step that was late: our hand-off to the warehouse (after
 * the ready-to-ship deadline), the warehouse's shipment (after it, or never recorded), else the carrier's first scan.
 */
export function lateDispatchCause(
  r: Pick<LateDispatchRecord, 'handedToWarehouseAt' | 'readyToShipBy' | 'markedShippedAt' | 'carrierScanBy'>,
): LateDispatchCause {
  if (after(r.handedToWarehouseAt, r.readyToShipBy)) return 'warehouse_hand_off_late';
  if (r.markedShippedAt === null) return r.handedToWarehouseAt === null ? 'unknown' : 'warehouse_packing_late';
  const shipBy = r.readyToShipBy ?? r.carrierScanBy;
  return after(r.markedShippedAt, shipBy) ? 'warehouse_packing_late' : 'carrier_pickup_late';
}

/** Hours from the deadline to the scan, to one decimal. */
export const hoursLate = (deadline: string, scannedAt: string) =>
  Math.round(((Date.parse(scannedAt) - Date.parse(deadline)) / HOUR_MS) * 10) / 10;

/** Why a seller-fault cancellation happened, from TikTok's cancel reason and who cancelled. */
export function cancellationCause(f: {
  cancelInitiator: string | null;
  cancelReason: string | null;
}): CancellationCause {
  const reason = (f.cancelReason ?? '').toLowerCase();
  if (/stock/.test(reason)) return 'out_of_stock';
  if (/pric/.test(reason)) return 'pricing_error';
  if (f.cancelInitiator === 'SYSTEM') return 'sla_auto_cancel';
  return 'seller_other';
}

/** Orders per cause, largest first (then by name): the counts add up to the list's length. */
export function countCauses<C extends string>(causes: readonly C[]): { cause: C; orders: number }[] {
  const counts = new Map<C, number>();
  for (const c of causes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()]
    .map(([cause, orders]) => ({ cause, orders }))
    .sort((a, b) => b.orders - a.orders || (a.cause < b.cause ? -1 : 1));
}

/** One breach as account health computed it at the notice, with what TikTok quoted and the causes counted. */
export function breachEvidence(
  type: BreachType,
  metric: AccountMetric,
  quoted: number | undefined,
  causes: BreachEvidence['causes'],
): BreachEvidence {
  const limit = (level: 'enforcement' | 'recommended') =>
    metric.thresholds.find((t) => t.level === level)?.value ?? null;
  return {
    type,
    metric: metric.key,
    name: metric.name,
    rate: metric.rate,
    numerator: metric.numerator,
    denominator: metric.denominator,
    windowDays: metric.window.days,
    windowFrom: metric.window.from,
    windowTo: metric.window.to,
    enforcementThreshold: limit('enforcement'),
    recommendedThreshold: limit('recommended'),
    breached: metric.breached,
    quoted: quoted ?? null,
    causes,
  };
}

/** The newest ISO timestamp among these (the evidence's own date). */
export function newest(times: readonly (string | null | undefined)[], fallback: string): string {
  let best = fallback;
  for (const t of times) if (t && Date.parse(t) > Date.parse(best)) best = new Date(t).toISOString();
  return best;
}

export function evidenceCounts(e: AppealEvidence): AppealEvidenceRef['counts'] {
  return {
    historyDays: e.history.length,
    breaches: e.breaches.length,
    lateDispatches: e.lateDispatches.length,
    invalidTracking: e.invalidTracking.length,
    cancellations: e.cancellations.length,
    changes: e.changes.length,
  };
}
