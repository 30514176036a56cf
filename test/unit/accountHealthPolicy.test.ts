// Issue 17 item 2: every account-health policy row pinned to its value and its source; unverified rows flagged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLICY_ROWS } from '../../policy';
import { ACCOUNT_HEALTH_ROWS } from '../../policy/accountHealthRows';
import { policyReader } from '../../accountHealth/policyReader';
import { regimeParams } from '../../accountHealth/score';

type Pin = [region: string, key: string, effectiveFrom: string, value: unknown, uncertain: boolean, source: RegExp];

const AHR = /Account Health Rating Requirements" \(updated 2026-04-08\).*warptok\.com/;
const TH = /seller-th\.tiktok\.com "Violation Reasons, Points & Enforcement Actions"/;

const PINS: Pin[] = [
  ['US', 'health.regime', '2026-04-08', 'us_ahr', false, AHR],
  ['US', 'ahr.scale', '2026-04-08', { min: 0, max: 1000 }, false, /0 to 1000/],
  ['US', 'ahr.start', '2026-04-08', 200, false, /start at 200/],
  ['US', 'ahr.window.days', '2026-04-08', 180, false, /last 180 days.*tokhq\.io/],
  ['US', 'ahr.milestones', '2026-04-08', [150, 100, 50, 0], false, /150 \/ 100 \/ 50 \/ 0/],
  [
    'US',
    'ahr.milestone.restrictions',
    '2026-04-08',
    {
      '150': '7-day listing restriction',
      '100': '14-day listing restriction',
      '50': '28-day listing restriction',
      '0': 'permanent deactivation',
    },
    true,
    /tokhq\.io\/account-health \(3p\): 150 → 7-day, 100 → 14-day, 50 → 28-day/,
  ],
  ['US', 'ahr.violationPoints', '2026-04-08', null, true, /no public per-violation value/],
  ['US', 'ahr.earnedPoints.perDeliveredOrder', '2026-04-08', 0, true, /how many is not published/],
  ['TH', 'health.regime', '2023-09-01', 'points48', false, TH],
  ['TH', 'points48.milestones', '2023-09-01', [48], false, TH],
  ['TH', 'points48.milestone.restrictions', '2023-09-01', { '48': 'deactivation' }, false, TH],
  [
    'TH',
    'points48.violationPoints',
    '2023-09-01',
    {
      seller_fault_cancellation_rate: { min: 2, max: 4 },
      late_dispatch_rate: { min: 2, max: 4 },
      snad: { min: 1, max: 48 },
      reproduced_content: { min: 48, max: 48 },
    },
    false,
    /high SFCR 2–4 points, high LDR 2–4, SNAD 1–48, reproduced content 48/,
  ],
  ['TH', 'points48.window.days', '2023-09-01', 180, true, /states no expiry/],
  ['PH', 'health.regime', '2023-09-01', 'points48', true, /applies in SEA/],
  ['PH', 'points48.milestones', '2023-09-01', [48], true, TH],
  ['PH', 'points48.milestone.restrictions', '2023-09-01', { '48': 'deactivation' }, true, TH],
  ['PH', 'points48.window.days', '2023-09-01', 180, true, /180-day point expiry before June 2025/],
  ['PH', 'points48.window.days', '2025-06-01', 90, true, /moved to a 90-day point expiry in June 2025/],
  ['US', 'otdr.min', '2023-09-01', 0.8, true, /sellerops\.io \(3p\): on-time delivery rate ≥80%/],
  ['US', 'otdr.window.days', '2023-09-01', 30, false, /Shop Performance Score.*30 days/],
  ['US', 'response.sla.hours', '2023-09-01', 24, false, /polici\.net.*24 hours/],
  ['US', 'response.recommendedMin', '2023-09-01', 0.9, true, /eshoppick\.com \(3p\): ≥90%/],
  ['US', 'response.enforcementBelow', '2023-09-01', 0.85, true, /eshoppick\.com \(3p\): enforcement below 85%/],
  [
    'US',
    'reserve.levels',
    '2025-01-22',
    [
      { level: 1, metric: 'sfcr', above: 0.025, rate: 0.05 },
      { level: 2, metric: 'sfcr', above: 0.05, rate: 0.1 },
    ],
    true,
    /"Reserve Policy" \(2025-01-22\).*SFCR > 2\.5% → 5% reserve, > 5% → 10%/,
  ],
  ['*', 'health.warningMargin', '2023-09-01', 0.75, false, /product decision/],
  ['*', 'health.forecastHorizon.days', '2023-09-01', 30, false, /product decision/],
];

test('every account-health policy row is pinned to its value, uncertainty and source', () => {
  const id = (region: string, key: string, from: string) => `${region} ${key} @ ${from}`;
  const actual = new Map(ACCOUNT_HEALTH_ROWS.map((r) => [id(r.region, r.key, r.effectiveFrom), r]));
  assert.deepEqual(
    [...actual.keys()].sort(),
    PINS.map(([region, key, from]) => id(region, key, from)).sort(),
    'a row added or removed: pin it here with its source',
  );
  for (const [region, key, from, value, uncertain, source] of PINS) {
    const row = actual.get(id(region, key, from))!;
    assert.deepEqual(
      { value: row.value, uncertain: row.uncertain === true },
      { value, uncertain },
      id(region, key, from),
    );
    assert.match(row.source, source, id(region, key, from));
    assert.ok(POLICY_ROWS.includes(row), `${key} is in POLICY_ROWS`);
  }
});

test('the regimes: US rating lower is worse from 200; TH points higher is worse to 48; PH window moved to 90 days', () => {
  const us = regimeParams(policyReader('US', new Date('2026-06-01T00:00:00Z')));
  assert.deepEqual(
    { regime: us.regime, direction: us.direction, base: us.base, window: us.windowDays },
    { regime: 'us_ahr', direction: 'lower_is_worse', base: 200, window: 180 },
  );
  assert.deepEqual(
    us.milestones.map((m) => [m.threshold, m.restriction, m.uncertain]),
    [
      [150, '7-day listing restriction', true],
      [100, '14-day listing restriction', true],
      [50, '28-day listing restriction', true],
      [0, 'permanent deactivation', true],
    ],
  );
  // What the US rating rests on without an official value is named, so every output can show it as unverified.
  assert.deepEqual(us.unverified, [
    'ahr.earnedPoints.perDeliveredOrder',
    'ahr.milestone.restrictions',
    'ahr.violationPoints',
  ]);
  const th = regimeParams(policyReader('TH', new Date('2026-06-01T00:00:00Z')));
  assert.deepEqual([th.regime, th.direction, th.base, th.scale.max], ['points48', 'higher_is_worse', 0, 48]);
  assert.equal(regimeParams(policyReader('PH', new Date('2025-05-31T12:00:00Z'))).windowDays, 180);
  assert.equal(regimeParams(policyReader('PH', new Date('2025-06-01T00:00:00Z'))).windowDays, 90);
  // Before the AHR page revision the US has no regime row: a report for then fails loudly instead of guessing.
  assert.throws(() => regimeParams(policyReader('US', new Date('2026-04-07T12:00:00Z'))), /health\.regime/);
});
