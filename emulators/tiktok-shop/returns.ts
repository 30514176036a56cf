// Cancellations and returns ("Return and Refund API"). ref §8; seller response deadlines
// from the sellers' help pages (48 h, otherwise auto-approved: help.commentsold.com "How Returns Work with TikTok").
import { coded } from './errorCodes';
import { cancelLineItems, emitCancellation, ownOrder, setOrderStatus } from './orders';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type {
  AfterSalesRole,
  Cancellation,
  Order,
  ReturnImage,
  ReturnRequest,
  ReturnStatus,
  ReturnRequestType,
  SellerAction,
} from './state';
import type { Json } from './util';
import { asObject, asStringArray, inRange, optString, paginate, paramError, reqString, sortBy } from './util';

// After-sales error codes per endpoint: errorCodes.ts.

/** Seller cancel reasons by order status, ref §8 "Cancel and reject reason names" (US examples). */
const UNPAID_CANCEL_REASONS = [
  'seller_cancel_unpaid_reason_out_of_stock',
  'seller_cancel_unpaid_reason_wrong_price',
  'seller_cancel_unpaid_reason_buyer_hasnt_paid_within_time_allowed',
  'seller_cancel_unpaid_reason_buyer_requested_cancellation',
];
const PAID_CANCEL_REASONS = [
  'seller_cancel_reason_out_of_stock',
  'seller_cancel_reason_wrong_price',
  'seller_cancel_paid_reason_address_not_deliver',
  'seller_cancel_paid_reason_buyer_requested_cancellation',
];
const CANCEL_REJECT_REASONS = [
  {
    name: 'order_manage_list_action_respond_popup_reject_reason_invalid_cancellation_reason',
    text: 'Invalid cancellation reason',
  },
  { name: 'order_manage_list_action_respond_popup_reject_reason_delivered', text: 'The order has been delivered' },
  {
    name: 'order_manage_list_action_respond_popup_reject_reason_buyer_agree',
    text: 'The buyer agreed to keep the order',
  },
  { name: 'seller_reject_apply_product_has_been_packed', text: 'The product has already been packed' },
];
// The reference gives no return reject reason names; these are emulator values.
const RETURN_REJECT_REASONS = [
  { name: 'seller_reject_return_product_used', text: 'The product has been used' },
  { name: 'seller_reject_return_outside_window', text: 'The request is outside the return window' },
  { name: 'seller_reject_return_description_invalid', text: 'The product matches its description' },
];
const RECEIVE_REJECT_REASONS = [
  { name: 'seller_reject_receive_package_wrong_item', text: 'The returned item is not the sold item' },
];

// ---------------------------------------------------------------- cancellations

function newCancellation(
  p: Platform,
  order: Order,
  input: Partial<Cancellation> & Pick<Cancellation, 'type' | 'role' | 'status' | 'reason'>,
): Cancellation {
  const now = p.clock.now();
  const c: Cancellation = {
    id: p.state.newId('58'),
    orderId: order.id,
    shopId: order.shopId,
    reasonText: input.reason.replace(/_/g, ' '),
    createTime: now,
    updateTime: now,
    deadline: null,
    lineItemIds: order.lineItems.filter((l) => !l.cancelled).map((l) => l.id),
    ...input,
  };
  p.state.cancellations.set(c.id, c);
  emitCancellation(p, c);
  return c;
}

/**
 * Admin: the buyer cancels. During UNPAID / ON_HOLD the buyer needs no approval (ref §5.3), so the order is
 * cancelled at once. In AWAITING_SHIPMENT / PARTIALLY_SHIPPING a cancellation request is opened that the
 * seller must answer before its deadline (auto-approved otherwise). Later the buyer must ask for a return.
 */
export function buyerCancel(p: Platform, input: { order_id: string; reason?: string }): Cancellation {
  const order = p.state.orders.get(input.order_id);
  if (!order) throw new AdminError(404, `unknown order ${input.order_id}`);
  const reason = input.reason ?? 'buyer_cancel_reason_no_longer_needed';
  const now = p.clock.now();
  if (order.status === 'UNPAID' || order.status === 'ON_HOLD') {
    const c = newCancellation(p, order, {
      type: 'BUYER_CANCEL',
      role: 'BUYER',
      status: 'CANCELLATION_REQUEST_SUCCESS',
      reason,
    });
    cancelLineItems(p, order, c.lineItemIds, now, 'BUYER', reason);
    return c;
  }
  if (order.status === 'AWAITING_SHIPMENT' || order.status === 'PARTIALLY_SHIPPING') {
    if (
      [...p.state.cancellations.values()].some(
        (c) => c.orderId === order.id && c.status === 'CANCELLATION_REQUEST_PENDING',
      )
    ) {
      throw new AdminError(409, 'a cancellation request is already pending');
    }
    const deadline = now + p.clock.rules.cancellationResponseWindowMs;
    order.isBuyerRequestCancel = true;
    order.requestCancelTime = now;
    order.updateTime = now;
    const c = newCancellation(p, order, {
      type: 'BUYER_CANCEL',
      role: 'BUYER',
      status: 'CANCELLATION_REQUEST_PENDING',
      reason,
      deadline,
      lineItemIds: order.lineItems.filter((l) => !l.cancelled && l.packageId === null).map((l) => l.id),
    });
    p.scheduler.schedule('cancel_deadline', c.id, deadline);
    return c;
  }
  throw new AdminError(409, `order ${order.id} is ${order.status}: the buyer cannot cancel any more`);
}

