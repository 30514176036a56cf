// The oversell guard between the order workflows and the inventory feed, end to end on the dev server and the TikTok
// emulator with the REAL activities: an order commits its units on the product's feed from its first read, through
// the remorse window and the hand-off (TikTok's quantity drops by them although the warehouse's on-hand has not
// moved), a retried commit counts once, and
// the shipment releases them (TikTok's quantity comes back while on-hand is unchanged). The same first read holds
// the units at the WMS (a signed reservation, integrations/wms.ts), released when the order is cancelled before its
// hand-off, so another channel cannot sell a unit TikTok sold while the order waits for its hand-off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { sendUnitsCommitted } from '../../temporal/inventoryFeed';
import { inventoryFeedWorkflowId, orderWorkflowId } from '../../workflows/ids';
import { getInventoryFeedQuery } from '../../workflows/inventoryFeed/messages';
import { inventoryFeed } from '../../workflows/inventoryFeed/workflow';
import { signWmsRequest } from '../../integrations/wms';
import { captureServer, startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

const APP_KEY = 'hold_app_key';
const APP_SECRET = 'hold_app_secret_0123456789abcdef';
const WMS_SECRET = 'hold-wms-signing-secret-0123456789';

interface WmsBody {
  reservation?: { action: string; orderId: string; lineItems: { sellerSku: string }[] };
  order?: { orderId: string };
}

describe('inventory feed holds: units handed to the warehouse are off sale until shipped', () => {
  let env: TestWorkflowEnvironment;
  let world: EmulatorStack;
  let stack: TestStack;
  let shopId: string;
  let productId: string;
  let skuId: string;
  let otherSkuId: string;
  let wh: string;
  let orderId: string;
  let wms: Awaited<ReturnType<typeof captureServer>>;
  /**
   * What the WMS applied for an order: its reservations (signed, keyed) and its hand-offs, one per idempotency key.
   * A local activity re-runs when its workflow task is lost (a slow machine: the CI of 2026-12-05 saw it), so a
   * request may arrive twice; the WMS applies a key once, and a repeat must carry the same body.
   */
  const atWms = (id: string) => {
    const byKey = new Map<string, { headers: Record<string, unknown>; body: string; json: WmsBody }>();
    for (const r of wms.requests) {
      const json = JSON.parse(r.body) as WmsBody;
      if (json.reservation?.orderId !== id && json.order?.orderId !== id) continue;
      const key = String(r.headers['idempotency-key']);
      const first = byKey.get(key);
      if (first) assert.equal(r.body, first.body, `a repeat of ${key} carries the first body`);
      else byKey.set(key, { ...r, json });
    }
    return [...byKey.values()];
  };

  const admin = (path: string, body?: unknown) => world.admin(path, body);
  /** TikTok's available quantity of a seller_sku, summed over warehouses. */
  const onTikTok = async (sellerSku: string) => {
    const { products } = await admin(`/products?shop_id=${shopId}`);
    const sku = products
      .find((p: { id: string }) => p.id === productId)
      .skus.find((s: { seller_sku: string }) => s.seller_sku === sellerSku);
    return Object.values(sku.inventory as Record<string, { available: number }>).reduce((a, l) => a + l.available, 0);
  };
  const feed = () =>
    stack.client.workflow.getHandle(inventoryFeedWorkflowId(shopId, productId)).query(getInventoryFeedQuery);
  const pushCount = async (sellerSku: string) =>
    (await stack.database.db('inventory_push_log').where({ shop_id: shopId, seller_sku: sellerSku })).length;
  const confirmedPushes = async (sellerSku: string) =>
    (
      await stack.database
        .db('inventory_push_log')
        .where({ shop_id: shopId, seller_sku: sellerSku, action: 'quantity' })
        .whereNotNull('confirmed_at')
        .orderBy('id')
    ).map((r: { quantity: number }) => r.quantity);

  before(async () => {
    env = await devServerEnv();
    wms = await captureServer();
    world = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Hold Beauty',
      sellerName: 'Hold',
      products: ([warehouse]) => [
        {
          title: 'Balm',
          skus: [
            { seller_sku: 'BALM-10', price: '9.00', inventory: [{ warehouse_id: warehouse, quantity: 50 }] },
            { seller_sku: 'BALM-OFF', price: '9.00', inventory: [{ warehouse_id: warehouse, quantity: 50 }] },
          ],
        },
      ],
      env: { ORDER_RECONCILE_INTERVAL: '1h', WMS_URL: `${wms.url}/orders`, WMS_SIGNING_SECRET: WMS_SECRET },
    });
    ({ stack, shopId, warehouseId: wh } = world);
    productId = world.products[0].id;
    skuId = world.products[0].skus[0].id;
    otherSkuId = world.products[0].skus[1].id;
    await world.connect();

    // Only BALM-10 is in the catalog (buffer 2); BALM-OFF is sold on TikTok but not managed by the feed.
    const csv = ['type,parent_key,seller_sku,title,safety_buffer', 'parent,BALM,,Balm,', 'variant,BALM,BALM-10,,2'];
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/catalog/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'text/csv' },
      body: csv.join('\n'),
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    await until('the catalog import', async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}/catalog/imports/${id}`);
      return r.json.status === 'completed' && r.json.rowsImported === 1;
    });
    await stack.client.workflow.start(inventoryFeed, {
      workflowId: inventoryFeedWorkflowId(shopId, productId),
      taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId, productId, coalesceMs: 200 }],
    });
    const r = await stack.call('POST', '/v1/inventory/events', [
      { shopId, sellerSku: 'BALM-10', warehouseId: wh, onHand: 20, sequence: 1, occurredAt: new Date().toISOString() },
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    await until('20 − buffer 2 on TikTok', async () => (await confirmedPushes('BALM-10')).includes(18));
  });

  after(async () => {
    await stack?.client.workflow
      .getHandle(inventoryFeedWorkflowId(shopId, productId))
      .terminate('test over')
      .catch(() => undefined);
    await world?.stop();
    wms?.close();
    await env?.teardown();
  });

  test('an order holds its units from its first read: the feed holds 3 and TikTok shows on-hand − held − buffer', async () => {
    // Three units of the catalog SKU and one of a SKU outside the catalog (skipped, logged).
    const placed = await admin('/orders', {
      shop_id: shopId,
      items: [
        { sku_id: skuId, quantity: 3 },
        { sku_id: otherSkuId, quantity: 1 },
      ],
      paid: true,
    });
    orderId = placed.id;
    const pushesBefore = await pushCount('BALM-10');
    await until('the order workflow', async () => {
      const v = await stack.call('GET', `/v1/orders/${shopId}/${orderId}`);
      return v.json?.state === 'ON_HOLD';
    });
    // TikTok took the units off its stock at placement: they are held from the first read, through the remorse
    // window, so a stock push before the hand-off cannot offer them again.
    await until('the units held while ON_HOLD', async () => (await feed()).skus['BALM-10']?.committed === 3);
    // TikTok took them off its own count (18 − 3): the feed agrees, and never pushes the 3 back.
    await until('TikTok shows 20 − 3 − 2 = 15 before the hand-off', async () => (await onTikTok('BALM-10')) === 15);
    // The warehouse holds them too (its available-to-promise leaves them out), before any hand-off: one signed hold
    // of the 3 catalog units, keyed by order and action.
    const seen = atWms(orderId);
    assert.equal(seen.length, 1, JSON.stringify(seen.map((r) => r.json)));
    const [hold] = seen;
    assert.equal(hold!.json.reservation?.action, 'hold');
    assert.deepEqual(
      hold!.json.reservation?.lineItems.map((l) => l.sellerSku),
      ['BALM-10', 'BALM-10', 'BALM-10'],
    );
    assert.equal(hold!.headers['idempotency-key'], `reservation:${shopId}:${orderId}:hold`);
    assert.equal(
      hold!.headers['x-signature'],
      signWmsRequest(WMS_SECRET, hold!.headers['x-timestamp'] as string, hold!.body),
    );
    assert.equal(await pushCount('BALM-10'), pushesBefore, 'TikTok took the sold units off its own count: no push');
    await admin('/clock/advance', { seconds: 3601 });
    await until('the outbox row', () =>
      stack.database.db('warehouse_outbox').where({ shop_id: shopId, order_id: orderId }).first(),
    );
    const held = await until('the units still committed once on the feed', async () => {
      const f = await feed();
      return f.skus['BALM-10']?.committed === 3 ? f : undefined;
    });
    assert.deepEqual(held.commitRefs, [`${orderId}:BALM-10:handoff`]);
    assert.equal(held.skus['BALM-OFF'], undefined, 'a SKU outside the catalog is not held');
    await until('TikTok shows 20 − 3 − 2 = 15', async () => (await onTikTok('BALM-10')) === 15);
    assert.ok(!(await confirmedPushes('BALM-10')).slice(1).some((q) => q > 15), 'never pushed above 15 since');
    const stock = await stack.database.db('stock_levels').where({ shop_id: shopId, seller_sku: 'BALM-10' }).first();
    assert.equal(stock.on_hand, 20, "the warehouse's own count has not moved");

    // The activity retried (same ref): counted once.
    await sendUnitsCommitted({ temporal: stack.client, cfg: stack.cfg }, shopId, productId, {
      sellerSku: 'BALM-10',
      delta: 3,
      ref: `${orderId}:BALM-10:handoff`,
    });
    // The signal is in the feed's history once sendUnitsCommitted returns, and Temporal answers a query only after
    // the workflow has handled its pending events: no wall-clock wait is needed to see what the repeat did.
    assert.equal((await feed()).skus['BALM-10']?.committed, 3, 'a repeated hand-off counts once');
  });

  test('the shipment releases the hold: TikTok is back to on-hand − buffer', async () => {
    // Shipments are accepted once the hand-off is complete (the order's view says so), not after some wait.
    await until(
      'the hand-off',
      async () => (await stack.call('GET', `/v1/orders/${shopId}/${orderId}`)).json?.acknowledged,
    );
    const shipped = await stack.call('POST', `/v1/orders/${shopId}/${orderId}/shipments`, {
      packages: [{ trackingNumber: '1Z999AA10123456784', carrier: 'UPS' }],
    });
    assert.equal(shipped.status, 200, JSON.stringify(shipped.json));
    const released = await until('the hold released', async () => {
      const f = await feed();
      return f.skus['BALM-10']?.committed === 0 ? f : undefined;
    });
    assert.equal(released.commitRefs.length, 2);
    assert.match(released.commitRefs[1]!, new RegExp(`^${orderId}:BALM-10:release:`));
    // Shipped units left the building: nothing became sellable, so TikTok's count is never raised by a release;
    // the warehouse's own count (17) agrees with it, and only a restock raises it again.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await onTikTok('BALM-10'), 15, 'a shipment raises nothing');
    const wh = (await stack.database.db('stock_levels').where({ shop_id: shopId, seller_sku: 'BALM-10' }).first())
      .warehouse_id as string;
    const counted = await stack.call('POST', '/v1/inventory/events', [
      { shopId, sellerSku: 'BALM-10', warehouseId: wh, onHand: 17, sequence: 2, occurredAt: new Date().toISOString() },
    ]);
    assert.equal(counted.status, 200, JSON.stringify(counted.json));
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await onTikTok('BALM-10'), 15, '17 − 2');
    const restocked = await stack.call('POST', '/v1/inventory/events', [
      { shopId, sellerSku: 'BALM-10', warehouseId: wh, onHand: 27, sequence: 3, occurredAt: new Date().toISOString() },
    ]);
    assert.equal(restocked.status, 200, JSON.stringify(restocked.json));
    await until('TikTok at 27 − 2 after the restock', async () => (await onTikTok('BALM-10')) === 25);

    // The carrier scan ends the order workflow; nothing is released twice.
    await admin(`/orders/${orderId}/carrier-scan`, {});
    const result = await stack.client.workflow.getHandle(orderWorkflowId(shopId, orderId)).result();
    assert.equal(result.outcome, 'dispatched');
    const f = await feed();
    assert.equal(f.skus['BALM-10']?.committed, 0);
    assert.equal(f.commitRefs.length, 2, 'no second release');
  });

  test('an order cancelled before its hand-off releases its warehouse hold and its units on the feed', async () => {
    const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: skuId, quantity: 2 }], paid: true });
    const id = placed.id as string;
    await until('the hold at the warehouse', () =>
      Promise.resolve(atWms(id).some((r) => r.json.reservation?.action === 'hold')),
    );
    await until('the units held on the feed', async () => (await feed()).skus['BALM-10']?.committed === 2);
    await admin(`/orders/${id}/buyer-cancel`, {});
    const result = await stack.client.workflow.getHandle(orderWorkflowId(shopId, id)).result();
    assert.equal(result.outcome, 'cancelled');
    const seen = atWms(id).map((r) => [r.json.reservation?.action ?? 'hand-off', r.headers['idempotency-key']]);
    assert.deepEqual(seen, [
      ['hold', `reservation:${shopId}:${id}:hold`],
      ['release', `reservation:${shopId}:${id}:release`],
    ]);
    assert.equal((await feed()).skus['BALM-10']?.committed, 0);
  });

  test('a TikTok sale held a minute after it was sold switches the lag guard on: one more unit held back', async () => {
    await until('TikTok settled at 27 − 2', async () => (await onTikTok('BALM-10')) === 25);
    // The order's first read came 60 s after the sale (a worker minutes behind): until then the warehouse could sell
    // the unit elsewhere, so the feed treats it as lag and holds back what other channels may sell in it (≥ 1).
    await sendUnitsCommitted({ temporal: stack.client, cfg: stack.cfg }, shopId, productId, {
      sellerSku: 'BALM-10',
      delta: 1,
      ref: 'late-order:BALM-10:handoff',
      platformSale: true,
      soldAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const f = await feed();
    assert.ok((f.lag?.lagMs ?? 0) >= 55_000, JSON.stringify(f.lag));
    // 27 on hand − 1 held − 2 buffer − 1 margin: pushed although TikTok's own sale needed no push.
    await until('TikTok at 23', async () => (await confirmedPushes('BALM-10')).at(-1) === 23);
    assert.equal(await onTikTok('BALM-10'), 23);
  });
});
