import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startingState } from '../../workflows/inventoryFeed/feedState';
import type { InventoryFeedState } from '../../workflows/inventoryFeed/messages';
import { preparePush, recordPush, type PushResult } from '../../workflows/inventoryFeed/pushRound';
import {
  activationSkus,
  deactivationSkus,
  listingAfterRead,
  planRound,
  type InventorySnapshot,
} from '../../workflows/inventoryFeed/round';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const SETTINGS = { zeroAccepted: true, deactivateWhenAllVariantsOut: true, maxQuantity: 99_999 };

function snapshot(onHand: { A: number; B: number }): InventorySnapshot {
  const sku = (sellerSku: 'A' | 'B', feedVersion: number) => ({
    sellerSku,
    skuId: `sku-${sellerSku}`,
    warehouseIds: ['wh'],
    onHand: { wh: onHand[sellerSku] },
    safetyBuffer: 1,
    feedVersion,
    stockEventAt: `2026-12-05T09:5${feedVersion}:00.000Z`,
    sequences: { wh: 10 + feedVersion },
  });
  return { skus: [sku('A', 4), sku('B', 1)], settings: SETTINGS };
}

function fresh(): InventoryFeedState {
  return startingState(undefined).state;
}

describe('planRound', () => {
  test('takes the snapshot into the state and plans: held units and the buffer come off on-hand', () => {
    const state = fresh();
    state.skus.A = { version: 7, committed: 2 };
    const round = planRound(state, snapshot({ A: 10, B: 0 }), NOW);
    assert.deepEqual(
      round.plan.targets.map((t) => [t.sellerSku, t.available, t.inventory]),
      [
        ['A', 7, [{ warehouse_id: 'wh', quantity: 7 }]],
        ['B', 0, [{ warehouse_id: 'wh', quantity: 0 }]],
      ],
    );
    assert.equal(round.plan.deactivate, false);
    assert.deepEqual(round.onHand, { A: 10, B: 0 });
    assert.deepEqual(round.margins, { A: 0, B: 0 });
    assert.deepEqual(round.eventAt, { A: '2026-12-05T09:54:00.000Z', B: '2026-12-05T09:51:00.000Z' });
    // The feed's version never goes back; the snapshot's is taken when newer.
    assert.deepEqual([state.skus.A.version, state.skus.B!.version], [7, 1]);
    assert.deepEqual(state.skus.A.known, {
      warehouseIds: ['wh'],
      buffer: 1,
      levels: { wh: { onHand: 10, sequence: 14 } },
    });
    assert.deepEqual(state.skus.A.sales, { at: NOW, otherUnits: 0, onHand: 10, shipped: 0 });
    assert.equal(state.lastPlan, round.plan);
    assert.equal(state.lastSyncAt, '2026-12-05T10:00:00.000Z');
  });
  test('a refused 0 learned at run time overrides the policy: a sold-out variant takes the product off sale', () => {
    const state = fresh();
    state.zeroRefused = true;
    const round = planRound(state, snapshot({ A: 10, B: 0 }), NOW);
    assert.equal(round.settings.zeroAccepted, false);
    assert.equal(round.plan.deactivate, true);
    assert.deepEqual(
      deactivationSkus(state, round).map((s) => [s.sellerSku, s.quantity, s.version]),
      [['B', 0, 2]],
    );
  });
  test('while the feed lags, other channels’ sales are held back as a margin', () => {
    const state = fresh();
    planRound(state, snapshot({ A: 20, B: 5 }), NOW - 60_000);
    state.lag = { at: NOW, lagMs: 30_000 };
    const round = planRound(state, snapshot({ A: 14, B: 5 }), NOW);
    assert.equal(round.margins.B, 1);
    assert.ok(round.margins.A! > 1, `margin of A: ${round.margins.A}`);
    assert.equal(round.plan.targets[0]!.available, 14 - 1 - round.margins.A!);
  });
});

describe('listing', () => {
  test('after a read: only a product pending when first seen awaits audit', () => {
    assert.equal(listingAfterRead('unknown', 'ACTIVATE'), 'active');
    assert.equal(listingAfterRead('inactive_elsewhere', 'ACTIVATE'), 'active');
    assert.equal(listingAfterRead('unknown', 'PENDING'), 'awaiting_audit');
    assert.equal(listingAfterRead('inactive_elsewhere', 'PENDING'), 'inactive_elsewhere');
    assert.equal(listingAfterRead('unknown', 'SELLER_DEACTIVATED'), 'inactive_elsewhere');
  });
  test('a deactivation names the sold-out SKUs under a new version, all when none is out', () => {
    const state = fresh();
    const round = planRound(state, snapshot({ A: 5, B: 3 }), NOW);
    assert.deepEqual(
      deactivationSkus(state, round).map((s) => [s.sellerSku, s.quantity, s.version]),
      [
        ['A', 0, 5],
        ['B', 0, 2],
      ],
    );
  });
  test('a re-activation names every SKU at its available units under the current version', () => {
    const state = fresh();
    const round = planRound(state, snapshot({ A: 5, B: 3 }), NOW);
    assert.deepEqual(activationSkus(state, round), [
      { sellerSku: 'A', skuId: 'sku-A', quantity: 4, version: 4, stockEventAt: '2026-12-05T09:54:00.000Z' },
      { sellerSku: 'B', skuId: 'sku-B', quantity: 2, version: 1, stockEventAt: '2026-12-05T09:51:00.000Z' },
    ]);
  });
});