function ownCancellation(p: Platform, shopId: string, id: string): Cancellation {
  const c = p.state.cancellations.get(id);
  if (!c || c.shopId !== shopId) throw coded('cancellation_not_found', `Cancellation ${id} not found`);
  return c;
}

function applyCancellation(p: Platform, c: Cancellation, at: number): void {
  const order = p.state.orders.get(c.orderId);
  if (!order) return;
  c.status = 'CANCELLATION_REQUEST_SUCCESS';
  c.updateTime = at;
  c.deadline = null;
  order.isBuyerRequestCancel = false;
  emitCancellation(p, c);
  cancelLineItems(p, order, c.lineItemIds, at, c.role === 'SELLER' ? 'SELLER' : 'BUYER', c.reason);
}

/** POST /return_refund/202309/cancellations/{cancel_id}/approve — 25001045 once shipped (ref §8). */
export function approveCancellation(p: Platform, shopId: string, cancelId: string, ordersOut: string[]): Json {
  const c = ownCancellation(p, shopId, cancelId);
  ordersOut.push(c.orderId);
  if (c.status !== 'CANCELLATION_REQUEST_PENDING')
    throw coded('aftersale_invalid_status', 'The cancellation is not pending');
  const order = ownOrder(p, shopId, c.orderId);
  if (!['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'ON_HOLD', 'UNPAID'].includes(order.status)) {
    throw coded('cancellation_already_shipped', 'The order has been shipped; the cancellation cannot be approved');
  }
  applyCancellation(p, c, p.clock.now());
  return {};
}

/** POST /return_refund/202309/cancellations/{cancel_id}/reject — `reject_reason` required. */
export function rejectCancellation(
  p: Platform,
  shopId: string,
  cancelId: string,
  body: Json,
  ordersOut: string[],
): Json {
  const c = ownCancellation(p, shopId, cancelId);
  ordersOut.push(c.orderId);
  const reason = reqString(body, 'reject_reason');
  if (!CANCEL_REJECT_REASONS.some((r) => r.name === reason)) throw coded('unknown_reason', 'Unknown reason');
  if (c.status !== 'CANCELLATION_REQUEST_PENDING')
    throw coded('aftersale_invalid_status', 'The cancellation is not pending');
  const now = p.clock.now();
  c.status = 'CANCELLATION_REQUEST_CANCELLED';
  c.updateTime = now;
  c.deadline = null;
  const order = p.state.orders.get(c.orderId);
  if (order) {
    order.isBuyerRequestCancel = false;
    order.updateTime = now;
  }
  emitCancellation(p, c);
  return {};
}

/** Scheduler: the seller did not answer the cancellation request in time → approved automatically. */
export function onCancelDeadline(p: Platform, cancelId: string, at: number): void {
  const c = p.state.cancellations.get(cancelId);
  if (!c || c.status !== 'CANCELLATION_REQUEST_PENDING' || c.deadline === null || c.deadline > at) return;
  const order = p.state.orders.get(c.orderId);
  if (order && ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'].includes(order.status)) {
    applyCancellation(p, c, at);
  } else {
    c.status = 'CANCELLATION_REQUEST_CANCELLED';
    c.updateTime = at;
    c.deadline = null;
    if (order) order.isBuyerRequestCancel = false;
    emitCancellation(p, c);
  }
}

/** POST /return_refund/202309/cancellations — seller-initiated; the reason must fit the status (25001021). */
export function sellerCancelOrder(p: Platform, shopId: string, body: Json, ordersOut: string[]): Json {
  const orderId = reqString(body, 'order_id');
  const reason = reqString(body, 'cancel_reason');
  ordersOut.push(orderId);
  const order = ownOrder(p, shopId, orderId);
  if (!UNPAID_CANCEL_REASONS.includes(reason) && !PAID_CANCEL_REASONS.includes(reason)) {
    throw coded('unknown_reason', 'Unknown reason');
  }
  if (order.status === 'CANCELLED') throw coded('order_already_cancelled', 'The order has already been cancelled');
  const fits =
    order.status === 'UNPAID'
      ? UNPAID_CANCEL_REASONS.includes(reason)
      : ['ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION'].includes(order.status)
        ? PAID_CANCEL_REASONS.includes(reason)
        : null;
  if (fits === null)
    throw coded('aftersale_invalid_status', `The order status ${order.status} does not allow cancellation`);
  if (!fits) throw coded('reason_status_mismatch', 'Reason not match order status');
  const requested = asStringArray(body.order_line_item_ids);
  const lineItemIds = requested.length > 0 ? requested : order.lineItems.filter((l) => !l.cancelled).map((l) => l.id);
  for (const id of lineItemIds) {
    if (!order.lineItems.some((l) => l.id === id && !l.cancelled))
      throw paramError(`order_line_item_id ${id} is invalid`);
  }
  const c = newCancellation(p, order, {
    type: 'CANCEL',
    role: 'SELLER',
    status: 'CANCELLATION_REQUEST_SUCCESS',
    reason,
    lineItemIds,
  });
  cancelLineItems(p, order, lineItemIds, p.clock.now(), 'SELLER', reason);
  return { cancel_id: c.id, cancel_status: c.status };
}

function cancellationJson(p: Platform, c: Cancellation): Json {
  const order = p.state.orders.get(c.orderId);
  const items = (order?.lineItems ?? []).filter((l) => c.lineItemIds.includes(l.id));
  const total = items.reduce((a, l) => a + Number(l.salePrice), 0).toFixed(2);
  return {
    cancel_id: c.id,
    order_id: c.orderId,
    cancel_type: c.type,
    cancel_status: c.status,
    role: c.role,
    cancel_reason: c.reason,
    cancel_reason_text: c.reasonText,
    create_time: sec(c.createTime),
    update_time: sec(c.updateTime),
    seller_next_action_response:
      c.deadline !== null ? [{ action: 'SELLER_RESPOND_CANCEL', deadline: sec(c.deadline) }] : [],
    refund_amount: {
      currency: items[0]?.currency ?? 'USD',
      refund_total: total,
      refund_subtotal: total,
      refund_shipping_fee: '0.00',
      refund_tax: '0.00',
      retail_delivery_fee: '0.00',
      buyer_service_fee: '0.00',
    },
    cancel_line_items: items.map((l) => ({
      cancel_line_item_id: `${c.id}${l.id.slice(-4)}`,
      order_line_item_id: l.id,
      sku_id: l.skuId,
      sku_name: l.skuName,
      product_image: { url: '', width: 0, height: 0 },
      product_name: l.productName,
      seller_sku: l.sellerSku,
      refund_amount: { currency: l.currency, refund_total: l.salePrice },
    })),
  };
}

/** Search filter accepts `CANCELLATION_REQUEST_CANCEL` as an alias of `…_CANCELLED` (ref §8, §15). */
function cancelStatusMatches(status: string, filter: string[]): boolean {
  if (filter.length === 0) return true;
  return filter.some(
    (f) => f === status || (f === 'CANCELLATION_REQUEST_CANCEL' && status === 'CANCELLATION_REQUEST_CANCELLED'),
  );
}

/** POST /return_refund/202309/cancellations/search — page_size 1–50, default 10, sort ASC (ref §8). */
export function searchCancellations(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const ids = asStringArray(body.cancel_ids);
  const orderIds = asStringArray(body.order_ids);
  const types = asStringArray(body.cancel_types);
  const statuses = asStringArray(body.cancel_status);
  const list = [...p.state.cancellations.values()].filter(
    (c) =>
      c.shopId === shopId &&
      (ids.length === 0 || ids.includes(c.id)) &&
      (orderIds.length === 0 || orderIds.includes(c.orderId)) &&
      (types.length === 0 || types.includes(c.type)) &&
      cancelStatusMatches(c.status, statuses) &&
      inRange(c.createTime, body, 'create_time') &&
      inRange(c.updateTime, body, 'update_time'),
  );
  const sorted = sortBy(
    list,
    (c) => (query.sort_field === 'update_time' ? c.updateTime : c.createTime),
    query.sort_order,
    'ASC',
  );
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 50, def: 10 });
  return { cancellations: page.map((c) => cancellationJson(p, c)), total_count, next_page_token };
}

