// Issue 17 items 3 and 5: score, forecast (recovery as violations expire, metric trends, reserve) and warnings, from
// hand-made inputs (pure functions; the database-backed metrics are in test/workflow/accountHealthMetrics.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forecast, metricTrend, recoveryPath, reserveExposure, slopePerDay } from '../../accountHealth/forecast';
import type { AccountMetric, HealthViolation, MetricThreshold, ReserveLevel } from '../../accountHealth/model';
import { policyReader } from '../../accountHealth/policyReader';
import { regimeParams, scoreFor, scoreFromViolations } from '../../accountHealth/score';
import { healthWarnings, ordersToCross } from '../../accountHealth/warnings';

const asOf = new Date('2026-06-15T12:00:00.000Z');
const us = regimeParams(policyReader('US', asOf));
const th = regimeParams(policyReader('TH', asOf));

function violation(points: number, expiresAt: string, id = expiresAt): HealthViolation {
  return {
    id,
    shopId: 's1',
    policy: 'late_dispatch_rate',
    points,
    occurredAt: '2026-05-01T00:00:00.000Z',
    expiresAt,
    noticeRef: null,
    note: null,
    enteredBy: 'ops@example.com',
    enteredAt: '2026-05-02T00:00:00.000Z',
  };
}

const LDR_T: MetricThreshold[] = [
  { level: 'recommended', direction: 'max', value: 0.04, policyKey: 'ldr.recommendedMax', uncertain: false },
  { level: 'enforcement', direction: 'max', value: 0.1, policyKey: 'ldr.enforcementAbove', uncertain: false },
];

function ldr(numerator: number, denominator: number, ids: string[] = []): AccountMetric {
  const rate = denominator === 0 ? null : numerator / denominator;
  return {
    key: 'ldr',
    name: 'Late Dispatch Rate',
    status: rate === null ? 'no_orders' : 'measured',
    rate,
    numerator,
    denominator,
    window: { days: 7, from: '2026-06-08T12:00:00.000Z', to: asOf.toISOString() },
    thresholds: LDR_T,
    breached: rate === null ? 'none' : rate > 0.1 ? 'enforcement' : rate > 0.04 ? 'recommended' : 'none',
    offendingOrderIds: ids,
    offendingTotal: ids.length,
    excluded: { fbt: 0, creatorSample: 0, tiktokShipping: 0 },
    unverified: true,
  };
}

function sfcr(rate: number): AccountMetric {
  return {
    ...ldr(0, 0),
    key: 'sfcr',
    name: 'Seller-Fault Cancellation Rate',
    status: 'measured',
    rate,
    numerator: Math.round(rate * 1000),
    denominator: 1000,
    thresholds: [{ level: 'enforcement', direction: 'max', value: 0.025, policyKey: 'sfcr.max', uncertain: false }],
    breached: rate > 0.025 ? 'enforcement' : 'none',
  };
}

test('US score: 200 − active points; milestones reached at or below 150/100/50/0; points to the next', () => {
  assert.deepEqual(
    [200, 160, 150, 149, 99, 0].map((v) => {
      const s = scoreFor(us, 200 - v);
      return [s.value, s.milestone?.threshold ?? null, s.nextMilestone?.threshold ?? null, s.pointsToNext];
    }),
    [
      [200, null, 150, 50],
      [160, null, 150, 10],
      [150, 150, 100, 50],
      [149, 150, 100, 49],
      [99, 100, 50, 49],
      [0, 0, null, null],
    ],
  );
  assert.equal(scoreFor(us, 500).value, 0, 'clamped to the scale');
  const s = scoreFromViolations(us, [
    violation(30, '2026-10-01T00:00:00.000Z'),
    violation(25, '2026-11-01T00:00:00.000Z'),
  ]);
  assert.deepEqual(
    [s.value, s.milestone?.threshold, s.milestone?.restriction],
    [145, 150, '7-day listing restriction'],
  );
  assert.ok(s.unverified.includes('ahr.milestone.restrictions'));
});

test('48-point score: points add up; deactivation at 48', () => {
  assert.deepEqual(
    [0, 47, 48].map((p) => {
      const s = scoreFor(th, p);
      return [s.value, s.milestone?.threshold ?? null, s.pointsToNext];
    }),
    [
      [0, null, 48],
      [47, null, 1],
      [48, 48, null],
    ],
  );
});