function result(over: Partial<PushResult> = {}): PushResult {
  return {
    logIds: {},
    stale: [],
    failed: [],
    zeroRefused: false,
    productInactive: false,
    confirmed: [],
    sent: {},
    unseenSold: {},
    tiktokSold: {},
    unchanged: [],
    ...over,
  };
}

describe('push', () => {
  test('pushes only what TikTok was not told and confirmed; a lower count is urgent; the outcome is recorded', () => {
    const state = fresh();
    state.skus.B = {
      version: 1,
      committed: 0,
      pushed: { version: 1, inventory: [{ warehouse_id: 'wh', quantity: 2 }], confirmed: true },
    };
    state.skus.A = {
      version: 4,
      committed: 0,
      soldSincePush: 3,
      pushed: { version: 4, inventory: [{ warehouse_id: 'wh', quantity: 9 }], confirmed: true },
      onHandAtPush: 10,
    };
    const round = planRound(state, snapshot({ A: 5, B: 3 }), NOW);
    const push = preparePush(state, round)!;
    assert.equal(push.urgent, true);
    assert.deepEqual(push.skus, [
      {
        sellerSku: 'A',
        skuId: 'sku-A',
        version: 5,
        inventory: [{ warehouse_id: 'wh', quantity: 4 }],
        stockEventAt: '2026-12-05T09:54:00.000Z',
        decrease: true,
        lastPushedTotal: 9,
        unheldBeforeRead: 0,
        lagMargin: 0,
        zeroAccepted: true,
        allowIncrease: false,
      },
    ]);
    // A sale heard of while the push was out counts toward the next one.
    state.skus.A.soldSincePush = 4;
    const outcome = recordPush(
      state,
      push,
      round,
      result({
        logIds: { A: 'log-1' },
        confirmed: ['sku-A'],
        sent: { A: [{ warehouse_id: 'wh', quantity: 3 }] },
        unseenSold: { A: 1 },
      }),
    );
    assert.deepEqual(outcome, { unconfirmed: false, roundAgain: false });
    assert.deepEqual(state.skus.A.pushed, {
      version: 5,
      inventory: [{ warehouse_id: 'wh', quantity: 3 }],
      confirmed: true,
    });
    assert.deepEqual([state.skus.A.soldSincePush, state.skus.A.onHandAtPush, state.unseenSold], [1, 5, 1]);
    // Nothing changed since: no push.
    assert.equal(
      preparePush(state, {
        ...round,
        plan: {
          ...round.plan,
          targets: [{ ...round.plan.targets[0]!, inventory: [{ warehouse_id: 'wh', quantity: 3 }] }],
        },
      }),
      undefined,
    );
  });
  test('an unconfirmed or failed push is due again; an inactive product or a refused 0 needs a new round', () => {
    const state = fresh();
    const round = planRound(state, snapshot({ A: 5, B: 3 }), NOW);
    const push = preparePush(state, round)!;
    assert.equal(push.urgent, true); // never pushed: any count is lower than "unknown"
    assert.deepEqual(recordPush(state, push, round, result({ logIds: { A: 'l1', B: 'l2' }, confirmed: ['sku-A'] })), {
      unconfirmed: true,
      roundAgain: false,
    });
    assert.equal(state.skus.B!.pushed!.confirmed, false);
    assert.deepEqual(recordPush(state, push, round, result({ zeroRefused: true })), {
      unconfirmed: false,
      roundAgain: true,
    });
    assert.equal(state.zeroRefused, true);
    state.listing = 'active';
    assert.deepEqual(recordPush(state, push, round, result({ productInactive: true })), {
      unconfirmed: true,
      roundAgain: true,
    });
    assert.equal(state.listing, 'unknown');
  });
  test('TikTok already showing the numbers counts as a confirmed push', () => {
    const state = fresh();
    const round = planRound(state, snapshot({ A: 5, B: 3 }), NOW);
    const push = preparePush(state, round)!;
    assert.deepEqual(recordPush(state, push, round, result({ unchanged: ['A', 'B'] })), {
      unconfirmed: false,
      roundAgain: false,
    });
    assert.deepEqual(state.skus.A!.pushed, {
      version: 5,
      inventory: [{ warehouse_id: 'wh', quantity: 4 }],
      confirmed: true,
    });
    assert.equal(state.skus.A!.onHandAtPush, 5);
  });
});
