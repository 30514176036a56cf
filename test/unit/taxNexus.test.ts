// Nexus per state by day (tax/nexus.ts) under the real rule rows (policy/taxRules). Every expected date and figure
// below is worked out by hand in the comment beside it from the rule as the source states it, never from the code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  computeNexus,
  registrationDue,
  type DailySales,
  type InventoryPresence,
  type StateNexus,
} from '../../tax/nexus';

function sale(
  state: string,
  day: string,
  amount: number,
  transactions = 1,
  channel: DailySales['channel'] = 'direct',
): DailySales {
  return { state, day, channel, gross: amount, retail: amount, taxable: amount, transactions };
}

/** One sale of `amount` a day, `n` sales each, on every day from `from` to `to`. */
function daily(state: string, from: string, to: string, amount: number, n: number): DailySales[] {
  const out: DailySales[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    out.push(sale(state, new Date(t).toISOString().slice(0, 10), amount, n));
  }
  return out;
}

function one(
  state: string,
  month: string,
  sales: DailySales[],
  covered = { from: '2024-01-01', to: endOf(month) },
  inventory: InventoryPresence[] = [],
): StateNexus {
  const report = computeNexus({ month, covered, sales, inventory, states: [state] });
  assert.equal(report.states.length, 1);
  return report.states[0]!;
}

function endOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

test('OR: 200 sales alone give nexus (KY); AND: 200 sales without the amount give none (CT)', () => {
  // 10 sales of $50 a day from 1 January 2026: the 200th sale is on 20 January, when the year holds $10,000.
  const ky = one('KY', '2026-03', daily('KY', '2026-01-01', '2026-03-31', 500, 10));
  assert.equal(ky.nexusFrom, '2026-01-20');
  assert.equal(ky.economic?.met, 'transactions');
  assert.deepEqual(ky.economic?.figures, {
    window: { from: '2026-01-01', to: '2026-01-20' },
    amount: 10_000,
    transactions: 200,
    basis: 'gross',
    marketplaceSalesCount: true,
  });
  // KY has no sourced registration rule: the default (the same day) is flagged.
  assert.equal(ky.mustRegisterBy, '2026-01-20');
  assert.ok(ky.flags.some((f) => f.ruleId === 'KY.registration@2018-06-21' && f.reason === 'unsourced'));

  // CT needs $100,000 AND 200 sales in the 12 months ending 30 September: 920 sales (92 days × 10) in 2025-07..09 but $45,000.
  const ctSales = daily('CT', '2025-07-01', '2025-09-30', 500, 10).map((s) => ({ ...s, gross: 489.13 }));
  const ct = one('CT', '2026-03', ctSales);
  assert.equal(ct.nexusFrom, undefined);
  assert.equal(ct.mustRegisterBy, undefined);
  // The same sales at $1,100 a day ($101,200 in 92 days) meet both: tested at 30 September only.
  const ct2 = one('CT', '2026-03', daily('CT', '2025-07-01', '2025-09-30', 1_100, 10));
  assert.equal(ct2.nexusFrom, '2025-09-30');
  assert.equal(ct2.economic?.met, 'amountAndTransactions');
  assert.equal(ct2.economic?.figures.amount, 101_200);
  assert.equal(ct2.economic?.figures.transactions, 920);
  assert.equal(ct2.mustRegisterBy, '2025-10-01'); // CT: 1 October
  assert.ok(ct2.flags.some((f) => f.ruleId === 'CT.threshold@2018-06-21' && f.reason === 'uncertain'));
});

test('rolling 12 months (TX) meets a threshold that calendar years (CA) never do', () => {
  // $45,000 on the 15th of each month from April 2025 to March 2026. Calendar 2025: 9 × 45,000 = 405,000;
  // 2026 to March: 135,000 — CA ($500,000) never. TX's 12 months ending 28 Feb 2026: 11 × 45,000 = 495,000;
  // ending 31 Mar 2026: 12 × 45,000 = 540,000 ≥ 500,000.
  const months = [
    '2025-04',
    '2025-05',
    '2025-06',
    '2025-07',
    '2025-08',
    '2025-09',
    '2025-10',
    '2025-11',
    '2025-12',
    '2026-01',
    '2026-02',
    '2026-03',
  ];
  const tx = one(
    'TX',
    '2026-03',
    months.map((m) => sale('TX', `${m}-15`, 45_000)),
  );
  const ca = one(
    'CA',
    '2026-03',
    months.map((m) => sale('CA', `${m}-15`, 45_000)),
  );
  assert.equal(ca.nexusFrom, undefined);
  assert.equal(tx.nexusFrom, '2026-03-31');
  assert.equal(tx.nexusKind, 'economic');
  assert.deepEqual(tx.economic?.figures.window, { from: '2025-04-01', to: '2026-03-31' });
  assert.equal(tx.economic?.figures.amount, 540_000);
  assert.equal(tx.economic?.ruleId, 'TX.threshold@2018-06-21');
  // TX: the first day of the fourth month after the month it was exceeded (March) → 1 July.
  assert.equal(tx.mustRegisterBy, '2026-07-01');
  assert.equal(tx.registrationRuleId, 'TX.registration@2018-06-21');
  assert.deepEqual(tx.flags, []);
  assert.deepEqual(tx.uncovered, []);
  assert.equal(tx.mayBeEarlier, false);
});