// ---------------------------------------------------------------- returns
//
// Return types and statuses are the Search Returns enums (ref §8;
// https://partner.tiktokshop.com/docv2/page/search-returns-202309). The pages list the statuses but not every arrow
// between them; the transitions below that no page states are marked "unverified".
//
//   REFUND             PENDING (SELLER_RESPOND_REFUND) → APPROVE_REFUND → SUCCESS | REJECT_REFUND → REJECT
//   RETURN_AND_REFUND  PENDING (SELLER_RESPOND_RETURN) → APPROVE_RETURN → AWAITING_BUYER_SHIP (buyer_keep_item:
//                      SUCCESS) | REJECT_RETURN → REJECT; buyer ships → BUYER_SHIPPED_ITEM
//                      (SELLER_RESPOND_RECEIVE_PACKAGE) → APPROVE_RECEIVED_PACKAGE → SUCCESS |
//                      REJECT_RECEIVED_PACKAGE → REJECT_RECEIVE_PACKAGE
//   REPLACEMENT        REPLACEMENT_REQUEST_PENDING (SELLER_RESPOND_REPLACEMENT) → APPROVE_REPLACEMENT →
//                      REPLACEMENT_REQUEST_COMPLETE (unverified: the replacement shipment is not emulated) |
//                      ISSUE_REPLACEMENT_REFUND → REPLACEMENT_REQUEST_REFUND_SUCCESS | REJECT_REPLACEMENT → …_REJECT
//   missed deadline    the platform approves on the seller's behalf (role SYSTEM): as the approval above
//   buyer cancels      a pending request, or one awaiting the buyer's parcel → RETURN_OR_REFUND_REQUEST_CANCEL /
//                      REPLACEMENT_REQUEST_CANCEL
//   arbitration        after a rejection the buyer may escalate (arbitration_status IN_PROGRESS, status unchanged);
//                      the platform then rules (role OPERATOR): SUPPORT_BUYER → refund (…_SUCCESS /
//                      REPLACEMENT_REQUEST_REFUND_SUCCESS), SUPPORT_SELLER or CLOSED → …_CANCEL. ref §8: "the outcome
//                      moves the return to SUCCESS or CANCEL" (the overview page); which status CLOSED leaves is
//                      unverified.
// Every transition emits RETURN_STATUS_CHANGE (ref §11.4 type 12) and adds a Get Return Records entry.

type Decision = { action: SellerAction; type: ReturnRequestType };
type Approval = Decision & { to: ReturnStatus; description: string };

