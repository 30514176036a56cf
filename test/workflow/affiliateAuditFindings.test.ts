// The affiliate audit's findings as SQL over a period's rows (PostgreSQL): each kind on lines built for it, the
// lines next to them that must not be flagged, page boundaries that cut nothing, and a re-run that gives the same ids.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAffiliateFindingsRepository, type AuditScope } from '../../db/affiliateFindings';
import { testDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

const shopId = 'shop-f';
const scope: AuditScope = {
  shopId,
  periodKey: '2026-11',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
};
const targets = { maxReturnToOriginRate: 0.25, minGmvPerView: 0.02, minOrders: 2 };

interface Line {
  order: string;
  no?: number;
  at?: string;
  product?: string;
  qty?: number;
  price?: string;
  creator?: string;
  open?: string;
  target?: string;
  rate?: number;
  adsRate?: number;
  base?: string;
  paid?: string;
  ads?: string;
  refunded?: number;
  returned?: number;
}

async function lines(list: Line[]) {
  await database.db('affiliate_order_lines').insert(
    list.map((l) => ({
      shop_id: shopId,
      order_id: l.order,
      line_no: l.no ?? 0,
      order_status: 'COMPLETED',
      order_create_time: l.at ?? '2026-11-10T12:00:00Z',
      product_id: l.product ?? 'P1',
      quantity: l.qty ?? 1,
      price_amount: l.price ?? '100.00',
      currency: 'USD',
      open_collaboration_id: l.open ?? null,
      target_collaboration_id: l.target ?? null,
      creator_username: l.creator ?? 'alice',
      content_type: 'VIDEO',
      commission_rate: l.rate ?? 1000,
      shop_ads_commission_rate: l.adsRate ?? null,
      estimated_commission_base: l.base ?? '100.00',
      estimated_paid_commission: l.paid ?? '10.00',
      estimated_paid_shop_ads_commission: l.ads ?? null,
      actual_commission_base: l.base ?? '100.00',
      actual_paid_commission: l.paid ?? '10.00',
      actual_paid_shop_ads_commission: l.ads ?? null,
      refunded_quantity: l.refunded ?? 0,
      returned_quantity: l.returned ?? 0,
    })),
  );
}

async function audit() {
  const repo = createAffiliateFindingsRepository(database.db);
  await repo.beginAudit(scope, 'wf');
  let cursor;
  let seen = 0;
  for (;;) {
    const page = await repo.findLinePage(scope, cursor, 2);
    if (!page.next) break;
    seen += page.lines;
    cursor = page.next;
  }
  let afterCreator = '';
  for (;;) {
    const page = await repo.findCreatorPage(scope, targets, afterCreator, 1);
    if (page.next === undefined) break;
    afterCreator = page.next;
  }
  const rows = await repo.list({ shopId, periodKey: scope.periodKey, limit: 500 });
  return {
    seen,
    rows,
    found: rows.map((r) => `${r.kind} ${r.order_id ?? r.creator_username} ${r.money_at_stake}`).sort(),
  };
}

test('each finding kind on its lines, nothing on the clean ones; the same ids on a re-run', async () => {
  await lines([
    // Clean lines of alice (open collaboration OC1 at 10%).
    { order: 'O1', open: 'OC1' },
    { order: 'O2', open: 'OC1', at: '2026-11-11T00:00:00.123456Z' },
    { order: 'O2b', open: 'OC1', at: '2026-11-11T00:00:00.123456Z' },
    // One line credited to two creators (the same product twice in skus[]).
    { order: 'O3', no: 0, creator: 'alice', open: 'OC1' },
    { order: 'O3', no: 1, creator: 'bob', paid: '8.00' },
    // Affiliate and Shop Ads commission on one line.
    { order: 'O4', creator: 'bob', adsRate: 500, ads: '5.00' },
    // Two units, one refunded, the actual base and commission on both; and one handled right (clean).
    { order: 'O5', creator: 'bob', qty: 2, base: '200.00', paid: '20.00', refunded: 1 },
    { order: 'O6', creator: 'bob', qty: 2, base: '100.00', paid: '10.00', returned: 1 },
    // Rate cut from 10% to 5% on Nov 5 for OC2: an order on Nov 20 still owes 10%; one in Dec (outside) is not seen.
    { order: 'O7', creator: 'carol', open: 'OC2', rate: 500, paid: '5.00', at: '2026-11-20T08:00:00Z' },
    { order: 'O8', creator: 'carol', open: 'OC2', rate: 500, paid: '5.00', at: '2026-12-20T08:00:00Z' },
  ]);
  await database.db('affiliate_rate_snapshots').insert(
    ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-20'].map((d, i) => ({
      shop_id: shopId,
      kind: 'open',
      collaboration_id: 'OC2',
      product_id: 'P1',
      snapshot_date: d,
      commission_rate: i < 4 ? 1000 : 500,
    })),
  );
  // carol's GMV per view is below the target (GPM 10 → 0.01 per view); alice's and bob's above.
  await database
    .db('affiliate_creators')
    .insert(['alice', 'bob', 'carol'].map((u) => ({ shop_id: shopId, creator_open_id: `open-${u}`, username: u })));
  await database.db('affiliate_creator_performance').insert(
    [
      ['alice', '50.00'],
      ['bob', '30.00'],
      ['carol', '10.00'],
    ].map(([u, gpm]) => ({ shop_id: shopId, creator_open_id: `open-${u}`, as_of_date: '2026-11-30', gpm })),
  );

  const first = await audit();
  assert.equal(first.seen, 9, 'every line of the period, none of December (pages cut between microseconds)');
  assert.deepEqual(first.found, [
    'creator_gmv_per_view carol 5.00',
    'double_attribution O4 5.00',
    'double_credit O3 8.00',
    'early_rate_cut O7 5.00',
    'refunded_units O5 10.00',
  ]);
  const credit = first.rows.find((r) => r.kind === 'double_credit')!;
  assert.deepEqual(credit.source_line_ids, ['O3:0', 'O3:1']);
  assert.deepEqual((credit.detail as { creators: string[] }).creators.sort(), ['alice', 'bob']);
  const cut = first.rows.find((r) => r.kind === 'early_rate_cut')!;
  assert.deepEqual(cut.detail, { rateApplied: 500, rateOwed: 1000, collaborationKind: 'open' });

  const again = await audit();
  assert.deepEqual(
    again.rows.map((r) => r.id).sort(),
    first.rows.map((r) => r.id).sort(),
    'a re-run gives the same finding ids',
  );
  const vetting = await database.db('affiliate_creator_vetting').where({ shop_id: shopId }).orderBy('creator_username');
  assert.deepEqual(
    vetting.map((v) => [v.creator_username, v.passes, v.gpv_fail]),
    [
      ['alice', false, false],
      ['bob', false, false],
      ['carol', false, true],
    ],
    'no carrier or shipment records here: nobody is judged on return-to-origin, so nobody passes',
  );
});
