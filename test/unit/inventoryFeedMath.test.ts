import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { policy, POLICY_ROWS } from '../../policy';
import {
  allocateToWarehouses,
  availableUnits,
  planProduct,
  type SkuStock,
} from '../../workflows/inventoryFeed/inventoryMath';

const settings = { zeroAccepted: true, deactivateWhenAllVariantsOut: false, maxQuantity: 99_999 };
const sku = (over: Partial<SkuStock>): SkuStock => ({
  sellerSku: 'A',
  skuId: 's-a',
  warehouseIds: ['w1'],
  onHand: { w1: 10 },
  committed: 0,
  safetyBuffer: 2,
  ...over,
});

describe('available quantity', () => {
  test('on-hand − handed-off-not-shipped − safety buffer, never below 0', () => {
    assert.equal(availableUnits(10, 3, 2), 5);
    assert.equal(availableUnits(4, 2, 2), 0);
    assert.equal(availableUnits(3, 2, 2), 0);
    assert.equal(availableUnits(0, 5, 2), 0);
  });

  test('held-back units come off the fullest warehouse; every assigned warehouse is listed', () => {
    assert.deepEqual(allocateToWarehouses(7, ['w1', 'w2', 'w3'], { w1: 3, w2: 8 }, 0, 99_999), [
      { warehouse_id: 'w1', quantity: 3 },
      { warehouse_id: 'w2', quantity: 4 },
      { warehouse_id: 'w3', quantity: 0 },
    ]);
    const spread = allocateToWarehouses(5, ['w1', 'w2'], { w1: 6, w2: 6 }, 0, 99_999)!;
    assert.equal(
      spread.reduce((a, w) => a + w.quantity, 0),
      5,
    );
    assert.ok(spread.every((w) => w.quantity <= 6));
  });

  test('with 0 refused every warehouse gets at least 1, or the total cannot be expressed', () => {
    assert.deepEqual(allocateToWarehouses(3, ['w1', 'w2'], { w1: 5, w2: 0 }, 1, 99_999), [
      { warehouse_id: 'w1', quantity: 2 },
      { warehouse_id: 'w2', quantity: 1 },
    ]);
    assert.equal(allocateToWarehouses(1, ['w1', 'w2'], { w1: 5 }, 1, 99_999), null);
  });

  test('quantities are capped at the maximum TikTok takes', () => {
    assert.deepEqual(allocateToWarehouses(200_000, ['w1'], { w1: 200_000 }, 0, 99_999), [
      { warehouse_id: 'w1', quantity: 99_999 },
    ]);
  });
});

describe('product plan', () => {
  test('a sold-out variant is pushed as 0 when 0 is accepted; nothing is deactivated', () => {
    const plan = planProduct([sku({}), sku({ sellerSku: 'B', skuId: 's-b', onHand: { w1: 2 } })], settings);
    assert.equal(plan.deactivate, false);
    assert.deepEqual(
      plan.targets.map((t) => [t.sellerSku, t.available, t.inventory]),
      [
        ['A', 8, [{ warehouse_id: 'w1', quantity: 8 }]],
        ['B', 0, [{ warehouse_id: 'w1', quantity: 0 }]],
      ],
    );
  });

  test('a sold-out variant deactivates the product when 0 is refused', () => {
    const plan = planProduct([sku({}), sku({ sellerSku: 'B', skuId: 's-b', onHand: { w1: 2 } })], {
      ...settings,
      zeroAccepted: false,
    });
    assert.equal(plan.deactivate, true);
    assert.match(plan.reason!, /B/);
  });

  test('every variant out deactivates only under the policy setting', () => {
    const out = [sku({ onHand: { w1: 1 } }), sku({ sellerSku: 'B', skuId: 's-b', onHand: {} })];
    assert.equal(planProduct(out, settings).deactivate, false);
    assert.equal(planProduct(out, { ...settings, deactivateWhenAllVariantsOut: true }).deactivate, true);
  });

  test('committed units are held back', () => {
    const plan = planProduct([sku({ committed: 5 })], settings);
    assert.equal(plan.targets[0]!.available, 3);
  });
});

test('inventory policy rows exist with their sources', () => {
  assert.equal(policy<boolean>('US', 'inventory.zeroQuantityAccepted').value, true);
  assert.equal(policy<boolean>('US', 'inventory.zeroQuantityAccepted').uncertain, true);
  assert.equal(policy<number>('US', 'inventory.defaultSafetyBuffer').value, 2);
  assert.equal(policy<number>('US', 'inventory.maxQuantity').value, 99_999);
  assert.equal(policy<boolean>('US', 'inventory.deactivateWhenAllVariantsOut').value, false);
  // Each names a public page or says it is a product decision.
  for (const row of POLICY_ROWS.filter((r) => r.key.startsWith('inventory.')))
    assert.match(row.source, /https:\/\/partner\.tiktokshop\.com\/docv2\/page\/|^product default/);
});