/** Approve Return decisions: the seller action each answers, its return type, where it leads. */
const APPROVALS: Record<string, Approval | null> = {
  APPROVE_REFUND: {
    action: 'SELLER_RESPOND_REFUND',
    type: 'REFUND',
    to: 'RETURN_OR_REFUND_REQUEST_SUCCESS',
    description: 'Seller approved the refund',
  },
  APPROVE_RETURN: {
    action: 'SELLER_RESPOND_RETURN',
    type: 'RETURN_AND_REFUND',
    to: 'AWAITING_BUYER_SHIP',
    description: 'Seller approved the return',
  },
  APPROVE_RECEIVED_PACKAGE: {
    action: 'SELLER_RESPOND_RECEIVE_PACKAGE',
    type: 'RETURN_AND_REFUND',
    to: 'RETURN_OR_REFUND_REQUEST_SUCCESS',
    description: 'Seller confirmed receipt',
  },
  APPROVE_REPLACEMENT: {
    action: 'SELLER_RESPOND_REPLACEMENT',
    type: 'REPLACEMENT',
    to: 'REPLACEMENT_REQUEST_COMPLETE',
    description: 'Seller approved the replacement',
  },
  ISSUE_REPLACEMENT_REFUND: {
    action: 'SELLER_RESPOND_REPLACEMENT',
    type: 'REPLACEMENT',
    to: 'REPLACEMENT_REQUEST_REFUND_SUCCESS',
    description: 'Seller refunded instead of replacing',
  },
  OFFER_PARTIAL_REFUND: null, // a negotiation with the buyer; not emulated (answered 25001044)
};

/** Reject Return decisions, likewise. */
const REJECTIONS: Record<string, Decision> = {
  REJECT_REFUND: { action: 'SELLER_RESPOND_REFUND', type: 'REFUND' },
  REJECT_RETURN: { action: 'SELLER_RESPOND_RETURN', type: 'RETURN_AND_REFUND' },
  REJECT_RECEIVED_PACKAGE: { action: 'SELLER_RESPOND_RECEIVE_PACKAGE', type: 'RETURN_AND_REFUND' },
  REJECT_REPLACEMENT: { action: 'SELLER_RESPOND_REPLACEMENT', type: 'REPLACEMENT' },
};

const REJECTED_STATUSES: ReturnStatus[] = [
  'REFUND_OR_RETURN_REQUEST_REJECT',
  'REJECT_RECEIVE_PACKAGE',
  'REPLACEMENT_REQUEST_REJECT',
];
const CANCELLED_STATUSES: ReturnStatus[] = ['RETURN_OR_REFUND_REQUEST_CANCEL', 'REPLACEMENT_REQUEST_CANCEL'];
const BUYER_CANCELLABLE: ReturnStatus[] = [
  'RETURN_OR_REFUND_REQUEST_PENDING',
  'AWAITING_BUYER_SHIP',
  'REPLACEMENT_REQUEST_PENDING',
];

const cancelStatusOf = (r: ReturnRequest): ReturnStatus =>
  r.type === 'REPLACEMENT' ? 'REPLACEMENT_REQUEST_CANCEL' : 'RETURN_OR_REFUND_REQUEST_CANCEL';
const refundStatusOf = (r: ReturnRequest): ReturnStatus =>
  r.type === 'REPLACEMENT' ? 'REPLACEMENT_REQUEST_REFUND_SUCCESS' : 'RETURN_OR_REFUND_REQUEST_SUCCESS';

function emitReturn(p: Platform, r: ReturnRequest): void {
  p.webhooks.emit(r.shopId, 'RETURN_STATUS_CHANGE', {
    order_id: r.orderId,
    return_role: r.role,
    return_type: r.type,
    return_status: r.status,
    return_id: r.id,
    create_time: sec(r.createTime),
    update_time: sec(r.updateTime),
  });
}

interface Step {
  role: AfterSalesRole;
  description: string;
  nextAction?: ReturnRequest['nextAction'];
  decision?: string;
  reasonText?: string;
  note?: string;
  images?: ReturnImage[];
}

/** One transition: new status (or arbitration status), a Get Return Records entry, the webhook. */
function transition(p: Platform, r: ReturnRequest, status: ReturnStatus, at: number, step: Step): void {
  r.status = status;
  r.updateTime = at;
  r.role = step.role;
  r.nextAction = step.nextAction ?? null;
  if (r.nextAction) p.scheduler.schedule('return_deadline', r.id, r.nextAction.deadline);
  if (status === 'RETURN_OR_REFUND_REQUEST_SUCCESS' || status === 'REPLACEMENT_REQUEST_REFUND_SUCCESS') {
    refundItems(p, r, at);
  }
  r.records.push({
    role: step.role,
    description: step.description,
    reasonText: step.reasonText ?? '',
    note: step.note ?? '',
    images: step.images ?? [],
    at,
    realAt: Date.now(),
    status,
    arbitrationStatus: r.arbitrationStatus,
    decision: step.decision ?? null,
  });
  emitReturn(p, r);
}

/** A successful refund; a fully refunded order moves to COMPLETED (ref §5.3). */
function refundItems(p: Platform, r: ReturnRequest, at: number): void {
  const order = p.state.orders.get(r.orderId);
  if (!order) return;
  for (const li of order.lineItems) if (r.lineItemIds.includes(li.id)) li.refunded = true;
  const live = order.lineItems.filter((l) => !l.cancelled);
  if (live.every((l) => l.refunded) && ['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED'].includes(order.status)) {
    setOrderStatus(p, order, 'COMPLETED', at, 'fully refunded');
  }
}

const RETURN_TYPES: ReturnRequestType[] = ['REFUND', 'RETURN_AND_REFUND', 'REPLACEMENT'];

