// Contract: Create Return (on the buyer's behalf, with an idempotency key) and Get Return Records (ref §8):
// https://partner.tiktokshop.com/docv2/page/create-return-202309, .../get-return-records-202309.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokInvalidRequest, TikTokNotFound, TikTokStateConflict } from '../../integrations/tiktok/errors';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { expectFailure, placeShippableOrders, startHarness } from './harness';
import type { Harness } from './harness';

const USPS = '7117858858072016686'; // ref §6.3 example provider

void describe('create return and return records', () => {
  let h: Harness;
  let delivered: string;
  let secondDelivered: string;
  let notShipped: string;
  let skuId: string;
  let created: string;

  before(async () => {
    h = await startHarness();
    skuId = h.products[0]!.skus[0]!.id;
    [delivered, secondDelivered, notShipped] = (await placeShippableOrders(
      h,
      Array.from({ length: 3 }, () => ({ items: [{ sku_id: skuId }] })),
    )) as [string, string, string];
    for (const [n, orderId] of [delivered, secondDelivered].entries()) {
      await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
        order_id: orderId,
        tracking_number: `9400100000001${n}`,
        shipping_provider_id: USPS,
      });
      await h.admin(`/orders/${orderId}/carrier-scan`, {});
      await h.admin(`/orders/${orderId}/deliver`, {});
    }
  });
  after(async () => {
    await h.close();
  });

  const mutations = async (): Promise<{ path: string; applied: boolean; idempotencyKey: string | null }[]> =>
    ((await h.admin('/record/mutations')).mutations as any[]).filter((m) => m.path === '/return_refund/202309/returns');

  void test('create a return for a delivered order: a pending request the seller answers, found by Search Returns', async () => {
    const res = await callEndpoint(h.client, endpoints.createReturn, h.shop, {
      order_id: delivered,
      skus: [{ sku_id: skuId, quantity: 1 }],
      return_reason: 'ecom_order_delivered_refund_and_return_reason_damaged_product',
      return_type: 'REFUND',
      idempotency_key: 'create-return-1',
    });
    assert.match(res.return_id, /^\d+$/);
    assert.equal(res.return_status, 'RETURN_OR_REFUND_REQUEST_PENDING');
    created = res.return_id;
    const found = await callEndpoint(h.client, endpoints.searchReturns, h.shop, { return_ids: [created] });
    assert.equal(found.return_orders.length, 1);
    const r = found.return_orders[0]!;
    assert.equal(r.order_id, delivered);
    assert.equal(r.return_type, 'REFUND');
    assert.equal(r.return_reason, 'ecom_order_delivered_refund_and_return_reason_damaged_product');
    assert.equal(r.seller_next_action_response?.[0]?.action, 'SELLER_RESPOND_REFUND');
    assert.equal(r.return_line_items?.length, 1);
  });

  void test('the same request again with its idempotency_key: the first return, not a second one', async () => {
    const again = await callEndpoint(h.client, endpoints.createReturn, h.shop, {
      order_id: delivered,
      skus: [{ sku_id: skuId, quantity: 1 }],
      return_reason: 'ecom_order_delivered_refund_and_return_reason_damaged_product',
      return_type: 'REFUND',
      idempotency_key: 'create-return-1',
    });
    assert.equal(again.return_id, created);
    const all = await callEndpoint(h.client, endpoints.searchReturns, h.shop, { order_ids: [delivered] });
    assert.deepEqual(
      all.return_orders.map((r) => r.return_id),
      [created],
    );
    // The key travelled in the query (the after-sales writes take it there, ref §8), and only the first applied.
    assert.deepEqual(
      (await mutations()).map((m) => [m.applied, m.idempotencyKey]),
      [
        [true, 'create-return-1'],
        [false, 'create-return-1'],
      ],
    );
  });

  void test('by line item ids; refused (25001003) for an order not yet shipped; what is returned must be named', async () => {
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [secondDelivered] });
    const lineItemId = order!.line_items[0]!.id;
    const res = await callEndpoint(h.client, endpoints.createReturn, h.shop, {
      order_id: secondDelivered,
      order_line_item_ids: [lineItemId],
      return_reason: 'ecom_order_delivered_refund_and_return_reason_damaged_product',
      return_type: 'RETURN_AND_REFUND',
      idempotency_key: 'create-return-2',
    });
    const found = await callEndpoint(h.client, endpoints.searchReturns, h.shop, { return_ids: [res.return_id] });
    assert.equal(found.return_orders[0]!.return_line_items?.[0]?.order_line_item_id, lineItemId);
    assert.equal(found.return_orders[0]!.seller_next_action_response?.[0]?.action, 'SELLER_RESPOND_RETURN');
    await expectFailure(
      callEndpoint(h.client, endpoints.createReturn, h.shop, {
        order_id: notShipped,
        skus: [{ sku_id: skuId, quantity: 1 }],
        return_reason: 'ecom_order_delivered_refund_and_return_reason_damaged_product',
        return_type: 'REFUND',
      }),
      TikTokStateConflict,
    );
    // Checked before anything is sent: neither skus nor line items.
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.createReturn, h.shop, {
        order_id: delivered,
        return_reason: 'x',
        return_type: 'REFUND',
      }),
      TikTokInvalidRequest,
    );
    assert.equal(err.code, null);
  });

  void test('get return records: the request and the seller decision, each with role and time', async () => {
    await callEndpoint(h.client, endpoints.approveReturn, h.shop, {
      return_id: created,
      decision: 'APPROVE_REFUND',
      idempotency_key: 'approve-created-1',
    });
    const records = await callEndpoint(h.client, endpoints.getReturnRecords, h.shop, { return_id: created });
    assert.ok(records.length >= 2, JSON.stringify(records));
    const [search] = (await callEndpoint(h.client, endpoints.searchReturns, h.shop, { return_ids: [created] }))
      .return_orders;
    for (const r of records) {
      assert.ok(r.role, `a role: ${JSON.stringify(r)}`);
      assert.ok((r.create_time ?? 0) >= (search!.create_time ?? 0), `a time: ${JSON.stringify(r)}`);
    }
    assert.ok(
      records.some((r) => r.role === 'SELLER'),
      `the seller's approval is recorded: ${JSON.stringify(records)}`,
    );
  });

  void test('records of an unknown return → TikTokNotFound', async () => {
    await expectFailure(
      callEndpoint(h.client, endpoints.getReturnRecords, h.shop, { return_id: '469999999999999999' }),
      TikTokNotFound,
    );
  });
});
