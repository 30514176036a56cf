// The monthly tax report on the emulator's seeded month (issue 20): POST /__admin/tax/seed plants a month (a state
// crossing its threshold mid-month, FBT stock arriving in Texas, refunds of the previous month's orders, samples, an
// over- and an under-charged line) and answers what it planted; the tax-data sync stores it; the report, computed from
// PostgreSQL alone, must find exactly what was planted. The seed's figures are the emulator's, never the report's.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTaxDataActivities } from '../../activities/taxData';
import { createTaxReportActivities, type TaxReportSummary } from '../../activities/taxReport';
import type { TaxSeedAnswer } from '../../emulators/tiktok-shop/taxSeed';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { startHarness, type Harness } from './harness';

// The emulator's business clock: early November, so the seeded month is October.
const NOW = Date.parse('2026-11-05T12:00:00Z');

void describe('tax report of the emulator-seeded month', () => {
  let h: Harness;
  let t: TestDatabase;
  let seed: TaxSeedAnswer;
  let summary: TaxReportSummary;

  before(async () => {
    h = await startHarness({ emulator: { startTime: NOW } });
    t = await testDatabase();
    seed = await h.admin<TaxSeedAnswer>('/tax/seed', { shop_id: h.shop.shopId });
    const data = createTaxDataActivities({
      db: t.db,
      tiktok: { client: h.client },
      tokens: { shopRef: () => Promise.resolve(h.shop) },
      now: () => new Date(NOW),
    });
    await data.syncTaxFinance({ shopId: h.shop.shopId, from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    await data.syncFbtInventory({ shopId: h.shop.shopId });
    const report = createTaxReportActivities({
      cfg: { FILE_MAX_BYTES: 10 * 1024 * 1024 },
      db: t.db,
      secretsKeyring: { activeKeyId: 'k', keys: new Map([['k', crypto.randomBytes(32)]]) },
    });
    let cursor: string | undefined;
    for (;;) {
      const r = await report.computeTaxReportStep({
        shopId: h.shop.shopId,
        period: seed.month,
        timeZone: 'UTC',
        ...(cursor ? { cursor } : {}),
      });
      if (r.done) {
        summary = r.summary!;
        break;
      }
      cursor = r.cursor;
    }
  });
  after(async () => {
    await h?.close();
    await t?.drop();
  });

  void test('the differences are exactly the planted over- and under-charge', async () => {
    const rows: { order_id: string; line_id: string; charged: string; expected: string; difference: string }[] = await t
      .db('tax_report_differences')
      .where({ report_id: summary.reportId })
      .orderBy('difference', 'desc')
      .select('order_id', 'line_id', 'charged', 'expected', 'difference');
    assert.equal(summary.differences, seed.taxCharges.length);
    const planted = [...seed.taxCharges].sort((a, b) => Number(b.difference) - Number(a.difference));
    assert.deepEqual(
      rows.map((r) => [r.order_id, r.line_id, r.difference]),
      planted.map((c) => [c.orderId, c.lineId, c.difference]),
    );
    // The seed plants on the item tax; the report compares item + shipping tax, so both of its figures carry the
    // line's (correct) shipping tax on top of the seed's.
    rows.forEach((r, i) => {
      const shippingTax = Number(r.charged) - Number(planted[i]!.charged);
      assert.equal((Number(r.expected) - Number(planted[i]!.expected)).toFixed(2), shippingTax.toFixed(2));
    });
  });

  void test('the threshold crossed mid-month is nexus from that day; the FBT stock below Texas’s threshold is not', () => {
    const crossing = summary.mustRegister.find((m) => m.state === seed.threshold.state);
    assert.equal(crossing?.nexusFrom, seed.threshold.crossingDay);
    assert.ok(!summary.mustRegister.some((m) => m.state === seed.fbt.state), JSON.stringify(summary.mustRegister));
    // Only October was synced: the windows before it are named as not covered.
    assert.ok(
      summary.historyGaps.some((g) => g.to === '2026-09-30'),
      JSON.stringify(summary.historyGaps),
    );
  });

  void test('TikTok-facilitated lines are never seller-owed; refunds and samples land in October', async () => {
    assert.equal(summary.sellerOwedTransactions, 0);
    const states: { state: string; line: { refundLines: number; useTaxBaseCents: number; taxDueCents: number } }[] =
      await t.db('tax_report_states').where({ report_id: summary.reportId }).select('state', 'line');
    const sum = (f: (l: (typeof states)[number]['line']) => number) => states.reduce((s, r) => s + f(r.line), 0);
    assert.equal(
      sum((l) => l.refundLines),
      seed.refunds.length,
    );
    // Use tax is due on the samples only (list price; the seller owes nothing else here).
    const sampleValue = seed.samples.reduce((s, x) => s + Math.round(Number(x.value) * 100), 0);
    assert.equal(
      sum((l) => l.useTaxBaseCents),
      sampleValue,
    );
    assert.ok(sum((l) => l.taxDueCents) > 0);
  });
});