/** Buyer return reasons are emulator values (the DOC return-reasons list is per market); the text is shown as is. */
const DEFAULT_REASON = 'ecom_order_delivered_refund_and_return_reason_damaged_product';

export interface OpenReturnInput {
  order_id: string;
  line_item_ids?: string[];
  return_type?: string;
  reason?: string;
}

/** Admin: the buyer opens a return, refund or replacement request; the seller must answer before the deadline. */
export function openReturn(p: Platform, input: OpenReturnInput): ReturnRequest {
  const order = p.state.orders.get(input.order_id);
  if (!order) throw new AdminError(404, `unknown order ${input.order_id}`);
  if (!['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(order.status)) {
    throw new AdminError(409, `order ${order.id} is ${order.status}: no return possible`);
  }
  const type = (input.return_type ?? 'RETURN_AND_REFUND') as ReturnRequestType;
  if (!RETURN_TYPES.includes(type)) throw new AdminError(400, `return_type must be one of ${RETURN_TYPES.join(', ')}`);
  const lineItemIds =
    input.line_item_ids ?? order.lineItems.filter((l) => !l.cancelled && !l.refunded).map((l) => l.id);
  if (lineItemIds.length === 0) throw new AdminError(409, 'nothing left to return');
  const now = p.clock.now();
  const reason = input.reason ?? DEFAULT_REASON;
  const reasonText = reason === DEFAULT_REASON ? 'Damaged product' : reason.replace(/_/g, ' ');
  const r: ReturnRequest = {
    id: p.state.newId('46'),
    orderId: order.id,
    shopId: order.shopId,
    type,
    status: 'RETURN_OR_REFUND_REQUEST_PENDING',
    role: 'BUYER',
    reason,
    reasonText,
    createTime: now,
    updateTime: now,
    nextAction: null,
    lineItemIds,
    buyerKeepItem: false,
    returnTrackingNumber: '',
    arbitrationStatus: null,
    rejection: null,
    records: [],
  };
  p.state.returns.set(r.id, r);
  const deadline = now + p.clock.rules.returnResponseWindowMs;
  const action: SellerAction =
    type === 'REFUND'
      ? 'SELLER_RESPOND_REFUND'
      : type === 'REPLACEMENT'
        ? 'SELLER_RESPOND_REPLACEMENT'
        : 'SELLER_RESPOND_RETURN';
  const what = type === 'REFUND' ? 'a refund' : type === 'REPLACEMENT' ? 'a replacement' : 'a return';
  transition(p, r, type === 'REPLACEMENT' ? 'REPLACEMENT_REQUEST_PENDING' : 'RETURN_OR_REFUND_REQUEST_PENDING', now, {
    role: 'BUYER',
    description: `Customer submitted ${what} request`,
    reasonText,
    nextAction: { action, deadline },
  });
  return r;
}

function adminReturn(p: Platform, id: string): ReturnRequest {
  const r = p.state.returns.get(id);
  if (!r) throw new AdminError(404, `unknown return ${id}`);
  return r;
}

/** Admin: the buyer ships the item back; the seller must confirm receipt before the deadline. */
export function buyerShipReturn(p: Platform, input: { return_id: string; tracking_number?: string }): ReturnRequest {
  const r = adminReturn(p, input.return_id);
  if (r.status !== 'AWAITING_BUYER_SHIP') throw new AdminError(409, `return ${r.id} is ${r.status}`);
  const now = p.clock.now();
  r.returnTrackingNumber = input.tracking_number ?? `RET${p.state.newId('9').slice(0, 12)}`;
  // The receipt window reuses returnResponseWindowMs (rules.ts: no source gives it a length of its own).
  transition(p, r, 'BUYER_SHIPPED_ITEM', now, {
    role: 'BUYER',
    description: 'Customer shipped the item back',
    note: r.returnTrackingNumber,
    nextAction: { action: 'SELLER_RESPOND_RECEIVE_PACKAGE', deadline: now + p.clock.rules.returnResponseWindowMs },
  });
  return r;
}

/** Admin: the buyer withdraws the request (while it is pending or the parcel has not left). */
export function buyerCancelReturn(p: Platform, input: { return_id: string }): ReturnRequest {
  const r = adminReturn(p, input.return_id);
  if (!BUYER_CANCELLABLE.includes(r.status)) throw new AdminError(409, `return ${r.id} is ${r.status}`);
  transition(p, r, cancelStatusOf(r), p.clock.now(), { role: 'BUYER', description: 'Customer cancelled the request' });
  return r;
}

/** Admin: the buyer escalates a rejection to the platform (within arbitrationEscalationWindowMs of it). */
export function escalateReturn(p: Platform, input: { return_id: string }): ReturnRequest {
  const r = adminReturn(p, input.return_id);
  if (!REJECTED_STATUSES.includes(r.status) || r.arbitrationStatus !== null) {
    throw new AdminError(409, `return ${r.id} is ${r.status} (arbitration ${r.arbitrationStatus ?? 'none'})`);
  }
  const now = p.clock.now();
  if (now > r.updateTime + p.clock.rules.arbitrationEscalationWindowMs) {
    throw new AdminError(409, `return ${r.id}: the escalation window after the rejection has passed`);
  }
  r.arbitrationStatus = 'IN_PROGRESS';
  transition(p, r, r.status, now, { role: 'BUYER', description: 'Customer escalated the dispute to the platform' });
  return r;
}

export const ARBITRATION_OUTCOMES = ['SUPPORT_BUYER', 'SUPPORT_SELLER', 'CLOSED'] as const;

/** Admin: the platform rules on an escalated return (role OPERATOR). */
export function arbitrateReturn(p: Platform, input: { return_id: string; outcome: string }): ReturnRequest {
  const r = adminReturn(p, input.return_id);
  const outcome = input.outcome as (typeof ARBITRATION_OUTCOMES)[number];
  if (!ARBITRATION_OUTCOMES.includes(outcome)) {
    throw new AdminError(400, `outcome must be one of ${ARBITRATION_OUTCOMES.join(', ')}`);
  }
  if (r.arbitrationStatus !== 'IN_PROGRESS') throw new AdminError(409, `return ${r.id} is not in arbitration`);
  r.arbitrationStatus = outcome;
  const forBuyer = outcome === 'SUPPORT_BUYER';
  transition(p, r, forBuyer ? refundStatusOf(r) : cancelStatusOf(r), p.clock.now(), {
    role: 'OPERATOR',
    description: forBuyer
      ? 'The platform ruled for the customer; the refund is issued'
      : outcome === 'SUPPORT_SELLER'
        ? "The platform upheld the seller's rejection"
        : 'The platform closed the dispute',
  });
  return r;
}

/** Scheduler: a missed `seller_next_action_response` deadline is approved by the platform (role SYSTEM). */
export function onReturnDeadline(p: Platform, returnId: string, at: number): void {
  const r = p.state.returns.get(returnId);
  if (!r?.nextAction || r.nextAction.deadline > at) return;
  const auto = (status: ReturnStatus, decision: string, nextAction: ReturnRequest['nextAction'] = null): void =>
    transition(p, r, status, at, {
      role: 'SYSTEM',
      description: 'The seller did not respond in time; the request was approved automatically',
      decision,
      nextAction,
    });
  switch (r.nextAction.action) {
    case 'SELLER_RESPOND_REFUND':
      return auto('RETURN_OR_REFUND_REQUEST_SUCCESS', 'APPROVE_REFUND');
    case 'SELLER_RESPOND_RETURN':
      return auto('AWAITING_BUYER_SHIP', 'APPROVE_RETURN');
    case 'SELLER_RESPOND_RECEIVE_PACKAGE':
      return auto('RETURN_OR_REFUND_REQUEST_SUCCESS', 'APPROVE_RECEIVED_PACKAGE');
    case 'SELLER_RESPOND_REPLACEMENT':
      // Unverified: the pages do not say what an unanswered replacement becomes; approved like the others.
      return auto('REPLACEMENT_REQUEST_COMPLETE', 'APPROVE_REPLACEMENT');
  }
}

function ownReturn(p: Platform, shopId: string, id: string): ReturnRequest {
  const r = p.state.returns.get(id);
  if (!r || r.shopId !== shopId) throw coded('return_not_found', `Return ${id} not found`);
  return r;
}

/** What an Approve/Reject call is recorded under (orders, returns, decision) in the emulator record. */
export interface DecisionIds {
  orderIds: string[];
  returnIds: string[];
  decisions: string[];
}

/**
 * The checks both decisions share, in the order a page would apply them: the decision's return type, a cancelled
 * request, a dispute in arbitration, then whether the pending seller action is the one the decision answers.
 */
function checkDecision(r: ReturnRequest, decision: string, d: Decision, refusal: 'approve' | 'reject'): void {
  if (d.type !== r.type) {
    throw coded('decision_type_mismatch', `decision ${decision} does not match the return type ${r.type}`);
  }
  if (CANCELLED_STATUSES.includes(r.status)) throw coded('return_cancelled', 'The return has been cancelled');
  if (r.arbitrationStatus === 'IN_PROGRESS') {
    throw coded('return_in_arbitration', 'The request has been transferred to the platform operator');
  }
  if (r.nextAction?.action !== d.action) {
    const message = `The return cannot be ${refusal === 'approve' ? 'approved' : 'rejected'} with ${decision} in status ${r.status}`;
    throw coded(refusal === 'approve' ? 'return_cannot_approve' : 'aftersale_invalid_status', message);
  }
}

function decisionTarget(p: Platform, shopId: string, returnId: string, body: Json, out: DecisionIds) {
  const r = ownReturn(p, shopId, returnId);
  out.orderIds.push(r.orderId);
  out.returnIds.push(r.id);
  const decision = reqString(body, 'decision');
  out.decisions.push(decision);
  return { r, decision };
}

/** POST /return_refund/202309/returns/{return_id}/approve — body `decision` (ref §8). */
export function approveReturn(p: Platform, shopId: string, returnId: string, body: Json, out: DecisionIds): Json {
  const { r, decision } = decisionTarget(p, shopId, returnId, body, out);
  if (!(decision in APPROVALS)) throw paramError('param body.decision is invalid');
  const d = APPROVALS[decision];
  if (!d) throw coded('return_cannot_approve', `${decision} is not emulated`);
  checkDecision(r, decision, d, 'approve');
  // APPROVE_RETURN with `buyer_keep_item` is a returnless refund (ref §8).
  r.buyerKeepItem = decision === 'APPROVE_RETURN' && body.buyer_keep_item === true;
  const [to, description] = r.buyerKeepItem
    ? (['RETURN_OR_REFUND_REQUEST_SUCCESS', 'Seller refunded; the customer keeps the item'] as const)
    : [d.to, d.description];
  transition(p, r, to, p.clock.now(), { role: 'SELLER', description, decision });
  return {};
}

/**
 * Evidence of a rejection: each `images[].image_id` must be a uri Upload Product Image returned to this app
 * (https://partner.tiktokshop.com/docv2/page/reject-return-202309: "Image URI obtained from the Upload Product Image
 * API"); the image's url and size are kept with the rejection.
 */
function evidenceImages(p: Platform, appKey: string, raw: unknown): ReturnImage[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw paramError('param body.images is invalid');
  return raw.map((item: unknown, i) => {
    const img = asObject(item);
    const imageId = optString(img.image_id);
    if (!imageId) throw paramError(`param body.images[${i}].image_id is missing`);
    const upload = [...p.state.uploads.values()].find(
      (u) => u.kind === 'image' && u.appKey === appKey && u.reference === imageId,
    );
    if (!upload) {
      throw coded(
        'reject_image_unknown',
        `param body.images[${i}].image_id is invalid: no image uploaded with that uri`,
      );
    }
    return {
      imageId,
      url: `${p.baseUrl()}/__uploads/${encodeURIComponent(upload.id)}`,
      mimeType: optString(img.mime_type) ?? upload.contentType,
      width: upload.width ?? 0,
      height: upload.height ?? 0,
    };
  });
}

/** POST /return_refund/202309/returns/{return_id}/reject — `decision`, `reject_reason` required; comment, images. */
export function rejectReturn(
  p: Platform,
  appKey: string,
  shopId: string,
  returnId: string,
  body: Json,
  out: DecisionIds,
): Json {
  const { r, decision } = decisionTarget(p, shopId, returnId, body, out);
  const reasonName = reqString(body, 'reject_reason');
  const d = REJECTIONS[decision];
  if (!d) throw paramError('param body.decision is invalid');
  checkDecision(r, decision, d, 'reject');
  const reasons = d.action === 'SELLER_RESPOND_RECEIVE_PACKAGE' ? RECEIVE_REJECT_REASONS : RETURN_REJECT_REASONS;
  const reason = reasons.find((x) => x.name === reasonName);
  if (!reason) throw coded('unknown_reason', 'Unknown reason');
  const images = evidenceImages(p, appKey, body.images);
  const comment = optString(body.comment) ?? '';
  const now = p.clock.now();
  r.rejection = { decision, reason: reason.name, reasonText: reason.text, comment, images, at: now };
  const status: ReturnStatus =
    d.type === 'REPLACEMENT'
      ? 'REPLACEMENT_REQUEST_REJECT'
      : d.action === 'SELLER_RESPOND_RECEIVE_PACKAGE'
        ? 'REJECT_RECEIVE_PACKAGE'
        : 'REFUND_OR_RETURN_REQUEST_REJECT';
  transition(p, r, status, now, {
    role: 'SELLER',
    description:
      d.action === 'SELLER_RESPOND_RECEIVE_PACKAGE'
        ? 'Seller rejected the returned package'
        : 'Seller rejected the request',
    decision,
    reasonText: reason.text,
    note: comment,
    images,
  });
  return {};
}

/**
 * GET /return_refund/202309/returns/{return_id}/records — one entry per step, oldest first
 * (https://partner.tiktokshop.com/docv2/page/get-return-records-202309: event ORDER_RETURN, role, description,
 * reason_text, note, images[]{url, width, height}, create_time). The page's example writes the role "Buyer"; its
 * field description lists BUYER, SELLER, OPERATOR, SYSTEM, which the emulator answers.
 */
export function returnRecords(p: Platform, shopId: string, returnId: string): Json {
  const r = ownReturn(p, shopId, returnId);
  return {
    records: r.records.map((e) => ({
      event: 'ORDER_RETURN',
      role: e.role,
      description: e.description,
      reason_text: e.reasonText,
      note: e.note,
      images: e.images.map((i) => ({ url: i.url, width: i.width, height: i.height })),
      videos: [],
      create_time: sec(e.at),
    })),
  };
}

function returnJson(p: Platform, r: ReturnRequest): Json {
  const order = p.state.orders.get(r.orderId);
  const items = (order?.lineItems ?? []).filter((l) => r.lineItemIds.includes(l.id));
  const total = items.reduce((a, l) => a + Number(l.salePrice), 0).toFixed(2);
  const currency = items[0]?.currency ?? 'USD';
  return {
    return_id: r.id,
    order_id: r.orderId,
    return_type: r.type,
    return_status: r.status,
    ...(r.arbitrationStatus ? { arbitration_status: r.arbitrationStatus } : {}),
    role: r.role,
    return_reason: r.reason,
    return_reason_text: r.reasonText,
    shipment_type: 'PLATFORM',
    return_tracking_number: r.returnTrackingNumber || undefined,
    can_buyer_keep_item: r.buyerKeepItem,
    create_time: sec(r.createTime),
    update_time: sec(r.updateTime),
    seller_next_action_response: r.nextAction
      ? [{ action: r.nextAction.action, deadline: sec(r.nextAction.deadline) }]
      : [],
    return_line_items: items.map((l) => ({
      return_line_item_id: `${r.id}${l.id.slice(-4)}`,
      order_line_item_id: l.id,
      sku_id: l.skuId,
      sku_name: l.skuName,
      product_name: l.productName,
      seller_sku: l.sellerSku,
      product_image: { url: '', width: 0, height: 0 },
      refund_amount: { currency, refund_total: l.salePrice },
    })),
    refund_amount: {
      currency,
      refund_total: total,
      refund_subtotal: total,
      refund_shipping_fee: '0.00',
      refund_tax: '0.00',
      retail_delivery_fee: '0.00',
      buyer_service_fee: '0.00',
    },
  };
}

/** The emulator's record of one return (admin API): the API view plus rejection evidence and every step. */
export function returnRecordJson(p: Platform, r: ReturnRequest): Json {
  return {
    ...returnJson(p, r),
    shop_id: r.shopId,
    arbitration_status: r.arbitrationStatus,
    rejection: r.rejection && {
      decision: r.rejection.decision,
      reject_reason: r.rejection.reason,
      reject_reason_text: r.rejection.reasonText,
      comment: r.rejection.comment,
      images: r.rejection.images.map((i) => ({
        image_id: i.imageId,
        url: i.url,
        mime_type: i.mimeType,
        width: i.width,
        height: i.height,
      })),
      at_ms: r.rejection.at,
    },
    create_time_ms: r.createTime,
    steps: r.records.map((e) => ({
      role: e.role,
      description: e.description,
      status: e.status,
      arbitration_status: e.arbitrationStatus,
      decision: e.decision,
      at_ms: e.at,
      real_at_ms: e.realAt,
    })),
  };
}

/** POST /return_refund/202309/returns/search — page_size 10–50 (default 10), sort ASC (ref §8). */
export function searchReturns(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const ids = asStringArray(body.return_ids);
  const orderIds = asStringArray(body.order_ids);
  const types = asStringArray(body.return_types);
  const statuses = asStringArray(body.return_status);
  const list = [...p.state.returns.values()].filter(
    (r) =>
      r.shopId === shopId &&
      (ids.length === 0 || ids.includes(r.id)) &&
      (orderIds.length === 0 || orderIds.includes(r.orderId)) &&
      (types.length === 0 || types.includes(r.type)) &&
      (statuses.length === 0 || statuses.includes(r.status)) &&
      inRange(r.createTime, body, 'create_time') &&
      inRange(r.updateTime, body, 'update_time'),
  );
  const sorted = sortBy(
    list,
    (r) => (query.sort_field === 'update_time' ? r.updateTime : r.createTime),
    query.sort_order,
    'ASC',
  );
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 10, max: 50, def: 10 });
  return { return_orders: page.map((r) => returnJson(p, r)), total_count, next_page_token };
}

