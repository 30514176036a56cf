// The tax rule rows (policy/taxRules): every state with a sales tax plus DC has every topic, sourced rows carry a
// known source, the values the sources state are pinned here, and the unsourced rows are listed by name so that a
// new or changed default is a visible change of this test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  flagsOf,
  NO_STATE_SALES_TAX,
  ruleId,
  ruleInForce,
  SALES_TAX_STATES,
  TAX_RULE_ROWS,
  TAX_RULE_SOURCES,
  type TaxRuleTopic,
} from '../../policy/taxRules';

const TOPICS: TaxRuleTopic[] = ['threshold', 'marketplace', 'registration', 'filing', 'vendorDiscount', 'inventory'];

test('45 states and DC, plus Alaska for its local tax; the states without a state sales tax have no rows', () => {
  assert.equal(SALES_TAX_STATES.length, 46);
  assert.ok(SALES_TAX_STATES.includes('DC'));
  assert.deepEqual([...NO_STATE_SALES_TAX], ['AK', 'DE', 'MT', 'NH', 'OR']);
  for (const s of ['DE', 'MT', 'NH', 'OR']) assert.equal(TAX_RULE_ROWS.filter((r) => r.state === s).length, 0, s);
  for (const state of [...SALES_TAX_STATES, 'AK']) {
    for (const topic of TOPICS) assert.ok(ruleInForce(state, topic, '2026-06-01'), `${state} ${topic}`);
  }
});

test('row ids are unique and every sourced row names a known source', () => {
  const ids = TAX_RULE_ROWS.map(ruleId);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of TAX_RULE_ROWS) {
    if (r.unsourced) continue;
    assert.ok(TAX_RULE_SOURCES[r.source] !== undefined, `${ruleId(r)}: ${r.source}`);
  }
  for (const text of Object.values(TAX_RULE_SOURCES)) assert.match(text, /https:\/\//);
});

test('sourced values as the sources state them', () => {
  const t = (state: string, day = '2026-06-01') => ruleInForce(state, 'threshold', day)!;
  assert.deepEqual(t('TX').value, {
    amount: 500_000,
    combine: 'or',
    window: { kind: 'trailing12Months', testedAtMonthEnds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
    basis: 'gross',
    marketplaceSalesCount: true,
  });
  assert.equal(t('TX').row.source, 'M1');
  assert.deepEqual(t('NY').value, {
    amount: 500_000,
    transactions: 101,
    combine: 'and',
    window: { kind: 'trailing12Months', testedAtMonthEnds: [2, 5, 8, 11] },
    basis: 'gross',
    marketplaceSalesCount: true,
  });
  assert.deepEqual(t('CT').value.window, { kind: 'trailing12Months', testedAtMonthEnds: [9] });
  assert.equal(t('CT').value.combine, 'and');
  assert.equal(t('CA').value.amount, 500_000);
  assert.deepEqual(
    [t('AL').value.amount, t('AL').value.basis, t('AL').value.window],
    [250_000, 'retail', { kind: 'calendarYear', years: 'previous' }],
  );
  assert.deepEqual([t('FL').value.basis, t('FL').value.marketplaceSalesCount], ['taxable', false]);
  assert.deepEqual([t('MO').value.basis, t('MO').value.marketplaceSalesCount], ['taxable', false]);
  assert.equal(ruleInForce('MO', 'threshold', '2022-12-31'), undefined);
  // Counts dropped: IL 2026-01-01, UT 2025-07-01, NC and WY 2024-07-01, IN 2024-01-01, LA 2023-08-01, SD 2023-07-01.
  for (const [state, from] of [
    ['IL', '2026-01-01'],
    ['UT', '2025-07-01'],
    ['NC', '2024-07-01'],
    ['WY', '2024-07-01'],
    ['IN', '2024-01-01'],
    ['LA', '2023-08-01'],
    ['SD', '2023-07-01'],
    ['AK', '2025-01-01'],
  ] as const) {
    const before = new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10);
    assert.equal(t(state, before).value.transactions, 200, `${state} before`);
    assert.equal(t(state, from).value.transactions, undefined, `${state} from`);
  }
  assert.deepEqual(ruleInForce('TX', 'registration', '2026-06-01')?.value, { kind: 'firstOfMonthAfter', months: 4 });
  assert.deepEqual(ruleInForce('CO', 'registration', '2026-06-01')?.value, { kind: 'firstOfMonthAfterDays', days: 90 });
  assert.deepEqual(ruleInForce('CA', 'filing', '2026-06-01')?.value.due.monthly, {
    monthsAfterPeriodEnd: 1,
    day: 'last',
  });
  assert.deepEqual(ruleInForce('WA', 'filing', '2026-06-01')?.value.due.annual, { monthsAfterPeriodEnd: 4, day: 15 });
  assert.deepEqual(ruleInForce('OH', 'filing', '2026-06-01')?.value.due.monthly, { monthsAfterPeriodEnd: 1, day: 23 });
  assert.deepEqual(ruleInForce('NY', 'filing', '2026-06-01')?.value.quarterStartMonths, [3, 6, 9, 12]);
  assert.equal(ruleInForce('TX', 'inventory', '2026-06-01')?.value.relief, 'marketplaceStockBelowThreshold');
  assert.equal(ruleInForce('MO', 'marketplace', '2022-12-31'), undefined);
  assert.equal(ruleInForce('CA', 'marketplace', '2019-10-01')?.value.facilitatorCollects, true);
});

test('the unsourced rows, by name: conservative defaults that every output using them flags', () => {
  const unsourced = (topic: TaxRuleTopic) =>
    TAX_RULE_ROWS.filter((r) => r.topic === topic && r.unsourced)
      .map((r) => r.state)
      .sort();
  const all = [...SALES_TAX_STATES, 'AK'].sort();
  const except = (sourced: string[]) => all.filter((s) => !sourced.includes(s));
  assert.deepEqual(unsourced('threshold'), ['MN', 'MS', 'NM']);
  assert.deepEqual(unsourced('marketplace'), []);
  assert.deepEqual(unsourced('registration'), except(['AZ', 'CO', 'CT', 'MA', 'MI', 'PA', 'TX']));
  assert.deepEqual(
    unsourced('filing'),
    except(['AZ', 'CA', 'FL', 'GA', 'IL', 'NC', 'NJ', 'NY', 'OH', 'PA', 'TX', 'WA']),
  );
  assert.deepEqual(unsourced('vendorDiscount'), all);
  assert.deepEqual(unsourced('inventory'), except(['CA', 'NY', 'TX']));
  // The defaults themselves.
  assert.deepEqual(ruleInForce('KY', 'registration', '2026-06-01')?.value, { kind: 'withinDays', days: 0 });
  assert.equal(ruleInForce('KY', 'filing', '2026-06-01')?.value.weekendHolidayRoll, 'none');
  assert.deepEqual(ruleInForce('KY', 'vendorDiscount', '2026-06-01')?.value, { rate: 0 });
});

test('flags name unsourced and uncertain rules once; sourced ones not at all', () => {
  const ky = ruleInForce('KY', 'registration', '2026-06-01');
  const ct = ruleInForce('CT', 'threshold', '2026-06-01');
  const tx = ruleInForce('TX', 'threshold', '2026-06-01');
  assert.deepEqual(flagsOf([ky, ct, tx, ky, undefined]), [
    { ruleId: 'KY.registration@2018-06-21', state: 'KY', topic: 'registration', reason: 'unsourced' },
    { ruleId: 'CT.threshold@2018-06-21', state: 'CT', topic: 'threshold', reason: 'uncertain' },
  ]);
});
