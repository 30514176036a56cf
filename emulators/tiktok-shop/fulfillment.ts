// Fulfillment: seller shipping (Mark Package As Shipped) and TikTok shipping (Create Packages → Ship Package
// → shipping documents), tracking, carrier scans. ref §6.1–§6.2, §5.3.
import { coded } from './errorCodes';
import { shipUnit } from './inventory';
import { DELIVERY_OPTIONS, SHIPPING_PROVIDERS, providerName } from './logistics';
import { ownOrder, setOrderStatus } from './orders';
import type { Platform } from './platform';
import { AdminError, sec } from './platform';
import type { LineItem, Order, Package } from './state';
import type { Json } from './util';
import { asObject, asStringArray, inRange, optString, paginate, paramError, reqString, sortBy } from './util';

// Error codes per endpoint: errorCodes.ts.

function shippable(order: Order): void {
  if (order.status === 'CANCELLED') throw coded('order_cancelled', 'The order has been cancelled');
  if (order.status !== 'AWAITING_SHIPMENT' && order.status !== 'PARTIALLY_SHIPPING') {
    if (['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'].includes(order.status)) {
      throw coded('already_shipped', 'Package has been shipped');
    }
    throw coded('status_forbids_shipping', `The order status ${order.status} does not allow shipping`);
  }
}

function pickLineItems(order: Order, requested: string[]): LineItem[] {
  const open = order.lineItems.filter((l) => !l.cancelled && l.packageId === null);
  if (requested.length === 0) {
    if (open.length === 0) throw coded('already_shipped', 'Package has been shipped');
    return open;
  }
  return requested.map((id) => {
    const li = order.lineItems.find((l) => l.id === id);
    if (!li) throw paramError(`order_line_item_id ${id} does not belong to the order`);
    if (li.cancelled) throw coded('order_cancelled', `Line item ${id} has been cancelled`);
    if (li.packageId !== null) throw coded('already_shipped', 'Package has been shipped');
    return li;
  });
}

function newPackage(p: Platform, order: Order, items: LineItem[], shipped: boolean): Package {
  const now = p.clock.now();
  const pkg: Package = {
    id: p.state.newId('11'),
    shopId: order.shopId,
    orderId: order.id,
    lineItemIds: items.map((l) => l.id),
    status: shipped ? 'PROCESSING' : 'TO_FULFILL',
    shippingType: order.shippingType,
    shipped,
    trackingNumber: '',
    shippingProviderId: '',
    shippingProviderName: '',
    deliveryOptionId: order.deliveryOptionId,
    handoverMethod: null,
    splitTag: items.length < order.lineItems.filter((l) => !l.cancelled).length ? 'SPLIT' : 'DEFAULT',
    createTime: now,
    updateTime: now,
    tracking: [],
  };
  p.state.packages.set(pkg.id, pkg);
  order.packageIds.push(pkg.id);
  for (const li of items) li.packageId = pkg.id;
  if (pkg.splitTag === 'SPLIT') {
    // Package split notification (ref §11.4 type 4, sc_type SPLIT).
    p.webhooks.emit(order.shopId, 'PACKAGE_UPDATE', {
      sc_type: 'SPLIT',
      role_type: 'ROLE_SELLER',
      package_list: [{ package_id: pkg.id, order_id_list: [order.id] }],
      update_time: sec(now),
    });
  }
  return pkg;
}

function markArranged(p: Platform, order: Order, pkg: Package, at: number): void {
  pkg.shipped = true;
  pkg.status = 'PROCESSING';
  pkg.updateTime = at;
  pkg.tracking.push({ description: 'Shipping label created', atMs: at });
  for (const li of order.lineItems) {
    if (li.packageId === pkg.id) {
      li.rtsTime = at;
      shipUnit(p, li);
    }
  }
}

/**
 * Derives the order status from its packages (ref §5.3): some items shipped → PARTIALLY_SHIPPING; every
 * item arranged → AWAITING_COLLECTION; every package scanned → IN_TRANSIT; every package delivered → DELIVERED.
 */
