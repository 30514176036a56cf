// What the account-health workflow keeps of a report (activities/accountHealth/summary.ts) and the notification of
// a warning: the case attributes (stage, risk, next milestone), when the score changes by itself (the earliest
// violation expiry), no order ids in the summary, and a notification that names the orders and dedups per day.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountHealthReport, AccountMetric, HealthWarning } from '../../accountHealth/model';
import { warningNotification } from '../../activities/accountHealth';
import { summarizeAccountHealth, warningKey } from '../../activities/accountHealth/summary';

const AS_OF = '2026-12-05T12:00:00.000Z';

function metric(key: AccountMetric['key'], rate: number | null, breached: AccountMetric['breached']): AccountMetric {
  return {
    key,
    name: key.toUpperCase(),
    status: rate === null ? 'no_orders' : 'measured',
    rate,
    numerator: 3,
    denominator: 10,
    window: { days: 30, from: '2026-11-05T12:00:00.000Z', to: AS_OF },
    thresholds: [],
    breached,
    offendingOrderIds: ['o-1', 'o-2', 'o-3'],
    offendingTotal: 3,
    excluded: { fbt: 0, creatorSample: 0, tiktokShipping: 0 },
    unverified: false,
  };
}

function report(over: Partial<AccountHealthReport> = {}): AccountHealthReport {
  return {
    shopId: 'shop-1',
    region: 'US',
    regime: 'us_ahr',
    asOf: AS_OF,
    metrics: [metric('ldr', 0.3, 'none'), metric('responseRate', null, 'none')],
    score: {
      regime: 'us_ahr',
      value: 170,
      direction: 'lower_is_worse',
      scale: { min: 0, max: 1000 },
      base: 200,
      milestone: null,
      nextMilestone: { threshold: 150, restriction: 'listing limits', uncertain: true },
      pointsToNext: 20,
      unverified: ['ahr.violationPoints'],
    },
    violations: [
      violation('v-2', '2027-05-01T00:00:00.000Z'),
      violation('v-1', '2027-04-01T00:00:00.000Z'),
      violation('v-0', '2026-12-01T00:00:00.000Z'),
    ],
    forecast: {
      horizonDays: 30,
      recovery: [],
      milestoneLeftAt: null,
      nextMilestone: { threshold: 150, pointsAway: 20, risk: 'not_expected', drivers: [] },
      trends: [],
      reserve: { level: 0, rate: 0, driver: null, nextLevel: null, distance: null, unverified: true },
    },
    warnings: [],
    policy: [],
    ...over,
  };
}

function violation(id: string, expiresAt: string) {
  return {
    id,
    shopId: 'shop-1',
    policy: 'late_dispatch',
    points: 10,
    occurredAt: '2026-10-01T00:00:00.000Z',
    expiresAt,
    noticeRef: `SC-${id}`,
    note: null,
    enteredBy: 'ops',
    enteredAt: '2026-10-02T00:00:00.000Z',
  };
}

const warning: HealthWarning = {
  code: 'metric_breached',
  severity: 'critical',
  metric: 'ldr',
  message: 'Late dispatch rate 30.0% is past the enforcement level 4.0%',
  orderIds: Array.from({ length: 12 }, (_, i) => `o-${i + 1}`),
  value: 0.3,
  threshold: 0.04,
  unverified: false,
};

test('a clear shop: on track, its stage, the next change at the earliest expiry still ahead', () => {
  const s = summarizeAccountHealth(report());
  assert.equal(s.stage, 'us_ahr 170: clear');
  assert.equal(s.risk, 'on_track');
  assert.equal(s.nextMilestoneAt, null);
  assert.equal(s.nextChangeAt, '2027-04-01T00:00:00.000Z');
  assert.equal(s.activeViolations, 2);
  assert.deepEqual(s.score, { value: 170, milestone: null, nextMilestone: '150', unverified: true });
  assert.deepEqual(
    s.metrics.map((m) => [m.key, m.value]),
    [
      ['ldr', 0.3],
      ['responseRate', null],
    ],
  );
  assert.equal(s.snapshotDay, undefined);
  assert.equal(summarizeAccountHealth(report(), '2026-12-05').snapshotDay, '2026-12-05');
});

test('at risk when the forecast expects the milestone (at the earliest crossing of a driver), late once reached', () => {
  const atRisk = summarizeAccountHealth(
    report({
      forecast: {
        ...report().forecast,
        nextMilestone: { threshold: 150, pointsAway: 20, risk: 'at_risk', drivers: ['ldr'] },
        trends: [
          { key: 'vtr', slopePerDay: -0.01, threshold: 0.95, crossesAt: '2026-12-07T00:00:00.000Z' },
          { key: 'ldr', slopePerDay: 0.01, threshold: 0.04, crossesAt: '2026-12-20T00:00:00.000Z' },
        ],
      },
    }),
  );
  assert.equal(atRisk.risk, 'at_risk');
  assert.equal(atRisk.nextMilestoneAt, '2026-12-20T00:00:00.000Z', 'the driver, not another metric');
  const score = { ...report().score, value: 140, milestone: { threshold: 150, restriction: null, uncertain: true } };
  const late = summarizeAccountHealth(report({ score }));
  assert.equal(late.risk, 'late');
  assert.equal(late.stage, 'us_ahr 140: milestone 150');
  const breached = summarizeAccountHealth(report({ metrics: [metric('ldr', 0.3, 'enforcement')] }));
  assert.equal(breached.risk, 'late');
});

test('warnings: the summary keeps their key and order count, never the order ids', () => {
  const s = summarizeAccountHealth(report({ warnings: [warning] }));
  assert.equal(s.risk, 'at_risk');
  assert.deepEqual(s.warnings, [
    { key: 'metric_breached:ldr:0.04', severity: 'critical', title: warning.message, orders: 12 },
  ]);
  assert.ok(!JSON.stringify(s).includes('o-1'));
  assert.equal(warningKey(warning), 'metric_breached:ldr:0.04');
});

test("a warning's notification names its orders (ten, then how many more) and dedups per warning and day", () => {
  const n = warningNotification(report(), warning);
  assert.equal(n.dedupKey, 'account-health:shop-1:metric_breached:ldr:0.04:2026-12-05');
  assert.equal(n.kind, 'account_health_metric_breached');
  assert.equal(n.severity, 'critical');
  assert.match(n.body, /Orders: o-1, o-2, o-3, o-4, o-5, o-6, o-7, o-8, o-9, o-10 and 2 more$/);
});
