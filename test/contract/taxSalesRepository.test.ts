// The tax-data tables (migration 031, db/taxSales.ts): upserts keyed by (shop, source, order, line, kind) never copy
// a line; keyset pages by id cover a time range exactly once; the daily aggregate buckets days in the asked time zone
// and nets refunds; presence overlaps; coverage merges adjacent ranges.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTaxSalesRepository, mergeDayRanges, type TaxSalesLineInput } from '../../db/taxSales';
import { testDatabase, type TestDatabase } from '../helpers/database';

function line(orderId: string, over: Partial<TaxSalesLineInput> = {}): TaxSalesLineInput {
  return {
    shopId: 'S1',
    channel: 'tiktok',
    source: 'tiktok_finance',
    orderId,
    lineId: `${orderId}-1`,
    kind: 'sale',
    occurredAt: '2026-10-15T12:00:00Z',
    shipToState: 'tx',
    shipToZip: '75001',
    quantity: 2,
    gross: '20.00',
    sellerDiscount: '1.00',
    platformDiscount: '2.00',
    shipping: '5.00',
    itemTax: '1.40',
    shippingTax: '0.10',
    collectedBy: 'tiktok',
    fulfilledBy: 'fbt',
    currency: 'USD',
    ...over,
  };
}

void describe('db/taxSales', () => {
  let t: TestDatabase;
  before(async () => {
    t = await testDatabase();
  });
  after(async () => {
    await t.drop();
  });

  void test('upsert replaces by key; pages by id; daily totals per state, day and collector', async () => {
    const repo = createTaxSalesRepository(t.db);
    const rows = [
      line('O1'),
      line('O2', { occurredAt: '2026-10-16T03:00:00Z' }), // 2026-10-15 in Chicago
      line('O3', {
        shipToState: 'CA',
        shipToZip: '90001',
        collectedBy: 'seller',
        channel: 'shopify',
        source: 'import',
      }),
      line('O0', { occurredAt: '2026-09-30T12:00:00Z' }),
      line('O0', {
        kind: 'refund',
        occurredAt: '2026-10-20T12:00:00Z',
        gross: '-20.00',
        sellerDiscount: '-1.00',
        platformDiscount: '-2.00',
        shipping: '0',
        itemTax: '-1.40',
        shippingTax: '0',
        refundOfLineId: 'O0-1',
      }),
    ];
    assert.deepEqual(await repo.upsertLines(rows), { written: 5 });
    await repo.upsertLines([line('O1', { gross: '30.00' })]);
    const count = await t.db('tax_sales_lines').count<{ count: string }[]>('* as count');
    assert.equal(Number(count[0]?.count), 5);

    const from = '2026-10-01T00:00:00Z';
    const to = '2026-11-01T00:00:00Z';
    const seen: string[] = [];
    let after: bigint | undefined;
    for (;;) {
      const page = await repo.linesPage('S1', { from, to, after, limit: 2 });
      seen.push(...page.lines.map((l) => `${l.orderId}:${l.kind}`));
      if (!page.next) break;
      after = page.next;
    }
    assert.deepEqual(seen.sort(), ['O0:refund', 'O1:sale', 'O2:sale', 'O3:sale']);
    const first = await repo.linesPage('S1', { from, to, limit: 10 });
    const o1 = first.lines.find((l) => l.orderId === 'O1');
    assert.equal(o1?.gross, '30.00');
    assert.equal(o1?.shipToState, 'TX');
    assert.equal(typeof o1?.id, 'bigint');

    const utc = await repo.dailyTotals('S1', from, to);
    assert.deepEqual(
      utc.map((d) => [d.state, d.day, d.collectedBy, d.gross, d.net, d.tax, d.transactions]),
      [
        ['CA', '2026-10-15', 'seller', '20.00', '17.00', '1.50', 1],
        ['TX', '2026-10-15', 'tiktok', '30.00', '27.00', '1.50', 1],
        ['TX', '2026-10-16', 'tiktok', '20.00', '17.00', '1.50', 1],
        ['TX', '2026-10-20', 'tiktok', '-20.00', '-17.00', '-1.40', 0],
      ],
    );
    const chicago = await repo.dailyTotals('S1', from, to, { timeZone: 'America/Chicago' });
    const tx15 = chicago.find((d) => d.state === 'TX' && d.day === '2026-10-15');
    assert.equal(tx15?.gross, '50.00');
    assert.equal(tx15?.transactions, 2);
  });

  void test('presence overlaps a range; replace is per source; coverage merges adjacent ranges', async () => {
    const repo = createTaxSalesRepository(t.db);
    await repo.replacePresence('S1', 'tiktok_fbt', [
      { state: 'TX', locationId: 'W1', locationKind: 'fbt', fromDay: '2026-10-14', toDay: null, units: 40 },
      { state: 'CA', locationId: 'W2', locationKind: 'fbt', fromDay: '2026-01-01', toDay: '2026-03-31', units: 5 },
    ]);
    await repo.replacePresence('S1', 'import', [
      { state: 'NV', locationId: '3PL-1', locationKind: '3pl', fromDay: '2026-09-01', toDay: '2026-10-02', units: 9 },
    ]);
    const oct = await repo.presence('S1', '2026-10-01', '2026-10-31');
    assert.deepEqual(
      oct.map((p) => [p.state, p.locationId, p.fromDay, p.toDay, p.units, p.source]),
      [
        ['NV', '3PL-1', '2026-09-01', '2026-10-02', 9, 'import'],
        ['TX', 'W1', '2026-10-14', null, 40, 'tiktok_fbt'],
      ],
    );
    await repo.replacePresence('S1', 'tiktok_fbt', []);
    assert.equal((await repo.presence('S1', '2026-01-01', '2026-12-31')).length, 1);

    await repo.recordCoverage('S1', 'tiktok_finance', '2026-10-01', '2026-10-31');
    await repo.recordCoverage('S1', 'tiktok_finance', '2026-09-01', '2026-09-30');
    await repo.recordCoverage('S1', 'tiktok_finance', '2026-09-01', '2026-09-30');
    await repo.recordCoverage('S1', 'tiktok_finance', '2026-06-01', '2026-06-30');
    await repo.recordCoverage('S1', 'import', '2026-01-01', '2026-01-31');
    assert.deepEqual(await repo.coverage('S1'), [
      { source: 'import', from: '2026-01-01', to: '2026-01-31' },
      { source: 'tiktok_finance', from: '2026-06-01', to: '2026-06-30' },
      { source: 'tiktok_finance', from: '2026-09-01', to: '2026-10-31' },
    ]);
  });

  void test('mergeDayRanges joins overlapping and adjacent ranges only', () => {
    assert.deepEqual(
      mergeDayRanges([
        { from: '2026-02-01', to: '2026-02-28' },
        { from: '2026-01-01', to: '2026-01-31' },
        { from: '2026-03-02', to: '2026-03-05' },
      ]),
      [
        { from: '2026-01-01', to: '2026-02-28' },
        { from: '2026-03-02', to: '2026-03-05' },
      ],
    );
  });
});
