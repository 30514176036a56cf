// The flash-sale benchmark's duplicate accounting (bench/flashSaleWorld.ts duplicateMutations): a second applied call
// for one order and action, and an inventory set applied after a newer one, each counted and the stale one described.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStaleSet, duplicateMutations, type RecordMutation } from '../../bench/flashSaleWorld';

const mutation = (seq: number, action: string, orderIds: string[] = []): RecordMutation => ({
  seq,
  realTime: new Date(Date.UTC(2026, 11, 5, 12, 0, seq)).toISOString(),
  action,
  orderIds,
  skuIds: [],
  productIds: [],
  applied: true,
  code: 0,
  responseLost: false,
});

test('an inventory set applied after a newer one is stale and described; a repeated order action is a duplicate', () => {
  const record = {
    orders: [],
    summary: { rate_limited: {} },
    mutations: [
      mutation(1, 'update_inventory'),
      mutation(2, 'update_inventory'),
      mutation(3, 'update_inventory'),
      mutation(4, 'approve_cancellation', ['o1']),
      mutation(5, 'approve_cancellation', ['o1']),
    ],
  };
  const sets = new Map([
    [1, [{ skuId: 's1', quantity: 5 }]],
    [2, [{ skuId: 's1', quantity: 3 }]],
    [3, [{ skuId: 's1', quantity: 5 }]],
  ]);
  // The push log: version 1 set 5, version 2 set 3. Seq 3 applies 5 again with no newer push of 5: version 1, stale.
  const versionOf = (_sku: string, quantity: number) => (quantity === 5 ? 1 : 2);
  const d = duplicateMutations(record, sets, versionOf);
  assert.equal(d.staleInventorySets, 1);
  assert.deepEqual(d.byAction, { approve_cancellation: 1, stale_update_inventory: 1 });
  assert.equal(d.total, 2);
  assert.deepEqual(d.staleSets.map(describeStaleSet), [
    'stale set: sku s1 quantity 5 applied seq 3 at 2026-12-05T12:00:03.000Z, inferred version 1 < 2 applied before',
  ]);
});
