// Orders: placement, status machine, SLA fields, API views. ref §5.
import type { ApiError } from './envelope';
import { coded } from './errorCodes';
import { releaseUnit, reserveUnits, shipUnit } from './inventory';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type { BusinessRules } from './rules';
import type { Cancellation, LineItem, Order, OrderStatus } from './state';
import { businessDeadline } from './usBusinessCalendar';
import type { Json } from './util';
import { asObject, asStringArray, commaList, inRange, optString, paginate, paramError, sortBy } from './util';

/** An order id unknown in the shop (errorCodes.ts 'order_not_found'). */
export function orderNotFound(id: string): ApiError {
  return coded('order_not_found', `Order ${id} not found`);
}

export function ownOrder(p: Platform, shopId: string, orderId: string): Order {
  const o = p.state.orders.get(orderId);
  if (!o || o.shopId !== shopId) throw orderNotFound(orderId);
  return o;
}

/**
 * SLA instants for an order placed at `orderMs` (US SLA page, ref §5.4):
 * - tts_sla_time / rts_sla_time: carrier scan (dispatch) within N business days, 11:59 PM Pacific;
 *   the US policy measures dispatch by the carrier scan, so both fields carry that deadline.
 * - shipping_due_time / cancel_order_sla_time: auto-cancel when not AWAITING_COLLECTION after 7 BD.
 * - delivery_sla_time: 6 BD. collection_due_time / delivery_due_time: emulator choices, reported only.
 */
export function computeSla(rules: BusinessRules, orderMs: number): Order['sla'] {
  const dispatch =
    rules.dispatchSlaOverrideMs !== null
      ? orderMs + rules.dispatchSlaOverrideMs
      : businessDeadline(orderMs, rules.dispatchSlaBusinessDays);
  const cancel =
    rules.autoCancelOverrideMs !== null
      ? orderMs + rules.autoCancelOverrideMs
      : businessDeadline(orderMs, rules.autoCancelBusinessDays);
  return {
    rts: dispatch,
    tts: dispatch,
    delivery: businessDeadline(orderMs, rules.deliverySlaBusinessDays),
    cancelOrder: cancel,
    shippingDue: cancel,
    collectionDue: businessDeadline(orderMs, rules.collectionDueBusinessDays),
    deliveryDue: businessDeadline(orderMs, rules.deliveryDueBusinessDays),
  };
}

/** Changes the status, records the transition and sends webhook type 1 (ref §11.4). */
export function setOrderStatus(p: Platform, order: Order, status: OrderStatus, at: number, cause: string): void {
  if (order.status === status && order.transitions.length > 0) return;
  order.status = status;
  order.updateTime = at;
  order.transitions.push({ status, at, realAt: Date.now(), cause });
  if (status === 'AWAITING_SHIPMENT' && order.awaitingShipmentAt === null) order.awaitingShipmentAt = at;
  const reported = status === 'CANCELLED' ? p.clock.rules.webhookCancelledStatus : status;
  p.webhooks.emit(order.shopId, 'ORDER_STATUS_CHANGE', {
    order_id: order.id,
    order_status: reported,
    is_on_hold_order: status === 'ON_HOLD',
    update_time: sec(at),
  });
}

export interface PlaceOrderInput {
  shop_id: string;
  items: { sku_id: string; quantity?: number }[];
  paid?: boolean;
  shipping_type?: 'SELLER' | 'TIKTOK';
  warehouse_id?: string;
  buyer_user_id?: string;
  buyer_message?: string;
  recipient?: Partial<Order['address']>;
  /**
   * Admin tooling for return benchmarks: the order was paid, shipped and delivered before the run, so it is created
   * DELIVERED at once, without order webhooks, SLA timers or packages (returns can be opened on it right away).
   */
  delivered_before?: boolean;
  /** A creator sample order (Get Order Detail `is_sample_order`). */
  sample_order?: boolean;
}

