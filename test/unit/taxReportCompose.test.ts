// The report's finishing step (tax/report.ts) on what the nexus tests read: the daily totals' collectors as channels
// (TikTok's sales count only where the state says so), AND vs OR thresholds, stock stays as days, and the history's
// coverage with a hole in it. Expected dates are worked out by hand from the rules as their sources state them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeReport, coveredRange, toDailySales, toInventoryDays, type DailyTotalInput } from '../../tax/report';
import { emptyAccumulator } from '../../tax/returnLines';

function days(state: string, from: string, n: number, collectedBy: DailyTotalInput['collectedBy'], tx: number) {
  return Array.from({ length: n }, (_, i): DailyTotalInput => ({
    state,
    day: new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
    collectedBy,
    gross: String(tx * 10),
    net: String(tx * 9),
    transactions: tx,
  }));
}

test('covered range: the stretch of history that reaches the month end; none when the month is not covered', () => {
  const coverage = [
    { from: '2025-01-01', to: '2025-06-30' },
    { from: '2025-08-01', to: '2025-12-31' },
    { from: '2026-01-01', to: '2026-03-31' },
  ];
  assert.deepEqual(coveredRange(coverage, '2026-03-31'), { from: '2025-08-01', to: '2026-03-31' });
  assert.deepEqual(coveredRange(coverage.slice(0, 2), '2026-03-31'), { from: '2026-04-01', to: '2026-03-31' });
});

test('daily totals: TikTok is the marketplace channel, the rest direct; the bases are the net sales', () => {
  assert.deepEqual(
    toDailySales([
      { state: 'KY', day: '2026-01-02', collectedBy: 'tiktok', gross: '100.00', net: '90.50', transactions: 3 },
      { state: 'KY', day: '2026-01-02', collectedBy: 'none', gross: '10.00', net: '10.00', transactions: 1 },
    ]),
    [
      {
        day: '2026-01-02',
        state: 'KY',
        channel: 'marketplace',
        gross: 100,
        retail: 90.5,
        taxable: 90.5,
        transactions: 3,
      },
      { day: '2026-01-02', state: 'KY', channel: 'direct', gross: 10, retail: 10, taxable: 10, transactions: 1 },
    ],
  );
});

test('stock stays become days within the range; own warehouses count as third-party stock', () => {
  const out = toInventoryDays(
    [
      { state: 'TX', locationKind: 'fbt', fromDay: '2026-03-29', toDay: null },
      { state: 'CA', locationKind: 'own', fromDay: '2025-12-30', toDay: '2026-01-02' },
    ],
    '2026-01-01',
    '2026-03-31',
  );
  assert.deepEqual(
    out.map((p) => `${p.state} ${p.day} ${p.kind}`),
    ['TX 2026-03-29 fbt', 'TX 2026-03-30 fbt', 'TX 2026-03-31 fbt', 'CA 2026-01-01 3pl', 'CA 2026-01-02 3pl'],
  );
});

test('OR vs AND, marketplace inclusion, and a hole in the history, through the report', () => {
  const { outputs } = composeReport({
    period: '2026-03',
    timeZone: 'America/New_York',
    acc: emptyAccumulator(),
    dailyTotals: [
      // Kentucky (100,000 or 200 sales, TikTok's included): 10 TikTok sales a day from 1 January: the 200th on 20
      // January.
      ...days('KY', '2026-01-01', 60, 'tiktok', 10),
      // Connecticut (100,000 AND 200, 12 months ending 30 September): 250 direct sales of 10.00 in September 2025 —
      // the count without the amount.
      ...days('CT', '2025-09-01', 25, 'seller', 10),
      // Georgia (100,000 or 200 retail sales, TikTok's excluded): 300 TikTok sales count for nothing.
      ...days('GA', '2026-01-01', 30, 'tiktok', 10),
    ],
    presence: [],
    coverage: [
      { from: '2025-01-01', to: '2025-06-30' },
      { from: '2025-08-01', to: '2026-03-31' },
    ],
    registrations: [],
    sellerOwed: { transactions: 0, lines: 0, digest: '0' },
    differences: { count: 0, overCents: 0, underCents: 0, digest: '0' },
  });
  // Kentucky's registration rule is unsourced: by the day nexus arises.
  assert.deepEqual(outputs.mustRegister, [
    { state: 'KY', nexusFrom: '2026-01-20', mustRegisterBy: '2026-01-20', kind: 'economic' },
  ]);
  assert.deepEqual(
    outputs.nexus.map((n) => [n.state, n.nexusFrom ?? null, n.mayBeEarlier]),
    [
      ['CT', null, false],
      ['GA', null, false],
      ['KY', '2026-01-20', true],
    ],
  );
  // The history starts again on 1 August 2025; Connecticut's window ending 30 September 2025 starts 1 October 2024.
  assert.deepEqual(outputs.historyGaps, [{ from: '2024-10-01', to: '2025-07-31' }]);
  assert.ok(outputs.flags.some((f) => f.startsWith('KY: nexus found from 2026-01-20, but the history before it')));
});
