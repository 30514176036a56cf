// Shapes shared by the order workflow, its activities and the API. Types, signals, updates and queries only: no
// buyer details (names, addresses, phones) ever travel in these; activities read those from TikTok themselves.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TaskPriorityConfig } from '../../temporal/taskPriority';

/** Failure types of the order activities that retrying cannot fix. */
export const UNKNOWN_CARRIER = 'UnknownCarrier';
export const ORDER_NOT_FOUND = 'OrderNotFound';

/** TikTok order statuses the seller can act on (hand to the warehouse, ship). */
export const SHIPPABLE_STATUSES: readonly string[] = ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'];
/** The carrier has the parcel: dispatch is done (on time or late). */
export const DISPATCHED_STATUSES: readonly string[] = ['IN_TRANSIT', 'DELIVERED', 'COMPLETED'];
/**
 * The forward path of an order (tiktok-shop-api.md order statuses). A status webhook that moves an order forward
 * along it can be taken at its word where the step needs nothing else from the order; CANCELLED is not on it (a
 * cancellation is always read back).
 */
const FORWARD_ORDER: readonly string[] = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
];

/** The furthest of the signalled statuses when every one of them is on the forward path ahead of `current`. */
export function forwardStatus(current: string, signalled: readonly string[]): string | undefined {
  const from = FORWARD_ORDER.indexOf(current);
  if (from < 0 || signalled.length === 0) return undefined;
  let furthest = -1;
  for (const status of signalled) {
    const at = FORWARD_ORDER.indexOf(status);
    if (at < 0) return undefined;
    furthest = Math.max(furthest, at);
  }
  return furthest > from ? FORWARD_ORDER[furthest] : undefined;
}

/** The read that ended in a hand-off (readAndHandOff): the order as read, and whether it went to the warehouse. */
export interface ReadAndHandOffResult {
  order: OrderSnapshot;
  handedOff: boolean;
  referenceError?: string;
}

export type OrderRiskLevel = 'on_track' | 'at_risk' | 'late' | 'done';

export interface OrderAcknowledgmentInput {
  shopId: string;
  orderId: string;
}

export interface PendingCancellation {
  cancelId: string;
  /** The request's own deadline (TikTok's seller_next_action_response), ISO. */
  deadline?: string;
}

/** What the workflow knows of the order: ids, status and clocks, read through the readOrder activity. */
export interface OrderSnapshot {
  orderId: string;
  status: string;
  region: string;
  fulfilledByTikTok: boolean;
  shippingType: 'SELLER' | 'TIKTOK';
  warehouseId?: string;
  paidAt?: string;
  rtsSlaAt?: string;
  ttsSlaAt?: string;
  /** When the carrier scan moved the order to IN_TRANSIT (collection_time). */
  collectedAt?: string;
  lineItemIds: string[];
  /** Line items with their TikTok SKU (absent in histories recorded before it was read). */
  lines?: OrderLine[];
  packages: { packageId: string; status?: string; trackingNumber?: string }[];
  cancellation?: PendingCancellation;
}

/** One line item (one unit) of an order, as TikTok lists it. */
export interface OrderLine {
  lineItemId: string;
  skuId: string | null;
  sellerSku: string | null;
}

/** The order's clocks: deadlines from TikTok's SLA fields or the dispatch policy, plus our polling cadence. */
export interface OrderClocks {
  /** How often to read the order back while waiting (covers a lost webhook). */
  pollEveryMs: number;
  /** How long before a cancellation request's deadline the workflow decides by rule. */
  cancellationDecisionMarginMs: number;
  /** Next read-back while an order stays ON_HOLD past its window: doubles from this (absent in older histories). */
  onHoldRecheckMs?: number;
  /** The server's task priority keys (absent in histories recorded before priorities): fulfilment calls by deadline. */
  taskPriority?: TaskPriorityConfig;
  /** Known once the order is paid. */
  deadlines?: {
    readyToShipBy: string;
    carrierScanBy: string;
    remorseEndsAt: string;
    /** When a missing end-of-window webhook is presumed lost and the order is read back (absent in older histories). */
    remorseCheckAt?: string;
    escalations: { offset: string; fireAt: string }[];
    /** Where the carrier-scan deadline came from: TikTok's tts_sla_time or our dispatch policy. */
    source: 'tts_sla_time' | 'dispatch_policy';
  };
}

