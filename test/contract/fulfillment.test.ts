// Contract: seller shipping (Mark Package As Shipped, Update Shipping Info, Update Package Shipping Info),
// TikTok Shipping (Create Packages → Ship Package → shipping document), Get Package Detail, Get Tracking
// (ref §6.1-§6.3, §5.3).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokInvalidRequest, TikTokStateConflict } from '../../integrations/tiktok/errors';
import { advanceClock, expectFailure, HOUR, placeOrder, placeShippableOrders, startHarness } from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

void describe('fulfillment', () => {
  let h: Harness;
  let sellerOrder: string; // SELLER shipping, one unit
  let splitOrder: string; // SELLER shipping, two units shipped in two packages
  let tiktokOrder: string; // TIKTOK shipping
  let usps: string;
  let ups: string;

  before(async () => {
    h = await startHarness();
    const [red, pink] = h.products[0]!.skus;
    [sellerOrder, splitOrder, tiktokOrder] = (await placeShippableOrders(h, [
      { items: [{ sku_id: red!.id }] },
      { items: [{ sku_id: red!.id }, { sku_id: pink!.id }] },
      { items: [{ sku_id: pink!.id }], shipping_type: 'TIKTOK' },
    ])) as [string, string, string];
    // ref §6.3: the provider id comes from warehouse → delivery option (SEND_BY_SELLER) → shipping providers.
    const options = await callEndpoint(h.client, endpoints.getWarehouseDeliveryOptions, h.shop, {
      warehouse_id: h.warehouseIds[0]!,
    });
    const bySeller = options.find((o) => o.type === 'SEND_BY_SELLER');
    assert.ok(bySeller);
    const providers = await callEndpoint(h.client, endpoints.getShippingProviders, h.shop, {
      delivery_option_id: bySeller.id,
    });
    usps = providers.find((p) => p.name === 'USPS')!.id;
    ups = providers.find((p) => p.name === 'UPS')!.id;
  });
  after(async () => {
    await h.close();
  });

  void test('seller shipping before the remorse window ends is refused (ON_HOLD, ref §5.3)', async () => {
    const held = await placeOrder(h, { items: [{ sku_id: h.products[1]!.skus[0]!.id }] });
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
        order_id: held,
        tracking_number: '9400111899223',
        shipping_provider_id: usps,
      }),
      TikTokStateConflict,
    );
    assert.equal(err.code, 10007002);
  });

  void test('Mark Package As Shipped → package_id; order AWAITING_COLLECTION; package detail + tracking', async () => {
    const res = await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
      order_id: sellerOrder,
      tracking_number: '9400111899223344',
      shipping_provider_id: usps,
    });
    assert.equal(res.order_id, sellerOrder);
    assert.match(res.package_id, /^\d+$/);
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [sellerOrder] });
    assert.equal(order!.status, 'AWAITING_COLLECTION');
    assert.deepEqual(order!.packages, [{ id: res.package_id }]);
    assert.equal(order!.tracking_number, '9400111899223344');
    assert.equal(order!.line_items[0]!.package_id, res.package_id);

    const pkg = await callEndpoint(h.client, endpoints.getPackageDetail, h.shop, { package_id: res.package_id });
    assert.equal(pkg.package_id, res.package_id);
    assert.equal(pkg.package_status, 'PROCESSING');
    assert.equal(pkg.tracking_number, '9400111899223344');
    assert.equal(pkg.shipping_provider_id, usps);
    assert.equal(pkg.shipping_provider_name, 'USPS');
    assert.equal(pkg.shipping_type, 'SELLER');
    assert.deepEqual(
      pkg.orders?.map((o) => o.id),
      [sellerOrder],
    );
    assert.deepEqual(
      pkg.order_line_item_ids,
      order!.line_items.map((li) => li.id),
    );

    const tracking = await callEndpoint(h.client, endpoints.getTracking, h.shop, { order_id: sellerOrder });
    assert.ok(tracking.length >= 1);
    // update_time_millis is in milliseconds (ref §1), around the business clock's "now" (≈ 1 h ahead).
    const t = tracking[0]!.update_time_millis;
    assert.ok(t > Date.now() - 60_000 && t < Date.now() + 2 * HOUR, `update_time_millis ${t}`);
  });

  void test('shipping the same order again → TikTokStateConflict (21008099 already shipped)', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
        order_id: sellerOrder,
        tracking_number: '9400111899229999',
        shipping_provider_id: usps,
      }),
      TikTokStateConflict,
    );
    assert.equal(err.code, 21008099);
  });

  void test('Update Shipping Info (order level) corrects tracking number and provider', async () => {
    await callEndpoint(h.client, endpoints.updateShippingInfo, h.shop, {
      order_id: sellerOrder,
      tracking_number: '1Z999AA10123456784',
      shipping_provider_id: ups,
    });
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [sellerOrder] });
    assert.equal(order!.tracking_number, '1Z999AA10123456784');
    assert.equal(order!.shipping_provider_id, ups);
    // An unknown provider id is refused (21011022, ref §6.2).
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.updateShippingInfo, h.shop, {
        order_id: sellerOrder,
        tracking_number: '1Z999AA10123456784',
        shipping_provider_id: '123',
      }),
      TikTokInvalidRequest,
    );
    assert.equal(err.code, 21011022);
  });

  void test('item-level split: two packages, PARTIALLY_SHIPPING, then Update Package Shipping Info', async () => {
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [splitOrder] });
    const [li1, li2] = order!.line_items;
    const first = await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
      order_id: splitOrder,
      tracking_number: 'SPLIT-000001',
      shipping_provider_id: usps,
      order_line_item_ids: [li1!.id],
    });
    assert.deepEqual(first.order_line_item_ids, [li1!.id]);
    let [o] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [splitOrder] });
    assert.equal(o!.status, 'PARTIALLY_SHIPPING');
    const second = await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
      order_id: splitOrder,
      tracking_number: 'SPLIT-000002',
      shipping_provider_id: usps,
      order_line_item_ids: [li2!.id],
    });
    assert.notEqual(first.package_id, second.package_id);
    [o] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [splitOrder] });
    assert.equal(o!.status, 'AWAITING_COLLECTION');
    assert.equal(o!.split_or_combine_tag, 'SPLIT');

    // A split order is corrected package by package.
    await expectFailure(
      callEndpoint(h.client, endpoints.updateShippingInfo, h.shop, {
        order_id: splitOrder,
        tracking_number: 'SPLIT-000009',
        shipping_provider_id: ups,
      }),
      TikTokStateConflict,
    );
    await callEndpoint(h.client, endpoints.updatePackageShippingInfo, h.shop, {
      package_id: second.package_id,
      tracking_number: 'SPLIT-000003',
      shipping_provider_id: ups,
    });
    const pkg = await callEndpoint(h.client, endpoints.getPackageDetail, h.shop, { package_id: second.package_id });
    assert.equal(pkg.tracking_number, 'SPLIT-000003');
    assert.equal(pkg.shipping_provider_name, 'UPS');
    assert.equal(pkg.split_and_combine_tag, 'SPLIT');
  });

  void test('TikTok Shipping: Create Packages → Ship Package → shipping document (ref §6.2)', async () => {
    const created = await callEndpoint(h.client, endpoints.createPackages, h.shop, {
      order_id: tiktokOrder,
      weight: { value: '0.5', unit: 'POUND' },
      dimension: { length: '6', width: '4', height: '2', unit: 'INCH' },
    });
    assert.match(created.package_id, /^\d+$/);
    assert.ok(created.shipping_service_info);
    let [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [tiktokOrder] });
    assert.equal(order!.status, 'AWAITING_SHIPMENT', 'a label alone does not arrange shipment');

    const doc = await callEndpoint(h.client, endpoints.getPackageShippingDocument, h.shop, {
      package_id: created.package_id,
      document_type: 'SHIPPING_LABEL',
    });
    assert.ok(doc.tracking_number);
    const pdf = await fetch(doc.doc_url);
    assert.equal(pdf.status, 200);
    assert.match(pdf.headers.get('content-type') ?? '', /application\/pdf/);
    assert.ok(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1') === '%PDF-',
    );

    await callEndpoint(h.client, endpoints.shipPackage, h.shop, {
      package_id: created.package_id,
      handover_method: 'PICKUP',
    });
    [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [tiktokOrder] });
    assert.equal(order!.status, 'AWAITING_COLLECTION');
    const pkg = await callEndpoint(h.client, endpoints.getPackageDetail, h.shop, { package_id: created.package_id });
    assert.equal(pkg.handover_method, 'PICKUP');
    assert.equal(pkg.shipping_type, 'TIKTOK');
    assert.equal(pkg.tracking_number, doc.tracking_number);

    const again = await expectFailure(
      callEndpoint(h.client, endpoints.shipPackage, h.shop, {
        package_id: created.package_id,
        handover_method: 'DROP_OFF',
      }),
      TikTokStateConflict,
    );
    assert.equal(again.code, 21008099);
  });

  void test('carrier scan moves the order IN_TRANSIT and adds a tracking event', async () => {
    await h.admin(`/orders/${sellerOrder}/carrier-scan`, {});
    await advanceClock(h, 1000);
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [sellerOrder] });
    assert.equal(order!.status, 'IN_TRANSIT');
    const tracking = await callEndpoint(h.client, endpoints.getTracking, h.shop, { order_id: sellerOrder });
    assert.ok(tracking.length >= 2);
    assert.ok(tracking.some((e) => /UPS/.test(e.description ?? '')));
    // Shipping info can no longer be corrected once the carrier has it (10007002, ref §6.2).
    await expectFailure(
      callEndpoint(h.client, endpoints.updateShippingInfo, h.shop, {
        order_id: sellerOrder,
        tracking_number: 'LATE-0000001',
        shipping_provider_id: usps,
      }),
      TikTokStateConflict,
    );
  });
});
