// Contract: the Finance API (Get Statements, Get Transactions by Statement / by Order, Get Unsettled Transactions)
// and the FBT endpoints (Get FBT Warehouse List, Search FBT Inventory Record) between our client and the emulator,
// and the tax-data sync (activities/taxData) against a month seeded by POST /__admin/tax/seed: every planted figure
// comes back from tax_sales_lines / tax_inventory_presence, computed by the seed while planting.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTaxDataActivities } from '../../activities/taxData';
import { createTaxSalesRepository, type TaxSalesLine } from '../../db/taxSales';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { TikTokInvalidRequest } from '../../integrations/tiktok/errors';
import type { TaxSeedAnswer } from '../../emulators/tiktok-shop/taxSeed';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { expectFailure, startHarness, type Harness } from './harness';

// The emulator's business clock: early November, so the seeded month is October and its last days are unsettled.
const NOW = Date.parse('2026-11-05T12:00:00Z');

void describe('finance and FBT: client ↔ emulator, and the tax-data sync', () => {
  let h: Harness;
  let t: TestDatabase;
  let seed: TaxSeedAnswer;
  before(async () => {
    // The emulator's own per-second limit off: the harness client has no rate budget, and the sync reads ~40
    // statements in a burst (the budget's pacing is tested in test/workflow/rateBudget.test.ts).
    h = await startHarness({ emulator: { startTime: NOW, rateLimit: { enabled: false } } });
    t = await testDatabase();
    seed = await h.admin<TaxSeedAnswer>('/tax/seed', { shop_id: h.shop.shopId });
  });
  after(async () => {
    await h.close();
    await t.drop();
  });

  void test('the seed answers what it planted', () => {
    assert.equal(seed.month, '2026-10');
    assert.equal(seed.threshold.crossingDay, '2026-10-15');
    assert.equal(seed.expectedGross.WA, '105000.00');
    assert.equal(seed.expectedGross.CA, '2240.00'); // 28 days × 2 kettles × $40
    assert.equal(seed.refunds.length, 3);
    assert.equal(seed.samples.length, 2);
    assert.deepEqual(
      seed.taxCharges.map((c) => c.kind),
      ['over', 'under'],
    );
    assert.equal(seed.fbt.arrivalDay, '2026-10-12');
  });

  void test('Get Statements pages by page_token, daily statements at 00:00 UTC; a bad token is refused', async () => {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await callEndpoint(h.client, endpoints.getStatements, h.shop, {
        statement_time_ge: Date.parse('2026-10-01T00:00:00Z') / 1000,
        sort_field: 'statement_time',
        page_size: 5,
        ...(token ? { page_token: token } : {}),
      });
      for (const s of page.statements) {
        assert.equal(s.statement_time % 86_400, 0);
        ids.push(s.id);
      }
      token = page.next_page_token || undefined;
    } while (token);
    assert.ok(ids.length > 5, `${ids.length} statements`);
    assert.equal(new Set(ids).size, ids.length, 'no statement twice across pages');
    await expectFailure(
      callEndpoint(h.client, endpoints.getStatements, h.shop, {
        sort_field: 'statement_time',
        page_size: 5,
        page_token: 'not-a-token!',
      }),
      TikTokInvalidRequest,
    );
  });

  void test('errors: an unknown statement and an unsupported sort field are refused as invalid requests', async () => {
    await expectFailure(
      callEndpoint(h.client, endpoints.getStatementTransactions, h.shop, {
        statement_id: '7300000000000000000',
        sort_field: 'order_create_time',
      }),
      TikTokInvalidRequest,
    );
    // The schema refuses what the page does not allow before anything is sent.
    await expectFailure(
      callEndpoint(h.client, endpoints.getStatements, h.shop, {
        sort_field: 'create_time' as 'statement_time',
      }),
      TikTokInvalidRequest,
    );
  });

  void test('a refund shows as negative refund_subtotal in its statement and per SKU by order', async () => {
    const refund = seed.refunds[0]!;
    const byOrder = await callEndpoint(h.client, endpoints.getOrderStatementTransactions, h.shop, {
      order_id: refund.orderId,
    });
    const refunds = byOrder.sku_transactions.filter(
      (s) => Number(s.revenue_breakdown?.refund_subtotal_before_discount_amount ?? 0) < 0,
    );
    assert.equal(refunds.length, 1);
    assert.equal(refunds[0]!.revenue_breakdown?.refund_subtotal_before_discount_amount, '-40.00');
    assert.equal(refunds[0]!.quantity, '1');
    const unsettled = await callEndpoint(h.client, endpoints.getUnsettledTransactions, h.shop, {
      sort_field: 'order_create_time',
      page_size: 100,
    });
    assert.ok(unsettled.transactions.length > 0);
    assert.ok(unsettled.transactions.every((x) => x.status === 'UNSETTLED'));
  });

  void test('the sync stores the month: gross per state, refunds, samples, planted tax, coverage, FBT presence', async () => {
    const activities = createTaxDataActivities({
      db: t.db,
      tiktok: { client: h.client },
      tokens: { shopRef: () => Promise.resolve(h.shop) },
      now: () => new Date(NOW),
    });
    const counts = await activities.syncTaxFinance({
      shopId: h.shop.shopId,
      from: '2026-10-01T00:00:00Z',
      to: '2026-11-01T00:00:00Z',
    });
    assert.equal(counts.refundLines, 3);
    assert.equal(counts.sampleLines, 2);
    assert.ok(counts.unsettled > 0);
    // A second run writes the same rows, no copies.
    await activities.syncTaxFinance({
      shopId: h.shop.shopId,
      from: '2026-10-01T00:00:00Z',
      to: '2026-11-01T00:00:00Z',
    });

    const repo = createTaxSalesRepository(t.db);
    const lines: TaxSalesLine[] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await repo.linesPage(h.shop.shopId, {
        from: '2026-10-01T00:00:00Z',
        to: '2026-11-01T00:00:00Z',
        after,
        limit: 100,
      });
      lines.push(...page.lines);
      if (!page.next) break;
      after = page.next;
    }
    const gross: Record<string, number> = {};
    for (const l of lines.filter((x) => x.kind === 'sale'))
      gross[l.shipToState] = (gross[l.shipToState] ?? 0) + Number(l.gross);
    assert.deepEqual(Object.fromEntries(Object.entries(gross).map(([s, v]) => [s, v.toFixed(2)])), seed.expectedGross);
    assert.equal(lines.filter((x) => x.kind === 'sale').length, seed.saleLines);
    const refunds = lines.filter((x) => x.kind === 'refund');
    assert.deepEqual(
      refunds
        .map((r) => [r.orderId, r.refundOfLineId, r.gross, r.itemTax, r.occurredAt.toISOString().slice(0, 10)])
        .sort(),
      seed.refunds.map((r) => [r.orderId, r.lineId, r.gross, r.tax, r.refundDay]).sort(),
    );
    const samples = lines.filter((x) => x.kind === 'sample');
    assert.deepEqual(
      samples.map((s) => [s.orderId, s.collectedBy, s.gross]).sort(),
      seed.samples.map((s) => [s.orderId, 'none', s.value]).sort(),
    );
    for (const c of seed.taxCharges) {
      const line = lines.find((l) => l.lineId === c.lineId && l.kind === 'sale');
      assert.equal(line?.itemTax, c.charged, `${c.kind}-charged line`);
    }
    const tax: Record<string, number> = {};
    for (const l of lines.filter((x) => x.kind === 'sale'))
      tax[l.shipToState] = (tax[l.shipToState] ?? 0) + Number(l.itemTax) + Number(l.shippingTax);
    assert.deepEqual(Object.fromEntries(Object.entries(tax).map(([s, v]) => [s, v.toFixed(2)])), seed.chargedTax);
    assert.ok(
      lines
        .filter((l) => l.shipToState === 'TX' && l.occurredAt >= new Date('2026-10-12'))
        .every((l) => l.fulfilledBy === 'fbt'),
    );
    assert.deepEqual(await repo.coverage(h.shop.shopId), [
      { source: 'tiktok_finance', from: '2026-10-01', to: '2026-10-31' },
    ]);

    const fbt = await activities.syncFbtInventory({ shopId: h.shop.shopId });
    assert.deepEqual(fbt, { warehouses: 1, records: 2, presences: 1 });
    const presence = await repo.presence(h.shop.shopId, '2026-10-01', '2026-10-31');
    assert.deepEqual(
      presence.map((p) => [p.state, p.locationId, p.locationKind, p.fromDay, p.toDay, p.units]),
      [['TX', seed.fbt.warehouseId, 'fbt', seed.fbt.arrivalDay, null, 500]],
    );
  });

  void test('bulk_orders adds two-line orders over the month, counted in the answer (the import benchmark volume)', async () => {
    const plain = await h.admin<TaxSeedAnswer>('/tax/seed', { shop_id: h.shop.shopId, month: '2026-07' });
    const bulk = await h.admin<TaxSeedAnswer>('/tax/seed', {
      shop_id: h.shop.shopId,
      month: '2026-08',
      bulk_orders: 10,
    });
    assert.deepEqual([bulk.orders - plain.orders, bulk.saleLines - plain.saleLines], [10, 20]);
    // Round-robin CA, TX, NY, FL, WA: CA gets orders 0 and 5, two units at 20.00 and at 25.00.
    assert.equal((Number(bulk.expectedGross.CA) - Number(plain.expectedGross.CA)).toFixed(2), '90.00');
    await assert.rejects(
      h.admin('/tax/seed', { shop_id: h.shop.shopId, month: '2026-06', bulk_orders: -1 }),
      /HTTP 400/,
    );
  });
});
