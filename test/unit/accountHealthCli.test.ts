// `health show` and `health violations add` (cli/health.ts) without a server: the request each makes, what it prints
// (the report's metrics, score, forecast, warnings naming orders, the chart's path), and a wrong points figure refused
// as a usage error before any request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliAgainstFakeApi } from '../helpers/cliAgainstFakeApi';

const cli = cliAgainstFakeApi;

const report = {
  shopId: 'shop-1',
  region: 'US',
  regime: 'us_ahr',
  asOf: '2026-12-05T12:00:00.000Z',
  metrics: [
    {
      key: 'ldr',
      name: 'Late Dispatch Rate',
      rate: 0.375,
      numerator: 3,
      denominator: 8,
      window: { days: 30 },
      breached: 'enforcement',
      thresholds: [{ level: 'enforcement', direction: 'max', value: 0.04, uncertain: false }],
    },
  ],
  score: {
    value: 170,
    milestone: null,
    nextMilestone: { threshold: 150, restriction: null, uncertain: true },
    pointsToNext: 20,
    unverified: ['ahr.violationPoints'],
  },
  violations: [
    {
      policy: 'late_dispatch',
      points: 30,
      occurredAt: '2026-12-01T09:00:00.000Z',
      expiresAt: '2027-05-30T09:00:00.000Z',
    },
  ],
  forecast: {
    nextMilestone: { threshold: 150, risk: 'at_risk', drivers: ['ldr'] },
    reserve: { level: 1, unverified: true },
  },
  warnings: [
    {
      severity: 'critical',
      message: 'Late Dispatch Rate 37.5% is past the enforcement level',
      orderIds: ['o-1', 'o-2'],
    },
  ],
};

test('health show: GET the report; metrics, score, violations, forecast, warnings with their orders, the chart', async () => {
  const out = await cli(['health', 'show', 'shop-1'], { report, chart: '/v1/shops/shop-1/account-health/chart.svg' });
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    { method: 'GET', url: 'http://api.test:3000/v1/shops/shop-1/account-health', body: undefined },
  ]);
  assert.match(out.stdout, /^Shop shop-1 \(US, us_ahr\) as of 2026-12-05T12:00:00.000Z/);
  assert.match(out.stdout, /Score 170 \(unverified\); milestone none; next 150 \(20 points away\)/);
  assert.match(out.stdout, /Late Dispatch Rate +37\.50% +3\/8 +30 d +enforcement +enforcement max 4\.00%/);
  assert.match(out.stdout, /2026-12-01 late_dispatch 30 pts, until 2027-05-30/);
  assert.match(out.stdout, /Forecast: next milestone 150 at_risk \(drivers: ldr\); reserve level 1 \(unverified\)/);
  assert.match(out.stdout, /\[critical\] Late Dispatch Rate 37\.5% is past the enforcement level — orders o-1, o-2/);
  assert.match(out.stdout, /Chart: \/v1\/shops\/shop-1\/account-health\/chart\.svg\n$/);
});

test('health violations add: POSTs the notice; a points figure that is not a whole number is a usage error', async () => {
  const answer = { shopId: 'shop-1', violationId: '4', expiresAt: '2027-05-30T09:00:00.000Z' };
  const args = ['health', 'violations', 'add', 'shop-1', '--notice', 'SC-9', '--policy', 'late_dispatch'];
  const out = await cli(
    [...args, '--points', '30', '--occurred-at', '2026-12-01T09:00:00Z', '--note', 'from mail'],
    answer,
  );
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    {
      method: 'POST',
      url: 'http://api.test:3000/v1/shops/shop-1/account-health/violations',
      body: {
        noticeId: 'SC-9',
        policy: 'late_dispatch',
        points: 30,
        occurredAt: '2026-12-01T09:00:00Z',
        note: 'from mail',
      },
    },
  ]);
  assert.equal(out.stdout, 'Violation 4 recorded for shop shop-1; counts until 2027-05-30T09:00:00.000Z\n');
  const bad = await cli([...args, '--points', '2.5', '--occurred-at', '2026-12-01T09:00:00Z'], answer);
  assert.equal(bad.code, 2);
  assert.deepEqual(bad.sent, []);
  assert.match(bad.stderr, /whole number from 1 to 1000/);
});
