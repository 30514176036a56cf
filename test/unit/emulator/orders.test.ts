import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { APP_KEY, APP_SECRET, DAY, HOUR, admin, api, seedShop } from './helpers';
import type { Shop } from './helpers';

const USPS = '7117858858072016686';

async function detail(em: RunningEmulator, s: Shop, id: string): Promise<any> {
  const r = await api(em, { path: '/order/202309/orders', query: { ids: id }, token: s.token, cipher: s.cipher });
  assert.equal(r.body.code, 0);
  return r.body.data.orders[0];
}

void describe('orders and fulfillment', () => {
  let em: RunningEmulator;
  let s: Shop;
  before(async () => {
    // Monday 2026-06-15 09:00 Pacific: far from holidays.
    em = await startTikTokShopEmulator({
      port: 0,
      apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }],
      startTime: Date.UTC(2026, 5, 15, 16, 0, 0),
      rules: { accessTokenTtlMs: 365 * DAY },
    });
    s = await seedShop(em, 20);
  });
  after(async () => em.close());

  void test('seller-shipping lifecycle through the business clock', async () => {
    const placed = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId, quantity: 2 }] });
    let o = await detail(em, s, placed.id);
    assert.equal(o.status, 'ON_HOLD');
    assert.equal(o.line_items.length, 2, 'one line item per unit');
    assert.equal(o.recipient_address, undefined, 'address hidden while ON_HOLD');
    assert.equal(typeof o.create_time, 'number');
    // 2 business days from Monday → Wednesday 23:59:59 PDT
    assert.equal(o.tts_sla_time, Date.UTC(2026, 5, 18, 6, 59, 59) / 1000);
    assert.equal(o.rts_sla_time, o.tts_sla_time);
    assert.equal(o.shipping_due_time, o.cancel_order_sla_time);

    const early = await api(em, {
      path: `/fulfillment/202309/orders/${placed.id}/packages`,
      body: { tracking_number: '9400111899223344556677', shipping_provider_id: USPS },
      token: s.token,
      cipher: s.cipher,
    });
    assert.notEqual(early.body.code, 0, 'cannot ship during the remorse window');

    em.clock.advance(HOUR);
    o = await detail(em, s, placed.id);
    assert.equal(o.status, 'AWAITING_SHIPMENT');
    assert.equal(o.recipient_address.postal_code, '90001');

    const shipped = await api(em, {
      path: `/fulfillment/202309/orders/${placed.id}/packages`,
      body: { tracking_number: '9400111899223344556677', shipping_provider_id: USPS },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(shipped.body.code, 0);
    assert.equal(shipped.body.data.order_line_item_ids.length, 2);
    const packageId: string = shipped.body.data.package_id;
    o = await detail(em, s, placed.id);
    assert.equal(o.status, 'AWAITING_COLLECTION');
    assert.equal(o.tracking_number, '9400111899223344556677');

    const again = await api(em, {
      path: `/fulfillment/202309/orders/${placed.id}/packages`,
      body: { tracking_number: '9400111899223344556678', shipping_provider_id: USPS },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(again.body.code, 21008099);

    const fix = await api(em, {
      path: `/fulfillment/202309/orders/${placed.id}/shipping_info/update`,
      body: { tracking_number: '1Z999AA10123456784', shipping_provider_id: '7117859084333745966' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(fix.body.code, 0);

    await admin(em, `/orders/${placed.id}/carrier-scan`, {});
    o = await detail(em, s, placed.id);
    assert.equal(o.status, 'IN_TRANSIT');
    const pkg = await api(em, { path: `/fulfillment/202309/packages/${packageId}`, token: s.token, cipher: s.cipher });
    assert.equal(pkg.body.data.package_status, 'FULFILLING');
    assert.equal(pkg.body.data.tracking_number, '1Z999AA10123456784');
    const tracking = await api(em, {
      path: `/fulfillment/202309/orders/${placed.id}/tracking`,
      token: s.token,
      cipher: s.cipher,
    });
    assert.ok(tracking.body.data.tracking[0].update_time_millis > 1e12, 'milliseconds');

    await admin(em, `/orders/${placed.id}/deliver`, {});
    assert.equal((await detail(em, s, placed.id)).status, 'DELIVERED');
    em.clock.advance(14 * DAY);
    assert.equal((await detail(em, s, placed.id)).status, 'COMPLETED');

    const rec = await admin(em, `/orders/${placed.id}`);
    assert.deepEqual(
      rec.record.transitions.map((t: any) => t.status),
      ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'],
    );
    assert.equal(rec.record.awaiting_shipment_at, rec.record.paid_time + 3600);
    assert.equal(rec.record.late_dispatch, false);
  });

  void test('split shipment → PARTIALLY_SHIPPING; search and pagination', async () => {
    const placed = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId, quantity: 2 }] });
    em.clock.advance(HOUR);
    const first = (await detail(em, s, placed.id)).line_items[0].id;
    const r = await api(em, {
      path: `/fulfillment/202309/orders/${placed.id}/packages`,
      body: { tracking_number: '9400111899223344550001', shipping_provider_id: USPS, order_line_item_ids: [first] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(r.body.code, 0);
    assert.equal((await detail(em, s, placed.id)).status, 'PARTIALLY_SHIPPING');
    const search = await api(em, {
      path: '/order/202309/orders/search',
      query: { page_size: '1' },
      body: { order_status: 'PARTIALLY_SHIPPING' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(search.body.data.total_count, 1);
    assert.equal(search.body.data.orders[0].id, placed.id);
    const all = await api(em, {
      path: '/order/202309/orders/search',
      query: { page_size: '1' },
      body: {},
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(all.body.data.orders.length, 1);
    assert.notEqual(all.body.data.next_page_token, '');
    const page2 = await api(em, {
      path: '/order/202309/orders/search',
      query: { page_size: '1', page_token: all.body.data.next_page_token },
      body: {},
      token: s.token,
      cipher: s.cipher,
    });
    assert.notEqual(page2.body.data.orders[0].id, all.body.data.orders[0].id);
  });

  void test('TikTok Shipping: create package, ship, shipping document', async () => {
    const placed = await admin(em, '/orders', {
      shop_id: s.shopId,
      items: [{ sku_id: s.skuId }],
      shipping_type: 'TIKTOK',
    });
    em.clock.advance(HOUR);
    const created = await api(em, {
      path: '/fulfillment/202309/packages',
      body: { order_id: placed.id },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(created.body.code, 0);
    const pkgId: string = created.body.data.package_id;
    assert.equal((await detail(em, s, placed.id)).status, 'AWAITING_SHIPMENT');
    const ship = await api(em, {
      path: `/fulfillment/202309/packages/${pkgId}/ship`,
      body: { handover_method: 'DROP_OFF' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(ship.body.code, 0);
    assert.equal((await detail(em, s, placed.id)).status, 'AWAITING_COLLECTION');
    const doc = await api(em, {
      path: `/fulfillment/202309/packages/${pkgId}/shipping_documents`,
      query: { document_type: 'SHIPPING_LABEL' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(doc.body.code, 0);
    const pdf = await fetch(doc.body.data.doc_url);
    assert.equal(pdf.status, 200);
    assert.equal((await pdf.text()).slice(0, 5), '%PDF-');
  });

  void test('auto-cancel after 7 business days; late dispatch recorded, not cancelled', async () => {
    const idle = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    const late = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    em.clock.advance(HOUR);
    await api(em, {
      path: `/fulfillment/202309/orders/${late.id}/packages`,
      body: { tracking_number: '9400111899223344559999', shipping_provider_id: USPS },
      token: s.token,
      cipher: s.cipher,
    });
    em.clock.advance(5 * DAY); // past the 2-BD dispatch deadline, no carrier scan yet
    const lateRec = await admin(em, `/orders/${late.id}`);
    assert.equal(lateRec.record.late_dispatch, true);
    assert.equal(lateRec.status, 'AWAITING_COLLECTION');
    em.clock.advance(10 * DAY);
    const idleDetail = await detail(em, s, idle.id);
    assert.equal(idleDetail.status, 'CANCELLED');
    assert.equal(idleDetail.cancellation_initiator, 'SYSTEM');
    assert.equal((await detail(em, s, late.id)).status, 'AWAITING_COLLECTION');
    const cancels = await api(em, {
      path: '/return_refund/202309/cancellations/search',
      body: { order_ids: [idle.id] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(cancels.body.data.cancellations[0].role, 'SYSTEM');
  });

  void test('SLA worked example: Thu 2026-12-24 20:00 Pacific', async () => {
    const em2 = await startTikTokShopEmulator({
      port: 0,
      apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }],
      startTime: Date.UTC(2026, 11, 25, 4, 0, 0), // 2026-12-24 20:00 PST
    });
    try {
      const s2 = await seedShop(em2);
      const placed = await admin(em2, '/orders', { shop_id: s2.shopId, items: [{ sku_id: s2.skuId }] });
      const o = await detail(em2, s2, placed.id);
      assert.equal(o.tts_sla_time, Date.UTC(2026, 11, 30, 7, 59, 59) / 1000, 'Tue 2026-12-29 23:59:59 PST');
      assert.equal(o.shipping_due_time, Date.UTC(2027, 0, 7, 7, 59, 59) / 1000, 'Wed 2027-01-06 23:59:59 PST');
      const rec = await admin(em2, `/orders/${placed.id}`);
      assert.equal(rec.record.tts_sla_pacific, '2026-12-29 23:59:59 America/Los_Angeles');
    } finally {
      await em2.close();
    }
  });

  void test('buyer cancellation: immediate during ON_HOLD, request afterwards (approve / auto-approve)', async () => {
    const a = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    await admin(em, `/orders/${a.id}/buyer-cancel`, {});
    assert.equal((await detail(em, s, a.id)).status, 'CANCELLED');

    const b = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    const c = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    em.clock.advance(HOUR);
    const reqB = await admin(em, `/orders/${b.id}/buyer-cancel`, {});
    const reqC = await admin(em, `/orders/${c.id}/buyer-cancel`, {});
    assert.equal(reqB.cancel_status, 'CANCELLATION_REQUEST_PENDING');
    assert.equal((await detail(em, s, b.id)).is_buyer_request_cancel, true);
    const search = await api(em, {
      path: '/return_refund/202309/cancellations/search',
      body: { cancel_ids: [reqB.cancel_id] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(search.body.data.cancellations[0].seller_next_action_response[0].action, 'SELLER_RESPOND_CANCEL');
    const approve = await api(em, {
      path: `/return_refund/202309/cancellations/${reqB.cancel_id}/approve`,
      body: {},
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(approve.body.code, 0);
    assert.equal((await detail(em, s, b.id)).status, 'CANCELLED');
    em.clock.advance(48 * HOUR);
    assert.equal((await detail(em, s, c.id)).status, 'CANCELLED', 'missed deadline → auto-approved');
    assert.equal(reqC.cancel_status, 'CANCELLATION_REQUEST_PENDING');
  });

  void test('returns: seller deadline missed → auto-approval; reject needs a known reason', async () => {
    const o = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    em.clock.advance(HOUR);
    await api(em, {
      path: `/fulfillment/202309/orders/${o.id}/packages`,
      body: { tracking_number: '9400111899223344551234', shipping_provider_id: USPS },
      token: s.token,
      cipher: s.cipher,
    });
    await admin(em, `/orders/${o.id}/carrier-scan`, {});
    await admin(em, `/orders/${o.id}/deliver`, {});
    const ret = await admin(em, `/orders/${o.id}/returns`, { return_type: 'RETURN_AND_REFUND' });
    const search = await api(em, {
      path: '/return_refund/202309/returns/search',
      body: { return_ids: [ret.return_id] },
      token: s.token,
      cipher: s.cipher,
    });
    const r0 = search.body.data.return_orders[0];
    assert.equal(r0.return_status, 'RETURN_OR_REFUND_REQUEST_PENDING');
    assert.equal(r0.seller_next_action_response[0].action, 'SELLER_RESPOND_RETURN');
    assert.equal(r0.seller_next_action_response[0].deadline, r0.create_time + 48 * 3600);
    const bad = await api(em, {
      path: `/return_refund/202309/returns/${ret.return_id}/reject`,
      body: { decision: 'REJECT_RETURN', reject_reason: 'nope' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(bad.body.code, 25001014);
    em.clock.advance(48 * HOUR + 1000);
    const after1 = await api(em, {
      path: '/return_refund/202309/returns/search',
      body: { return_ids: [ret.return_id] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(after1.body.data.return_orders[0].return_status, 'AWAITING_BUYER_SHIP');
    await admin(em, `/returns/${ret.return_id}/buyer-ship`, {});
    const ok = await api(em, {
      path: `/return_refund/202309/returns/${ret.return_id}/approve`,
      body: { decision: 'APPROVE_RECEIVED_PACKAGE' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(ok.body.code, 0);
    const done = await api(em, {
      path: '/return_refund/202309/returns/search',
      body: { return_ids: [ret.return_id] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(done.body.data.return_orders[0].return_status, 'RETURN_OR_REFUND_REQUEST_SUCCESS');
    assert.equal((await detail(em, s, o.id)).status, 'COMPLETED', 'fully refunded');
  });

  void test('a creator sample order says so (is_sample_order); others do not', async () => {
    const sample = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }], sample_order: true });
    const regular = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    assert.equal((await detail(em, s, sample.id)).is_sample_order, true);
    assert.equal((await detail(em, s, regular.id)).is_sample_order, false);
  });
});
