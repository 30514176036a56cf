// Issue 17 items 2–4 and 7: each metric against a hand-computed fixture seeded in a test database (windows and their
// boundaries, FBT, TikTok Shipping and creator-sample exclusions, who caused a cancellation), violations and their
// expiry, daily snapshots, the dirty marker and the hook the order's activities call once per clean→dirty move.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { computeAccountHealth, InvalidViolationError, recordHealthViolation } from '../../accountHealth';
import { createHealthMarks } from '../../activities/orderAcknowledgment/healthFacts';
import { createAccountHealthRepository, type OrderHealthFacts } from '../../db/accountHealth';
import { createOrderRepository } from '../../db/orders';
import { createShopRepository } from '../../db/shops';
import type { TikTokOrder } from '../../integrations/tiktok/orders';
import type { TikTokWebhookEvent } from '../../integrations/tiktok/webhooks';
import { WEBHOOK_ROUTES } from '../../webhooks/routes';
import type { Client } from '@temporalio/client';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { uniqueId } from '../helpers/temporal';

const asOf = new Date('2026-06-15T12:00:00.000Z');
const t = (iso: string) => new Date(iso);

describe('account health metrics from our records', () => {
  let database: TestDatabase;
  const shopId = uniqueId('health');
  const thShop = uniqueId('health-th');

  before(async () => {
    database = await testDatabase();
    const db = database.db;
    const shops = createShopRepository(db);
    await shops.record({ shopId, region: 'US', displayName: 'Health US', workflowId: `shop:${shopId}` });
    await shops.record({ shopId: thShop, region: 'TH', displayName: 'Health TH', workflowId: `shop:${thShop}` });
    const orders = createOrderRepository(db);
    const health = createAccountHealthRepository(db);
    const dispatched = (orderId: string, at: string, onTime: boolean) =>
      orders.recordDispatchEvent({
        dedupKey: `${shopId}:${orderId}:dispatched`,
        shopId,
        orderId,
        kind: 'dispatched',
        occurredAt: t(at),
        onTime,
        detail: {},
      });
    const scans = async (orderId: string, ...at: string[]) => {
      for (const a of at)
        await orders.recordDispatchEvent({
          dedupKey: `${shopId}:${orderId}:tracking:${a}`,
          shopId,
          orderId,
          kind: 'tracking',
          occurredAt: t(a),
          detail: {},
        });
    };
    const facts = (orderId: string, f: Partial<OrderHealthFacts>) =>
      health.recordOrderFacts({
        shopId,
        orderId,
        status: 'IN_TRANSIT',
        paidAt: null,
        fulfilledByTikTok: false,
        tiktokShipping: false,
        creatorSample: false,
        collectedAt: null,
        deliverBy: null,
        deliveredAt: null,
        cancelledAt: null,
        cancelInitiator: null,
        cancelReason: null,
        ...f,
      });

    // Seller-fulfilled dispatches. LDR window: 7 days back from asOf (2026-06-08T12:00Z, inclusive); VTR: 21 days.
    await dispatched('d1', '2026-06-14T10:00:00Z', true);
    await scans('d1', '2026-06-14T11:00:00Z', '2026-06-14T15:00:00Z');
    await dispatched('d2', '2026-06-13T10:00:00Z', false);
    await scans('d2', '2026-06-13T11:00:00Z');
    await dispatched('d3', '2026-06-09T10:00:00Z', false);
    await scans('d3', '2026-06-09T11:00:00Z', '2026-06-10T11:00:00Z', '2026-06-11T11:00:00Z');
    await dispatched('d4', '2026-06-08T11:59:59Z', false); // one second before the LDR window: VTR only
    await dispatched('d5', '2026-06-08T12:00:00Z', true); // the first instant of the LDR window
    await scans('d5', '2026-06-08T13:00:00Z');
    await dispatched('d7', '2026-05-20T10:00:00Z', false); // before both windows
    // Past the deadline without a scan: p1 pending; d2 was late and then scanned; p2 was cancelled.
    const late = (orderId: string, at: string) =>
      orders.recordDispatchEvent({
        dedupKey: `${shopId}:${orderId}:late`,
        shopId,
        orderId,
        kind: 'late',
        occurredAt: t(at),
        detail: {},
      });
    await late('p1', '2026-06-14T07:00:00Z');
    await late('d2', '2026-06-12T07:00:00Z');
    await late('p2', '2026-06-13T07:00:00Z');
    for (const [id, paid] of [
      ['d1', '2026-06-13T10:00:00Z'],
      ['d2', '2026-06-12T10:00:00Z'],
      ['d3', '2026-06-08T10:00:00Z'],
      ['d4', '2026-06-07T10:00:00Z'],
    ] as const)
      await facts(id, { paidAt: t(paid) });
    await facts('d5', { paidAt: t('2026-06-07T10:00:00Z'), tiktokShipping: true }); // exempt from VTR
    // Fulfilled by TikTok: in the LDR denominator when collected in its window.
    await facts('f1', {
      paidAt: t('2026-06-10T10:00:00Z'),
      fulfilledByTikTok: true,
      collectedAt: t('2026-06-12T10:00:00Z'),
    });
    await facts('f2', {
      paidAt: t('2026-05-30T10:00:00Z'),
      fulfilledByTikTok: true,
      collectedAt: t('2026-06-01T10:00:00Z'),
    });

    // Cancellations. SFCR: orders paid in the 30 days back from asOf (from 2026-05-16T12:00Z).
    const cancelled = (initiator: string, reason: string, at: string) => ({
      status: 'CANCELLED',
      cancelInitiator: initiator,
      cancelReason: reason,
      cancelledAt: t(at),
    });
    await facts('c1', {
      paidAt: t('2026-06-01T10:00:00Z'),
      ...cancelled('SELLER', 'seller_cancel_reason_out_of_stock', '2026-06-02T10:00:00Z'),
    });
    await facts('c2', {
      paidAt: t('2026-06-01T10:00:00Z'),
      ...cancelled('BUYER', 'buyer_cancel_reason_no_longer_needed', '2026-06-02T11:00:00Z'),
    });
    await facts('c3', {
      paidAt: t('2026-06-03T10:00:00Z'),
      ...cancelled('SYSTEM', 'system_cancel_sla_timeout', '2026-06-04T10:00:00Z'),
    });
    await facts('c4', {
      paidAt: t('2026-06-04T10:00:00Z'),
      ...cancelled('SELLER', 'seller_cancel_paid_reason_buyer_requested_cancellation', '2026-06-04T12:00:00Z'),
    });
    await facts('c5', {
      paidAt: t('2026-06-05T10:00:00Z'),
      creatorSample: true,
      ...cancelled('SELLER', 'seller_cancel_reason_out_of_stock', '2026-06-05T12:00:00Z'),
    });
    await facts('c6', {
      paidAt: t('2026-05-16T11:59:59Z'),
      ...cancelled('SELLER', 'seller_cancel_reason_out_of_stock', '2026-05-20T12:00:00Z'),
    });
    await facts('c7', { paidAt: t('2026-06-14T10:00:00Z'), status: 'AWAITING_SHIPMENT' });
    await facts('s1', { paidAt: t('2026-06-06T10:00:00Z'), creatorSample: true });
    await facts('p2', { paidAt: null, ...cancelled('SYSTEM', 'system_cancel_sla_timeout', '2026-06-14T08:00:00Z') });

    // Deliveries. On-time delivery: delivered in the 30 days back from asOf, against TikTok's deliver-by time.
    const early = t('2026-05-01T10:00:00Z'); // paid before the SFCR window
    await facts('v1', { paidAt: early, deliveredAt: t('2026-06-10T10:00:00Z'), deliverBy: t('2026-06-11T10:00:00Z') });
    await facts('v2', { paidAt: early, deliveredAt: t('2026-06-12T12:00:00Z'), deliverBy: t('2026-06-12T11:00:00Z') });
    await facts('v3', { paidAt: early, deliveredAt: t('2026-06-05T10:00:00Z'), deliverBy: t('2026-06-05T10:00:00Z') });
    await facts('v4', {
      paidAt: early,
      fulfilledByTikTok: true,
      deliveredAt: t('2026-06-06T10:00:00Z'),
      deliverBy: t('2026-06-05T10:00:00Z'),
    });
    await facts('v5', { paidAt: early, deliveredAt: t('2026-06-07T10:00:00Z') });
    await facts('v6', { paidAt: early, deliveredAt: t('2026-05-10T10:00:00Z'), deliverBy: t('2026-05-09T10:00:00Z') });
  });
  after(async () => {
    await database?.drop();
  });

  test('each metric: numerator, denominator, window, exclusions and the offending orders, as computed by hand', async () => {
    const report = await computeAccountHealth({ db: database.db }, shopId, asOf);
    const m = Object.fromEntries(report.metrics.map((x) => [x.key, x]));
    const pick = (k: string) => {
      const x = m[k]!;
      return {
        status: x.status,
        n: x.numerator,
        d: x.denominator,
        days: x.window.days,
        ids: x.offendingOrderIds,
        excluded: x.excluded,
        breached: x.breached,
      };
    };
    // LDR: d1, d2, d3, d5 dispatched in the window + f1 (FBT, denominator only) = 5; late d2, d3.
    assert.deepEqual(pick('ldr'), {
      status: 'measured',
      n: 2,
      d: 5,
      days: 7,
      ids: ['d2', 'd3'],
      excluded: { fbt: 0, creatorSample: 0, tiktokShipping: 0 },
      breached: 'enforcement',
    });
    assert.equal(m.ldr!.rate, 0.4);
    assert.deepEqual([m.ldr!.pendingOrderIds, m.ldr!.pendingTotal], [['p1'], 1]);
    assert.equal(m.ldr!.window.from, '2026-06-08T12:00:00.000Z');
    // VTR: d1–d5 in 21 days, d5 exempt (TikTok Shipping); valid (≥2 scans): d1, d3.
    assert.deepEqual(pick('vtr'), {
      status: 'measured',
      n: 2,
      d: 4,
      days: 21,
      ids: ['d2', 'd4'],
      excluded: { fbt: 0, creatorSample: 0, tiktokShipping: 1 },
      breached: 'enforcement',
    });
    // SFCR: paid in 30 days: d1–d5, f1, f2, c1–c4, c7 = 12 (c5 and s1 are creator samples, c6 paid a second early);
    // seller fault: c1 (out of stock), c3 (TikTok auto-cancel of a paid order); not c2 (buyer), c4 (at the buyer's
    // request).
    assert.deepEqual(pick('sfcr'), {
      status: 'measured',
      n: 2,
      d: 12,
      days: 30,
      ids: ['c3', 'c1'],
      excluded: { fbt: 0, creatorSample: 2, tiktokShipping: 0 },
      breached: 'enforcement',
    });
    // On-time delivery: v1, v2, v3 (v3 delivered exactly at its deliver-by time: on time); v4 FBT; v5 no deliver-by.
    assert.deepEqual(pick('otdr'), {
      status: 'measured',
      n: 2,
      d: 3,
      days: 30,
      ids: ['v2'],
      excluded: { fbt: 1, creatorSample: 0, tiktokShipping: 0 },
      breached: 'recommended',
    });
    assert.equal(m.responseRate!.status, 'not_measured');
    assert.equal(m.responseRate!.rate, null);
    assert.match(m.responseRate!.note!, /buyer messaging/);

    // Reserve: SFCR 16.7% > 5% → level 2, 10% held; every unverified row is listed and flagged.
    assert.deepEqual([report.forecast.reserve.level, report.forecast.reserve.rate], [2, 0.1]);
    assert.equal(report.score.value, 200);
    const ldrWarning = report.warnings.find((w) => w.metric === 'ldr')!;
    assert.deepEqual([ldrWarning.severity, ldrWarning.orderIds], ['critical', ['d2', 'd3']]);
    assert.ok(report.policy.some((p) => p.key === 'ldr.window.days' && p.uncertain));
    assert.ok(report.policy.some((p) => p.key === 'ahr.earnedPoints.perDeliveredOrder' && p.uncertain));
  });

  test('violations: counted from their date until the 180-day window passes; the same notice once', async () => {
    const db = { db: database.db };
    const v = await recordHealthViolation(db, {
      shopId,
      policy: 'late_dispatch_rate',
      points: 30,
      occurredAt: t('2026-05-01T00:00:00Z'),
      noticeRef: 'SC-1',
      enteredBy: 'ops@example.com',
    });
    assert.equal(v.expiresAt, '2026-10-28T00:00:00.000Z');
    await recordHealthViolation(db, {
      shopId,
      policy: 'late_dispatch_rate',
      points: 30,
      occurredAt: t('2026-05-01T00:00:00Z'),
      noticeRef: 'SC-1',
      enteredBy: 'ops@example.com',
    });
    await recordHealthViolation(db, {
      shopId,
      policy: 'snad',
      points: 25,
      occurredAt: t('2026-06-01T00:00:00Z'),
      enteredBy: 'ops@example.com',
    });
    const repo = createAccountHealthRepository(database.db);
    assert.equal((await repo.activeViolations(shopId, asOf)).length, 2);
    assert.equal((await repo.activeViolations(shopId, t('2026-10-27T23:59:59Z'))).length, 2);
    assert.deepEqual(
      (await repo.activeViolations(shopId, t('2026-10-28T00:00:00Z'))).map((x) => x.policy),
      ['snad'],
    );
    assert.equal((await repo.activeViolations(shopId, t('2026-05-31T00:00:00Z'))).length, 1, 'not before its date');

    const report = await computeAccountHealth(db, shopId, asOf);
    assert.deepEqual([report.score.value, report.score.milestone?.threshold], [145, 150]);
    assert.equal(report.forecast.milestoneLeftAt, '2026-10-28T00:00:00.000Z');
    assert.ok(report.warnings.some((w) => w.code === 'milestone_reached' && w.unverified));
    const later = await computeAccountHealth(db, shopId, t('2026-10-28T00:00:00Z'));
    assert.deepEqual([later.score.value, later.score.milestone], [175, null]);

    await assert.rejects(
      recordHealthViolation(db, {
        shopId: thShop,
        policy: 'late_dispatch_rate',
        points: 5,
        occurredAt: asOf,
        enteredBy: 'ops',
      }),
      InvalidViolationError,
    );
    await assert.rejects(
      recordHealthViolation(db, { shopId, policy: 'x', points: 0, occurredAt: asOf, enteredBy: 'ops' }),
      InvalidViolationError,
    );
    const th = await recordHealthViolation(db, {
      shopId: thShop,
      policy: 'late_dispatch_rate',
      points: 4,
      occurredAt: asOf,
      enteredBy: 'ops',
    });
    const thReport = await computeAccountHealth(db, thShop, asOf);
    assert.deepEqual([thReport.regime, thReport.score.value, thReport.score.pointsToNext], ['points48', 4, 44]);
    assert.equal(th.expiresAt, '2026-12-12T12:00:00.000Z');
    // TH has no metric rows: not measured, not guessed.
    assert.ok(thReport.metrics.every((x) => x.status === 'not_measured'));
  });

  test('snapshots: one per shop per day (the later wins); history oldest first; the trend reads them', async () => {
    const repo = createAccountHealthRepository(database.db);
    const db = { db: database.db };
    const first = await computeAccountHealth(db, shopId, t('2026-06-13T08:00:00Z'));
    await repo.saveSnapshot(first);
    await repo.saveSnapshot(await computeAccountHealth(db, shopId, t('2026-06-14T08:00:00Z')));
    const again = await computeAccountHealth(db, shopId, t('2026-06-14T20:00:00Z'));
    await repo.saveSnapshot(again);
    const history = await repo.history(shopId, '2026-06-01', '2026-06-30');
    assert.deepEqual(
      history.map((h) => [h.day, h.asOf]),
      [
        ['2026-06-13', '2026-06-13T08:00:00.000Z'],
        ['2026-06-14', '2026-06-14T20:00:00.000Z'],
      ],
    );
    assert.equal(history[1]!.rates.ldr, again.metrics.find((x) => x.key === 'ldr')!.rate);
    const report = await computeAccountHealth(db, shopId, asOf);
    const trend = report.forecast.trends.find((x) => x.key === 'ldr')!;
    assert.notEqual(trend.slopePerDay, null, 'two snapshots and today make a trend');
  });

  test('dirty marker: true only on clean → dirty; cleared up to a time; the hook is called once per move', async () => {
    const repo = createAccountHealthRepository(database.db);
    const shop = uniqueId('dirty');
    assert.equal(await repo.markDirty(shop, t('2026-06-15T10:00:00Z')), true);
    assert.equal(await repo.markDirty(shop, t('2026-06-15T10:00:05Z')), false);
    assert.equal(await repo.clearDirty(shop, t('2026-06-15T10:00:01Z')), false, 'marked after: still dirty');
    assert.ok(await repo.dirtySince(shop));
    assert.equal(await repo.clearDirty(shop, t('2026-06-15T10:00:05Z')), true);
    assert.equal(await repo.dirtySince(shop), undefined);

    const calls: string[] = [];
    const marks = createHealthMarks({ db: database.db, onShopHealthDirty: (s) => (calls.push(s), Promise.resolve()) });
    const order = (status: string, extra: Partial<TikTokOrder> = {}) =>
      ({ id: 'o1', status, paid_time: 1_781_000_000, line_items: [], ...extra }) as unknown as TikTokOrder;
    await marks.orderRead(shop, order('AWAITING_SHIPMENT'));
    await marks.orderRead(shop, order('AWAITING_SHIPMENT')); // nothing changed
    await marks.orderRead(shop, order('CANCELLED', { cancellation_initiator: 'SELLER', cancel_time: 1_781_000_500 }));
    assert.deepEqual(calls, [shop], 'one signal while dirty, however many orders change');
    const stored = await repo.orderFacts(shop, 'o1');
    assert.deepEqual(
      [stored?.status, stored?.cancelInitiator, stored?.cancelledAt?.toISOString()],
      ['CANCELLED', 'SELLER', new Date(1_781_000_500_000).toISOString()],
    );
    assert.equal(await repo.clearDirty(shop, new Date()), true);
    await marks.orderRead(shop, order('CANCELLED', { cancellation_initiator: 'SELLER', cancel_time: 1_781_000_500 }));
    assert.deepEqual(calls, [shop], 'a read that changes nothing marks nothing');
    await marks.orderRead(shop, { ...order('AWAITING_SHIPMENT'), id: 'o2' });
    assert.deepEqual(calls, [shop, shop]);
    // A cancelled order read without TikTok's cancel_time is dated when first seen, and a re-read changes nothing.
    await marks.orderRead(shop, { ...order('CANCELLED', { cancellation_initiator: 'SYSTEM' }), id: 'o3' });
    const first = (await repo.orderFacts(shop, 'o3'))?.cancelledAt;
    assert.ok(first);
    assert.equal(await repo.clearDirty(shop, new Date()), true);
    await marks.orderRead(shop, { ...order('CANCELLED', { cancellation_initiator: 'SYSTEM' }), id: 'o3' });
    assert.equal(await repo.dirtySince(shop), undefined, 'the re-read did not mark the shop dirty');
    assert.deepEqual((await repo.orderFacts(shop, 'o3'))?.cancelledAt, first);
  });

  test('a DELIVERED webhook after the order workflow closed keeps the delivery time for on-time delivery', async () => {
    const repo = createAccountHealthRepository(database.db);
    const shop = uniqueId('delivered');
    const calls: string[] = [];
    const marks = createHealthMarks({ db: database.db, onShopHealthDirty: () => Promise.resolve() });
    await marks.orderRead(shop, {
      id: 'w1',
      status: 'IN_TRANSIT',
      paid_time: 1_781_000_000,
      delivery_sla_time: 1_781_500_000,
      line_items: [],
    } as unknown as TikTokOrder);
    await repo.clearDirty(shop, new Date());
    const event = (orderId: string) =>
      ({
        kind: 'ORDER_STATUS_CHANGE',
        type: 1,
        shop_id: shop,
        timestamp: 1_781_400_100,
        data: { order_id: orderId, order_status: 'DELIVERED', update_time: 1_781_400_000 },
      }) as TikTokWebhookEvent;
    // The shop is not connected here: the route skips the order workflow, and the delivery is kept all the same.
    const ctx = {
      db: database.db,
      temporal: {} as Client,
      taskQueue: 'unused',
      onShopHealthDirty: (s: string) => (calls.push(s), Promise.resolve()),
    };
    const route = WEBHOOK_ROUTES.ORDER_STATUS_CHANGE!;
    assert.equal((await route(event('w1'), ctx)).status, 'skipped');
    await route(event('w1'), ctx); // a duplicate delivery changes nothing
    await route(event('unknown-order'), ctx); // an order we never read: nothing to compare it with
    const stored = await repo.orderFacts(shop, 'w1');
    assert.deepEqual(
      [stored?.status, stored?.deliveredAt?.toISOString()],
      ['DELIVERED', new Date(1_781_400_000_000).toISOString()],
    );
    assert.deepEqual(calls, [shop]);
    const report = await computeAccountHealth({ db: database.db }, shop, new Date(1_781_400_000_000 + 3_600_000));
    const otdr = report.metrics.find((x) => x.key === 'otdr')!;
    assert.deepEqual([otdr.numerator, otdr.denominator], [1, 1]);
  });
});
