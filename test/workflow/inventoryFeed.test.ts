// The inventory feed on the dev server, against the in-process TikTok emulator: a catalog import through the API,
// stock events through POST /v1/inventory/events, and the per-product inventoryFeed workflow pushing to TikTok.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { inventoryFeedWorkflowId } from '../../workflows/ids';
import { getInventoryFeedQuery } from '../../workflows/inventoryFeed/messages';
import { inventoryFeed } from '../../workflows/inventoryFeed/workflow';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

const APP_KEY = 'inv_app_key';
const APP_SECRET = 'inv_app_secret_0123456789abcdef';

describe('inventory feed: catalog import → stock events → TikTok quantities, sell-out, deactivation, restock', () => {
  let env: TestWorkflowEnvironment;
  let world: EmulatorStack;
  let stack: TestStack;
  let shopId: string;
  let productId: string;
  let wh1: string;
  let wh2: string;
  const skuIds: Record<string, string> = {};
  let seq = 100;

  const admin = (path: string, body?: unknown) => world.admin(path, body);
  /** What TikTok shows: product status and per-SKU, per-warehouse available quantity. */
  const tiktok = async () => {
    const { products } = await admin(`/products?shop_id=${shopId}`);
    const p = products.find((x: { id: string }) => x.id === productId);
    const skus: Record<string, Record<string, number>> = {};
    for (const s of p.skus) {
      skus[s.seller_sku] = Object.fromEntries(
        Object.entries(s.inventory as Record<string, { available: number }>).map(([w, l]) => [w, l.available]),
      );
    }
    return { status: p.status as string, skus };
  };
  const total = (q: Record<string, number> | undefined) => Object.values(q ?? {}).reduce((a, b) => a + b, 0);
  const event = (sellerSku: string, warehouseId: string, onHand: number, sequence = ++seq) => ({
    shopId,
    sellerSku,
    warehouseId,
    onHand,
    sequence,
    occurredAt: new Date().toISOString(),
  });
  const pushLog = (sellerSku: string) =>
    stack.database.db('inventory_push_log').where({ shop_id: shopId, seller_sku: sellerSku }).orderBy('id');

  before(async () => {
    env = await devServerEnv();
    world = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Feed Beauty',
      sellerName: 'Feed',
      warehouses: 2,
      emulator: { rules: { auditDurationMs: 1_500 }, tickIntervalMs: 100 },
      products: ([one, two]) => [
        {
          title: 'Glow Serum',
          skus: [
            {
              seller_sku: 'GLOW-30',
              price: '20.00',
              inventory: [
                { warehouse_id: one, quantity: 50 },
                { warehouse_id: two, quantity: 50 },
              ],
            },
            { seller_sku: 'GLOW-50', price: '30.00', inventory: [{ warehouse_id: one, quantity: 50 }] },
          ],
        },
      ],
    });
    ({ stack, shopId } = world);
    [wh1, wh2] = world.warehouseIds as [string, string];
    productId = world.products[0].id;
    for (const s of world.products[0].skus) skuIds[s.seller_sku] = s.id;
    // Connected through the real OAuth steps: consent link → our callback → token exchange → authorized shops.
    await world.connect();
  });

  after(async () => {
    await world?.stop();
    await env?.teardown();
  });

  test('catalog import (CSV) matches seller_skus to TikTok SKUs and reports every rejected row', async () => {
    const csv = [
      'type,parent_key,seller_sku,title,safety_buffer,size',
      'parent,GLOW,,Glow Serum,,',
      'variant,GLOW,GLOW-30,,3,30ml',
      'variant,GLOW,GLOW-50,,,50ml',
      'variant,GLOW,GLOW-99,,,99ml',
      'variant,GLOW,GLOW-X,,lots,',
      'variant,NONE,NONE-1,,,',
    ].join('\r\n');
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/catalog/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const report = await until('the import report', async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}/catalog/imports/${id}`);
      return r.json.status === 'completed' ? r.json : undefined;
    });
    assert.equal(report.rowsTotal, 5);
    assert.equal(report.rowsImported, 2);
    assert.equal(report.rowsRejected, 3);
    assert.deepEqual(
      report.errors.map((e: { row: string; code: string }) => [e.row, e.code]),
      [
        ['line 5', 'unknown_seller_sku'],
        ['line 6', 'bad_number'],
        ['line 7', 'missing_parent'],
      ],
    );
    const items = await stack.database.db('catalog_items').where({ shop_id: shopId }).orderBy('seller_sku');
    assert.deepEqual(
      items.map((i: any) => [i.seller_sku, i.tiktok_product_id, i.tiktok_sku_id, i.safety_buffer, i.warehouse_ids]),
      [
        ['GLOW-30', productId, skuIds['GLOW-30'], 3, [wh1, wh2]],
        ['GLOW-50', productId, skuIds['GLOW-50'], null, [wh1]],
      ],
    );
    assert.deepEqual(items[0].attributes, { size: '30ml' });

    // Short coalescing window and audit read-back interval for the test (production: 1 s and 30 s).
    await stack.client.workflow.start(inventoryFeed, {
      workflowId: inventoryFeedWorkflowId(shopId, productId),
      taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId, productId, coalesceMs: 300, auditPollMs: 300 }],
    });
  });

  test('stock events set TikTok quantities minus the safety buffer, on every warehouse; an older sequence is ignored', async () => {
    const r = await stack.call('POST', '/v1/inventory/events', [
      event('GLOW-30', wh1, 10, 5),
      event('GLOW-30', wh2, 4, 5),
      event('GLOW-50', wh1, 6, 1),
      event('GLOW-30', wh1, 50, 4), // older than sequence 5: ignored
      event('GLOW-30', wh1, 10, 5), // repeated: ignored
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(
      r.json.accepted.map((a: { index: number }) => a.index),
      [0, 1, 2],
    );
    assert.deepEqual(
      r.json.ignored.map((i: { index: number; currentSequence: number }) => [i.index, i.currentSequence]),
      [
        [3, 5],
        [4, 5],
      ],
    );
    const seen = await until('TikTok quantities', async () => {
      const t = await tiktok();
      return total(t.skus['GLOW-30']) === 11 && total(t.skus['GLOW-50']) === 4 ? t : undefined;
    });
    // 14 on hand − 3 buffer = 11, taken off the fullest warehouse first; GLOW-50: 6 − 2 (policy default) = 4.
    assert.deepEqual(seen.skus['GLOW-30'], { [wh1]: 7, [wh2]: 4 });
    const stored = await stack.database
      .db('stock_levels')
      .where({ shop_id: shopId, seller_sku: 'GLOW-30', warehouse_id: wh1 })
      .first();
    assert.equal(stored.on_hand, 10);
    assert.equal(Number(stored.sequence), 5);
    await until('confirmed pushes', async () => {
      const rows = await pushLog('GLOW-30');
      return rows.some((x: any) => x.quantity === 11 && x.confirmed_at !== null);
    });
  });

  test('a burst of events becomes one push with the latest numbers', async () => {
    const before = (await pushLog('GLOW-50')).length;
    for (let onHand = 7; onHand <= 11; onHand++) {
      const r = await stack.call('POST', '/v1/inventory/events', [event('GLOW-50', wh1, onHand)]);
      assert.equal(r.status, 200);
    }
    await until('TikTok shows the latest count', async () => total((await tiktok()).skus['GLOW-50']) === 9);
    // The 9 comes from the last event of the burst, so every push the burst caused was sent before the feed's own
    // record shows that push confirmed: no wall-clock wait for stragglers is needed.
    await until('the feed records the push of 9 confirmed', async () => {
      const pushed = (
        await stack.client.workflow.getHandle(inventoryFeedWorkflowId(shopId, productId)).query(getInventoryFeedQuery)
      ).skus['GLOW-50']?.pushed;
      return pushed?.confirmed && pushed.inventory.reduce((a, w) => a + w.quantity, 0) === 9;
    });
    const rows = (await pushLog('GLOW-50')).slice(before);
    assert.ok(rows.length >= 1 && rows.length <= 2, `expected the burst coalesced, got ${rows.length} pushes`);
    assert.equal(rows.at(-1).quantity, 9);
    const versions = rows.map((x: any) => Number(x.version));
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      'versions only grow',
    );
  });

  test('a sold-out variant goes to 0 on TikTok, confirmed by read-back within the 60 s goal', async () => {
    const sent = Date.now();
    await stack.call('POST', '/v1/inventory/events', [event('GLOW-50', wh1, 2)]); // 2 − buffer 2 = 0
    await until('quantity 0 on TikTok', async () => total((await tiktok()).skus['GLOW-50']) === 0);
    const row = await until('a confirmed 0 in the push log', async () => {
      const rows = await pushLog('GLOW-50');
      return rows.find((x: any) => x.quantity === 0 && x.confirmed_at !== null);
    });
    assert.equal(row.action, 'quantity');
    assert.ok(row.stock_event_at, 'the stock event time is recorded for the latency benchmark');
    const latency = new Date(row.confirmed_at).getTime() - new Date(row.stock_event_at).getTime();
    assert.ok(latency >= 0 && latency < 60_000, `out-of-stock → confirmed took ${latency} ms`);
    assert.ok(Date.now() - sent < 60_000);
    assert.equal((await tiktok()).status, 'ACTIVATE', 'a single sold-out variant does not delist the product');
  });

  test('when TikTok refuses 0 the product is deactivated and that is confirmed; a restock re-activates it through audit', async () => {
    await admin('/rules', { allowZeroInventory: false });
    await stack.call('POST', '/v1/inventory/events', [event('GLOW-30', wh1, 2), event('GLOW-30', wh2, 1)]); // 3 − 3 = 0
    await until('the product deactivated', async () => (await tiktok()).status === 'SELLER_DEACTIVATED');
    const deactivation = await until('a confirmed deactivation', async () => {
      const rows = await pushLog('GLOW-30');
      return rows.find((x: any) => x.action === 'deactivate' && x.confirmed_at !== null);
    });
    assert.equal(deactivation.quantity, 0);
    const refused = (await pushLog('GLOW-30')).find((x: any) => x.outcome === 'refused_zero');
    assert.ok(refused, 'the refused 0 is in the log');
    const feed = await stack.client.workflow
      .getHandle(inventoryFeedWorkflowId(shopId, productId))
      .query(getInventoryFeedQuery);
    assert.equal(feed.zeroRefused, true);
    assert.equal(feed.listing, 'deactivated_by_feed');

    // Restock both variants: activate → PENDING (audit) → ACTIVATE (read back on a timer) → quantities pushed.
    await stack.call('POST', '/v1/inventory/events', [
      event('GLOW-30', wh1, 20),
      event('GLOW-30', wh2, 5),
      event('GLOW-50', wh1, 12),
    ]);
    await until('the product in audit', async () => (await tiktok()).status === 'PENDING', 10_000);
    const after = await until('re-activated and restocked', async () => {
      const t = await tiktok();
      return t.status === 'ACTIVATE' && total(t.skus['GLOW-30']) === 22 && total(t.skus['GLOW-50']) === 10
        ? t
        : undefined;
    });
    assert.ok(
      Object.values(after.skus['GLOW-30']!).every((q) => q >= 1),
      '0 refused: every warehouse gets ≥ 1',
    );
    const activation = (await pushLog('GLOW-30')).find((x: any) => x.action === 'activate');
    assert.ok(activation);
  });
});