export function refreshFulfillmentStatus(p: Platform, order: Order, at: number, cause: string): void {
  if (order.status === 'CANCELLED' || order.status === 'COMPLETED') return;
  const live = order.lineItems.filter((l) => !l.cancelled);
  const pkgs = new Map<string, Package>();
  let shipped = 0;
  for (const li of live) {
    const pkg = li.packageId ? p.state.packages.get(li.packageId) : undefined;
    if (pkg?.shipped) {
      shipped++;
      pkgs.set(pkg.id, pkg);
    }
  }
  if (shipped === 0 || live.length === 0) return;
  if (shipped < live.length) {
    setOrderStatus(p, order, 'PARTIALLY_SHIPPING', at, cause);
    return;
  }
  const all = [...pkgs.values()];
  if (all.every((x) => x.status === 'COMPLETED')) {
    if (order.status !== 'DELIVERED') {
      order.deliveryTime = at;
      setOrderStatus(p, order, 'DELIVERED', at, cause);
      p.scheduler.schedule('complete', order.id, at + p.clock.rules.completeAfterDeliveryMs);
    }
  } else if (all.every((x) => x.status === 'FULFILLING' || x.status === 'COMPLETED')) {
    if (order.status !== 'IN_TRANSIT') {
      order.collectionTime = at;
      if (at > order.sla.tts) order.lateDispatch = true;
      setOrderStatus(p, order, 'IN_TRANSIT', at, cause);
    }
  } else if (order.status !== 'AWAITING_COLLECTION') {
    order.rtsTime = at;
    setOrderStatus(p, order, 'AWAITING_COLLECTION', at, cause);
  }
}

function checkProvider(id: string): string {
  const name = providerName(id);
  if (!name) throw coded('bad_tracking', 'Invalid tracking number or shipping provider ID');
  return name;
}

function checkTracking(tn: string): void {
  if (!/^[A-Za-z0-9-]{6,40}$/.test(tn)) throw coded('bad_tracking', 'Invalid tracking number or shipping provider ID');
}

/** POST /fulfillment/202309/orders/{order_id}/packages — Mark Package As Shipped (seller shipping). */
export function markPackageAsShipped(
  p: Platform,
  shopId: string,
  orderId: string,
  body: Json,
  packageIdsOut: string[],
): Json {
  const order = ownOrder(p, shopId, orderId);
  const trackingNumber = reqString(body, 'tracking_number');
  const providerId = reqString(body, 'shipping_provider_id');
  if (order.shippingType !== 'SELLER') throw coded('not_seller_shipped', 'The order is not shipped by the seller');
  shippable(order);
  const name = checkProvider(providerId);
  checkTracking(trackingNumber);
  const items = pickLineItems(order, asStringArray(body.order_line_item_ids));
  const now = p.clock.now();
  const pkg = newPackage(p, order, items, false);
  pkg.trackingNumber = trackingNumber;
  pkg.shippingProviderId = providerId;
  pkg.shippingProviderName = name;
  markArranged(p, order, pkg, now);
  packageIdsOut.push(pkg.id);
  refreshFulfillmentStatus(p, order, now, 'seller marked package as shipped');
  return { order_id: order.id, order_line_item_ids: pkg.lineItemIds, package_id: pkg.id };
}