test('recovery: the score after each expiry, and when the milestone reached is left', () => {
  const vs = [
    violation(30, '2026-10-01T00:00:00.000Z', 'a'),
    violation(25, '2026-11-01T00:00:00.000Z', 'b'),
    violation(10, '2026-11-01T00:00:00.000Z', 'c'),
  ];
  assert.deepEqual(recoveryPath(us, vs), [
    { at: '2026-10-01T00:00:00.000Z', value: 165, milestone: null },
    { at: '2026-11-01T00:00:00.000Z', value: 200, milestone: null },
  ]);
  const score = scoreFromViolations(us, vs);
  assert.equal(score.value, 135);
  const f = forecast({
    asOf,
    horizonDays: 30,
    params: us,
    score,
    violations: vs,
    metrics: [ldr(0, 50)],
    snapshots: [],
    reserveLevels: undefined,
    reserveUnverified: true,
  });
  assert.equal(f.milestoneLeftAt, '2026-10-01T00:00:00.000Z');
  assert.deepEqual(f.nextMilestone, { threshold: 100, pointsAway: 35, risk: 'not_expected', drivers: [] });
});

test('trend: least squares over the snapshots; the day a rising LDR crosses 10%', () => {
  assert.equal(slopePerDay([{ at: 0, rate: 0.01 }]), null);
  const day = 86_400_000;
  assert.ok(
    Math.abs(
      slopePerDay([
        { at: 0, rate: 0.01 },
        { at: 2 * day, rate: 0.05 },
      ])! - 0.02,
    ) < 1e-12,
  );
  const snapshots = [
    { asOf: '2026-06-12T12:00:00.000Z', rates: { ldr: 0.02 } },
    { asOf: '2026-06-13T12:00:00.000Z', rates: { ldr: 0.04 } },
    { asOf: '2026-06-14T12:00:00.000Z', rates: { ldr: 0.06 } },
  ];
  // 0.08 today, +0.02 a day: past 0.10 one day from now.
  const t = metricTrend(ldr(8, 100, ['o1']), snapshots, asOf, 30);
  assert.ok(Math.abs(t.slopePerDay! - 0.02) < 1e-9);
  assert.equal(t.threshold, 0.1);
  assert.equal(t.crossesAt, '2026-06-16T12:00:00.000Z');
  // Falling: not heading there.
  const down = snapshots.map((s, i) => ({ ...s, rates: { ldr: 0.09 - i * 0.01 } }));
  assert.equal(metricTrend(ldr(5, 100), down, asOf, 30).crossesAt, null);
  // Too slow for the horizon: not within it.
  assert.equal(metricTrend(ldr(8, 100), snapshots, asOf, 0.5).crossesAt, null);
});

test('reserve: SFCR above 2.5% holds 5%, above 5% holds 10%; distance to the next level', () => {
  const levels: ReserveLevel[] = [
    { level: 1, metric: 'sfcr', above: 0.025, rate: 0.05 },
    { level: 2, metric: 'sfcr', above: 0.05, rate: 0.1 },
  ];
  const at = (rate: number) => reserveExposure([sfcr(rate)], levels, true);
  assert.deepEqual([at(0.02).level, at(0.02).rate, at(0.02).nextLevel?.level], [0, 0, 1]);
  assert.ok(Math.abs(at(0.02).distance! - 0.005) < 1e-12);
  assert.deepEqual([at(0.025).level, at(0.03).level, at(0.03).rate, at(0.03).driver], [0, 1, 0.05, 'sfcr']);
  assert.deepEqual([at(0.06).level, at(0.06).rate, at(0.06).nextLevel], [2, 0.1, null]);
  assert.equal(at(0.06).unverified, true);
});

test('orders to cross: how many more late orders take a rate past its threshold', () => {
  // 0/20 late: (0+k)/(20+k) > 0.10 ⇔ k > 2.22 → 3.
  assert.equal(ordersToCross({ numerator: 0, denominator: 20 }, LDR_T[1]!), 3);
  // 2/20 = 10% exactly is not past; one more: 3/21 = 14.3%.
  assert.equal(ordersToCross({ numerator: 2, denominator: 20 }, LDR_T[1]!), 1);
  assert.equal(ordersToCross({ numerator: 3, denominator: 20 }, LDR_T[1]!), 0);
  // VTR ≥ 95%: 19 valid of 19; 19/(19+k) < 0.95 ⇔ k > 1 → 2.
  const vtr: MetricThreshold = {
    level: 'enforcement',
    direction: 'min',
    value: 0.95,
    policyKey: 'vtr.min',
    uncertain: false,
  };
  assert.equal(ordersToCross({ numerator: 19, denominator: 19 }, vtr), 2);
});

