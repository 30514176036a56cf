// Both tax engines end to end from an approved report (issue 20): two shops with the same month of sales — the
// seller's own channel's sales in Texas and California (seller-owed) and a TikTok order (TikTok-facilitated) — one
// shop on AvaTax, the other on TaxJar. Each month is computed by the real report activities, approved through the
// human-step route and committed through the official SDK to its engine's emulator (started with the stack): every
// seller-owed transaction committed once, the TikTok order never. The TikTok sync is a stand-in (the lines are
// already stored, as the import route would store them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createShopRepository } from '../../db/shops';
import { createTaxSalesRepository, type TaxSalesLineInput } from '../../db/taxSales';
import { addMonths } from '../../workflows/monthlyTaxReport/period';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

describe('monthly tax report committed to AvaTax and to TaxJar', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const month = addMonths(new Date().toISOString().slice(0, 7), -1);

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(
      env,
      {},
      {
        activities: {
          syncTaxFinance: () => Promise.resolve({ statements: 0, transactions: 0, unsettled: 0 }),
          syncFbtInventory: () => Promise.resolve({ warehouses: 0, records: 0, presences: 0 }),
        },
      },
    );
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  function linesOf(shopId: string): TaxSalesLineInput[] {
    const base = {
      shopId,
      quantity: 1,
      sellerDiscount: '0.00',
      platformDiscount: '0.00',
      shipping: '0.00',
      shippingTax: '0.00',
      fulfilledBy: 'seller' as const,
      currency: 'USD',
    };
    const own = { ...base, channel: 'shopify', source: 'import' as const, collectedBy: 'seller' as const };
    return [
      {
        ...own,
        orderId: 'S-1',
        lineId: '1',
        kind: 'sale',
        occurredAt: `${month}-03T15:00:00Z`,
        shipToState: 'TX',
        shipToZip: '78701',
        gross: '100.00',
        itemTax: '8.25',
      },
      {
        ...own,
        orderId: 'S-1',
        lineId: '2',
        kind: 'sale',
        occurredAt: `${month}-03T15:00:00Z`,
        shipToState: 'TX',
        shipToZip: '78701',
        gross: '20.00',
        itemTax: '1.65',
      },
      {
        ...own,
        orderId: 'S-2',
        lineId: '1',
        kind: 'sale',
        occurredAt: `${month}-10T18:00:00Z`,
        shipToState: 'CA',
        shipToZip: '90012',
        gross: '50.00',
        itemTax: '4.75',
      },
      {
        ...base,
        channel: 'tiktok',
        source: 'tiktok_finance',
        collectedBy: 'tiktok',
        orderId: 'T-1',
        lineId: '1',
        kind: 'sale',
        occurredAt: `${month}-12T18:00:00Z`,
        shipToState: 'TX',
        shipToZip: '78701',
        gross: '40.00',
        itemTax: '3.30',
      },
    ];
  }

  async function reportOn(engine: 'avatax' | 'taxjar') {
    const shopId = uniqueId(engine);
    await createShopRepository(stack.database.db).record({
      shopId,
      region: 'US',
      displayName: engine,
      workflowId: `shop:${shopId}`,
    });
    await createTaxSalesRepository(stack.database.db).upsertLines(linesOf(shopId));
    const patched = await stack.call('PATCH', `/v1/shops/${shopId}/settings`, { tax: { engine, timeZone: 'UTC' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    const started = await stack.call('POST', `/v1/shops/${shopId}/tax/reports`, { period: month });
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const view = await until(
      `the ${engine} shop's report waiting for approval`,
      async () => {
        const r = await stack.call('GET', `/v1/shops/${shopId}/tax/reports/${month}`);
        return r.json?.stage === 'awaiting_approval' ? r.json : undefined;
      },
      120_000,
    );
    assert.equal(view.summary.sellerOwedTransactions, 2, 'two orders of the seller, the TikTok order not');
    const steps = await stack.call('GET', `/v1/human-steps?shopId=${shopId}&caseKind=tax_report&open=true`);
    const approve = steps.json.steps.find((s: { updateName: string }) => s.updateName === 'approveTaxReport');
    const decided = await stack.call('POST', `/v1/human-steps/${approve.id}/decision`, { hash: view.summary.hash });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    const done = await until(
      `the ${engine} shop's report committed`,
      async () => {
        const r = await stack.call('GET', `/v1/shops/${shopId}/tax/reports/${month}`);
        assert.notEqual(r.json.stage, 'commit_failed', JSON.stringify(r.json.commit));
        return r.json.stage === 'committed' ? r.json : undefined;
      },
      120_000,
    );
    const ledger = await stack.database
      .db('tax_engine_commits')
      .where({ shop_id: shopId, period: month })
      .orderBy('order_id')
      .select('engine', 'order_id', 'status', 'engine_tax');
    return { shopId, done, ledger };
  }

  for (const engine of ['avatax', 'taxjar'] as const) {
    test(`${engine}: the approved month's seller-owed transactions committed once, the TikTok order never`, async () => {
      const { shopId, done, ledger } = await reportOn(engine);
      assert.equal(done.commit.engine, engine);
      assert.equal(done.commit.staged, 2);
      assert.equal(done.commit.created + done.commit.replaced, 2);
      assert.equal(done.commit.rejected, 0);
      assert.deepEqual(
        ledger.map((r: { engine: string; order_id: string; status: string }) => [r.engine, r.order_id, r.status]),
        [
          [engine, 'S-1', 'committed'],
          [engine, 'S-2', 'committed'],
        ],
      );
      // The engine computed its own tax on each (the emulators' rate table): recorded beside what was collected.
      for (const r of ledger) assert.ok(Number(r.engine_tax) > 0, JSON.stringify(r));

      // A month whose workflow is gone (past retention) is answered from its stored row: the same report moved to a
      // month no workflow ever ran for.
      const past = `${Number(month.slice(0, 4)) - 3}${month.slice(4)}`;
      await stack.database.db('tax_reports').where({ shop_id: shopId, period: month }).update({ period: past });
      const stored = await stack.call('GET', `/v1/shops/${shopId}/tax/reports/${past}`);
      assert.equal(stored.status, 200, JSON.stringify(stored.json));
      assert.deepEqual(
        [stored.json.source, stored.json.stage, stored.json.summary.hash, stored.json.summary.sellerOwedTransactions],
        ['stored', 'committed', done.summary.hash, 2],
      );
      const csv = await fetch(`${stack.baseUrl}${stored.json.downloads.csv}`, {
        headers: { authorization: `Bearer ${stack.adminKey}` },
      });
      assert.equal(csv.status, 200);
      assert.ok((await csv.text()).length > 0);
      const never = `${Number(month.slice(0, 4)) - 4}${month.slice(4)}`;
      assert.equal((await stack.call('GET', `/v1/shops/${shopId}/tax/reports/${never}`)).status, 404);
    });
  }
});
