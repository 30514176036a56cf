import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { checkWebhookAddress } from '../../../emulators/tiktok-shop/webhooks';
import { APP_KEY, APP_SECRET, HOUR, admin, api, seedShop, startReceiver } from './helpers';
import type { Receiver } from './helpers';

void describe('webhooks', () => {
  let em: RunningEmulator;
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver();
    em = await startTikTokShopEmulator({
      port: 0,
      apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }],
      allowLoopbackWebhookHttp: true,
      webhookRetryTimeScale: 0.001, // +2 min → 120 ms, +30 min → 1.8 s
    });
  });
  after(async () => {
    await em.close();
    await rx.close();
  });

  void test('Event API registration, signed delivery of order status changes', async () => {
    const s = await seedShop(em);
    const put = await api(em, {
      method: 'PUT',
      path: '/event/202309/webhooks',
      body: { address: rx.url, event_type: 'ORDER_STATUS_CHANGE' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(put.body.code, 0);
    const list = await api(em, { path: '/event/202309/webhooks', token: s.token, cipher: s.cipher });
    assert.equal(list.body.data.webhooks[0].address, rx.url);

    const o = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    em.clock.advance(HOUR);
    await rx.waitFor((r) => r.length >= 3);
    const bodies = rx.received.map((r) => JSON.parse(r.body));
    assert.deepEqual(
      bodies.map((b) => b.data.order_status),
      ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT'],
    );
    for (const r of rx.received) {
      const expected = createHmac('sha256', APP_SECRET)
        .update(APP_KEY + r.body)
        .digest('hex');
      assert.equal(r.headers.authorization, expected);
      assert.equal(r.headers['content-type'], 'application/json');
    }
    assert.equal(bodies[0].type, 1);
    assert.equal(bodies[0].shop_id, s.shopId);
    assert.equal(bodies[0].data.order_id, o.id);
    assert.equal(bodies[1].data.is_on_hold_order, true);
    assert.equal(typeof bodies[0].tts_notification_id, 'string');

    const del = await api(em, {
      method: 'DELETE',
      path: '/event/202309/webhooks',
      body: { event_type: 'ORDER_STATUS_CHANGE' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(del.body.code, 0);
  });

  void test('address rules (ref §11.1) with and without the loopback development setting', () => {
    assert.equal(checkWebhookAddress('https://hooks.example.com/tts', false), null);
    assert.notEqual(checkWebhookAddress('http://hooks.example.com/tts', false), null);
    assert.notEqual(checkWebhookAddress('https://hooks.example.com:8443/tts', false), null);
    assert.notEqual(checkWebhookAddress('https://10.0.0.1/tts', false), null);
    assert.notEqual(checkWebhookAddress('http://127.0.0.1:9999/hook', false), null);
    assert.equal(checkWebhookAddress('http://127.0.0.1:9999/hook', true), null);
    assert.equal(checkWebhookAddress('http://localhost:9999/hook', true), null);
  });

  void test('retry schedule (+2 min, +30 min, …) on scaled real time', async () => {
    const s = await seedShop(em);
    await api(em, {
      method: 'PUT',
      path: '/event/202309/webhooks',
      body: { address: rx.url, event_type: 'PRODUCT_STATUS_CHANGE' },
      token: s.token,
      cipher: s.cipher,
    });
    const startIndex = rx.received.length;
    rx.statusFor = (n) => (n - startIndex < 2 ? 500 : 200); // first attempt and first retry fail
    await api(em, {
      path: '/product/202309/products/deactivate',
      body: { product_ids: [s.productId] },
      token: s.token,
      cipher: s.cipher,
    });
    await rx.waitFor((r) => r.length >= startIndex + 3, 8000);
    const times = rx.received.slice(startIndex, startIndex + 3).map((r) => r.at);
    const gap1 = times[1]! - times[0]!;
    const gap2 = times[2]! - times[1]!;
    assert.ok(gap1 >= 110 && gap1 < 1000, `first retry after ~120 ms, got ${gap1}`);
    assert.ok(gap2 >= 1700 && gap2 < 4000, `second retry ~1.8 s after the first, got ${gap2}`);
    const bodies = rx.received.slice(startIndex, startIndex + 3).map((r) => r.body);
    assert.equal(new Set(bodies).size, 1, 'same notification re-sent');
    const log = await admin(em, '/webhooks');
    const entry = log.deliveries.find((d: any) => d.body === bodies[0]);
    assert.equal(entry.state, 'delivered');
    assert.equal(entry.attempts.length, 3);
    rx.statusFor = () => 200;
  });

  void test('dropped after the 4th failed retry; drop fault', async () => {
    await admin(em, '/webhooks/config', { retry_delays_ms: [10, 10, 10, 10], retry_time_scale: 1 });
    const s = await seedShop(em);
    await api(em, {
      method: 'PUT',
      path: '/event/202309/webhooks',
      body: { address: rx.url, event_type: 'PRODUCT_STATUS_CHANGE' },
      token: s.token,
      cipher: s.cipher,
    });
    const startIndex = rx.received.length;
    rx.statusFor = () => 503;
    await api(em, {
      path: '/product/202309/products/deactivate',
      body: { product_ids: [s.productId] },
      token: s.token,
      cipher: s.cipher,
    });
    await rx.waitFor((r) => r.length >= startIndex + 5);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rx.received.length, startIndex + 5, 'initial attempt + 4 retries, then dropped');
    rx.statusFor = () => 200;

    await admin(em, '/faults', { webhooks: { dropProbability: 1 } });
    const before = rx.received.length;
    await api(em, {
      path: '/product/202309/products/activate',
      body: { product_ids: [s.productId] },
      token: s.token,
      cipher: s.cipher,
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rx.received.length, before);
    const log = await admin(em, '/webhooks');
    const dropped = log.deliveries.filter((d: any) => d.state === 'dropped_by_fault' && d.shopId === s.shopId);
    assert.ok(dropped.some((d: any) => d.eventType === 'PRODUCT_STATUS_CHANGE'));
    await admin(em, '/faults/reset', {});
  });
});
