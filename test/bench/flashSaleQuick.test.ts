// The flash-sale benchmark's quick run (bench/flashSale.ts --quick, ours only) on the run's dev server and
// PostgreSQL: ~100 orders over 60 s across 10 SKUs, webhooks duplicated and 2% dropped, 1% of calls applied with the
// response lost. Only the correctness figures are asserted, never timings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runQuickFlashSale } from '../helpers/quickFlashSale';

test(
  'flash sale (quick): no order lost, no duplicate mutation, nothing oversold, no rate-limit refusal',
  { timeout: 240_000 },
  async () => {
    const ours = await runQuickFlashSale();
    const context = JSON.stringify({ ...ours, notes: ours.notes });
    assert.ok(ours.ordersPlaced > 0, context);
    assert.equal(ours.lost, 0, `orders lost: ${context}`);
    assert.equal(ours.duplicateMutations, 0, `duplicate mutations: ${context}`);
    assert.equal(ours.unitsOversold, 0, `units oversold: ${context}`);
    assert.equal(ours.rateLimited, 0, `TikTok rate-limit refusals: ${context}`);
  },
);