/** POST /fulfillment/202309/packages — Create Packages (buy a TikTok Shipping label, US). */
export function createPackages(
  p: Platform,
  shopId: string,
  body: Json,
  idsOut: { orders: string[]; packages: string[] },
): Json {
  const orderId = reqString(body, 'order_id');
  idsOut.orders.push(orderId);
  const order = ownOrder(p, shopId, orderId);
  if (order.shippingType !== 'TIKTOK') throw coded('not_tiktok_shipping', 'TikTok Shipping is not used by this order');
  shippable(order);
  const items = pickLineItems(order, asStringArray(body.order_line_item_ids));
  const pkg = newPackage(p, order, items, false);
  const provider = SHIPPING_PROVIDERS[0] ?? { id: '', name: '' };
  pkg.shippingProviderId = provider.id;
  pkg.shippingProviderName = provider.name;
  pkg.trackingNumber = `9400${p.state.newId('1').slice(0, 18)}`;
  idsOut.packages.push(pkg.id);
  return {
    package_id: pkg.id,
    order_id: order.id,
    order_line_item_ids: pkg.lineItemIds,
    create_time: sec(pkg.createTime),
    shipping_service_info: {
      id: optString(body.shipping_service_id) ?? '7208502187360519982',
      name: 'USPS Ground Advantage',
      price: '4.50',
      currency: 'USD',
      shipping_provider_id: provider.id,
      shipping_provider_name: provider.name,
      earliest_delivery_days: 2,
      latest_delivery_days: 5,
    },
  };
}

function ownPackage(p: Platform, shopId: string, packageId: string): Package {
  const pkg = p.state.packages.get(packageId);
  if (!pkg) throw coded('package_not_found', 'The package does not exist');
  if (pkg.shopId !== shopId) throw coded('package_other_shop', 'The package does not belong to the current shop');
  return pkg;
}

/** POST /fulfillment/202309/packages/{package_id}/ship — Ship Package. */
export function shipPackage(p: Platform, shopId: string, packageId: string, body: Json, ordersOut: string[]): Json {
  const pkg = ownPackage(p, shopId, packageId);
  const order = ownOrder(p, shopId, pkg.orderId);
  ordersOut.push(order.id);
  if (pkg.status === 'CANCELLED' || order.status === 'CANCELLED')
    throw coded('order_cancelled', 'The order has been cancelled');
  if (pkg.shipped) throw coded('already_shipped', 'Package has been shipped');
  const handover = optString(body.handover_method);
  if (handover !== undefined && handover !== 'PICKUP' && handover !== 'DROP_OFF') {
    throw paramError('param body.handover_method is invalid');
  }
  const self = asObject(body.self_shipment);
  if (optString(self.tracking_number) !== undefined || optString(self.shipping_provider_id) !== undefined) {
    const tn = reqString(self, 'tracking_number', 'body.self_shipment');
    const pid = reqString(self, 'shipping_provider_id', 'body.self_shipment');
    pkg.shippingProviderName = checkProvider(pid);
    checkTracking(tn);
    pkg.trackingNumber = tn;
    pkg.shippingProviderId = pid;
  }
  pkg.handoverMethod = (handover as Package['handoverMethod'] | undefined) ?? 'DROP_OFF';
  const now = p.clock.now();
  markArranged(p, order, pkg, now);
  refreshFulfillmentStatus(p, order, now, 'package shipped');
  return {};
}

function addressJson(order: Order): Json {
  return {
    full_address: `${order.address.addressLine1}, ${order.address.city}, ${order.address.state} ${order.address.postalCode}`,
    name: order.address.name,
    phone_number: order.address.phoneNumber,
    postal_code: order.address.postalCode,
    region_code: order.address.regionCode,
  };
}

/** GET /fulfillment/202309/packages/{package_id} */
export function packageDetail(p: Platform, shopId: string, packageId: string): Json {
  const pkg = ownPackage(p, shopId, packageId);
  const order = ownOrder(p, shopId, pkg.orderId);
  const option = DELIVERY_OPTIONS.find((d) => d.id === pkg.deliveryOptionId);
  return {
    package_id: pkg.id,
    orders: [{ id: order.id, skus: [] }],
    package_status: pkg.status === 'TO_FULFILL' ? 'PROCESSING' : pkg.status,
    split_and_combine_tag: pkg.splitTag,
    has_multi_skus: new Set(pkg.lineItemIds.map((id) => order.lineItems.find((l) => l.id === id)?.skuId)).size > 1,
    shipping_provider_name: pkg.shippingProviderName,
    shipping_provider_id: pkg.shippingProviderId,
    shipping_type: pkg.shippingType,
    delivery_option_name: option?.name ?? '',
    delivery_option_id: pkg.deliveryOptionId,
    tracking_number: pkg.trackingNumber,
    last_mile_tracking_number: pkg.trackingNumber,
    handover_method: pkg.handoverMethod ?? undefined,
    order_line_item_ids: pkg.lineItemIds,
    recipient_address: addressJson(order),
    weight: { value: '1', unit: 'POUND' },
    dimension: { length: '10', width: '8', height: '4', unit: 'INCH' },
    create_time: sec(pkg.createTime),
    update_time: sec(pkg.updateTime),
  };
}

