// The affiliate tables (migration 026, db/affiliate.ts): order lines keyed by their position in skus[] survive a
// product credited twice in one order; upserts count inserts and real changes only (a re-run writes nothing);
// rate snapshots are one row per collaboration × product × UTC day; target creators no longer listed are removed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAffiliateRepository, type AffiliateOrderLineRecord } from '../../db/affiliate';
import { testDatabase, type TestDatabase } from '../helpers/database';

function line(orderId: string, lineNo: number, over: Partial<AffiliateOrderLineRecord> = {}): AffiliateOrderLineRecord {
  return {
    order_id: orderId,
    line_no: lineNo,
    order_status: 'COMPLETED',
    order_create_time: new Date('2026-11-02T10:00:00Z'),
    delivery_time: null,
    product_id: 'P1',
    quantity: 2,
    price_amount: '10.00',
    currency: 'USD',
    open_collaboration_id: 'OC1',
    target_collaboration_id: null,
    campaign_id: null,
    creator_username: 'alice',
    content_type: 'VIDEO',
    content_id: 'V1',
    commission_model: 'FIXED',
    commission_tier_setting: null,
    commission_rate: 1500,
    shop_ads_commission_rate: null,
    estimated_commission_base: '20.00',
    estimated_paid_commission: '3.00',
    estimated_paid_shop_ads_commission: null,
    actual_commission_base: '20.00',
    actual_paid_commission: '3.00',
    actual_paid_shop_ads_commission: null,
    estimated_cofunded_creator_bonus: null,
    actual_cofunded_creator_bonus: null,
    refunded_quantity: 0,
    returned_quantity: 0,
    ...over,
  };
}

void describe('affiliate repository', () => {
  let database: TestDatabase;
  let repo: ReturnType<typeof createAffiliateRepository>;
  before(async () => {
    database = await testDatabase();
    repo = createAffiliateRepository(database.db);
  });
  after(async () => {
    await database?.drop();
  });

  test('order lines: two creators on one product are two rows; a re-run changes nothing; a refund updates', async () => {
    const lines = [line('O1', 0), line('O1', 1, { creator_username: 'bob', target_collaboration_id: 'TC1' })];
    assert.deepEqual(await repo.upsertOrderLines('s1', lines), { inserted: 2, updated: 0 });
    assert.deepEqual(await repo.upsertOrderLines('s1', lines), { inserted: 0, updated: 0 });
    const refunded = line('O1', 0, { refunded_quantity: 1, actual_commission_base: '10.00' });
    assert.deepEqual(await repo.upsertOrderLines('s1', [refunded]), { inserted: 0, updated: 1 });
    const page = await repo.orderLinesPage({
      shopId: 's1',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
      limit: 1,
    });
    assert.equal(page.length, 1);
    assert.equal(page[0]!.refunded_quantity, 1);
    assert.equal(page[0]!.actual_commission_base, '10.00');
    const next = await repo.orderLinesPage({
      shopId: 's1',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
      after: { createTime: page[0]!.order_create_time, orderId: 'O1', lineNo: 0 },
      limit: 10,
    });
    assert.deepEqual(
      next.map((l) => [l.line_no, l.creator_username]),
      [[1, 'bob']],
    );
    assert.equal(await repo.countOrderLines('s2'), 0);
  });

  test('collaborations: daily rate snapshots and target creators', async () => {
    const day1 = new Date('2026-11-01T08:00:00Z');
    const later1 = new Date('2026-11-01T20:00:00Z');
    const day2 = new Date('2026-11-02T08:00:00Z');
    const target = (rate: number, creators: string[]) => ({
      kind: 'target' as const,
      collaborationId: 'TC1',
      name: 'Plan',
      products: [{ productId: 'P1', commissionRate: rate, shopAdsCommissionRate: 500 }],
      creatorOpenIds: creators,
    });
    assert.deepEqual(await repo.upsertCollaborations('s1', [target(2000, ['c1', 'c2'])], day1), {
      inserted: 1,
      updated: 0,
    });
    await repo.upsertCollaborations('s1', [target(1800, ['c1', 'c2'])], later1);
    await repo.upsertCollaborations('s1', [target(1000, ['c1'])], day2);
    const snaps = await repo.rateSnapshots('s1');
    assert.deepEqual(
      snaps.map((s) => [s.snapshot_date, s.commission_rate, s.shop_ads_commission_rate]),
      [
        ['2026-11-01', 1800, 500],
        ['2026-11-02', 1000, 500],
      ],
    );
    const creators = await repo.collaborationCreators('s1', 'target', 'TC1');
    assert.deepEqual(
      creators.map((c) => [c.creator_open_id, c.status]),
      [
        ['c1', 'active'],
        ['c2', 'removed'],
      ],
    );
    assert.equal(await repo.markCollaborationsGone('s1', 'target', [], day2), 1);
    assert.ok((await repo.collaborations('s1', 'target'))[0]!.gone_at);
    await repo.upsertCollaborations('s1', [target(1000, ['c1'])], day2);
    assert.equal((await repo.collaborations('s1', 'target'))[0]!.gone_at, null);
  });

  test('creators and their newest performance row', async () => {
    const at = new Date('2026-11-03T09:00:00Z');
    const creator = {
      creator_open_id: 'c1',
      username: 'alice',
      nickname: 'A',
      follower_count: 10,
      selection_region: 'US',
    };
    assert.deepEqual(await repo.upsertCreators('s1', [creator], at), { inserted: 1, updated: 0 });
    const perf = {
      currency: 'USD',
      gmv: '1000.00',
      video_gmv: '800.00',
      live_gmv: '200.00',
      gpm: '2.50',
      video_gpm: '3.00',
      units_sold: 50,
      ec_video_count: 4,
      avg_ec_video_play_count: 100000,
      avg_commission_rate: 1200,
      follower_count: 10,
    };
    await repo.upsertCreatorPerformance('s1', 'c1', perf, new Date('2026-11-02T09:00:00Z'));
    await repo.upsertCreatorPerformance('s1', 'c1', { ...perf, gpm: '2.00' }, at);
    const latest = await repo.latestCreatorPerformance('s1');
    assert.deepEqual(
      latest.map((p) => [p.creator_open_id, p.as_of_date, p.gpm, p.avg_ec_video_play_count]),
      [['c1', '2026-11-03', '2.00', '100000']],
    );
    assert.equal((await repo.latestCreatorPerformance('s1', '2026-11-02'))[0]!.gpm, '2.50');
  });
});
