// Contract: the affiliate sync (activities/affiliateSync) from the emulator into PostgreSQL (db/affiliate.ts).
// A re-run writes nothing new; the rate snapshots keep the old rate from the day before a cut and the new one after
// it (the API gives current rates only); order lines created after the cut arrive on the next sync; creators on
// order lines are resolved through the marketplace and get a performance row per day.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAffiliateSyncActivities } from '../../activities/affiliateSync';
import { createAffiliateRepository } from '../../db/affiliate';
import type { AffiliateSeedResult } from '../../emulators/tiktok-shop/affiliateSeed';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { DAY, advanceClock, startHarness, type Harness } from './harness';

void describe('affiliate sync into PostgreSQL', () => {
  let h: Harness;
  let database: TestDatabase;
  let seed: AffiliateSeedResult;
  let businessNow = 0;
  let sync: ReturnType<typeof createAffiliateSyncActivities>;
  let repo: ReturnType<typeof createAffiliateRepository>;
  const window = () => ({
    shopId: h.shop.shopId,
    from: new Date(Date.parse(seed.seededAt) - 30 * DAY).toISOString(),
    to: new Date(Date.parse(seed.seededAt) + 30 * DAY).toISOString(),
  });
  const readClock = async () => {
    businessNow = (await h.admin<{ now_ms: number }>('/clock')).now_ms;
  };

  before(async () => {
    h = await startHarness();
    database = await testDatabase();
    seed = await h.admin<AffiliateSeedResult>('/affiliate/seed', { shop_id: h.shop.shopId, extra_orders: 150 });
    await readClock();
    repo = createAffiliateRepository(database.db);
    sync = createAffiliateSyncActivities({
      db: database.db,
      tiktok: { client: h.client },
      tokens: { shopRef: () => Promise.resolve(h.shop) },
      now: () => new Date(businessNow),
    });
  });
  after(async () => {
    await database?.drop();
    await h?.close();
  });

  void test('first sync: every visible line, collaborations with today’s rates, creators and performance', async () => {
    const orders = await sync.syncAffiliateOrders(window());
    const visible = seed.lineCount - 3; // the lamp lines after the rate cut are in the future
    assert.deepEqual(
      { lines: orders.lines, inserted: orders.inserted, updated: orders.updated, pages: orders.pages },
      { lines: visible, inserted: visible, updated: 0, pages: Math.ceil((seed.orderCount - 3) / 100) },
    );
    assert.equal(await repo.countOrderLines(h.shop.shopId), visible);

    const collabs = await sync.syncAffiliateCollaborations({ shopId: h.shop.shopId });
    assert.deepEqual(
      { open: collabs.open, target: collabs.target, inserted: collabs.inserted, snapshots: collabs.snapshots },
      { open: 2, target: 2, inserted: 4, snapshots: 4 },
    );
    const creators = await sync.syncAffiliateCreators({ shopId: h.shop.shopId });
    assert.equal(creators.unresolved, 0);
    assert.equal(creators.performance, 6);
    const perf = await repo.latestCreatorPerformance(h.shop.shopId);
    const dan = seed.creators.find((c) => c.username === 'dan.daily')!.openId;
    assert.equal(perf.find((p) => p.creator_open_id === dan)?.gpm, '0.44');
    const lines = await repo.orderLinesPage({
      shopId: h.shop.shopId,
      from: new Date(0),
      to: new Date(businessNow + 60 * DAY),
      limit: 10_000,
    });
    const double = seed.planted.find((p) => p.kind === 'double_attribution')!;
    assert.deepEqual(
      lines.filter((l) => l.order_id === double.orderId).map((l) => [l.line_no, l.creator_username]),
      [
        [0, 'ava.reviews'],
        [1, 'ben.unboxes'],
      ],
    );
    const ads = lines.filter((l) => l.shop_ads_commission_rate !== null);
    assert.deepEqual(
      ads.map((l) => [l.commission_rate, l.shop_ads_commission_rate, l.actual_paid_shop_ads_commission]),
      [
        [1800, 1000, '3.00'],
        [1800, 1000, '3.00'],
      ],
    );
  });

  void test('a re-run the same day writes no line, creator or snapshot row again', async () => {
    const snapshotsBefore = await repo.rateSnapshots(h.shop.shopId);
    const orders = await sync.syncAffiliateOrders(window());
    assert.deepEqual([orders.inserted, orders.updated], [0, 0]);
    const collabs = await sync.syncAffiliateCollaborations({ shopId: h.shop.shopId });
    assert.equal(collabs.inserted, 0);
    const creators = await sync.syncAffiliateCreators({ shopId: h.shop.shopId });
    assert.deepEqual([creators.inserted, creators.updated], [0, 0]);
    const snapshotsAfter = await repo.rateSnapshots(h.shop.shopId);
    assert.deepEqual(
      snapshotsAfter.map((s) => [s.collaboration_id, s.snapshot_date, s.commission_rate]),
      snapshotsBefore.map((s) => [s.collaboration_id, s.snapshot_date, s.commission_rate]),
    );
  });

  void test('after the rate cut: the lamp’s snapshots hold 20% then 10%, and the lines after the cut arrive', async () => {
    await advanceClock(h, 3 * DAY);
    await readClock();
    await sync.syncAffiliateCollaborations({ shopId: h.shop.shopId });
    const orders = await sync.syncAffiliateOrders(window());
    assert.deepEqual([orders.inserted, orders.updated], [3, 0]);
    const lamp = await repo.rateSnapshots(h.shop.shopId, { productId: seed.products.lamp! });
    assert.deepEqual(
      lamp.map((s) => [s.snapshot_date, s.commission_rate]),
      [
        [new Date(Date.parse(seed.seededAt)).toISOString().slice(0, 10), 2000],
        [new Date(businessNow).toISOString().slice(0, 10), 1000],
      ],
    );
    const lowered = seed.planted.filter((p) => p.kind === 'lowered_rate_before_30_days');
    const lines = await repo.orderLinesPage({
      shopId: h.shop.shopId,
      from: new Date(Date.parse(seed.seededAt)),
      to: new Date(businessNow),
      limit: 100,
    });
    assert.deepEqual(
      lines.filter((l) => l.commission_rate === 1000).map((l) => l.order_id),
      lowered.map((p) => p.orderId),
    );
  });

  void test('creators’ videos: views and GMV per creator for the period, a re-run writes nothing', async () => {
    const period = {
      shopId: h.shop.shopId,
      startDate: new Date(Date.parse(seed.seededAt) - 30 * DAY).toISOString().slice(0, 10),
      endDate: new Date(Date.parse(seed.seededAt)).toISOString().slice(0, 10),
    };
    const first = await sync.syncAffiliateVideos(period);
    assert.deepEqual([first.videos, first.inserted, first.updated], [12, 12, 0]);
    const again = await sync.syncAffiliateVideos(period);
    assert.deepEqual([again.videos, again.inserted, again.updated], [12, 0, 0]);
    const totals = await repo.creatorVideoTotals(h.shop.shopId, { start: period.startDate, end: period.endDate });
    assert.deepEqual(
      totals.find((t) => t.username === 'dan.daily'),
      { username: 'dan.daily', videos: 2, views: '1250000', gmv: '300.00' },
    );
    assert.equal(totals.length, 6);
  });
});
