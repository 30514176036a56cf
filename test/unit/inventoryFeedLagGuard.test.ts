// Issue 12 item 12: the inventory feed knows its own lag and holds stock back accordingly (workflows/inventoryFeed/lagGuard.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  currentLagMs,
  guardPlan,
  LAG_GUARD,
  lagMargin,
  noteLag,
  noteSaleLag,
  observeSku,
  type SkuSales,
} from '../../workflows/inventoryFeed/lagGuard';
import type { SkuStock } from '../../workflows/inventoryFeed/inventoryMath';

const T0 = Date.parse('2026-12-05T04:00:00Z');
const s = (n: number) => T0 + n * 1000;

describe('the feed lag', () => {
  test('a sample is the time from the committed change to its handling; the peak decays over a minute', () => {
    let lag = noteLag(undefined, s(0), s(2));
    assert.equal(lag.lagMs, 2_000);
    lag = noteLag(lag, s(10), s(50)); // 40 s late
    assert.equal(lag.lagMs, 40_000);
    lag = noteLag(lag, s(51), s(52)); // a quick one does not erase a recent long one
    assert.ok(Math.abs(lag.lagMs - 40_000 * Math.exp(-2_000 / LAG_GUARD.lagDecayMs)) < 1e-6, String(lag.lagMs));
    assert.ok(Math.abs(currentLagMs(lag, s(52) + LAG_GUARD.lagDecayMs) - lag.lagMs / Math.E) < 1e-6);
    assert.equal(currentLagMs(undefined, s(0)), 0);
  });

  test('an unparseable or future commit time gives a sample of 0', () => {
    assert.equal(noteLag(undefined, Number.NaN, s(5)).lagMs, 0);
    assert.equal(noteLag(undefined, s(9), s(5)).lagMs, 0);
  });
});

describe('the sale-to-hold lag (a TikTok sale not yet held at the warehouse)', () => {
  test("an order held 90 s after TikTok sold it is 90 s of lag: the guard holds back other channels' sales in it", () => {
    const lag = noteSaleLag(undefined, s(0), s(90));
    assert.equal(lag.lagMs, 90_000);
    // One unit sold elsewhere per 2 minutes: 3 × 0.75 expected in 90 s → 3 units held back beyond the buffer.
    const sales: SkuSales = { at: s(90), otherUnits: 1, onHand: 20, shipped: 0 };
    assert.equal(lagMargin(lag, sales, s(90)), 3);
    // A quick hold keeps the guard quiet.
    assert.equal(lagMargin(noteSaleLag(undefined, s(0), s(2)), sales, s(2)), 0);
  });

  test('a sample is capped (an order found late by reconciliation), a future or unknown sale time counts 0', () => {
    assert.equal(noteSaleLag(undefined, s(0), s(3 * 3600)).lagMs, LAG_GUARD.maxSaleLagMs);
    assert.equal(noteSaleLag(undefined, s(9), s(5)).lagMs, 0);
    assert.equal(noteSaleLag(undefined, Number.NaN, s(5)).lagMs, 0);
    // It joins the feed's own samples: the larger recent one stands.
    const both = noteSaleLag(noteLag(undefined, s(0), s(30)), s(25), s(30));
    assert.equal(both.lagMs, 30_000);
  });
});

describe("other channels' sales", () => {
  test('on-hand that falls by more than our shipments is a sale elsewhere; a restock cancels it', () => {
    let sales = observeSku(undefined, { now: s(0), onHand: 20, shipped: 0 });
    assert.equal(sales.otherUnits, 0);
    sales = observeSku(sales, { now: s(0), onHand: 17, shipped: 2 }); // 2 shipped by us, 1 sold elsewhere
    assert.equal(sales.otherUnits, 1);
    sales = observeSku(sales, { now: s(0), onHand: 17, shipped: 3 }); // a release after its count: −1
    assert.equal(sales.otherUnits, 0);
    sales = observeSku(sales, { now: s(0), onHand: 50, shipped: 3 }); // restock: never below 0
    assert.equal(sales.otherUnits, 0);
  });

  test('the count decays with the rate window', () => {
    let sales = observeSku(undefined, { now: s(0), onHand: 10, shipped: 0 });
    sales = observeSku(sales, { now: s(0), onHand: 6, shipped: 0 });
    sales = observeSku(sales, { now: s(0) + LAG_GUARD.rateWindowMs, onHand: 6, shipped: 0 });
    assert.ok(Math.abs(sales.otherUnits - 4 / Math.E) < 1e-9);
  });
});