/** GET /return_refund/202309/reject_reasons?return_or_cancel_id= */
export function rejectReasons(p: Platform, shopId: string, query: Record<string, string>): Json {
  const id = optString(query.return_or_cancel_id);
  if (!id) return { reasons: [...CANCEL_REJECT_REASONS, ...RETURN_REJECT_REASONS, ...RECEIVE_REJECT_REASONS] };
  const c = p.state.cancellations.get(id);
  if (c && c.shopId === shopId) return { reasons: CANCEL_REJECT_REASONS };
  const r = p.state.returns.get(id);
  if (r && r.shopId === shopId)
    return { reasons: r.status === 'BUYER_SHIPPED_ITEM' ? RECEIVE_REJECT_REASONS : RETURN_REJECT_REASONS };
  throw coded('return_not_found', `Return or cancellation ${id} not found`);
}

/**
 * POST /return_refund/202309/returns — Create Return, "on the buyer's behalf" (ref §8): `order_id`, `return_reason`,
 * `return_type` (REFUND | RETURN_AND_REFUND) required; what is returned by `order_line_item_ids` or `skus[]{sku_id,
 * quantity}` (that many of the order's line items of the SKU). [UNVERIFIED] The docs do not say what state such a
 * return starts in; read literally (the buyer's request, entered by the seller) it is the buyer's request: pending,
 * with the same response deadline, answered through Approve / Reject Return.
 */