const DOCUMENT_TYPES = new Set([
  'SHIPPING_LABEL',
  'PACKING_SLIP',
  'SHIPPING_LABEL_AND_PACKING_SLIP',
  'SHIPPING_LABEL_PICTURE',
  'HAZMAT_LABEL',
  'INVOICE_LABEL',
]);

/** GET /fulfillment/202309/packages/{package_id}/shipping_documents — TikTok shipping only (ref §6.2). */
export function shippingDocument(p: Platform, shopId: string, packageId: string, query: Record<string, string>): Json {
  const pkg = ownPackage(p, shopId, packageId);
  const type = query.document_type;
  if (!type || !DOCUMENT_TYPES.has(type)) throw paramError('param query.document_type is invalid');
  if (pkg.shippingType !== 'TIKTOK')
    throw coded(
      'shipping_document_not_tiktok',
      'This API is only applicable to TikTok Shipping orders. For seller shipping, please obtain the shipping label on your own.',
    );
  const ext = type === 'SHIPPING_LABEL_PICTURE' ? 'png' : 'pdf';
  return {
    doc_url: `${p.baseUrl()}/__documents/${pkg.id}/${type}.${ext}`,
    tracking_number: pkg.trackingNumber,
  };
}

function updateTrackingOf(p: Platform, order: Order, pkg: Package, body: Json): void {
  const tn = reqString(body, 'tracking_number');
  const pid = reqString(body, 'shipping_provider_id');
  if (pkg.shippingType !== 'SELLER') throw coded('not_seller_shipped', 'The package is not shipped by the seller');
  if (!pkg.shipped) throw coded('not_shipped_yet', 'The package has not been shipped yet');
  if (pkg.status !== 'PROCESSING' || !['AWAITING_COLLECTION', 'PARTIALLY_SHIPPING'].includes(order.status)) {
    throw coded('status_forbids_shipping', 'Cannot update shipping information due to order status');
  }
  pkg.shippingProviderName = checkProvider(pid);
  checkTracking(tn);
  pkg.trackingNumber = tn;
  pkg.shippingProviderId = pid;
  pkg.updateTime = p.clock.now();
  order.updateTime = pkg.updateTime;
}

/** POST /fulfillment/202309/orders/{order_id}/shipping_info/update (order level). */
export function updateShippingInfo(p: Platform, shopId: string, orderId: string, body: Json): Json {
  const order = ownOrder(p, shopId, orderId);
  const pkgs = order.packageIds
    .map((id) => p.state.packages.get(id))
    .filter((x): x is Package => x !== undefined && x.status !== 'CANCELLED');
  if (pkgs.length === 0) throw coded('not_shipped_yet', 'The package has not been shipped yet');
  if (pkgs.length > 1) throw coded('split_order_update', 'The order is split: update each package instead');
  updateTrackingOf(p, order, pkgs[0] as Package, body);
  return {};
}

/** POST /fulfillment/202309/packages/{package_id}/shipping_info/update (split orders). */
export function updatePackageShippingInfo(
  p: Platform,
  shopId: string,
  packageId: string,
  body: Json,
  ordersOut: string[],
): Json {
  const pkg = ownPackage(p, shopId, packageId);
  const order = ownOrder(p, shopId, pkg.orderId);
  ordersOut.push(order.id);
  updateTrackingOf(p, order, pkg, body);
  return {};
}

