import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyStockChange,
  applyUnitsCommitted,
  MAX_COMMIT_REFS,
  skuState,
  startingState,
} from '../../workflows/inventoryFeed/feedState';
import type { InventoryFeedState } from '../../workflows/inventoryFeed/messages';

const NOW = Date.parse('2026-12-05T10:00:00Z');

function fresh(): InventoryFeedState {
  return startingState(undefined).state;
}

/** A SKU whose last confirmed push told TikTok 18 (on-hand 20, buffer 2) in warehouse wh, level at sequence 5. */
function pushedState(): InventoryFeedState {
  const state = fresh();
  state.skus.A = {
    version: 3,
    committed: 0,
    pushed: { version: 3, inventory: [{ warehouse_id: 'wh', quantity: 18 }], confirmed: true },
    onHandAtPush: 20,
    known: { warehouseIds: ['wh'], buffer: 2, levels: { wh: { onHand: 20, sequence: 5 } } },
  };
  return state;
}

describe('startingState', () => {
  test('a first run starts empty with a round owed and no retry', () => {
    assert.deepEqual(startingState(undefined), {
      state: { listing: 'unknown', zeroRefused: false, skus: {}, commitRefs: [] },
      dirty: true,
      recheckAt: undefined,
    });
  });
  test('a continued run takes the carried state, the owed round and the retry time apart', () => {
    const carried = { listing: 'active' as const, zeroRefused: true, skus: {}, commitRefs: ['r1'] };
    const start = startingState({ ...carried, dirty: false, recheckAt: NOW + 60_000 });
    assert.deepEqual(start, { state: carried, dirty: false, recheckAt: NOW + 60_000 });
    assert.equal('dirty' in start.state, false);
  });
});

describe('applyStockChange', () => {
  test('a change without levels always needs a round, and records how late it came', () => {
    const state = fresh();
    assert.equal(applyStockChange(state, { sellerSkus: ['A'], at: new Date(NOW - 7_000).toISOString() }, NOW), true);
    assert.deepEqual(state.lag, { at: NOW, lagMs: 7_000 });
  });
  test('levels that leave TikTok right need no round; an older sequence changes nothing', () => {
    const state = pushedState();
    const older = { sellerSkus: ['A'], at: '', levels: { A: { wh: { onHand: 3, sequence: 4 } } } };
    assert.equal(applyStockChange(state, older, NOW), false);
    assert.deepEqual(state.skus.A!.known!.levels.wh, { onHand: 20, sequence: 5 });
    assert.equal(state.lag, undefined);
  });
  test('a newer level that lowers what can be sold needs a round and is kept', () => {
    const state = pushedState();
    const sold = { sellerSkus: ['A'], at: '', levels: { A: { wh: { onHand: 19, sequence: 6 } } } };
    assert.equal(applyStockChange(state, sold, NOW), true);
    assert.deepEqual(state.skus.A!.known!.levels.wh, { onHand: 19, sequence: 6 });
  });
});

describe('applyUnitsCommitted', () => {
  test('a TikTok sale is held and counted as sold since the push; a repeated ref counts once', () => {
    const state = pushedState();
    const sale = { sellerSku: 'A', delta: 2, ref: 'o1:l1:handoff', platformSale: true };
    assert.equal(applyUnitsCommitted(state, sale, NOW), false);
    assert.equal(applyUnitsCommitted(state, sale, NOW), false);
    assert.equal(state.skus.A!.committed, 2);
    assert.equal(state.skus.A!.soldSincePush, 2);
    assert.deepEqual(state.commitRefs, ['o1:l1:handoff']);
  });
  test('a cancellation releases sellable units (a round); a shipment does not', () => {
    const state = pushedState();
    state.skus.A!.committed = 3;
    assert.equal(applyUnitsCommitted(state, { sellerSku: 'A', delta: -1, reason: 'shipped' }, NOW), false);
    assert.equal(applyUnitsCommitted(state, { sellerSku: 'A', delta: -1, reason: 'cancelled' }, NOW), true);
    assert.deepEqual(
      {
        committed: state.skus.A!.committed,
        shipped: state.skus.A!.shippedUnits,
        cancelled: state.skus.A!.cancelledSincePush,
      },
      { committed: 1, shipped: 1, cancelled: 1 },
    );
  });
  test('a late TikTok sale that raises the lag above the quiet limit needs a round', () => {
    const state = pushedState();
    const late = { sellerSku: 'A', delta: 1, platformSale: true, soldAt: new Date(NOW - 20_000).toISOString() };
    assert.equal(applyUnitsCommitted(state, late, NOW), true);
    assert.deepEqual(state.lag, { at: NOW, lagMs: 20_000 });
    // Already lagging: the next late sale switches nothing on.
    assert.equal(applyUnitsCommitted(state, { ...late, soldAt: new Date(NOW - 10_000).toISOString() }, NOW), false);
  });
  test('the remembered refs are the latest MAX_COMMIT_REFS', () => {
    const state = fresh();
    for (let i = 0; i <= MAX_COMMIT_REFS; i++)
      applyUnitsCommitted(state, { sellerSku: 'A', delta: 0, ref: `r${i}` }, NOW);
    assert.equal(state.commitRefs.length, MAX_COMMIT_REFS);
    assert.equal(state.commitRefs[0], 'r1');
    assert.equal(skuState(state, 'A').committed, 0);
  });
});
