// Issue 12 item 11: the flash sale's quick run with a worker SIGKILLed every 10 s while orders are placed and an
// identical one started in its place (bench/flashSale.ts --quick --chaos, ours only). Only the correctness figures
// and the kills are asserted, never timings: every order offered accounted for, none lost, no duplicate mutation,
// nothing oversold, no rate-limit refusal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runQuickFlashSale } from '../helpers/quickFlashSale';

test(
  'flash sale (quick, chaos): workers killed and replaced, still no order lost, no duplicate, nothing oversold',
  { timeout: 300_000 },
  async () => {
    const ours = await runQuickFlashSale({ chaos: true, measureCeiling: false });
    const context = JSON.stringify({ ...ours, notes: ours.notes });
    assert.ok((ours.workerKills ?? 0) >= 3, `worker kills: ${context}`);
    assert.ok(ours.ordersPlaced > 0, context);
    assert.equal(ours.unaccounted, 0, `orders unaccounted for: ${context}`);
    assert.equal(ours.lost, 0, `orders lost: ${context}`);
    assert.equal(ours.duplicateMutations, 0, `duplicate mutations: ${context}`);
    assert.equal(ours.unitsOversold, 0, `units oversold: ${context}`);
    assert.equal(ours.rateLimited, 0, `TikTok rate-limit refusals: ${context}`);
  },
);