/** GET /fulfillment/202309/orders/{order_id}/tracking — `update_time_millis` is in ms (ref §1, §6.2). */
export function getTracking(p: Platform, shopId: string, orderId: string): Json {
  const order = ownOrder(p, shopId, orderId);
  const events = order.packageIds
    .flatMap((id) => p.state.packages.get(id)?.tracking ?? [])
    .sort((a, b) => b.atMs - a.atMs);
  return { tracking: events.map((e) => ({ description: e.description, update_time_millis: e.atMs })) };
}

/** POST /fulfillment/202309/packages/search */
export function searchPackages(p: Platform, shopId: string, query: Record<string, string>, body: Json): Json {
  const status = optString(body.package_status);
  const list = [...p.state.packages.values()].filter(
    (x) =>
      x.shopId === shopId &&
      (status === undefined || (x.status === 'TO_FULFILL' ? 'PROCESSING' : x.status) === status) &&
      inRange(x.createTime, body, 'create_time') &&
      inRange(x.updateTime, body, 'update_time'),
  );
  const sorted = sortBy(
    list,
    (x) => (query.sort_field === 'update_time' ? x.updateTime : x.createTime),
    query.sort_order,
    'DESC',
  );
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 50 });
  return {
    next_page_token,
    total_count,
    packages: page.map((x) => ({
      id: x.id,
      orders: [{ id: x.orderId }],
      create_time: sec(x.createTime),
      update_time: sec(x.updateTime),
      status: x.status === 'TO_FULFILL' ? 'PROCESSING' : x.status,
      tracking_number: x.trackingNumber,
      shipping_provider_name: x.shippingProviderName,
      shipping_provider_id: x.shippingProviderId,
      order_line_item_ids: x.lineItemIds,
    })),
  };
}

function packagesFor(
  p: Platform,
  input: { order_id?: string; package_id?: string },
): { order: Order; pkgs: Package[] } {
  if (input.package_id) {
    const pkg = p.state.packages.get(input.package_id);
    const order = pkg ? p.state.orders.get(pkg.orderId) : undefined;
    if (!pkg || !order) throw new AdminError(404, `unknown package ${input.package_id}`);
    return { order, pkgs: [pkg] };
  }
  const order = input.order_id ? p.state.orders.get(input.order_id) : undefined;
  if (!order) throw new AdminError(404, `unknown order ${String(input.order_id)}`);
  const pkgs = order.packageIds.map((id) => p.state.packages.get(id)).filter((x): x is Package => x !== undefined);
  return { order, pkgs };
}

/** Admin: the carrier scans the package(s): PROCESSING → FULFILLING; the order may become IN_TRANSIT. */
export function carrierScan(p: Platform, input: { order_id?: string; package_id?: string }): Order {
  const { order, pkgs } = packagesFor(p, input);
  const ready = pkgs.filter((x) => x.shipped && x.status === 'PROCESSING');
  if (ready.length === 0) throw new AdminError(409, 'no shipped package is waiting for a carrier scan');
  const now = p.clock.now();
  for (const pkg of ready) {
    pkg.status = 'FULFILLING';
    pkg.updateTime = now;
    pkg.tracking.push({ description: `Accepted by ${pkg.shippingProviderName || 'carrier'}`, atMs: now });
  }
  refreshFulfillmentStatus(p, order, now, 'carrier scan');
  return order;
}

/** Admin: the carrier delivers the package(s): FULFILLING → COMPLETED; the order may become DELIVERED. */
export function deliverPackages(p: Platform, input: { order_id?: string; package_id?: string }): Order {
  const { order, pkgs } = packagesFor(p, input);
  const moving = pkgs.filter((x) => x.status === 'FULFILLING');
  if (moving.length === 0) throw new AdminError(409, 'no package is in transit');
  const now = p.clock.now();
  for (const pkg of moving) {
    pkg.status = 'COMPLETED';
    pkg.updateTime = now;
    pkg.tracking.push({ description: 'Delivered', atMs: now });
  }
  refreshFulfillmentStatus(p, order, now, 'delivered');
  return order;
}
