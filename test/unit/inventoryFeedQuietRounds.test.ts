import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeLevels, stockNeedsRound, unitsNeedRound } from '../../workflows/inventoryFeed/quietRounds';
import type { SkuFeedState } from '../../workflows/inventoryFeed/messages';

// A SKU whose last confirmed push told TikTok 18 (on-hand 20, buffer 2), in one warehouse.
function sku(over: Partial<SkuFeedState> = {}, onHand = 20): SkuFeedState {
  return {
    version: 1,
    committed: 0,
    pushed: { version: 1, inventory: [{ warehouse_id: 'wh', quantity: 18 }], confirmed: true },
    onHandAtPush: 20,
    known: { warehouseIds: ['wh'], buffer: 2, levels: { wh: { onHand, sequence: 5 } } },
    ...over,
  };
}

describe('unitsNeedRound', () => {
  test('a TikTok sale needs no round until it sells the SKU out on TikTok', () => {
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: 3, platformSale: true }, sku({ soldSincePush: 3 })), false);
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: 3, platformSale: true }, sku({ soldSincePush: 18 })), true);
  });
  test('units held for another reason, or with nothing confirmed on TikTok, need a round', () => {
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: 3 }, sku()), true);
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: 3, platformSale: true }, sku({ pushed: undefined })), true);
  });
  test('a shipment releases nothing sellable; a cancellation does', () => {
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: -1, reason: 'shipped' }, sku()), false);
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: -1, reason: 'dispatched' }, sku()), false);
    assert.equal(unitsNeedRound({ sellerSku: 'A', delta: -1, reason: 'cancelled' }, sku()), true);
  });
});

describe('stockNeedsRound', () => {
  test('a shipment (on-hand and the hold both down by one) leaves TikTok right: no round', () => {
    // 3 sold on TikTok and held, one of them shipped: on-hand 19, held 2 → 19 − 2 − 2 = 15 = 18 − 3.
    assert.equal(stockNeedsRound(sku({ committed: 2, soldSincePush: 3 }, 19)), false);
  });
  test('another channel sold a unit: TikTok must show fewer', () => {
    assert.equal(stockNeedsRound(sku({}, 19)), true);
  });
  test('sold out: always a round (zero or deactivation)', () => {
    assert.equal(stockNeedsRound(sku({ committed: 18, soldSincePush: 18 }, 20)), true);
  });
  test('more to sell only after a restock or a cancellation', () => {
    // Held units shipped before the warehouse counted them: 19 − 0 − 2 = 17 > 15, but nothing came in.
    assert.equal(stockNeedsRound(sku({ committed: 0, soldSincePush: 3 }, 19)), false);
    assert.equal(stockNeedsRound(sku({}, 30)), true, 'restock');
    assert.equal(stockNeedsRound(sku({ committed: 0, soldSincePush: 3, cancelledSincePush: 1 }, 19)), true);
  });
  test('unknown state or several warehouses: a round', () => {
    assert.equal(stockNeedsRound(sku({ known: undefined })), true);
    assert.equal(stockNeedsRound(sku({ pushed: undefined })), true);
    const two = sku();
    two.known!.warehouseIds = ['wh', 'wh2'];
    assert.equal(stockNeedsRound(two), true);
  });
});

describe('mergeLevels', () => {
  test('the latest sequence per warehouse wins, whatever order the signals come in', () => {
    const known = { wh: { onHand: 10, sequence: 6 } };
    mergeLevels(known, { wh: { onHand: 11, sequence: 5 }, other: { onHand: 4, sequence: 1 } });
    assert.deepEqual(known, { wh: { onHand: 10, sequence: 6 }, other: { onHand: 4, sequence: 1 } });
    mergeLevels(known, { wh: { onHand: 9, sequence: 7 } });
    assert.equal(known.wh.onHand, 9);
  });
});
