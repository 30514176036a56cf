// The returns benchmark's quick run (bench/returns.ts --quick: 60 requests over 12 s, TikTok's 48 h compressed to
// 16 s, 10% of RETURN_STATUS_CHANGE dropped) on the run's dev server and PostgreSQL, ours beside the polling baseline.
// Only the correctness figures of ours are asserted (every seller action decided before TikTok's deadline, nothing
// approved by the platform, no decision sent twice), never timings; the baseline only has to have run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runReturns } from '../../bench/returns';

test(
  'returns (quick): every request decided by the seller in time, none sent twice',
  { timeout: 120_000 },
  async () => {
    const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
    const databaseAdminUrl = process.env.TEST_DATABASE_ADMIN_URL;
    if (!temporalAddress || !databaseAdminUrl)
      throw new Error('run with `npm test` (TEST_TEMPORAL_ADDRESS is not set)');
    const result = await runReturns({
      quick: true,
      services: { temporalAddress, databaseAdminUrl },
      log: () => undefined,
    });
    const ours = result.ours!;
    const context = JSON.stringify({ ours, notes: result.notes });
    assert.equal(ours.returns, 60, context);
    assert.ok(ours.actions >= 60, context);
    assert.equal(ours.decidedInTime, ours.actions, `not every action decided in time: ${context}`);
    assert.equal(ours.autoApprovedByPlatform, 0, context);
    assert.equal(ours.decisionsSentTwice, 0, context);
    assert.ok(ours.webhooks && ours.webhooks.dropped > 0, `no notification was dropped: ${context}`);
    assert.equal(result.baseline?.returns, 60, JSON.stringify(result.baseline));
  },
);
