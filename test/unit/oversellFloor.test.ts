// The flash-sale benchmark's oversell floor: what an ideal zero-lag feed cannot avoid in a plan.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SalePlan } from '../../bench/flashSaleWorld';
import { oversellFloor } from '../../bench/oversellFloor';

// One SKU of 10 units (TikTok shows 8 with the 2-unit buffer); TikTok sells 8 in the first milliseconds, handed off
// 10 ms later and shipped much later; the other channel then tries to sell 4.
const plan: SalePlan = {
  seed: 1,
  skus: [{ sellerSku: 'A', parentKey: 'P', stock: 10, weight: 1 }],
  orders: Array.from({ length: 9 }, (_, i) => ({ at: i, sellerSku: 'A' })),
  otherChannel: Array.from({ length: 4 }, () => ({ at: 1_000, sellerSku: 'A' })),
  durationMs: 2_000,
};
const opts = { handOffMs: 10, shipDelayMaxMs: 1e12 };

test('a warehouse that sells only unallocated units leaves an ideal feed nothing to oversell', () => {
  assert.equal(oversellFloor(plan, { ...opts, otherTakesAllocated: false }), 0);
});

test('a shelf the other channel empties regardless of allocations oversells beyond the buffer, whatever the feed', () => {
  // 8 sold on TikTok (the 9th refused), 4 taken by the other channel: 8 − (10 − 4) = 2 oversold.
  assert.equal(oversellFloor(plan, { ...opts, otherTakesAllocated: true }), 2);
});

test('units sold on TikTok but not yet handed off are where an ideal feed still oversells', () => {
  // Hand-off after the other channel's sales: those units are not yet allocated, so the warehouse sells them.
  assert.equal(oversellFloor(plan, { ...opts, handOffMs: 5_000, otherTakesAllocated: false }), 2);
});