describe('the margin', () => {
  // 3 units sold elsewhere just now: 3 per rate window (2 min) = 1 unit per 40 s.
  const sales: SkuSales = { at: s(100), otherUnits: 3, onHand: 10, shipped: 0 };

  test('nothing while the lag is within the quiet lag, whatever the sales rate', () => {
    const lag = noteLag(undefined, s(100) - LAG_GUARD.quietLagMs, s(100));
    assert.equal(lagMargin(lag, sales, s(100)), 0);
    assert.equal(lagMargin(undefined, sales, s(100)), 0);
    assert.equal(lagMargin(lag, undefined, s(100)), 0);
  });

  test('factor × the units other channels are expected to sell in the lag', () => {
    const lag = noteLag(undefined, s(60), s(100)); // 40 s: 1 unit expected
    assert.equal(lagMargin(lag, sales, s(100)), 3);
    const worse = noteLag(undefined, s(-20), s(100)); // 120 s: 3 expected
    assert.equal(lagMargin(worse, sales, s(100)), 9);
    const light: SkuSales = { ...sales, otherUnits: 0.3 }; // 0.1 expected in 40 s: still one unit held
    assert.equal(lagMargin(lag, light, s(100)), 1);
  });

  test('no sale elsewhere seen yet: one unit held while lagging (the count is uncertain)', () => {
    const lag = noteLag(undefined, s(0), s(100));
    assert.equal(lagMargin(lag, { ...sales, otherUnits: 0 }, s(100)), 1);
    assert.equal(lagMargin(lag, undefined, s(100)), 1);
    assert.equal(lagMargin(undefined, undefined, s(100)), 0);
  });

  test('the margin falls back to 0 as the lag decays', () => {
    const lag = noteLag(undefined, s(60), s(100));
    const later = s(100) + 3 * LAG_GUARD.lagDecayMs; // 40 s × e^-3 ≈ 2 s
    assert.equal(lagMargin(lag, sales, later), 0);
  });
});

describe('the guarded plan', () => {
  const settings = { zeroAccepted: true, deactivateWhenAllVariantsOut: true, maxQuantity: 99_999 };
  const stock = (over: Partial<SkuStock>): SkuStock => ({
    sellerSku: 'A',
    skuId: 's-a',
    warehouseIds: ['w1'],
    onHand: { w1: 10 },
    committed: 1,
    safetyBuffer: 2,
    ...over,
  });

  test('the margin comes off the available units as extra buffer', () => {
    const plan = guardPlan([stock({}), stock({ sellerSku: 'B', skuId: 's-b' })], settings, { A: 3, B: 0 });
    assert.deepEqual(
      plan.targets.map((t) => [t.sellerSku, t.available, t.inventory]),
      [
        ['A', 4, [{ warehouse_id: 'w1', quantity: 4 }]],
        ['B', 7, [{ warehouse_id: 'w1', quantity: 7 }]],
      ],
    );
    assert.equal(plan.deactivate, false);
  });

  test('a margin holds every variant at 0 without delisting a product that has stock', () => {
    const plan = guardPlan([stock({})], settings, { A: 50 });
    assert.equal(plan.targets[0]!.available, 0);
    assert.deepEqual(plan.targets[0]!.inventory, [{ warehouse_id: 'w1', quantity: 0 }]);
    assert.equal(plan.deactivate, false);
  });

  test('truly out of stock still delists; where TikTok refuses 0 the unguarded plan stands', () => {
    assert.equal(guardPlan([stock({ onHand: { w1: 3 } })], settings, { A: 2 }).deactivate, true);
    const noZero = guardPlan([stock({})], { ...settings, zeroAccepted: false }, { A: 50 });
    assert.equal(noZero.targets[0]!.available, 7);
  });
});
