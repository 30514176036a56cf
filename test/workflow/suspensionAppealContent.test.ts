// Issue 18 items 2–3 and 7: for a seeded shop (late dispatches of different causes, a seller-fault cancellation, a
// settings change after the notice) the evidence and the drafted Plan of Action carry exactly the account-health
// records' numbers (both computed here), the PDF prints the plan and its evidence tables (asserted by value) and
// rebuilds byte-identical, and diffPlans names what an edit changed.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { computeAccountHealth } from '../../accountHealth';
import { createAppealContentActivities } from '../../activities/suspensionAppeal/content';
import { noticeTime } from '../../appeal/eligibility';
import type { AppealEvidence, PlanOfAction, SuspensionNotice } from '../../appeal/model';
import { diffPlans, validatePlan } from '../../appeal/planOfAction';
import { createAccountHealthRepository, type OrderHealthFacts } from '../../db/accountHealth';
import { createOrderRepository } from '../../db/orders';
import { createShopRepository } from '../../db/shops';
import { createShopSettingsRepository } from '../../db/shopSettings';
import { createFileStore } from '../../files/fileStore';
import type { Keyring } from '../../secrets/keyring';
import { DEFAULT_SHOP_SETTINGS, mergeShopSettings } from '../../shopSettings/schema';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { flat, pdfText } from '../helpers/pdfText';
import { uniqueId } from '../helpers/temporal';

const keyring: Keyring = {
  activeKeyId: 'k1',
  keys: new Map([['k1', crypto.createHash('sha256').update('appeal-content').digest()]]),
};
const cfg = { FILE_MAX_BYTES: 10 * 1024 * 1024, FILE_RETENTION_DAYS: 400 };
const t = (iso: string) => new Date(iso);

