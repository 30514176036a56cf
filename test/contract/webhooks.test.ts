// Contract: the emulator's webhooks reach a local HTTP receiver that checks the signature with the client's
// verifyWebhookSignature and parses with parseWebhookEvent (ref §11.1-§11.4, §15).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhookSignature } from '../../integrations/tiktok/signing';
import { parseWebhookEvent, webhookDedupKey } from '../../integrations/tiktok/webhooks';
import type { TikTokWebhookEvent } from '../../integrations/tiktok/webhooks';
import {
  APP_KEY,
  APP_SECRET,
  HOUR,
  MINUTE,
  advanceClock,
  placeOrder,
  startHarness,
  startWebhookReceiver,
} from './harness';
import type { Harness, WebhookReceiver } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

void describe('webhooks: emulator → local receiver → client verification and parsing', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const events: TikTokWebhookEvent[] = [];
  let rejected = 0;

  before(async () => {
    h = await startHarness({ emulator: { allowLoopbackWebhookHttp: true } });
    receiver = await startWebhookReceiver((rawBody, headers) => {
      const authorization = headers.authorization;
      if (!verifyWebhookSignature({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody, authorization })) {
        rejected++;
        return 401; // ref §11.1: 401 on an authentication failure
      }
      events.push(parseWebhookEvent(rawBody));
      return 200;
    });
    for (const event_type of ['ORDER_STATUS_CHANGE', 'CANCELLATION_STATUS_CHANGE', 'PRODUCT_STATUS_CHANGE'] as const) {
      await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, { address: receiver.url, event_type });
    }
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  interface Delivery {
    body: string;
    state: string;
    attempts: { status: number | null }[];
  }
  /** The emulator's delivery log, polled until `pred` holds (its attempt status is set once the answer arrives). */
  const deliveryLog = async (pred: (d: Delivery[]) => boolean): Promise<Delivery[]> => {
    const start = Date.now();
    for (;;) {
      const log = await h.admin<{ deliveries: Delivery[] }>('/webhooks');
      if (pred(log.deliveries) || Date.now() - start > 3000) return log.deliveries;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const statusesOf = (orderId: string): string[] =>
    events
      .filter((e) => e.kind === 'ORDER_STATUS_CHANGE' && e.data.order_id === orderId)
      .map((e) => (e.kind === 'ORDER_STATUS_CHANGE' ? e.data.order_status : ''));

  void test('order status change: placed and paid → UNPAID, ON_HOLD; remorse window ends → AWAITING_SHIPMENT', async () => {
    const orderId = await placeOrder(h, { items: [{ sku_id: h.products[0]!.skus[1]!.id }] });
    await receiver.waitFor(() => statusesOf(orderId).length >= 2);
    assert.deepEqual(statusesOf(orderId), ['UNPAID', 'ON_HOLD']);
    await advanceClock(h, HOUR + MINUTE);
    await receiver.waitFor(() => statusesOf(orderId).length >= 3);
    assert.deepEqual(statusesOf(orderId), ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT']);

    const mine = events.filter((e) => e.kind === 'ORDER_STATUS_CHANGE' && e.data.order_id === orderId);
    const [, hold, awaiting] = mine;
    assert.ok(hold?.kind === 'ORDER_STATUS_CHANGE' && awaiting?.kind === 'ORDER_STATUS_CHANGE');
    assert.equal(hold.type, 1);
    assert.equal(hold.shop_id, h.shop.shopId);
    assert.equal(hold.data.is_on_hold_order, true);
    assert.equal(awaiting.data.is_on_hold_order, false);
    // The transition is stamped with its due time: 1 h after payment on the business clock (ref §5.3).
    assert.ok(Math.abs(awaiting.data.update_time - hold.data.update_time - 3600) <= 2);
    assert.ok(mine.every((e) => e.tts_notification_id));
    assert.equal(new Set(mine.map(webhookDedupKey)).size, 3);
    assert.equal(rejected, 0);
    // Every delivery was answered 200 (ref §11.1), and the raw body was signed over app_key + body.
    const mineInLog = (ds: Delivery[]) => ds.filter((d) => d.body.includes(orderId) && d.body.includes('"type":1,'));
    const delivered = mineInLog(await deliveryLog((ds) => mineInLog(ds).every((d) => d.state === 'delivered')));
    assert.equal(delivered.length, 3);
    assert.ok(delivered.every((d) => d.state === 'delivered' && d.attempts[0]?.status === 200));
  });

  void test('a cancelled order: the doc value CANCEL is normalised to CANCELLED (ref §11.4, §15)', async () => {
    const orderId = await placeOrder(h, { items: [{ sku_id: h.products[0]!.skus[1]!.id }] });
    await h.admin(`/orders/${orderId}/buyer-cancel`, {});
    await receiver.waitFor(() => statusesOf(orderId).includes('CANCELLED'));
    assert.deepEqual(statusesOf(orderId), ['UNPAID', 'ON_HOLD', 'CANCELLED']);
    const raw = receiver.received.map((r) => r.rawBody).filter((b) => b.includes(orderId) && b.includes('"type":1,'));
    assert.ok(
      raw.some((b) => b.includes('"order_status":"CANCEL"')),
      'the emulator sends the doc enum value',
    );
    await receiver.waitFor(() =>
      events.some((e) => e.kind === 'CANCELLATION_STATUS_CHANGE' && e.data.order_id === orderId),
    );
    const c = events.find((e) => e.kind === 'CANCELLATION_STATUS_CHANGE' && e.data.order_id === orderId);
    assert.ok(c?.kind === 'CANCELLATION_STATUS_CHANGE');
    assert.equal(c.type, 11);
    assert.equal(c.data.cancel_status, 'CANCELLATION_REQUEST_SUCCESS');
    assert.equal(c.data.cancellations_role, 'BUYER');
  });

  void test('product status change (type 5) after Deactivate Products', async () => {
    const productId = h.products[1]!.id;
    await callEndpoint(h.client, endpoints.deactivateProducts, h.shop, { product_ids: [productId] });
    await receiver.waitFor(() =>
      events.some((e) => e.kind === 'PRODUCT_STATUS_CHANGE' && e.data.product_id === productId),
    );
    const e = events.find((x) => x.kind === 'PRODUCT_STATUS_CHANGE' && x.data.product_id === productId);
    assert.ok(e?.kind === 'PRODUCT_STATUS_CHANGE');
    assert.equal(e.type, 5);
    assert.equal(e.data.status, 'PRODUCT_STATUS_CHANGED');
  });

  void test('signature check: a tampered body, another secret or an uppercase header do not verify (ref §11.2)', () => {
    const sample = receiver.received.find((r) => r.status === 200)!;
    const authorization = sample.headers.authorization as string;
    assert.match(authorization, /^[0-9a-f]{64}$/, 'lowercase hex, no Bearer prefix');
    const ok = { appKey: APP_KEY, appSecret: APP_SECRET, rawBody: sample.rawBody, authorization };
    assert.equal(verifyWebhookSignature(ok), true);
    assert.equal(verifyWebhookSignature({ ...ok, rawBody: sample.rawBody.replace('"type":', '"type" :') }), false);
    assert.equal(verifyWebhookSignature({ ...ok, appSecret: `${APP_SECRET}x` }), false);
    assert.equal(verifyWebhookSignature({ ...ok, authorization: authorization.toUpperCase() }), false);
  });

  void test('a receiver that answers 401 makes the emulator schedule a retry (ref §11.1)', async () => {
    const strict = await startWebhookReceiver(() => 401);
    try {
      await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
        address: strict.url,
        event_type: 'ORDER_STATUS_CHANGE',
      });
      const orderId = await placeOrder(h, { items: [{ sku_id: h.products[0]!.skus[1]!.id }], paid: false });
      await strict.waitFor((r) => r.some((x) => x.rawBody.includes(orderId)));
      const log = await deliveryLog((ds) => ds.some((x) => x.body.includes(orderId) && x.attempts[0]?.status != null));
      const d = log.find((x) => x.body.includes(orderId))!;
      assert.equal(d.attempts[0]?.status, 401);
      assert.equal(d.state, 'pending', 'not delivered: a retry is scheduled');
    } finally {
      await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
        address: receiver.url,
        event_type: 'ORDER_STATUS_CHANGE',
      });
      await strict.close();
    }
  });
});
