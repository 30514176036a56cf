import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { inventoryFeedWorkflowId } from '../../workflows/ids';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';

describe('POST /v1/inventory/events (validation, sequence guard, dead letters, signal-with-start)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const shopId = uniqueId('shop');
  const at = '2026-05-01T10:00:00Z';

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    await stack.database.db('catalog_items').insert({
      shop_id: shopId,
      seller_sku: 'TEE-S',
      parent_key: 'TEE',
      tiktok_product_id: 'p-1',
      tiktok_sku_id: 's-1',
      warehouse_ids: JSON.stringify(['w1', 'w2']),
    });
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('each row is judged on its own: accepted, ignored (older/repeated sequence) or rejected with issues', async () => {
    const ok = { shopId, sellerSku: 'TEE-S', warehouseId: 'w1', onHand: 7, sequence: 10, occurredAt: at };
    const r = await stack.call('POST', '/v1/inventory/events', [
      ok,
      { ...ok, onHand: -1, sequence: 11 }, // invalid: negative
      { ...ok, sellerSku: 'NOPE' }, // unknown SKU
      { ...ok, warehouseId: 'w9' }, // not one of the SKU's TikTok warehouses
      { ...ok, onHand: 99, sequence: 9 }, // older: ignored
      { ...ok, extra: true }, // invalid: unknown key
    ]);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json.accepted, [{ index: 0, sequence: 10 }]);
    assert.deepEqual(
      r.json.ignored.map((i: any) => [i.index, i.currentSequence]),
      [[4, 10]],
    );
    assert.deepEqual(
      r.json.rejected.map((x: any) => [x.index, x.code]),
      [
        [1, 'invalid_event'],
        [2, 'unknown_seller_sku'],
        [3, 'unknown_warehouse'],
        [5, 'invalid_event'],
      ],
    );
    assert.equal(r.json.rejected[0].issues[0].path[0], 'onHand');
    const level = await stack.database.db('stock_levels').where({ shop_id: shopId, warehouse_id: 'w1' }).first();
    assert.equal(level.on_hand, 7, 'the older event did not move stock backwards');

    const letters = await stack.call('GET', '/v1/dead-letters?source=api:POST /v1/inventory/events');
    assert.equal(letters.json.deadLetters.length, 4);
    const detail = await stack.call('GET', `/v1/dead-letters/${letters.json.deadLetters.at(-1).id}`);
    assert.deepEqual(JSON.parse(detail.json.raw_body), { ...ok, onHand: -1, sequence: 11 });

    // The product's feed was started (signal-with-start) under its business id.
    const desc = await stack.client.workflow.getHandle(inventoryFeedWorkflowId(shopId, 'p-1')).describe();
    assert.equal(desc.type, 'inventoryFeed');
  });

  test('a body that is not a batch is refused as a whole and kept; viewers may not send events', async () => {
    const bad = await stack.call('POST', '/v1/inventory/events', { hello: 'world' });
    assert.equal(bad.status, 400);
    const key = await stack.call('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' });
    const denied = await stack.call('POST', '/v1/inventory/events', [], key.json.key);
    assert.equal(denied.status, 403);
  });
});