/**
 * Admin: a buyer places an order. Each unit becomes one line item (ref §5.2: line items have no quantity).
 * Stock is taken from the platform inventory; the order is refused when a SKU lacks stock or its product is
 * not ACTIVATE. A paid order goes UNPAID → ON_HOLD at once and leaves ON_HOLD when the remorse window ends.
 */
export function placeOrder(p: Platform, input: PlaceOrderInput): Order {
  const shop = p.state.shops.get(input.shop_id);
  if (!shop) throw new AdminError(404, `unknown shop ${input.shop_id}`);
  if (!Array.isArray(input.items) || input.items.length === 0) throw new AdminError(400, 'items[] is required');
  const now = p.clock.now();
  // Check everything first so a refused order leaves stock untouched.
  const wanted = new Map<string, number>();
  for (const it of input.items) wanted.set(it.sku_id, (wanted.get(it.sku_id) ?? 0) + (it.quantity ?? 1));
  for (const [skuId, qty] of wanted) {
    const sku = p.state.skus.get(skuId);
    const product = sku ? p.state.products.get(sku.productId) : undefined;
    const reason =
      !sku || !product || product.shopId !== shop.id
        ? `unknown sku ${skuId}`
        : product.status !== 'ACTIVATE'
          ? `product ${product.id} is ${product.status}`
          : [...sku.inventory.values()].reduce((a, l) => a + l.available, 0) < qty
            ? `sku ${skuId} is out of stock`
            : null;
    if (reason) {
      p.state.refusedOrders.push({ at: now, shopId: shop.id, reason, skuIds: [...wanted.keys()] });
      throw new AdminError(409, `order refused: ${reason}`);
    }
  }
  const orderId = p.state.newId('57');
  const lineItems: LineItem[] = [];
  for (const [skuId, qty] of wanted) {
    const sku = p.state.skus.get(skuId);
    const product = sku ? p.state.products.get(sku.productId) : undefined;
    if (!sku || !product) continue;
    const warehouses = reserveUnits(p, sku, qty, input.warehouse_id) ?? [];
    for (const wid of warehouses) {
      lineItems.push({
        id: p.state.newId('57'),
        skuId,
        productId: product.id,
        productName: product.title,
        skuName: sku.name,
        sellerSku: sku.sellerSku,
        salePrice: sku.price.amount,
        currency: sku.price.currency,
        warehouseId: wid,
        packageId: null,
        cancelled: false,
        cancelUser: null,
        cancelReason: null,
        rtsTime: null,
        refunded: false,
      });
    }
  }
  const r = input.recipient ?? {};
  const order: Order = {
    id: orderId,
    shopId: shop.id,
    status: 'UNPAID',
    buyerUserId: input.buyer_user_id ?? p.state.newId('70'),
    buyerEmail: `v${p.state.randomToken(12).toLowerCase()}@scs.tiktokw.us`,
    buyerMessage: input.buyer_message ?? '',
    shippingType: input.shipping_type ?? 'SELLER',
    warehouseId: lineItems[0]?.warehouseId ?? '',
    deliveryOptionId: deliveryOptionIdFor(input.shipping_type ?? 'SELLER'),
    createTime: now,
    updateTime: now,
    paidTime: null,
    rtsTime: null,
    collectionTime: null,
    deliveryTime: null,
    cancelTime: null,
    requestCancelTime: null,
    cancelReason: null,
    cancellationInitiator: null,
    isBuyerRequestCancel: false,
    sampleOrder: input.sample_order === true,
    lateDispatch: false,
    sla: computeSla(p.clock.rules, now),
    lineItems,
    packageIds: [],
    address: {
      name: r.name ?? 'Jane Doe',
      phoneNumber: r.phoneNumber ?? '(+1)213-555-1234',
      addressLine1: r.addressLine1 ?? '123 Main St',
      city: r.city ?? 'Los Angeles',
      state: r.state ?? 'California',
      postalCode: r.postalCode ?? '90001',
      regionCode: r.regionCode ?? 'US',
    },
    shippingFee: '0.00',
    externalOrders: [],
    transitions: [],
    awaitingShipmentAt: null,
  };
  p.state.orders.set(order.id, order);
  if (input.delivered_before === true) {
    order.paidTime = order.rtsTime = order.collectionTime = order.deliveryTime = now;
    order.status = 'DELIVERED';
    order.transitions.push({ status: 'DELIVERED', at: now, realAt: Date.now(), cause: 'seeded as delivered' });
    for (const li of order.lineItems) shipUnit(p, li);
    return order;
  }
  setOrderStatus(p, order, 'UNPAID', now, 'order placed');
  if (input.paid !== false) payOrder(p, order);
  else p.scheduler.schedule('unpaid_timeout', order.id, now + p.clock.rules.unpaidTimeoutMs);
  p.scheduler.schedule('late_dispatch', order.id, order.sla.tts);
  p.scheduler.schedule('auto_cancel', order.id, order.sla.shippingDue);
  return order;
}