test('warnings: breach is critical, near a threshold warns, each naming the orders; milestone and reserve warnings', () => {
  const score = scoreFor(us, 40); // 160: 10 points from 150, within 25% of the 50-point gap
  const f = (metrics: AccountMetric[]) =>
    forecast({
      asOf,
      horizonDays: 30,
      params: us,
      score,
      violations: [],
      metrics,
      snapshots: [],
      reserveLevels: [{ level: 1, metric: 'sfcr', above: 0.025, rate: 0.05 }],
      reserveUnverified: true,
    });
  const run = (metrics: AccountMetric[]) => healthWarnings({ metrics, score, forecast: f(metrics), margin: 0.75 });

  const breached = run([ldr(3, 20, ['o3', 'o2', 'o1'])]);
  const ldrBreach = breached.find((w) => w.metric === 'ldr')!;
  assert.deepEqual(
    [ldrBreach.code, ldrBreach.severity, ldrBreach.threshold, ldrBreach.orderIds],
    ['metric_breached', 'critical', 0.1, ['o3', 'o2', 'o1']],
  );
  assert.match(ldrBreach.message, /15\.0% is past the enforcement level 10\.0% \(unverified\)/);

  // 3/100 = 3%: 75% of the 4% recommended level used → info, naming the orders.
  const near = run([ldr(3, 100, ['a', 'b', 'c'])]).find((w) => w.metric === 'ldr')!;
  assert.deepEqual(
    [near.code, near.severity, near.threshold, near.orderIds],
    ['metric_near_threshold', 'info', 0.04, ['a', 'b', 'c']],
  );
  // 2/100 = 2%: half the room: no warning.
  assert.equal(run([ldr(2, 100, ['a', 'b'])]).filter((w) => w.metric === 'ldr').length, 0);
  // 8/100: past 4% (warning), 80% of the 10% enforcement level is not a second warning: the breach names it.
  const recommended = run([ldr(8, 100, ['x'])]).filter((w) => w.metric === 'ldr');
  assert.deepEqual(
    recommended.map((w) => [w.code, w.severity]),
    [['metric_breached', 'warning']],
  );

  const all = run([ldr(0, 10), sfcr(0.03)]);
  const milestone = all.find((w) => w.code === 'milestone_near')!;
  assert.deepEqual([milestone.severity, milestone.threshold, milestone.unverified], ['warning', 150, true]);
  assert.match(milestone.message, /score 160 is 10 point\(s\) from the 150 milestone \(unverified: /);
  const reserve = all.find((w) => w.code === 'reserve')!;
  assert.match(
    reserve.message,
    /reserve level 1: 5\.0% of each order's settlement held \(driven by sfcr\) \(unverified\)/,
  );
  // Critical first.
  assert.equal(all[0]!.severity, 'critical');

  const reached = healthWarnings({ metrics: [], score: scoreFor(us, 60), forecast: f([]), margin: 0.75 });
  assert.deepEqual(
    reached.map((w) => [w.code, w.severity, w.threshold]),
    [['milestone_reached', 'critical', 150]],
  );
});

test('pending: orders past their dispatch deadline, not scanned yet, warned about before they count', () => {
  const score = scoreFor(us, 0);
  const run = (m: AccountMetric) =>
    healthWarnings({
      metrics: [m],
      score,
      forecast: forecast({
        asOf,
        horizonDays: 30,
        params: us,
        score,
        violations: [],
        metrics: [m],
        snapshots: [],
        reserveLevels: undefined,
        reserveUnverified: true,
      }),
      margin: 0.75,
    }).filter((w) => w.code === 'metric_pending');
  // 0 late of 10, 2 pending: 2/12 = 16.7% once scanned, past the 10% enforcement level.
  const two = run({ ...ldr(0, 10), pendingOrderIds: ['p2', 'p1'], pendingTotal: 2 });
  assert.deepEqual(
    two.map((w) => [w.severity, w.threshold, w.orderIds]),
    [['warning', 0.1, ['p2', 'p1']]],
  );
  assert.ok(Math.abs(two[0]!.value! - 2 / 12) < 1e-12);
  assert.match(
    two[0]!.message,
    /2 order\(s\) past their deadline will count against Late Dispatch Rate once counted: it would be 16\.7%/,
  );
  // Nothing dispatched yet: the one pending order alone would be 100%.
  assert.equal(run({ ...ldr(0, 0), pendingOrderIds: ['p1'], pendingTotal: 1 })[0]?.value, 1);
  // 1 pending of 101: 1.0%, within every level: no warning; already past enforcement: the breach says it.
  assert.deepEqual(run({ ...ldr(0, 100), pendingOrderIds: ['p1'], pendingTotal: 1 }), []);
  assert.deepEqual(run({ ...ldr(5, 20), pendingOrderIds: ['p1'], pendingTotal: 1 }), []);
  // Past 4% already (5/100), 2 pending make 6.9%: nothing new crossed, no warning.
  assert.deepEqual(run({ ...ldr(5, 100), pendingOrderIds: ['p1', 'p2'], pendingTotal: 2 }), []);
});
