// A placed order end to end on the dev server, the TikTok emulator and the HTTP API, with the REAL activities:
// webhook → inbox → relay → orderAcknowledgment → outbox row (+ signed POST to a WMS) → shipment through the API →
// marked shipped on the emulator → carrier scan → IN_TRANSIT recorded; a late duplicate webhook starts nothing.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { signWmsRequest } from '../../integrations/wms';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import { openJson } from '../../secrets/sealedJson';
import { orderWorkflowId } from '../../workflows/ids';
import { captureServer, startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';

const APP_KEY = 'e2e_order_app_key';
const APP_SECRET = 'e2e_order_app_secret_0123456789ab';
const WMS_SECRET = 'wms-signing-secret-0123456789';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('an order from webhook to carrier scan (emulator → inbox → relay → workflow → API → emulator)', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let stack: TestStack;
  let wms: Awaited<ReturnType<typeof captureServer>>;
  let wmsRequests: { headers: http.IncomingHttpHeaders; body: string }[];
  let admin: EmulatorStack['admin'];
  let shopId: string;
  let skuId: string;
  let orderId: string;

  before(async () => {
    env = await devServerEnv();
    wms = await captureServer();
    wmsRequests = wms.requests;
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Order Beauty',
      sellerName: 'Order Seller',
      env: { WMS_URL: `${wms.url}/orders`, WMS_SIGNING_SECRET: WMS_SECRET },
    });
    ({ stack, admin, shopId, skuId } = es);
    // Connect the shop through the consent page (tokens, cipher, webhook subscriptions).
    await es.connect();
  });

  after(async () => {
    await es?.stop();
    wms?.close();
    await env?.teardown();
  });

  test('a paid order waits out ON_HOLD, then lands in the outbox and the WMS, signed', async () => {
    const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: skuId }], paid: true });
    orderId = placed.id;
    const workflowId = orderWorkflowId(shopId, orderId);
    await until('the order workflow from the webhook', async () => {
      const rows = await stack.database.db('webhook_inbox').where({ kind: 'ORDER_STATUS_CHANGE', shop_id: shopId });
      return rows.some(
        (r: { status: string; workflow_id: string }) => r.status === 'routed' && r.workflow_id === workflowId,
      )
        ? true
        : undefined;
    });
    const onHold = await until('ON_HOLD state', async () => {
      const r = await stack.call('GET', `/v1/orders/${shopId}/${orderId}`);
      return r.json?.state === 'ON_HOLD' ? r.json : undefined;
    });
    assert.equal(onHold.acknowledged, false);
    assert.equal(await stack.database.db('warehouse_outbox').where({ order_id: orderId }).first(), undefined);
    // A shipment before the hand-off is refused by the workflow: 409, also when the caller does not wait (respond-async).
    const early = await stack.call(
      'POST',
      `/v1/orders/${shopId}/${orderId}/shipments`,
      { packages: [{ trackingNumber: '1Z999AA10123456784', carrier: 'UPS' }] },
      undefined,
      { prefer: 'respond-async' },
    );
    assert.equal(early.status, 409, JSON.stringify(early.json));
    assert.match(early.json.error.message, /not yet handed to the warehouse/);

    // The remorse window ends on TikTok's clock; its status webhook ends the workflow's wait.
    await admin('/clock/advance', { seconds: 3601 });
    const row = await until('the outbox row', async () => {
      const r = await stack.database.db('warehouse_outbox').where({ shop_id: shopId, order_id: orderId }).first();
      return r?.status === 'sent' ? r : undefined;
    });
    assert.equal(row.version, 1);
    const sent = wmsRequests.at(-1)!;
    // Buyer data at rest (issue 13 item 7): the row is sealed with the secrets keyring, the WMS gets it in clear.
    assert.equal(row.payload.sealed, 'aes-256-gcm');
    const opened = openJson<{ lineItems: unknown[]; recipient: Record<string, unknown> }>(
      stack.deps.secretsKeyring,
      row.payload,
    );
    assert.equal(opened.lineItems.length, 1);
    const sentOrder = (JSON.parse(sent.body) as { order: typeof opened }).order;
    assert.deepEqual(sentOrder, opened);
    const buyerStrings = JSON.stringify(sentOrder.recipient).match(/"[^"]{4,}"/g) ?? [];
    assert.ok(buyerStrings.length > 0, 'the order has a recipient');
    const stored = JSON.stringify(row);
    for (const value of buyerStrings) assert.ok(!stored.includes(value), `${value} is not stored in clear`);
    assert.equal(sent.headers['idempotency-key'], `order:${shopId}:${orderId}:v1`);
    const timestamp = sent.headers['x-timestamp'] as string;
    assert.equal(sent.headers['x-signature'], signWmsRequest(WMS_SECRET, timestamp, sent.body));
    const refs = await admin(`/orders/${orderId}`);
    assert.equal(refs.status, 'AWAITING_SHIPMENT');

    // Buyer details stay out of workflow history: inputs and results carry ids only.
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    assert.ok(started);
    const listed = await stack.call('GET', `/v1/orders?shopId=${shopId}&state=AWAITING_SHIPMENT`);
    assert.equal(listed.status, 200);
    const listedOnTrack = await until('the order listed from visibility', async () => {
      const r = await stack.call('GET', `/v1/orders?shopId=${shopId}&risk=on_track`);
      return r.json.orders.find((o: { orderId: string; nextDeadline: string | null }) => {
        return o.orderId === orderId && o.nextDeadline !== null;
      });
    });
    // Not yet marked shipped: what is due next is ready-to-ship; the hard deadline is the carrier scan.
    const view = (await stack.call('GET', `/v1/orders/${shopId}/${orderId}`)).json;
    assert.ok(view.readyToShipBy && view.carrierScanBy, 'the view has both clocks');
    assert.equal(Date.parse(listedOnTrack.nextDeadline), Date.parse(view.readyToShipBy));
    assert.equal(Date.parse(listedOnTrack.carrierScanBy), Date.parse(view.carrierScanBy));
  });

  test('the warehouse ships through the API; the package is marked shipped on TikTok with the mapped provider', async () => {
    const bad = await stack.call('POST', `/v1/orders/${shopId}/${orderId}/shipments`, { packages: [] });
    assert.equal(bad.status, 400);
    const unknownCarrier = await stack.call('POST', `/v1/orders/${shopId}/${orderId}/shipments`, {
      packages: [{ trackingNumber: '1Z999AA10123456784', carrier: 'Pigeon Post' }],
    });
    assert.equal(unknownCarrier.status, 409);
    assert.match(unknownCarrier.json.error.message, /not a shipping provider/);
    // Accepted without waiting, then failed: the order's view says why.
    const pigeon = { packages: [{ trackingNumber: '1Z999AA10123456785', carrier: 'Pigeon Post' }] };
    const acceptedThenFailed = await stack.call(
      'POST',
      `/v1/orders/${shopId}/${orderId}/shipments`,
      pigeon,
      undefined,
      {
        prefer: 'respond-async',
      },
    );
    assert.equal(acceptedThenFailed.status, 202);
    const failedView = await until('the failed shipment in the order view', async () => {
      const r = await stack.call('GET', `/v1/orders/${shopId}/${orderId}`);
      return r.json?.shipmentError ? r.json : undefined;
    });
    assert.match(failedView.shipmentError.message, /not a shipping provider/);

    const url = `/v1/orders/${shopId}/${orderId}/shipments`;
    const body = { packages: [{ trackingNumber: '1Z999AA10123456784', carrier: 'UPS' }] };
    const badKey = await stack.call('POST', url, body, undefined, { 'idempotency-key': 'x'.repeat(201) });
    assert.equal(badKey.status, 400);
    // Prefer: respond-async answers once the workflow accepted the report; the order shows the marking when done.
    const key = { 'idempotency-key': `wms-shipment-${orderId}` };
    const accepted = await stack.call('POST', url, body, undefined, { ...key, prefer: 'respond-async' });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
    assert.equal(accepted.headers.get('location'), `/v1/orders/${shopId}/${orderId}`);
    assert.equal(accepted.headers.get('preference-applied'), 'respond-async');
    const marked = await until('the package marked shipped', async () => {
      const r = await stack.call('GET', `/v1/orders/${shopId}/${orderId}`);
      return r.json?.packages?.length > 0 ? r.json : undefined;
    });
    assert.equal(marked.packages[0].shippingProviderId, '7117859084333745966');
    // The same key again is the same update: its outcome, without a second call to TikTok.
    const sameKey = await stack.call('POST', url, body, undefined, key);
    assert.equal(sameKey.status, 200, JSON.stringify(sameKey.json));
    assert.equal(sameKey.json.packages[0].packageId, marked.packages[0].packageId);
    // The same report without a key is idempotent too: same package, no second package on TikTok.
    const again = await stack.call('POST', url, body);
    assert.equal(again.status, 200);
    assert.equal(again.json.packages[0].packageId, marked.packages[0].packageId);
    const record = await admin('/record');
    const marks = record.mutations.filter(
      (m: { action: string; orderIds: string[]; applied: boolean }) =>
        m.action === 'mark_package_as_shipped' && m.applied && m.orderIds.includes(orderId),
    );
    assert.equal(marks.length, 1, 'one Mark Package As Shipped on TikTok');
    const onTikTok = await admin(`/orders/${orderId}`);
    assert.equal(onTikTok.status, 'AWAITING_COLLECTION');
    assert.equal(onTikTok.line_items[0].tracking_number, '1Z999AA10123456784');
  });

  test('the carrier scan (IN_TRANSIT webhook) records the dispatch on time and completes the workflow', async () => {
    await admin(`/orders/${orderId}/carrier-scan`, {});
    const handle = stack.client.workflow.getHandle(orderWorkflowId(shopId, orderId));
    const result = await handle.result();
    assert.deepEqual(result, { outcome: 'dispatched', status: 'IN_TRANSIT', onTime: true });
    const dispatched = await stack.database
      .db('order_dispatch_events')
      .where({ order_id: orderId, kind: 'dispatched' })
      .first();
    assert.equal(dispatched.on_time, true);
    const metrics = await stack.call('GET', `/v1/shops/${shopId}/metrics`);
    assert.equal(metrics.status, 200, JSON.stringify(metrics.json));
    assert.equal(metrics.json.ldr.dispatched, 1);
    assert.equal(metrics.json.ldr.late, 0);
    assert.equal(metrics.json.ldr.rate, 0);
    assert.equal(metrics.json.ldr.enforcementAbove.value, 0.1);
    assert.equal(metrics.json.vtr.dispatched, 1);
    const done = await until('risk done in visibility', async () => {
      const r = await stack.call('GET', `/v1/orders?shopId=${shopId}&risk=done`);
      return r.json.orders.find((o: { orderId: string }) => o.orderId === orderId);
    });
    assert.equal(done.state, 'IN_TRANSIT');
    assert.ok(done.carrierScanBy);
    assert.equal(done.nextDeadline, null, 'nothing is due once the order is done');
  });

  test('a late duplicate webhook after completion starts no second workflow and is skipped, not failed', async () => {
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: `late-${crypto.randomBytes(4).toString('hex')}`,
      shop_id: shopId,
      timestamp: Math.floor(Date.now() / 1000),
      data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', update_time: Math.floor(Date.now() / 1000) },
    });
    const res = await fetch(`${stack.baseUrl}/webhooks/tiktok`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: computeWebhookSignature({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: body }),
      },
      body,
    });
    assert.equal(res.status, 200);
    const row = await until('the late event handled', async () => {
      const r = await stack.database
        .db('webhook_inbox')
        .where({ dedup_key: JSON.parse(body).tts_notification_id })
        .first();
      return r && r.status !== 'pending' ? r : undefined;
    });
    assert.equal(row.status, 'skipped');
    assert.match(row.last_error, /already closed/);
    const runs = [];
    for await (const wf of stack.client.workflow.list({
      query: `WorkflowId = '${orderWorkflowId(shopId, orderId)}'`,
    })) {
      runs.push(wf.runId);
    }
    assert.equal(runs.length, 1, 'one execution only');
  });
});
