// Cancellations and returns ("Return and Refund API"). ref §8; seller response deadlines
// from the sellers' help pages (48 h, otherwise auto-approved: help.commentsold.com "How Returns Work with TikTok").
import { coded } from './errorCodes';
import { cancelLineItems, emitCancellation, ownOrder, setOrderStatus } from './orders';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type { Cancellation, Order, ReturnRequest, ReturnStatus } from './state';
import type { Json } from './util';
import { asStringArray, inRange, optString, paginate, paramError, reqString, sortBy } from './util';

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

function setReturnStatus(
  p: Platform,
  r: ReturnRequest,
  status: ReturnStatus,
  at: number,
  role: ReturnRequest['role'],
  nextAction: ReturnRequest['nextAction'],
): void {
  r.status = status;
  r.updateTime = at;
  r.role = role;
  r.nextAction = nextAction;
  if (nextAction) p.scheduler.schedule('return_deadline', r.id, nextAction.deadline);
  if (status === 'RETURN_OR_REFUND_REQUEST_SUCCESS') refundItems(p, r, at);
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

/** Admin: the buyer opens a return/refund request; the seller must answer before the deadline. */
export function openReturn(
  p: Platform,
  input: { order_id: string; line_item_ids?: string[]; return_type?: 'REFUND' | 'RETURN_AND_REFUND'; reason?: string },
): ReturnRequest {
  const order = p.state.orders.get(input.order_id);
  if (!order) throw new AdminError(404, `unknown order ${input.order_id}`);
  if (!['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(order.status)) {
    throw new AdminError(409, `order ${order.id} is ${order.status}: no return possible`);
  }
  const type = input.return_type ?? 'RETURN_AND_REFUND';
  if (type !== 'REFUND' && type !== 'RETURN_AND_REFUND')
    throw new AdminError(400, 'return_type must be REFUND or RETURN_AND_REFUND');
  const lineItemIds =
    input.line_item_ids ?? order.lineItems.filter((l) => !l.cancelled && !l.refunded).map((l) => l.id);
  if (lineItemIds.length === 0) throw new AdminError(409, 'nothing left to return');
  const now = p.clock.now();
  const r: ReturnRequest = {
    id: p.state.newId('46'),
    orderId: order.id,
    shopId: order.shopId,
    type,
    status: 'RETURN_OR_REFUND_REQUEST_PENDING',
    role: 'BUYER',
    reason: input.reason ?? 'ecom_order_delivered_refund_and_return_reason_damaged_product',
    reasonText: 'Damaged product',
    createTime: now,
    updateTime: now,
    nextAction: null,
    lineItemIds,
    buyerKeepItem: false,
    returnTrackingNumber: '',
  };
  p.state.returns.set(r.id, r);
  const deadline = now + p.clock.rules.returnResponseWindowMs;
  setReturnStatus(p, r, 'RETURN_OR_REFUND_REQUEST_PENDING', now, 'BUYER', {
    action: type === 'REFUND' ? 'SELLER_RESPOND_REFUND' : 'SELLER_RESPOND_RETURN',
    deadline,
  });
  return r;
}

/** Admin: the buyer ships the item back; the seller must confirm receipt before the deadline. */
export function buyerShipReturn(p: Platform, input: { return_id: string; tracking_number?: string }): ReturnRequest {
  const r = p.state.returns.get(input.return_id);
  if (!r) throw new AdminError(404, `unknown return ${input.return_id}`);
  if (r.status !== 'AWAITING_BUYER_SHIP') throw new AdminError(409, `return ${r.id} is ${r.status}`);
  const now = p.clock.now();
  r.returnTrackingNumber = input.tracking_number ?? `RET${p.state.newId('9').slice(0, 12)}`;
  setReturnStatus(p, r, 'BUYER_SHIPPED_ITEM', now, 'BUYER', {
    action: 'SELLER_RESPOND_RECEIVE_PACKAGE',
    deadline: now + p.clock.rules.returnResponseWindowMs,
  });
  return r;
}

/** Scheduler: a missed `seller_next_action_response` deadline approves the request automatically. */
export function onReturnDeadline(p: Platform, returnId: string, at: number): void {
  const r = p.state.returns.get(returnId);
  if (!r?.nextAction || r.nextAction.deadline > at) return;
  if (r.status === 'RETURN_OR_REFUND_REQUEST_PENDING') {
    if (r.type === 'REFUND') setReturnStatus(p, r, 'RETURN_OR_REFUND_REQUEST_SUCCESS', at, 'SYSTEM', null);
    else setReturnStatus(p, r, 'AWAITING_BUYER_SHIP', at, 'SYSTEM', null);
  } else if (r.status === 'BUYER_SHIPPED_ITEM') {
    setReturnStatus(p, r, 'RETURN_OR_REFUND_REQUEST_SUCCESS', at, 'SYSTEM', null);
  }
}

function ownReturn(p: Platform, shopId: string, id: string): ReturnRequest {
  const r = p.state.returns.get(id);
  if (!r || r.shopId !== shopId) throw coded('return_not_found', `Return ${id} not found`);
  return r;
}

/** POST /return_refund/202309/returns/{return_id}/approve — body `decision` (ref §8). */
export function approveReturn(p: Platform, shopId: string, returnId: string, body: Json, ordersOut: string[]): Json {
  const r = ownReturn(p, shopId, returnId);
  ordersOut.push(r.orderId);
  const decision = reqString(body, 'decision');
  const now = p.clock.now();
  const pending = r.status === 'RETURN_OR_REFUND_REQUEST_PENDING';
  if (decision === 'APPROVE_REFUND' && pending && r.type === 'REFUND') {
    setReturnStatus(p, r, 'RETURN_OR_REFUND_REQUEST_SUCCESS', now, 'SELLER', null);
  } else if (decision === 'APPROVE_RETURN' && pending && r.type === 'RETURN_AND_REFUND') {
    r.buyerKeepItem = body.buyer_keep_item === true;
    setReturnStatus(
      p,
      r,
      r.buyerKeepItem ? 'RETURN_OR_REFUND_REQUEST_SUCCESS' : 'AWAITING_BUYER_SHIP',
      now,
      'SELLER',
      null,
    );
  } else if (decision === 'APPROVE_RECEIVED_PACKAGE' && r.status === 'BUYER_SHIPPED_ITEM') {
    setReturnStatus(p, r, 'RETURN_OR_REFUND_REQUEST_SUCCESS', now, 'SELLER', null);
  } else if (
    ![
      'APPROVE_REFUND',
      'APPROVE_RETURN',
      'APPROVE_RECEIVED_PACKAGE',
      'APPROVE_REPLACEMENT',
      'ISSUE_REPLACEMENT_REFUND',
      'OFFER_PARTIAL_REFUND',
    ].includes(decision)
  ) {
    throw paramError('param body.decision is invalid');
  } else {
    throw coded('return_cannot_approve', `The return cannot be approved with ${decision} in status ${r.status}`);
  }
  return {};
}

/** POST /return_refund/202309/returns/{return_id}/reject — `decision` and `reject_reason` required. */
export function rejectReturn(p: Platform, shopId: string, returnId: string, body: Json, ordersOut: string[]): Json {
  const r = ownReturn(p, shopId, returnId);
  ordersOut.push(r.orderId);
  const decision = reqString(body, 'decision');
  const reason = reqString(body, 'reject_reason');
  const now = p.clock.now();
  if (
    (decision === 'REJECT_REFUND' || decision === 'REJECT_RETURN') &&
    r.status === 'RETURN_OR_REFUND_REQUEST_PENDING'
  ) {
    if (!RETURN_REJECT_REASONS.some((x) => x.name === reason)) throw coded('unknown_reason', 'Unknown reason');
    setReturnStatus(p, r, 'REFUND_OR_RETURN_REQUEST_REJECT', now, 'SELLER', null);
  } else if (decision === 'REJECT_RECEIVED_PACKAGE' && r.status === 'BUYER_SHIPPED_ITEM') {
    if (!RECEIVE_REJECT_REASONS.some((x) => x.name === reason)) throw coded('unknown_reason', 'Unknown reason');
    setReturnStatus(p, r, 'REJECT_RECEIVE_PACKAGE', now, 'SELLER', null);
  } else if (!['REJECT_REFUND', 'REJECT_RETURN', 'REJECT_RECEIVED_PACKAGE', 'REJECT_REPLACEMENT'].includes(decision)) {
    throw paramError('param body.decision is invalid');
  } else {
    throw coded('aftersale_invalid_status', `The return cannot be rejected with ${decision} in status ${r.status}`);
  }
  return {};
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