describe('suspension appeal content from a seeded shop', () => {
  let database: TestDatabase;
  const shopId = uniqueId('appeal');
  const notice: SuspensionNotice = {
    noticeId: 'N-LDR-1',
    reason: 'Your Late Dispatch Rate exceeded 10%',
    noticeDate: '2026-11-20',
    region: 'US',
    violatedPolicy: 'late_dispatch_rate',
    quotedMetrics: { ldr: 0.2, sfcr: 0.05 },
  };
  let settingsChangedAt: Date;
  let acts: ReturnType<typeof createAppealContentActivities>;

  before(async () => {
    database = await testDatabase();
    const db = database.db;
    await createShopRepository(db).record({
      shopId,
      region: 'US',
      displayName: 'Appeal',
      workflowId: `shop:${shopId}`,
    });
    const orders = createOrderRepository(db);
    const health = createAccountHealthRepository(db);
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
    /** A seller-fulfilled order: paid, handed to the warehouse, marked shipped, scanned by the carrier. */
    const order = async (
      orderId: string,
      o: { paid: string; handed: string; rts: string; shipped: string; scanBy: string; scanned: string },
    ) => {
      await facts(orderId, { paidAt: t(o.paid), collectedAt: t(o.scanned) });
      await db('warehouse_outbox').insert({
        shop_id: shopId,
        order_id: orderId,
        payload: '{}',
        created_at: t(o.handed),
      });
      await orders.recordDispatchEvent({
        dedupKey: `${shopId}:${orderId}:ready_to_ship`,
        shopId,
        orderId,
        kind: 'ready_to_ship',
        deadline: t(o.rts),
        occurredAt: t(o.shipped),
        onTime: o.shipped <= o.rts,
        detail: {},
      });
      await orders.recordDispatchEvent({
        dedupKey: `${shopId}:${orderId}:dispatched`,
        shopId,
        orderId,
        kind: 'dispatched',
        deadline: t(o.scanBy),
        occurredAt: t(o.scanned),
        onTime: o.scanned <= o.scanBy,
        detail: { readyToShipBy: o.rts, shippedAt: o.shipped, escalated: [] },
      });
      await orders.saveShipment(shopId, orderId, { packageId: `p-${orderId}`, carrier: 'USPS' }, []);
    };
    const deadlines = { rts: '2026-11-16T08:00:00.000Z', scanBy: '2026-11-17T08:00:00.000Z' };
    // Late: our hand-off came after the ready-to-ship deadline.
    await order('L1', {
      paid: '2026-11-14T09:00:00.000Z',
      handed: '2026-11-16T10:00:00.000Z',
      shipped: '2026-11-17T20:00:00.000Z',
      scanned: '2026-11-18T12:00:00.000Z',
      ...deadlines,
    });
    // Late: handed off in time, the warehouse marked it shipped after its deadline.
    await order('L2', {
      paid: '2026-11-14T09:00:00.000Z',
      handed: '2026-11-14T09:05:00.000Z',
      shipped: '2026-11-16T15:00:00.000Z',
      scanned: '2026-11-17T12:00:00.000Z',
      ...deadlines,
    });
    // Late: shipped in time, the carrier's first scan after the dispatch deadline (twice).
    for (const [id, scanned] of [
      ['L3', '2026-11-17T15:30:00.000Z'],
      ['L4', '2026-11-17T09:00:00.000Z'],
    ] as const)
      await order(id, {
        paid: '2026-11-14T09:00:00.000Z',
        handed: '2026-11-14T09:05:00.000Z',
        shipped: '2026-11-16T07:00:00.000Z',
        scanned,
        ...deadlines,
      });
    // Sixteen on time.
    for (let i = 1; i <= 16; i += 1)
      await order(`O${i}`, {
        paid: '2026-11-14T09:00:00.000Z',
        handed: '2026-11-14T09:05:00.000Z',
        shipped: '2026-11-16T07:00:00.000Z',
        scanned: '2026-11-16T18:00:00.000Z',
        ...deadlines,
      });
    // Late before the LDR window (7 days to the notice): not counted.
    await order('OLD', {
      paid: '2026-11-01T09:00:00.000Z',
      handed: '2026-11-01T09:05:00.000Z',
      shipped: '2026-11-04T07:00:00.000Z',
      scanned: '2026-11-05T12:00:00.000Z',
      rts: '2026-11-03T08:00:00.000Z',
      scanBy: '2026-11-04T08:00:00.000Z',
    });
    // Carrier scans: every order in the windows has two but L4 and O16 (one) and OLD (none): three invalid for VTR.
    for (const id of ['L1', 'L2', 'L3', 'L4', ...Array.from({ length: 16 }, (_, i) => `O${i + 1}`)])
      for (const at of id === 'L4' || id === 'O16'
        ? ['2026-11-18T01:00:00.000Z']
        : ['2026-11-18T01:00:00.000Z', '2026-11-19T01:00:00.000Z'])
        await orders.recordDispatchEvent({
          dedupKey: `${shopId}:${id}:tracking:${at}`,
          shopId,
          orderId: id,
          kind: 'tracking',
          occurredAt: t(at),
          detail: {},
        });
    // The escalations the dispatch clock raised on L3 before its deadline, and one after it (not listed).
    const notified = (orderId: string, kind: string, at: string) =>
      db('notifications').insert({
        dedup_key: `order:${shopId}:${orderId}:${kind}`,
        shop_id: shopId,
        kind,
        severity: 'warning',
        title: kind,
        body: '',
        created_at: t(at),
      });
    await notified('L3', 'escalation:6h', '2026-11-17T02:00:00.000Z');
    await notified('L3', 'late_dispatch', '2026-11-17T08:00:05.000Z');
    // Cancellations: one the seller's fault (stock), one the buyer's.
    await facts('C1', {
      paidAt: t('2026-11-15T09:00:00.000Z'),
      status: 'CANCELLED',
      cancelInitiator: 'SELLER',
      cancelReason: 'seller_cancel_reason_out_of_stock',
      cancelledAt: t('2026-11-15T12:00:00.000Z'),
    });
    await facts('C2', {
      paidAt: t('2026-11-15T09:00:00.000Z'),
      status: 'CANCELLED',
      cancelInitiator: 'BUYER',
      cancelReason: 'buyer_cancel_reason_no_longer_needed',
      cancelledAt: t('2026-11-15T10:00:00.000Z'),
    });
    // Daily snapshots around the notice.
    for (const day of ['2026-11-18T23:00:00.000Z', '2026-11-20T23:00:00.000Z'])
      await health.saveSnapshot(await computeAccountHealth({ db }, shopId, t(day)));
    // The feed: a sold-out SKU took an hour to leave the shop before the notice, a minute after it.
    const push = (day: string, lagSeconds: number) =>
      db('inventory_push_log').insert({
        shop_id: shopId,
        tiktok_product_id: 'P1',
        tiktok_sku_id: 'S1',
        seller_sku: 'SKU-1',
        action: 'quantity',
        quantity: 0,
        version: 1,
        stock_event_at: t(day),
        requested_at: t(day),
        confirmed_at: new Date(t(day).getTime() + lagSeconds * 1000),
        outcome: 'confirmed',
      });
    await push('2026-11-15T10:00:00.000Z', 3600);
    await push('2026-11-22T10:00:00.000Z', 60);
    // After the notice: carrier tracking from shipment on, and a named shipping owner.
    const settings = createShopSettingsRepository(db);
    const updated = await settings.update(shopId, {
      author: { name: 'alice', keyId: null },
      next: () => ({
        before: DEFAULT_SHOP_SETTINGS,
        after: mergeShopSettings(DEFAULT_SHOP_SETTINGS, {
          carrierTracking: { trackAtShipment: true },
          appealPlan: { owners: { shipping: 'Dana (shipping)' } },
        }),
      }),
    });
    assert.equal(updated.outcome, 'updated');
    settingsChangedAt = (await settings.changes(shopId, { limit: 1 }))[0]!.changedAt;
    acts = createAppealContentActivities({ cfg, db, secretsKeyring: keyring });
  });

  after(async () => {
    await database?.drop();
  });

  const files = () => createFileStore({ db: database.db, keyring, maxBytes: cfg.FILE_MAX_BYTES });
  const evidenceOf = async (fileId: string): Promise<AppealEvidence> =>
    JSON.parse((await files().get(shopId, fileId))!.bytes.toString('utf8')) as AppealEvidence;

  let plan: PlanOfAction;
  let evidence: AppealEvidence;
  let ref: Awaited<ReturnType<typeof acts.gatherAppealEvidence>>;

  test("the draft's numbers are the account-health records' at the notice", async () => {
    const records = await computeAccountHealth({ db: database.db }, shopId, noticeTime(notice));
    const metric = (key: string) => records.metrics.find((m) => m.key === key)!;
    // The records themselves, as seeded: 4 late of 20 dispatched in the 7 days; 1 seller-fault of 23 paid in 30 (OLD too).
    assert.deepEqual([metric('ldr').numerator, metric('ldr').denominator], [4, 20]);
    assert.deepEqual([metric('sfcr').numerator, metric('sfcr').denominator], [1, 23]);

    ref = await acts.gatherAppealEvidence({ shopId, notice });
    assert.deepEqual(ref.counts, {
      historyDays: 2,
      breaches: 2,
      lateDispatches: 4,
      invalidTracking: 0,
      cancellations: 1,
      changes: 2,
    });
    plan = (await acts.draftAppealPlan({ shopId, notice, evidenceRef: ref })).plan;
    for (const [breach, key] of [
      ['late_dispatch', 'ldr'],
      ['seller_fault_cancellation', 'sfcr'],
    ] as const) {
      const m = metric(key);
      const r = plan.rootCauses.find((c) => c.breachType === breach)!;
      assert.deepEqual(
        { rate: r.rate, numerator: r.numerator, denominator: r.denominator, windowDays: r.windowDays },
        { rate: m.rate, numerator: m.numerator, denominator: m.denominator, windowDays: m.window.days },
      );
      // Every order behind the numerator is explained by one cause.
      assert.equal(
        r.causes.reduce((n, c) => n + c.orders, 0),
        m.numerator,
      );
      assert.deepEqual([...r.exampleOrderIds].sort(), [...m.offendingOrderIds].sort().slice(0, 5));
    }
    const ldr = plan.rootCauses[0]!;
    assert.deepEqual(ldr.causes, [
      { cause: 'carrier_pickup_late', orders: 2 },
      { cause: 'warehouse_hand_off_late', orders: 1 },
      { cause: 'warehouse_packing_late', orders: 1 },
    ]);
    assert.equal(ldr.threshold, 0.1);
    assert.equal(ldr.quoted, 0.2);
    assert.match(
      ldr.statement,
      /^Late Dispatch Rate was 20\.0% over the 7 days to 2026-11-20: 4 late dispatches of 20 orders dispatched against TikTok's enforcement threshold of 10\.0% \(the notice quotes 20\.0%\)\./,
    );
    assert.match(ldr.statement, /1 of the late orders had an escalation raised before their deadline\./);
    assert.deepEqual(plan.rootCauses[1]!.causes, [{ cause: 'out_of_stock', orders: 1 }]);
    assert.deepEqual(plan.rootCauses[1]!.exampleOrderIds, ['C1']);
  });

  test('the evidence: each late order from our event log, what changed since, dated from our records', async () => {
    evidence = await evidenceOf(ref.fileId);
    assert.equal(evidence.asOf, '2026-11-20T23:59:59.999Z');
    const l3 = evidence.lateDispatches.find((l) => l.orderId === 'L3')!;
    assert.deepEqual(l3, {
      orderId: 'L3',
      paidAt: '2026-11-14T09:00:00.000Z',
      handedToWarehouseAt: '2026-11-14T09:05:00.000Z',
      readyToShipBy: '2026-11-16T08:00:00.000Z',
      markedShippedAt: '2026-11-16T07:00:00.000Z',
      carrierScanBy: '2026-11-17T08:00:00.000Z',
      carrierScanAt: '2026-11-17T15:30:00.000Z',
      hoursLate: 7.5,
      cause: 'carrier_pickup_late',
      escalations: [{ kind: 'escalation:6h', at: '2026-11-17T02:00:00.000Z' }],
      carrier: 'USPS',
    });
    assert.deepEqual(
      evidence.lateDispatches.map((l) => [l.orderId, l.cause, l.hoursLate]),
      [
        ['L1', 'warehouse_hand_off_late', 28],
        ['L3', 'carrier_pickup_late', 7.5],
        ['L2', 'warehouse_packing_late', 4],
        ['L4', 'carrier_pickup_late', 1],
      ],
    );
    assert.deepEqual(evidence.cancellations, [
      {
        orderId: 'C1',
        paidAt: '2026-11-15T09:00:00.000Z',
        cancelledAt: '2026-11-15T12:00:00.000Z',
        initiator: 'SELLER',
        reason: 'seller_cancel_reason_out_of_stock',
        cause: 'out_of_stock',
      },
    ]);
    assert.deepEqual(
      evidence.changes.map((c) => [c.kind, c.at, c.afterNotice, c.by]),
      [
        ['feed', '2026-11-22T00:00:00.000Z', true, 'inventory feed'],
        ['settings', settingsChangedAt.toISOString(), true, 'alice'],
      ],
    );
    assert.deepEqual(evidence.changes[1]!.paths, ['appealPlan.owners.shipping', 'carrierTracking.trackAtShipment']);
    assert.match(
      evidence.changes[0]!.summary,
      /slowest out-of-stock → delist 60s since the notice \(3600s before it\)/,
    );
    assert.deepEqual(
      evidence.history.map((h) => [h.day, h.rates.ldr]),
      [
        ['2026-11-18', 4 / 20],
        ['2026-11-20', 4 / 20],
      ],
    );
    assert.equal(evidence.dataAsOf, settingsChangedAt.toISOString());

    // The plan: corrective actions dated from those records, controls with the shop's owners.
    assert.deepEqual(
      plan.correctiveActions.map((c) => [c.id, c.inEffectFrom, c.breachTypes, c.source]),
      [
        ['feed-1', '2026-11-22T00:00:00.000Z', ['seller_fault_cancellation'], 'feed'],
        ['settings-2', settingsChangedAt.toISOString(), ['late_dispatch'], 'settings'],
      ],
    );
    assert.equal(plan.correctiveActions[1]!.evidence, 'shop settings audit trail (shop_settings_changes), by alice');
    assert.deepEqual(
      plan.preventiveControls.map((c) => [c.id, c.owner, c.target]),
      [
        [
          'late-dispatch-escalation',
          'Operations lead',
          "at most 4.0% (TikTok's recommended level; enforcement past 10.0%)",
        ],
        ['warehouse-cutoff', 'Warehouse lead', '0'],
        ['carrier-pickup', 'Dana (shipping)', '0'],
        ['stock-feed', 'Inventory manager', 'at most 2.5%'],
      ],
    );
    assert.deepEqual(validatePlan(plan, plan), []);
  });

  test('the PDF prints the plan and its evidence tables, and the same inputs give the same bytes', async () => {
    const input = { shopId, appealId: `appeal:${shopId}:N-LDR-1`, version: 1, plan, evidenceRef: ref };
    const first = await acts.renderAppealPlan(input);
    const again = await acts.renderAppealPlan(input);
    assert.deepEqual(again, first);
    const stored = (await files().get(shopId, first.fileId))!;
    assert.equal(stored.file.mimeType, 'application/pdf');
    assert.equal(stored.file.purpose, 'appeal-plan');
    const pdf = await pdfText(stored.bytes);
    assert.equal(pdf.pageCount, first.pageCount);
    assert.equal(pdf.title, 'Plan of Action — notice N-LDR-1');
    assert.equal(pdf.creationDate?.toISOString().slice(0, 19), settingsChangedAt.toISOString().slice(0, 19));
    const text = flat(pdf.text);
    for (const expected of [
      'Appeal by 2026-12-20 23:59 UTC (30 days from the notice, unverified for this region)',
      'Metrics quoted LDR 20.0%, SFCR 5.0%',
      '4 late dispatches of 20 orders dispatched',
      'shipped in time, first carrier scan after the dispatch deadline 2 50.0%',
      'handed to the warehouse after the ready-to-ship deadline 1 25.0%',
      'cancelled for lack of stock 1 100.0%',
      'Dana (shipping)',
      // The late-dispatch table: L3's row, times UTC.
      'L3 2026-11-14 09:05 2026-11-16 08:00 2026-11-16 07:00 2026-11-17 08:00 2026-11-17 15:30',
      'L3 7.5 shipped in time, first carrier scan after the dispatch deadline escalation:6h 2026-11-17 02:00',
      'L1 28.0 handed to the warehouse after the ready-to-ship deadline —',
      'C1 2026-11-15 09:00 2026-11-15 12:00 SELLER seller_cancel_reason_out_of_stock',
      'Shop settings version 1: appealPlan.owners.shipping, carrierTracking.trackAtShipment changed',
      '2026-11-18 200',
      'Appeal window seller-th.tiktok.com "Appeal Guidelines for IPR Penalties"',
      'Why this notice is appealed appeals.category.late_dispatch: product decision (issue 18)',
    ])
      assert.ok(text.includes(expected), `the PDF lacks "${expected}"`);
    // An edited plan is another document.
    const edited = await acts.renderAppealPlan({ ...input, plan: { ...plan, summary: 'Edited.' } });
    assert.notEqual(edited.fileId, first.fileId);
  });

  test('diffPlans names what an edit changed; validatePlan keeps the numbers the records’', () => {
    const edited: PlanOfAction = {
      ...plan,
      summary: 'We fixed the carrier pickup.',
      correctiveActions: [
        ...plan.correctiveActions,
        {
          id: 'operator-1',
          breachTypes: ['late_dispatch'],
          action: 'Second daily pickup booked with USPS',
          inEffectFrom: '2026-11-23T00:00:00.000Z',
          evidence: 'USPS pickup confirmation',
          source: 'operator',
        },
      ],
      preventiveControls: plan.preventiveControls
        .filter((c) => c.id !== 'warehouse-cutoff')
        .map((c) => (c.id === 'carrier-pickup' ? { ...c, owner: 'Sam (shipping)' } : c)),
    };
    assert.deepEqual(validatePlan(edited, plan), []);
    const warehouse = plan.preventiveControls.find((c) => c.id === 'warehouse-cutoff');
    assert.deepEqual(diffPlans(plan, edited), [
      { path: 'summary', kind: 'changed', before: plan.summary, after: 'We fixed the carrier pickup.' },
      { path: 'correctiveActions[operator-1]', kind: 'added', after: edited.correctiveActions[2] },
      { path: 'preventiveControls[warehouse-cutoff]', kind: 'removed', before: warehouse },
      {
        path: 'preventiveControls[carrier-pickup].owner',
        kind: 'changed',
        before: 'Dana (shipping)',
        after: 'Sam (shipping)',
      },
    ]);
    assert.deepEqual(diffPlans(plan, JSON.parse(JSON.stringify(plan)) as PlanOfAction), []);
    const cooked = { ...edited, rootCauses: [{ ...plan.rootCauses[0]!, numerator: 1 }, plan.rootCauses[1]!] };
    assert.deepEqual(validatePlan(cooked, plan), [
      "rootCauses[late_dispatch]: rate, numerator, denominator and window are the records'",
    ]);
  });

  test('a revised appeal states what changed since the first: new corrective actions, the latest metrics', async () => {
    const first: PlanOfAction = { ...plan, correctiveActions: plan.correctiveActions.slice(0, 1) };
    const revised = await acts.draftAppealPlan({
      shopId,
      notice,
      evidenceRef: ref,
      revisionOf: { plan: first, denialReason: 'no proof of the carrier fix', deniedAt: '2026-12-01T10:00:00.000Z' },
    });
    const settingsDay = settingsChangedAt.toISOString().slice(0, 10);
    assert.deepEqual(revised.changesSinceFirst, [
      `Since ${settingsDay}: Shop settings version 1: appealPlan.owners.shipping, carrierTracking.trackAtShipment changed`,
      'LDR 20.0% on 2026-11-20 (20.0% at the notice)',
      'SFCR 4.3% on 2026-11-20 (4.3% at the notice)',
    ]);
    assert.equal(
      revised.plan.changedSinceFirst,
      `The first appeal was denied on 2026-12-01 (no proof of the carrier fix). ${revised.changesSinceFirst.join(' ')}`,
    );
    assert.deepEqual(validatePlan(revised.plan, plan), []);
  });

  test('a valid-tracking notice: the packages short of scans, as account health counts them', async () => {
    const vtrNotice: SuspensionNotice = {
      ...notice,
      noticeId: 'N-VTR-1',
      reason: 'Valid tracking rate below 95%',
      violatedPolicy: 'valid_tracking_rate',
      quotedMetrics: {},
    };
    const records = await computeAccountHealth({ db: database.db }, shopId, noticeTime(vtrNotice));
    const vtr = records.metrics.find((m) => m.key === 'vtr')!;
    assert.deepEqual([vtr.numerator, vtr.denominator], [18, 21]);
    const vtrRef = await acts.gatherAppealEvidence({ shopId, notice: vtrNotice });
    const vtrEvidence = await evidenceOf(vtrRef.fileId);
    assert.deepEqual(
      vtrEvidence.invalidTracking.map((o) => [o.orderId, o.carrierScans, o.carrier]),
      [
        ['L4', 1, 'USPS'],
        ['O16', 1, 'USPS'],
        ['OLD', 0, 'USPS'],
      ],
    );
    const vtrPlan = (await acts.draftAppealPlan({ shopId, notice: vtrNotice, evidenceRef: vtrRef })).plan;
    const root = vtrPlan.rootCauses[0]!;
    assert.deepEqual(
      [root.breachType, root.rate, root.numerator, root.denominator],
      ['valid_tracking', vtr.rate, 18, 21],
    );
    assert.deepEqual(root.causes, [{ cause: 'too_few_scans', orders: 3 }]);
    assert.match(
      root.statement,
      /18 packages with valid tracking of 21 packages dispatched against TikTok's enforcement threshold of 95\.0%\. Our records show 3 orders against it/,
    );
    assert.deepEqual(
      vtrPlan.preventiveControls.map((c) => [c.id, c.owner, c.target]),
      [['valid-tracking', 'Dana (shipping)', 'at least 95.0%']],
    );
  });
});