export function createReturn(
  p: Platform,
  shopId: string,
  body: Json,
  out: { orderIds: string[]; returnIds: string[] },
): Json {
  const orderId = reqString(body, 'order_id');
  out.orderIds.push(orderId);
  const reason = reqString(body, 'return_reason');
  const type = reqString(body, 'return_type');
  if (type !== 'REFUND' && type !== 'RETURN_AND_REFUND') throw paramError('param body.return_type is invalid');
  const order = ownOrder(p, shopId, orderId);
  if (!['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(order.status))
    throw coded('aftersale_invalid_status', `The order status ${order.status} does not allow a return`);
  const open = order.lineItems.filter((l) => !l.cancelled && !l.refunded);
  let lineItemIds = asStringArray(body.order_line_item_ids);
  for (const id of lineItemIds)
    if (!open.some((l) => l.id === id)) throw paramError(`order_line_item_id ${id} is invalid`);
  const skus = Array.isArray(body.skus) ? (body.skus as Json[]) : [];
  for (const sku of skus) {
    const skuId = reqString(sku, 'sku_id', 'body.skus');
    const quantity = typeof sku.quantity === 'number' ? sku.quantity : 1;
    const items = open.filter((l) => l.skuId === skuId && !lineItemIds.includes(l.id)).slice(0, quantity);
    if (items.length < quantity) throw paramError(`sku ${skuId}: fewer than ${quantity} returnable items`);
    lineItemIds = [...lineItemIds, ...items.map((l) => l.id)];
  }
  if (lineItemIds.length === 0) throw paramError('param body.skus or body.order_line_item_ids is missing');
  const r = openReturn(p, { order_id: orderId, line_item_ids: lineItemIds, return_type: type, reason });
  out.returnIds.push(r.id);
  return { return_id: r.id, return_status: r.status };
}