test('a threshold crossed on the last day of a month counts for that month', () => {
  // TX: $500,000 on 31 January → the window ending 31 January holds it: exceeded in January → 1 May.
  const jan = one('TX', '2026-02', [sale('TX', '2026-01-31', 500_000)]);
  assert.equal(jan.nexusFrom, '2026-01-31');
  assert.equal(jan.mustRegisterBy, '2026-05-01');
  // One day later, 1 February: exceeded in February → found at 28 February → 1 June.
  const feb = one('TX', '2026-02', [sale('TX', '2026-02-01', 500_000)]);
  assert.equal(feb.nexusFrom, '2026-02-28');
  assert.equal(feb.mustRegisterBy, '2026-06-01');
  // CO (current year, 90 days then the next month's 1st): 31 Jan + 90 days = 1 May → 1 June.
  const co = one('CO', '2026-02', [sale('CO', '2026-01-31', 100_000)]);
  assert.equal(co.nexusFrom, '2026-01-31');
  assert.equal(co.mustRegisterBy, '2026-06-01');
  // AZ (the first month starting at least 30 days later): 31 Jan + 30 = 2 Mar → 1 April; 30 Jan + 30 = 1 Mar.
  assert.equal(one('AZ', '2026-02', [sale('AZ', '2026-01-31', 100_000)]).mustRegisterBy, '2026-04-01');
  assert.equal(one('AZ', '2026-02', [sale('AZ', '2026-01-30', 100_000)]).mustRegisterBy, '2026-03-01');
});

test('a refund booked in a later month never undoes a crossing; one booked before the test does', () => {
  // KY: $60,000 on 10 Jan, $45,000 on 10 Feb → $105,000 on 10 Feb; a $10,000 refund booked 5 March.
  const ky = one('KY', '2026-03', [
    sale('KY', '2026-01-10', 60_000),
    sale('KY', '2026-02-10', 45_000),
    sale('KY', '2026-03-05', -10_000, 0),
  ]);
  assert.equal(ky.nexusFrom, '2026-02-10');
  assert.equal(ky.economic?.figures.amount, 105_000);
  // TX: $510,000 on 20 Jan, refund of $20,000 booked 3 Feb: the window ending 31 Jan holds 510,000 → nexus.
  const later = one('TX', '2026-02', [sale('TX', '2026-01-20', 510_000), sale('TX', '2026-02-03', -20_000, 0)]);
  assert.equal(later.nexusFrom, '2026-01-31');
  assert.equal(later.economic?.figures.amount, 510_000);
  // The same refund booked 25 Jan falls in the window ending 31 Jan: 490,000 → no nexus.
  const same = one('TX', '2026-02', [sale('TX', '2026-01-20', 510_000), sale('TX', '2026-01-25', -20_000, 0)]);
  assert.equal(same.nexusFrom, undefined);
});

test('FBT stock arriving mid-month: nexus from that day, except where the marketplace relief applies', () => {
  const fbt = (state: string, from: string, to: string): InventoryPresence[] =>
    daily(state, from, to, 0, 0).map((s) => ({ state, day: s.day, kind: 'fbt' as const }));
  const covered = { from: '2024-01-01', to: '2026-03-31' };
  // CA: stock in a California fulfilment centre requires registration → from 16 March.
  const ca = one('CA', '2026-03', [], covered, fbt('CA', '2026-03-16', '2026-03-31'));
  assert.equal(ca.nexusFrom, '2026-03-16');
  assert.equal(ca.nexusKind, 'physical');
  assert.deepEqual(ca.physical, { from: '2026-03-16', ruleId: 'CA.inventory@2018-06-21', kind: 'fbt' });
  assert.equal(ca.mustRegisterBy, '2026-03-16');
  // TX below $500,000 with stock only at the marketplace's facility: no nexus, the relieved days reported.
  const tx = one('TX', '2026-03', [sale('TX', '2026-03-02', 1_000)], covered, fbt('TX', '2026-03-16', '2026-03-31'));
  assert.equal(tx.nexusFrom, undefined);
  assert.deepEqual(tx.relievedStock, {
    from: '2026-03-16',
    to: '2026-03-31',
    ruleId: 'TX.inventory@2018-06-21',
    relief: 'marketplaceStockBelowThreshold',
  });
  // The same with a third-party warehouse on 20 March: physical nexus from the 20th.
  const tx3pl = one('TX', '2026-03', [], covered, [
    ...fbt('TX', '2026-03-16', '2026-03-31'),
    { state: 'TX', day: '2026-03-20', kind: '3pl' },
  ]);
  assert.equal(tx3pl.nexusFrom, '2026-03-20');
  assert.equal(tx3pl.physical?.kind, '3pl');
  // NY: relieved while every NY sale is TikTok's; a direct NY sale on 1 Feb ends the relief.
  const nyOnlyTikTok = one(
    'NY',
    '2026-03',
    [sale('NY', '2026-02-01', 100, 1, 'marketplace')],
    covered,
    fbt('NY', '2026-03-16', '2026-03-31'),
  );
  assert.equal(nyOnlyTikTok.nexusFrom, undefined);
  assert.equal(nyOnlyTikTok.relievedStock?.relief, 'marketplaceOnlySales');
  const nyDirect = one(
    'NY',
    '2026-03',
    [sale('NY', '2026-02-01', 100)],
    covered,
    fbt('NY', '2026-03-16', '2026-03-31'),
  );
  assert.equal(nyDirect.nexusFrom, '2026-03-16');
  // GA: no sourced inventory rule → stock creates nexus (the default), flagged.
  const ga = one('GA', '2026-03', [], covered, fbt('GA', '2026-03-16', '2026-03-31'));
  assert.equal(ga.nexusFrom, '2026-03-16');
  assert.ok(ga.flags.some((f) => f.ruleId === 'GA.inventory@2018-06-21' && f.reason === 'unsourced'));
});

