// Contract: Get Order List (search: filters, pagination, sort), Get Order Detail, external order references
// (ref §5.1-§5.3, §4.1).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokInvalidRequest, TikTokNotFound } from '../../integrations/tiktok/errors';
import { HOUR, MINUTE, advanceClock, expectFailure, placeOrder, startHarness } from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints, type EndpointInput } from '../../integrations/tiktok/endpoints';

void describe('orders', () => {
  let h: Harness;
  let shippable: string[]; // AWAITING_SHIPMENT: [0] SELLER 2×RED, [1] TIKTOK 1×PINK, [2] SELLER buyer B
  let onHold: string; // ON_HOLD (placed after the remorse window of the others)
  let unpaid: string;
  let createdBetween: { ge: number; lt: number };

  before(async () => {
    h = await startHarness();
    const [red, pink] = h.products[0]!.skus;
    const mask = h.products[1]!.skus[0]!;
    const t0 = Math.floor(Date.now() / 1000);
    shippable = [
      await placeOrder(h, {
        items: [{ sku_id: red!.id, quantity: 2 }],
        buyer_user_id: '7001',
        warehouse_id: h.warehouseIds[0],
      }),
      await placeOrder(h, { items: [{ sku_id: pink!.id }], shipping_type: 'TIKTOK', buyer_user_id: '7001' }),
      await placeOrder(h, { items: [{ sku_id: mask.id }, { sku_id: red!.id }], buyer_user_id: '7002' }),
    ];
    await advanceClock(h, HOUR + MINUTE);
    const t1 = Math.floor((Date.now() + HOUR + MINUTE) / 1000);
    createdBetween = { ge: t0 - 5, lt: t1 - 5 };
    await advanceClock(h, 10 * MINUTE);
    onHold = await placeOrder(h, { items: [{ sku_id: mask.id }], buyer_user_id: '7003' });
    unpaid = await placeOrder(h, { items: [{ sku_id: mask.id }], paid: false, buyer_user_id: '7003' });
  });
  after(async () => {
    await h.close();
  });

  void test('search: every order, newest first by default, with total_count (ref §5.1)', async () => {
    const res = await callEndpoint(h.client, endpoints.searchOrders, h.shop, { page_size: 50 });
    assert.equal(res.total_count, 5);
    assert.deepEqual(
      res.orders.slice(0, 2).map((o) => o.id),
      [unpaid, onHold],
    );
    assert.deepEqual(
      res.orders
        .slice(2)
        .map((o) => o.id)
        .sort(),
      [...shippable].sort(),
    );
    const times = res.orders.map((o) => o.create_time ?? 0);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'DESC by create_time',
    );
    assert.ok(!res.next_page_token, 'a single page has no next_page_token');
    for (const o of res.orders) assert.match(o.id, /^\d+$/);
  });

  void test('search filters: order_status, shipping_type, buyer_user_id, create_time window, warehouse_ids', async () => {
    const ids = async (input: EndpointInput<typeof endpoints.searchOrders>) =>
      (await callEndpoint(h.client, endpoints.searchOrders, h.shop, input)).orders.map((o) => o.id).sort();
    assert.deepEqual(await ids({ order_status: 'AWAITING_SHIPMENT' }), [...shippable].sort());
    assert.deepEqual(await ids({ order_status: 'ON_HOLD' }), [onHold]);
    assert.deepEqual(await ids({ order_status: 'UNPAID' }), [unpaid]);
    assert.deepEqual(await ids({ shipping_type: 'TIKTOK' }), [shippable[1]]);
    assert.deepEqual(await ids({ buyer_user_id: '7001' }), [shippable[0], shippable[1]].sort());
    assert.deepEqual(
      await ids({ create_time_ge: createdBetween.ge, create_time_lt: createdBetween.lt }),
      [...shippable].sort(),
    );
    assert.deepEqual(await ids({ order_status: 'AWAITING_SHIPMENT', warehouse_ids: [h.warehouseIds[1]!] }), []);
    assert.deepEqual(await ids({ is_buyer_request_cancel: true }), []);
  });

  void test('search pagination: page_token/next_page_token walk every order once; ASC sort', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await callEndpoint(h.client, endpoints.searchOrders, h.shop, {
        page_size: 2,
        sort_field: 'create_time',
        sort_order: 'ASC',
        ...(token ? { page_token: token } : {}),
      });
      assert.equal(page.total_count, 5);
      assert.ok(page.orders.length <= 2);
      seen.push(...page.orders.map((o) => o.id));
      token = page.next_page_token || undefined;
      pages++;
    } while (token && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...shippable, onHold, unpaid]);
  });

  void test('search: page_size outside 1..100 is refused locally (ref §5.1)', async () => {
    await expectFailure(
      callEndpoint(h.client, endpoints.searchOrders, h.shop, { page_size: 101 }),
      TikTokInvalidRequest,
    );
  });

  void test('detail: comma-joined ids, one line item per unit, address hidden while ON_HOLD/UNPAID (ref §5.2)', async () => {
    const orders = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, {
      ids: [shippable[0]!, onHold, unpaid, shippable[2]!],
    });
    const byId = new Map(orders.map((o) => [o.id, o]));
    assert.equal(orders.length, 4);
    const a = byId.get(shippable[0]!)!;
    assert.equal(a.status, 'AWAITING_SHIPMENT');
    assert.equal(a.line_items.length, 2, 'quantity 2 → two line items');
    assert.ok(a.line_items.every((li) => li.sku_id === h.products[0]!.skus[0]!.id && li.sale_price === '12.50'));
    assert.equal(a.payment?.sub_total, '25.00');
    assert.equal(a.payment?.currency, 'USD');
    assert.ok(a.recipient_address?.full_address);
    assert.equal(a.shipping_type, 'SELLER');
    assert.equal(a.warehouse_id, h.warehouseIds[0]);
    assert.equal(a.user_id, '7001');
    assert.ok(typeof a.rts_sla_time === 'number' && a.rts_sla_time > (a.create_time ?? 0));
    const c = byId.get(shippable[2]!)!;
    assert.deepEqual(new Set(c.line_items.map((li) => li.product_id)), new Set([h.products[0]!.id, h.products[1]!.id]));
    const held = byId.get(onHold)!;
    assert.equal(held.status, 'ON_HOLD');
    assert.equal(held.is_on_hold_order, true);
    assert.equal(held.recipient_address, undefined);
    assert.equal(byId.get(unpaid)!.status, 'UNPAID');
    assert.equal(byId.get(unpaid)!.recipient_address, undefined);
  });

  void test('detail: more than 50 ids is refused locally; unknown ids are simply absent', async () => {
    const many = Array.from({ length: 51 }, (_, i) => String(576000000000000000 + i));
    await expectFailure(callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: many }), TikTokInvalidRequest);
    assert.deepEqual(
      await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: ['576999999999999999'] }),
      [],
    );
  });

  void test('external order references: add (per-order errors inside code 0), get by platform (ref §5.1)', async () => {
    const res = await callEndpoint(h.client, endpoints.addExternalOrderReferences, h.shop, {
      orders: [
        {
          id: shippable[0]!,
          external_order: {
            id: 'SHOPIFY-1001',
            platform: 'SHOPIFY',
            line_items: [{ id: 'gid-1', origin_id: 'origin-1' }],
          },
        },
        { id: shippable[1]!, external_order: { id: 'WMS-77', platform: 'WAREHOUSE_MANAGEMENT_SYSTEM' } },
        { id: '576999999999999999', external_order: { id: 'ERP-1', platform: 'ERP_SYSTEM' } },
      ],
    });
    assert.equal(res.errors.length, 1);
    assert.equal(res.errors[0]!.code, 25007006);
    assert.equal(res.errors[0]!.detail?.order_id, '576999999999999999');

    const refs = await callEndpoint(h.client, endpoints.getExternalOrderReferences, h.shop, {
      order_id: shippable[0]!,
      platform: 'SHOPIFY',
    });
    assert.deepEqual(refs.external_orders, [
      { id: 'SHOPIFY-1001', platform: 'SHOPIFY', line_items: [{ id: 'gid-1', origin_id: 'origin-1' }] },
    ]);
    const none = await callEndpoint(h.client, endpoints.getExternalOrderReferences, h.shop, {
      order_id: shippable[0]!,
      platform: 'AMAZON',
    });
    assert.deepEqual(none.external_orders, []);
    const wms = await callEndpoint(h.client, endpoints.getExternalOrderReferences, h.shop, {
      order_id: shippable[1]!,
      platform: 'WAREHOUSE_MANAGEMENT_SYSTEM',
    });
    assert.equal(wms.external_orders[0]?.id, 'WMS-77');
  });

  void test('external order references of an unknown order → TikTokNotFound (25007006)', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.getExternalOrderReferences, h.shop, {
        order_id: '576999999999999999',
        platform: 'SHOPIFY',
      }),
      TikTokNotFound,
    );
    assert.equal(err.code, 25007006);
    assert.equal(err.nonRetryable, true);
  });
});