export function deliveryOptionIdFor(shippingType: 'SELLER' | 'TIKTOK'): string {
  return shippingType === 'TIKTOK' ? '7129736250391840558' : '7129736250391840559';
}

/** UNPAID → ON_HOLD on payment; the remorse window starts (ref §5.3). */
export function payOrder(p: Platform, order: Order): void {
  if (order.status !== 'UNPAID') throw new AdminError(409, `order ${order.id} is ${order.status}, not UNPAID`);
  const now = p.clock.now();
  order.paidTime = now;
  setOrderStatus(p, order, 'ON_HOLD', now, 'buyer paid');
  p.scheduler.schedule('remorse_end', order.id, now + p.clock.rules.remorseWindowMs);
}

/** Scheduler: the remorse window ended. */
export function onRemorseEnd(p: Platform, orderId: string, at: number): void {
  const o = p.state.orders.get(orderId);
  if (o?.status === 'ON_HOLD') setOrderStatus(p, o, 'AWAITING_SHIPMENT', at, 'remorse window ended');
}

export function onUnpaidTimeout(p: Platform, orderId: string, at: number): void {
  const o = p.state.orders.get(orderId);
  if (o?.status === 'UNPAID') cancelWholeOrder(p, o, at, 'SYSTEM', 'system_cancel_unpaid_time_out');
}

/** Scheduler: auto-cancel when still not AWAITING_COLLECTION at shipping_due_time (US SLA page). */
export function onAutoCancel(p: Platform, orderId: string, at: number): void {
  const o = p.state.orders.get(orderId);
  if (!o || o.sla.shippingDue > at) return;
  if (o.status === 'ON_HOLD' || o.status === 'AWAITING_SHIPMENT' || o.status === 'PARTIALLY_SHIPPING') {
    const c = recordSystemCancellation(p, o, at, 'system_cancel_seller_overdue_shipping');
    cancelWholeOrder(p, o, at, 'SYSTEM', c.reason);
  }
}

/** Scheduler: no carrier scan by tts_sla_time → late dispatch is recorded; the order is not cancelled. */
export function onLateDispatch(p: Platform, orderId: string, at: number): void {
  const o = p.state.orders.get(orderId);
  if (!o || o.sla.tts > at) return;
  if (['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION'].includes(o.status)) {
    o.lateDispatch = true;
  }
}

/** Scheduler: DELIVERED → COMPLETED when the after-sales window closes. */
export function onComplete(p: Platform, orderId: string, at: number): void {
  const o = p.state.orders.get(orderId);
  if (
    o?.status === 'DELIVERED' &&
    o.deliveryTime !== null &&
    o.deliveryTime + p.clock.rules.completeAfterDeliveryMs <= at
  ) {
    setOrderStatus(p, o, 'COMPLETED', at, 'after-sales window closed');
  }
}