test('incomplete history: the windows not covered are named, and a found nexus may have begun earlier', () => {
  // KY's tests for March 2026 read calendar 2025 and 2026: history from 1 July 2025 to 15 March 2026 leaves
  // 1 Jan–30 Jun 2025 and 16–31 March 2026 uncovered.
  const covered = { from: '2025-07-01', to: '2026-03-15' };
  const none = one('KY', '2026-03', [sale('KY', '2025-08-01', 1_000)], covered);
  assert.equal(none.nexusFrom, undefined);
  assert.deepEqual(none.uncovered, [
    { from: '2025-01-01', to: '2025-06-30' },
    { from: '2026-03-16', to: '2026-03-31' },
  ]);
  // Nexus found on 20 Jan 2026, but 2025's first half is unknown: it may have begun then.
  const found = one('KY', '2026-03', daily('KY', '2026-01-01', '2026-03-15', 500, 10), covered);
  assert.equal(found.nexusFrom, '2026-01-20');
  assert.equal(found.mayBeEarlier, true);
  assert.deepEqual(found.uncovered, [{ from: '2025-01-01', to: '2025-06-30' }]);
  // TX (12 months tested monthly) for March 2026 reads from April 2024: history from 2025 leaves Apr–Dec 2024.
  const tx = one('TX', '2026-03', [], { from: '2025-01-01', to: '2026-03-31' });
  assert.deepEqual(tx.uncovered, [{ from: '2024-04-01', to: '2024-12-31' }]);
  // The report's union covers every state's gaps.
  const report = computeNexus({
    month: '2026-03',
    covered: { from: '2025-01-01', to: '2026-03-31' },
    sales: [],
    inventory: [],
    states: ['TX', 'KY'],
  });
  assert.deepEqual(report.uncovered, [{ from: '2024-04-01', to: '2024-12-31' }]);
});

test('marketplace sales count only where the state says so', () => {
  // $120,000 of TikTok sales alone: KY counts them (incl.), AZ does not (excl.).
  const tiktok = (state: string) => [sale(state, '2026-02-10', 120_000, 1, 'marketplace')];
  assert.equal(one('KY', '2026-03', tiktok('KY')).nexusFrom, '2026-02-10');
  assert.equal(one('AZ', '2026-03', tiktok('AZ')).nexusFrom, undefined);
});

test('the rule in force on the test day decides: Illinois dropped its count on 1 January 2026', () => {
  // 250 sales of $100 in Q4 2025: the 12 months ending 31 Dec 2025 meet the 200 count (rule of 2025); the same
  // sales in Q1 2026 are tested on 31 March 2026 under the amount-only rule → no nexus.
  const q4 = daily('IL', '2025-10-01', '2025-10-25', 1_000, 10);
  assert.equal(one('IL', '2026-03', q4).nexusFrom, '2025-12-31');
  const q1 = daily('IL', '2026-01-05', '2026-01-29', 1_000, 10);
  assert.equal(one('IL', '2026-03', q1).nexusFrom, undefined);
});

test('registration start rules', () => {
  assert.equal(registrationDue({ kind: 'nextFixedDate', monthDay: '04-01' }, '2025-12-31'), '2026-04-01');
  assert.equal(registrationDue({ kind: 'nextFixedDate', monthDay: '01-01' }, '2025-12-31'), '2026-01-01');
  assert.equal(registrationDue({ kind: 'nextFixedDate', monthDay: '10-01' }, '2025-10-01'), '2026-10-01');
  assert.equal(registrationDue({ kind: 'firstOfMonthAfter', months: 2 }, '2025-11-30'), '2026-01-01');
  assert.equal(registrationDue({ kind: 'withinDays', days: 30 }, '2026-02-15'), '2026-03-17');
});