export interface ShipmentPackage {
  trackingNumber: string;
  carrier: string;
  /** For split shipments: the order line items in this package; omitted: every item. */
  lineItemIds?: string[];
}

export type ShipmentRequest =
  | { packages: ShipmentPackage[]; tiktokShipping?: undefined }
  | { tiktokShipping: true; lineItemIds?: string[]; packages?: undefined };

export interface ShippedPackage {
  packageId: string;
  trackingNumber?: string;
  carrier?: string;
  shippingProviderId?: string;
  labelUrl?: string;
}

export interface CancellationDecision {
  /** True: the warehouse stopped the parcel (approve); false: it is already on its way (reject). */
  stopped: boolean;
}

export type CancellationOutcome = 'approved' | 'rejected';

/**
 * What a warehouse answer (the cancellationDecision update) led to: the request it answered was approved or
 * rejected, or it was no longer the pending request when the workflow came to decide: `withdrawn` (the buyer took
 * it back, or TikTok closed it: a read found no pending request) or `superseded` (a newer request replaced it, or the
 * order closed first). Every accepted answer gets one of these, so neither the caller nor the workflow waits forever.
 */
export type CancellationDecisionOutcome = CancellationOutcome | 'withdrawn' | 'superseded';

export interface CancellationDecisionResult {
  outcome: CancellationDecisionOutcome;
  /** TikTok's reject reason (rejected), or why the answer was not applied (withdrawn, superseded). */
  reason?: string;
  /** The request the answer was about. */
  cancelId: string;
}

export interface OrderView {
  shopId: string;
  orderId: string;
  state: string;
  risk: OrderRiskLevel;
  fulfilledByTikTok: boolean;
  acknowledged: boolean;
  readyToShipBy?: string;
  carrierScanBy?: string;
  escalated: string[];
  packages: ShippedPackage[];
  /** The last shipment report that failed after it was accepted (e.g. sent with `Prefer: respond-async`). */
  shipmentError?: { at: string; message: string };
  cancellation?: PendingCancellation & { outcome?: CancellationOutcome; reason?: string; waitingForWarehouse: boolean };
}

/** A line item (one unit) held on its product's inventory feed from hand-off until shipped or cancelled. */
export interface HeldOrderLine {
  lineItemId: string;
  sellerSku: string;
  /** TikTok product id: the feed is `inventory:<shopId>:<productId>`. */
  productId: string;
}

export interface OrderOutcome {
  outcome: 'dispatched' | 'cancelled' | 'fbt_tracked';
  status: string;
  onTime?: boolean;
}

export const orderStatusChangedSignal = defineSignal<[{ status: string; updateTime: number }]>('orderStatusChanged');
export const cancellationChangedSignal =
  defineSignal<[{ cancelId: string; cancelStatus: string }]>('cancellationChanged');
export const addressUpdatedSignal = defineSignal<[{ updateTime: number }]>('recipientAddressUpdated');
export const packageUpdatedSignal = defineSignal<[{ packageIds: string[]; updateTime: number }]>('packageUpdated');

export const shippedUpdate = defineUpdate<ShippedPackage[], [ShipmentRequest]>('shipped');
export const cancellationDecisionUpdate = defineUpdate<CancellationDecisionResult, [CancellationDecision]>(
  'cancellationDecision',
);
export const getOrderQuery = defineQuery<OrderView>('getOrder');

/** The innermost message of an activity failure (the TikTok or validation reason, not "Activity task failed"). */
export function failureMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(err);
}