function recordSystemCancellation(p: Platform, order: Order, at: number, reason: string): Cancellation {
  const c: Cancellation = {
    id: p.state.newId('58'),
    orderId: order.id,
    shopId: order.shopId,
    type: 'CANCEL',
    status: 'CANCELLATION_REQUEST_SUCCESS',
    role: 'SYSTEM',
    reason,
    reasonText: 'Automatically cancelled: the order was not shipped in time',
    createTime: at,
    updateTime: at,
    deadline: null,
    lineItemIds: order.lineItems.filter((l) => !l.cancelled).map((l) => l.id),
  };
  p.state.cancellations.set(c.id, c);
  emitCancellation(p, c);
  return c;
}

export function emitCancellation(p: Platform, c: Cancellation): void {
  p.webhooks.emit(c.shopId, 'CANCELLATION_STATUS_CHANGE', {
    order_id: c.orderId,
    cancellations_role: c.role,
    cancel_status: c.status,
    cancel_id: c.id,
    create_time: sec(c.createTime),
  });
}

/** Cancels line items; the order becomes CANCELLED once every item is cancelled (ref §5.3). */
export function cancelLineItems(
  p: Platform,
  order: Order,
  lineItemIds: string[],
  at: number,
  initiator: 'SELLER' | 'BUYER' | 'SYSTEM',
  reason: string,
): void {
  for (const li of order.lineItems) {
    if (li.cancelled || !lineItemIds.includes(li.id)) continue;
    li.cancelled = true;
    li.cancelUser = initiator;
    li.cancelReason = reason;
    releaseUnit(p, li);
  }
  order.updateTime = at;
  if (order.lineItems.every((l) => l.cancelled)) {
    order.cancelTime = at;
    order.cancelReason = reason;
    order.cancellationInitiator = initiator;
    order.isBuyerRequestCancel = false;
    for (const pid of order.packageIds) {
      const pkg = p.state.packages.get(pid);
      if (pkg) {
        pkg.status = 'CANCELLED';
        pkg.updateTime = at;
      }
    }
    setOrderStatus(p, order, 'CANCELLED', at, `cancelled by ${initiator}: ${reason}`);
  }
}

export function cancelWholeOrder(
  p: Platform,
  order: Order,
  at: number,
  initiator: 'SELLER' | 'BUYER' | 'SYSTEM',
  reason: string,
): void {
  cancelLineItems(
    p,
    order,
    order.lineItems.map((l) => l.id),
    at,
    initiator,
    reason,
  );
}

function money(n: number): string {
  return n.toFixed(2);
}

function lineItemJson(p: Platform, order: Order, li: LineItem): Json {
  const pkg = li.packageId ? p.state.packages.get(li.packageId) : undefined;
  const packageStatus = li.cancelled
    ? 'CANCELLED'
    : pkg
      ? pkg.status === 'TO_FULFILL'
        ? 'TO_FULFILL'
        : pkg.status
      : 'TO_FULFILL';
  const display = li.cancelled
    ? 'CANCELLED'
    : order.status === 'ON_HOLD' || order.status === 'PARTIALLY_SHIPPING'
      ? pkg?.shipped
        ? 'AWAITING_COLLECTION'
        : order.status === 'ON_HOLD'
          ? 'AWAITING_SHIPMENT'
          : 'AWAITING_SHIPMENT'
      : order.status;
  return {
    id: li.id,
    sku_id: li.skuId,
    product_id: li.productId,
    product_name: li.productName,
    sku_name: li.skuName,
    sku_image: '',
    seller_sku: li.sellerSku,
    original_price: li.tax?.originalPrice ?? li.salePrice,
    sale_price: li.salePrice,
    platform_discount: li.tax?.platformDiscount ?? '0.00',
    seller_discount: li.tax?.sellerDiscount ?? '0.00',
    currency: li.currency,
    display_status: display,
    package_status: packageStatus,
    package_id: li.packageId ?? undefined,
    tracking_number: pkg?.trackingNumber || undefined,
    shipping_provider_id: pkg?.shippingProviderId || undefined,
    shipping_provider_name: pkg?.shippingProviderName || undefined,
    rts_time: sec(li.rtsTime),
    cancel_user: li.cancelUser ?? undefined,
    cancel_reason: li.cancelReason ?? undefined,
    is_gift: false,
    item_tax: [{ tax_type: 'SALES_TAX', tax_amount: li.tax?.itemTax ?? '0.00', tax_rate: li.tax?.taxRate ?? '0' }],
  };
}

