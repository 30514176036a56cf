// The stock-level transaction (db/inventory.ts applyStockCounts): warehouse counts are applied in one transaction, in
// order, and an older or repeated sequence never moves stock backwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createInventoryRepository, type StockCount } from '../../db/inventory';
import { testDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

const count = (sellerSku: string, sequence: number, onHand: number, warehouseId = 'W1'): StockCount => ({
  shopId: 's1',
  sellerSku,
  warehouseId,
  onHand,
  sequence,
  occurredAt: new Date(1_800_000_000_000 + sequence * 1000).toISOString(),
});

const stored = async (sellerSku: string) =>
  database
    .db('stock_levels')
    .where({ shop_id: 's1', seller_sku: sellerSku })
    .orderBy('warehouse_id')
    .select<{ warehouse_id: string; on_hand: number; sequence: string }[]>('warehouse_id', 'on_hand', 'sequence');

test('newer sequences replace the level; repeated and older ones are reported and change nothing', async () => {
  const inventory = createInventoryRepository(database.db);
  assert.deepEqual(await inventory.applyStockCounts([count('A', 5, 10), count('A', 5, 99), count('B', 1, 3)]), [
    { outcome: 'applied', currentSequence: 5 },
    { outcome: 'repeated', currentSequence: 5 },
    { outcome: 'applied', currentSequence: 1 },
  ]);
  assert.deepEqual(await stored('A'), [{ warehouse_id: 'W1', on_hand: 10, sequence: '5' }]);

  assert.deepEqual(await inventory.applyStockCounts([count('A', 3, 50), count('A', 7, 4), count('A', 2, 1, 'W2')]), [
    { outcome: 'older', currentSequence: 5 },
    { outcome: 'applied', currentSequence: 7 },
    { outcome: 'applied', currentSequence: 2 },
  ]);
  assert.deepEqual(await stored('A'), [
    { warehouse_id: 'W1', on_hand: 4, sequence: '7' },
    { warehouse_id: 'W2', on_hand: 1, sequence: '2' },
  ]);
  assert.deepEqual(
    (await inventory.levelsOf('s1', ['A', 'B'])).map((l) => [l.seller_sku, l.warehouse_id, l.on_hand]).sort(),
    [
      ['A', 'W1', 4],
      ['A', 'W2', 1],
      ['B', 'W1', 3],
    ],
  );
});

test('a batch is one transaction: a count the database refuses leaves none of the batch applied', async () => {
  const inventory = createInventoryRepository(database.db);
  // warehouse_id is at most 64 characters (db/migrations/005_inventory.ts): the second count fails.
  await assert.rejects(inventory.applyStockCounts([count('C', 1, 8), count('C', 1, 8, 'W'.repeat(65))]));
  assert.deepEqual(await stored('C'), []);
  assert.equal(await inventory.anyStocked('s1', ['C']), false);
  assert.equal(await inventory.anyStocked('s1', ['C', 'B']), true);
});