/** Get Order Detail shape (ref §5.2). The address is withheld while UNPAID or ON_HOLD. */
export function orderJson(p: Platform, order: Order): Json {
  const live = order.lineItems.filter((l) => !l.cancelled);
  const subTotal = live.reduce((a, l) => a + Number(l.salePrice), 0);
  const sum = (f: (t: NonNullable<LineItem['tax']>) => string) =>
    live.reduce((a, l) => a + (l.tax ? Number(f(l.tax)) : 0), 0);
  const productTax = sum((t) => t.itemTax);
  const shippingTax = Number(order.shippingFeeTax ?? '0');
  const firstPkg = order.packageIds.map((id) => p.state.packages.get(id)).find((x) => x !== undefined);
  const hidden = order.status === 'UNPAID' || order.status === 'ON_HOLD';
  const masked =
    order.shippingType === 'TIKTOK'
      ? order.address.phoneNumber.replace(/\d{3}-(\d{4})$/, '***-$1')
      : order.address.phoneNumber;
  return {
    id: order.id,
    status: order.status,
    user_id: order.buyerUserId,
    buyer_email: order.buyerEmail,
    buyer_message: order.buyerMessage,
    seller_note: '',
    create_time: sec(order.createTime),
    update_time: sec(order.updateTime),
    paid_time: sec(order.paidTime),
    rts_time: sec(order.rtsTime),
    rts_sla_time: sec(order.sla.rts),
    tts_sla_time: sec(order.sla.tts),
    delivery_sla_time: sec(order.sla.delivery),
    shipping_due_time: sec(order.sla.shippingDue),
    collection_due_time: sec(order.sla.collectionDue),
    delivery_due_time: sec(order.sla.deliveryDue),
    cancel_order_sla_time: sec(order.sla.cancelOrder),
    collection_time: sec(order.collectionTime),
    delivery_time: sec(order.deliveryTime),
    cancel_time: sec(order.cancelTime),
    request_cancel_time: sec(order.requestCancelTime),
    cancel_reason: order.cancelReason ?? undefined,
    cancellation_initiator: order.cancellationInitiator ?? undefined,
    is_buyer_request_cancel: order.isBuyerRequestCancel,
    is_on_hold_order: order.status === 'ON_HOLD',
    is_cod: false,
    is_sample_order: order.sampleOrder === true,
    is_replacement_order: false,
    is_exchange_order: false,
    fulfillment_type: order.fulfillmentType ?? 'FULFILLMENT_BY_SELLER',
    shipping_type: order.shippingType,
    delivery_type: 'HOME_DELIVERY',
    delivery_option_id: order.deliveryOptionId,
    delivery_option_name: order.shippingType === 'TIKTOK' ? 'Standard shipping' : 'Shipped by seller',
    shipping_provider: firstPkg?.shippingProviderName || undefined,
    shipping_provider_id: firstPkg?.shippingProviderId || undefined,
    tracking_number: firstPkg?.trackingNumber || undefined,
    warehouse_id: order.warehouseId,
    split_or_combine_tag: order.packageIds.length > 1 ? 'SPLIT' : undefined,
    has_updated_recipient_address: false,
    packages: order.packageIds.map((id) => ({ id })),
    order_type: '',
    handling_duration: { days: String(p.clock.rules.dispatchSlaBusinessDays), type: 'BUSINESS_DAY' },
    commerce_platform: 'TIKTOK_SHOP',
    payment_method_name: 'Credit card',
    payment: {
      currency: live[0]?.currency ?? order.lineItems[0]?.currency ?? 'USD',
      sub_total: money(subTotal),
      shipping_fee: order.shippingFee,
      seller_discount: money(sum((t) => t.sellerDiscount)),
      platform_discount: money(sum((t) => t.platformDiscount)),
      total_amount: money(subTotal + Number(order.shippingFee) + productTax + shippingTax),
      original_total_product_price: money(subTotal + sum((t) => t.sellerDiscount) + sum((t) => t.platformDiscount)),
      original_shipping_fee: order.shippingFee,
      shipping_fee_seller_discount: '0.00',
      shipping_fee_platform_discount: '0.00',
      shipping_fee_cofunded_discount: '0.00',
      tax: money(productTax + shippingTax),
      small_order_fee: '0.00',
      shipping_fee_tax: money(shippingTax),
      product_tax: money(productTax),
      retail_delivery_fee: '0.00',
      buyer_service_fee: '0.00',
      handling_fee: '0.00',
      shipping_insurance_fee: '0.00',
      item_insurance_fee: '0.00',
      item_insurance_tax: '0.00',
    },
    recipient_address: hidden
      ? undefined
      : {
          full_address: `${order.address.addressLine1}, ${order.address.city}, ${order.address.state} ${order.address.postalCode}`,
          phone_number: masked,
          name: order.address.name,
          first_name: order.address.name.split(' ')[0] ?? '',
          last_name: order.address.name.split(' ').slice(1).join(' '),
          region_code: order.address.regionCode,
          postal_code: order.address.postalCode,
          address_line1: order.address.addressLine1,
          address_line2: '',
          address_detail: order.address.addressLine1,
          district_info: [
            { address_level_name: 'Country', address_name: 'United States', address_level: 'L0' },
            { address_level_name: 'State', address_name: order.address.state, address_level: 'L1' },
            { address_level_name: 'City', address_name: order.address.city, address_level: 'L3' },
          ],
        },
    line_items: order.lineItems.map((li) => lineItemJson(p, order, li)),
  };
}

/** GET /order/202309/orders?ids=… (also 202507): at most 50 ids (ref §5.1). */
export function getOrderDetail(p: Platform, shopId: string, query: Record<string, string>, idsOut: string[]): Json {
  const ids = commaList(query.ids);
  if (ids.length === 0) throw paramError('param query.ids is missing');
  if (ids.length > 50) throw paramError('param query.ids must have at most 50 entries');
  idsOut.push(...ids);
  const orders = ids
    .map((id) => p.state.orders.get(id))
    .filter((o): o is Order => o !== undefined && o.shopId === shopId)
    .map((o) => orderJson(p, o));
  return { orders };
}

const ORDER_STATUSES = new Set<string>([
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
]);

/** POST /order/202309/orders/search (ref §5.1). */
export function searchOrders(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const status = optString(body.order_status);
  if (status !== undefined && !ORDER_STATUSES.has(status)) throw paramError('param body.order_status is invalid');
  const sortField = query.sort_field ?? 'create_time';
  if (sortField !== 'create_time' && sortField !== 'update_time') throw paramError('param query.sort_field is invalid');
  const warehouseIds = asStringArray(body.warehouse_ids);
  const shippingType = optString(body.shipping_type);
  const buyer = optString(body.buyer_user_id);
  const cancelReq = typeof body.is_buyer_request_cancel === 'boolean' ? body.is_buyer_request_cancel : undefined;
  const filtered = [...p.state.orders.values()].filter(
    (o) =>
      o.shopId === shopId &&
      (status === undefined || o.status === status) &&
      inRange(o.createTime, body, 'create_time') &&
      inRange(o.updateTime, body, 'update_time') &&
      (shippingType === undefined || o.shippingType === shippingType) &&
      (buyer === undefined || o.buyerUserId === buyer) &&
      (cancelReq === undefined || o.isBuyerRequestCancel === cancelReq) &&
      (warehouseIds.length === 0 || warehouseIds.includes(o.warehouseId)),
  );
  const sorted = sortBy(
    filtered,
    (o) => (sortField === 'update_time' ? o.updateTime : o.createTime),
    query.sort_order,
    'DESC',
  );
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 100 });
  return {
    next_page_token,
    total_count,
    orders: page.map((o) => {
      const j = orderJson(p, o);
      return { ...j, fulfillment_priority_level: 0, recommended_shipping_time: j.rts_sla_time };
    }),
  };
}

const EXTERNAL_PLATFORMS = new Set([
  'SHOPIFY',
  'WOOCOMMERCE',
  'BIGCOMMERCE',
  'MAGENTO',
  'SALESFORCE_COMMERCE_CLOUD',
  'CHANNEL_ADVISOR',
  'AMAZON',
  'ORDER_MANAGEMENT_SYSTEM',
  'WAREHOUSE_MANAGEMENT_SYSTEM',
  'ERP_SYSTEM',
]);

/** POST /order/202406/orders/external_orders: per-order failures in data.errors[] (ref §5.1, §4.1). */
export function addExternalOrders(p: Platform, shopId: string, body: Json, idsOut: string[]): Json {
  if (!Array.isArray(body.orders) || body.orders.length === 0) throw paramError('param body.orders is missing');
  if (body.orders.length > 100) throw paramError('param body.orders must have at most 100 entries');
  const errors: Json[] = [];
  for (const raw of body.orders) {
    const entry = asObject(raw);
    const id = optString(entry.id) ?? '';
    idsOut.push(id);
    const order = p.state.orders.get(id);
    const ext = asObject(entry.external_order);
    const extId = optString(ext.id);
    const platform = optString(ext.platform);
    if (!order || order.shopId !== shopId) {
      const code = p.errors.code('external_order_not_found');
      errors.push({ code, message: 'Order not found', detail: { order_id: id } });
      continue;
    }
    if (!extId || !platform || !EXTERNAL_PLATFORMS.has(platform)) {
      const code = p.errors.code('external_order_invalid');
      errors.push({ code, message: 'param external_order.id/platform is invalid', detail: { order_id: id } });
      continue;
    }
    const lineItems = (Array.isArray(ext.line_items) ? ext.line_items : []).map((x) => {
      const o = asObject(x);
      return { id: optString(o.id) ?? '', originId: optString(o.origin_id) ?? '' };
    });
    order.externalOrders = order.externalOrders.filter((e) => e.platform !== platform);
    order.externalOrders.push({ id: extId, platform, lineItems });
  }
  return errors.length > 0 ? { errors } : {};
}

/** GET /order/202406/orders/{order_id}/external_orders?platform= */
export function getExternalOrders(p: Platform, shopId: string, orderId: string, query: Record<string, string>): Json {
  const order = ownOrder(p, shopId, orderId);
  const list = order.externalOrders.filter((e) => !query.platform || e.platform === query.platform);
  return {
    external_orders: list.map((e) => ({
      id: e.id,
      platform: e.platform,
      line_items: e.lineItems.map((l) => ({ id: l.id, origin_id: l.originId })),
    })),
  };
}

/** POST /order/202406/orders/external_order_search?platform=&external_order_id= */
export function searchByExternalOrder(p: Platform, shopId: string, query: Record<string, string>): Json {
  if (!query.platform || !query.external_order_id)
    throw paramError('param query.platform/external_order_id is missing');
  const orders = [...p.state.orders.values()].filter(
    (o) =>
      o.shopId === shopId &&
      o.externalOrders.some((e) => e.platform === query.platform && e.id === query.external_order_id),
  );
  return { orders: orders.map((o) => ({ id: o.id })) };
}
