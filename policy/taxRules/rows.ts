/**
 * The rows: every state with a sales tax plus DC (45 + DC), and Alaska's local sales taxes (ARSSTC), which have
 * their own economic threshold. No state sales tax: Alaska (local only), Delaware, Montana, New Hampshire, Oregon —
 * see NO_STATE_SALES_TAX. Values as of mid 2026; sources in policy/taxRules/sources.ts.
 */
import type { EconomicThreshold, FilingRules, MeasurementWindow, SalesBasis, TaxRuleRow, TaxState } from './types';

export const NO_STATE_SALES_TAX: readonly TaxState[] = ['AK', 'DE', 'MT', 'NH', 'OR'];

/** 45 states and DC with a state-level sales tax, plus AK for its local (ARSSTC) tax. */
export const SALES_TAX_STATES: readonly TaxState[] = [
  'AL', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME',
  'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'NE', 'NV', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'PA', 'RI', 'SC',
  'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
]; // prettier-ignore

export const RULE_STATES: readonly TaxState[] = [...SALES_TAX_STATES, 'AK'];

/** South Dakota v. Wayfair (decided 2018-06-21): the earliest day any economic threshold could apply. */
const WAYFAIR = '2018-06-21';
const WAYFAIR_NOTE = 'the source gives no start date; South Dakota v. Wayfair (2018-06-21) is the earliest possible';

const PC: MeasurementWindow = { kind: 'calendarYear', years: 'previousOrCurrent' };
const P: MeasurementWindow = { kind: 'calendarYear', years: 'previous' };
const MONTHLY: MeasurementWindow = {
  kind: 'trailing12Months',
  testedAtMonthEnds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
};
const QUARTERS: MeasurementWindow = { kind: 'trailing12Months', testedAtMonthEnds: [3, 6, 9, 12] };

type Incl = 'incl' | 'excl';
interface T {
  amount: number;
  tx?: number;
  combine?: 'and';
  window: MeasurementWindow;
  basis?: SalesBasis;
  mkt: Incl;
}

function threshold(t: T): EconomicThreshold {
  return {
    amount: t.amount,
    ...(t.tx === undefined ? {} : { transactions: t.tx }),
    combine: t.combine ?? 'or',
    window: t.window,
    // Where the source names no basis, gross: the widest measure, so the threshold is never met late.
    basis: t.basis ?? 'gross',
    marketplaceSalesCount: t.mkt === 'incl',
  };
}

type Threshold = [
  state: TaxState,
  t: T,
  source: string /* a TAX_RULE_SOURCES key, or 'unsourced' */,
  extra?: { from?: string; uncertain?: true; note?: string },
];

/**
 * Economic thresholds as of mid 2026, source per row. A state whose transaction count was removed has two rows: the count (200, OR)
 * from Wayfair (uncertain: its start is not in the source) and the amount alone from the removal date.
 */
const THRESHOLDS: Threshold[] = [
  ['AL', { amount: 250_000, window: P, basis: 'retail', mkt: 'excl' }, 'N3'],
  ['AK', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N2', { uncertain: true }],
  ['AK', { amount: 100_000, window: PC, mkt: 'incl' }, 'N2', { from: '2025-01-01' }],
  ['AZ', { amount: 100_000, window: PC, mkt: 'excl' }, 'N1'],
  ['AR', { amount: 100_000, tx: 200, window: PC, mkt: 'excl' }, 'N3'],
  ['CA', { amount: 500_000, window: PC, mkt: 'incl' }, 'CA_AB147', { from: '2019-04-25' }],
  ['CO', { amount: 100_000, window: PC, basis: 'retail', mkt: 'excl' }, 'N1', { from: '2019-04-14' }],
  // CT: N1 counts marketplace sales, Avalara-derived sources do not: counted (the conservative reading).
  ['CT', { amount: 100_000, tx: 200, combine: 'and', window: { kind: 'trailing12Months', testedAtMonthEnds: [9] }, mkt: 'incl' }, 'N1', { uncertain: true }],
  ['DC', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['FL', { amount: 100_000, window: P, basis: 'taxable', mkt: 'excl' }, 'N1'],
  ['GA', { amount: 100_000, tx: 200, window: PC, basis: 'retail', mkt: 'excl' }, 'N5'],
  ['HI', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['ID', { amount: 100_000, window: PC, mkt: 'incl' }, 'N5', { uncertain: true }],
  ['IL', { amount: 100_000, tx: 200, window: QUARTERS, mkt: 'excl' }, 'N4', { uncertain: true }],
  ['IL', { amount: 100_000, window: QUARTERS, mkt: 'excl' }, 'N4', { from: '2026-01-01' }],
  ['IN', { amount: 100_000, tx: 200, window: PC, mkt: 'excl' }, 'N2', { uncertain: true }],
  ['IN', { amount: 100_000, window: PC, mkt: 'excl' }, 'N2', { from: '2024-01-01' }],
  ['IA', { amount: 100_000, window: PC, mkt: 'incl' }, 'N2', { from: '2019-07-01' }],
  ['KS', { amount: 100_000, window: PC, mkt: 'incl' }, 'N5', { uncertain: true }],
  ['KY', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['LA', { amount: 100_000, tx: 200, window: PC, basis: 'retail', mkt: 'excl' }, 'N2', { uncertain: true }],
  ['LA', { amount: 100_000, window: PC, basis: 'retail', mkt: 'excl' }, 'N2', { from: '2023-08-01' }],
  ['ME', { amount: 100_000, window: PC, mkt: 'excl' }, 'N2', { from: '2022-01-01' }],
  ['MD', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['MA', { amount: 100_000, window: PC, mkt: 'excl' }, 'N1', { from: '2019-10-01' }],
  ['MI', { amount: 100_000, tx: 200, window: P, mkt: 'incl' }, 'N1'],
  ['MN', { amount: 100_000, tx: 200, window: QUARTERS, basis: 'retail', mkt: 'incl' }, 'unsourced'],
  ['MS', { amount: 250_000, window: MONTHLY, mkt: 'incl' }, 'unsourced'],
  ['MO', { amount: 100_000, window: QUARTERS, basis: 'taxable', mkt: 'excl' }, 'MO_SB153', { from: '2023-01-01' }],
  ['NE', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['NV', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['NJ', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N1'],
  // NM: the sources conflict on marketplace sales and none is cited: counted (conservative).
  ['NM', { amount: 100_000, window: P, basis: 'taxable', mkt: 'incl' }, 'unsourced'],
  // NY: "more than 100 sales" is 101; four sales-tax quarters Mar–May, Jun–Aug, Sep–Nov, Dec–Feb; marketplace
  // sales commonly shown as counted (uncertain, counted).
  ['NY', { amount: 500_000, tx: 101, combine: 'and', window: { kind: 'trailing12Months', testedAtMonthEnds: [2, 5, 8, 11] }, mkt: 'incl' }, 'NY_TSB_M_19_4S', { uncertain: true }],
  ['NC', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'NC_HB228', { uncertain: true }],
  ['NC', { amount: 100_000, window: PC, mkt: 'incl' }, 'NC_HB228', { from: '2024-07-01' }],
  ['ND', { amount: 100_000, window: PC, mkt: 'excl' }, 'N3'],
  ['OH', { amount: 100_000, tx: 200, window: PC, basis: 'retail', mkt: 'incl' }, 'N1'],
  ['OK', { amount: 100_000, window: PC, mkt: 'excl' }, 'N3'],
  // PA: N1 counts all channels, CCH reads the bulletin otherwise: counted (conservative).
  ['PA', { amount: 100_000, window: P, mkt: 'incl' }, 'N1', { uncertain: true }],
  ['RI', { amount: 100_000, tx: 200, window: P, mkt: 'incl' }, 'N3'],
  ['SC', { amount: 100_000, window: PC, mkt: 'incl' }, 'N3'],
  ['SD', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N2', { uncertain: true }],
  ['SD', { amount: 100_000, window: PC, mkt: 'incl' }, 'N2', { from: '2023-07-01' }],
  ['TN', { amount: 100_000, window: MONTHLY, mkt: 'excl' }, 'N3'],
  ['TX', { amount: 500_000, window: MONTHLY, mkt: 'incl' }, 'M1'],
  ['UT', { amount: 100_000, tx: 200, window: PC, mkt: 'excl' }, 'N2', { uncertain: true }],
  ['UT', { amount: 100_000, window: PC, mkt: 'excl' }, 'N2', { from: '2025-07-01' }],
  ['VT', { amount: 100_000, tx: 200, window: QUARTERS, mkt: 'incl' }, 'N3'],
  ['VA', { amount: 100_000, tx: 200, window: PC, mkt: 'excl' }, 'N3'],
  ['WA', { amount: 100_000, window: PC, mkt: 'incl' }, 'N2', { from: '2019-03-14' }],
  ['WV', { amount: 100_000, tx: 200, window: PC, mkt: 'incl' }, 'N3'],
  ['WI', { amount: 100_000, window: PC, mkt: 'incl' }, 'N3', { from: '2021-02-20' }],
  ['WY', { amount: 100_000, tx: 200, window: PC, mkt: 'excl' }, 'N1', { uncertain: true }],
  ['WY', { amount: 100_000, window: PC, mkt: 'excl' }, 'N1', { from: '2024-07-01' }],
]; // prettier-ignore

/** Marketplace facilitator laws' start dates named by the source; the rest by 2023-01-01 (Missouri, the last). */
const FACILITATOR_FROM: Readonly<Record<TaxState, string>> = {
  WA: '2018-01-01', NJ: '2018-11-01', NY: '2019-06-01', PA: '2019-07-01', OH: '2019-09-01', CA: '2019-10-01',
  TX: '2019-10-01', AZ: '2019-10-01', NC: '2020-02-01', GA: '2020-04-01', IL: '2021-01-01', FL: '2021-07-01',
  MO: '2023-01-01',
}; // prettier-ignore

/** Registration start rules the source names (N1 state pages); every other state gets the unsourced default. */
const REGISTRATION: Readonly<Record<TaxState, TaxRuleRow<'registration'>['value']>> = {
  TX: { kind: 'firstOfMonthAfter', months: 4 },
  MA: { kind: 'firstOfMonthAfter', months: 2 },
  CT: { kind: 'nextFixedDate', monthDay: '10-01' },
  PA: { kind: 'nextFixedDate', monthDay: '04-01' },
  MI: { kind: 'nextFixedDate', monthDay: '01-01' },
  CO: { kind: 'firstOfMonthAfterDays', days: 90 },
  AZ: { kind: 'firstOfMonthOnOrAfterDays', days: 30 },
};

const M20 = { monthsAfterPeriodEnd: 1, day: 20 } as const;
const LAST = { monthsAfterPeriodEnd: 1, day: 'last' } as const;
const NEXT: FilingRules['weekendHolidayRoll'] = 'nextBusinessDay';

/** Filing rules of the 12 states the source covers; in all 12 a weekend or holiday due date moves forward. */
const FILING: Readonly<Record<TaxState, [FilingRules, string]>> = {
  CA: [{ due: { monthly: LAST, quarterly: LAST, annual: { monthsAfterPeriodEnd: 1, day: 31 } }, weekendHolidayRoll: NEXT, assignment: 'assigned by CDTFA (quarterly prepayments not modelled)' }, 'F_CA'],
  TX: [{ due: { monthly: M20, quarterly: M20, annual: M20 }, weekendHolidayRoll: NEXT, assignment: 'monthly at $500+ state tax a month, quarterly under $1,500 a quarter, yearly by authorization' }, 'F_TX'],
  FL: [{ due: { monthly: M20, quarterly: M20, semiannual: M20, annual: M20 }, weekendHolidayRoll: NEXT, assignment: 'monthly over $1,000 a year, quarterly $501–1,000, semiannual $101–500, annual up to $100' }, 'F_FL'],
  NY: [{ due: { monthly: M20, quarterly: M20, annual: M20 }, quarterStartMonths: [3, 6, 9, 12], annualStartMonth: 3, weekendHolidayRoll: NEXT, assignment: 'quarterly by default; part-quarterly (monthly) at $300,000 a quarter; annual at $3,000 tax or less' }, 'F_NY'],
  PA: [{ due: { monthly: M20, quarterly: M20, semiannual: M20 }, weekendHolidayRoll: NEXT, assignment: 'set each November from third-quarter liability' }, 'F_PA'],
  IL: [{ due: { monthly: M20, quarterly: M20, annual: M20 }, weekendHolidayRoll: NEXT, assignment: 'monthly over $200 a month on average, quarterly $50–200, annual under $50' }, 'F_IL'],
  OH: [{ due: { monthly: { monthsAfterPeriodEnd: 1, day: 23 }, semiannual: { monthsAfterPeriodEnd: 1, day: 23 } }, weekendHolidayRoll: NEXT, assignment: 'monthly or semiannual (UST-1)' }, 'F_OH'],
  GA: [{ due: { monthly: M20, quarterly: M20, annual: M20 }, weekendHolidayRoll: NEXT, assignment: 'mostly monthly; others on written request' }, 'F_GA'],
  NC: [{ due: { monthly: M20, quarterly: LAST }, weekendHolidayRoll: NEXT, assignment: 'monthly at $100–20,000 a month, quarterly under $100' }, 'F_NC'],
  WA: [{ due: { monthly: { monthsAfterPeriodEnd: 1, day: 25 }, quarterly: LAST, annual: { monthsAfterPeriodEnd: 4, day: 15 } }, weekendHolidayRoll: NEXT, assignment: 'annual up to $1,050, quarterly $1,051–4,800, monthly from $4,801' }, 'F_WA'],
  NJ: [{ due: { monthly: M20, quarterly: M20 }, weekendHolidayRoll: NEXT, assignment: 'quarterly ST-50 for all; monthly ST-51 payments over $30,000 prior-year tax' }, 'F_NJ'],
  // AZ: the 20th is the paper deadline; an electronic return is on time through the last business day (later).
  AZ: [{ due: { monthly: M20, quarterly: M20, annual: M20 }, weekendHolidayRoll: NEXT, assignment: 'by estimated annual TPT: annual under $2,000, quarterly $2,000–8,000, monthly over $8,000' }, 'F_AZ'],
}; // prettier-ignore

/** Unsourced filing default: the 20th after every period, never moved off a weekend (the earliest reading). */
export const DEFAULT_FILING: FilingRules = {
  due: { monthly: M20, quarterly: M20, semiannual: M20, annual: M20 },
  weekendHolidayRoll: 'none',
};

function thresholdRows(): TaxRuleRow[] {
  return THRESHOLDS.map(([state, t, source, extra]) => {
    const base = {
      state,
      topic: 'threshold' as const,
      value: threshold(t),
      effectiveFrom: extra?.from ?? WAYFAIR,
      ...(extra?.from === undefined ? { note: WAYFAIR_NOTE } : {}),
    };
    if (source === 'unsourced') return { ...base, unsourced: true as const };
    return { ...base, source, ...(extra?.uncertain ? { uncertain: true as const } : {}) };
  });
}

function perStateRows(state: TaxState): TaxRuleRow[] {
  const filing = FILING[state];
  const registration = REGISTRATION[state];
  const facilitatorFrom = FACILITATOR_FROM[state];
  const inventorySource = { CA: 'M3', TX: 'M1', NY: 'M2' }[state];
  return [
    {
      state,
      topic: 'marketplace',
      value: { facilitatorCollects: true },
      effectiveFrom: facilitatorFrom ?? '2023-01-01',
      source: state === 'AK' ? 'K1' : 'MF',
      ...(facilitatorFrom === undefined
        ? { note: 'no earlier date in the source: 2023-01-01, when Missouri (the last) began' }
        : {}),
      // Alaska's local (ARSSTC) facilitator rules are not in the sources.
      ...(state === 'AK' ? { uncertain: true as const } : {}),
    },
    registration
      ? { state, topic: 'registration', value: registration, effectiveFrom: WAYFAIR, source: 'N1', note: WAYFAIR_NOTE }
      : // Unsourced: register by the day nexus arises (the earliest any state asks).
        {
          state,
          topic: 'registration',
          value: { kind: 'withinDays', days: 0 },
          effectiveFrom: WAYFAIR,
          unsourced: true,
        },
    filing
      ? { state, topic: 'filing', value: filing[0], effectiveFrom: WAYFAIR, source: filing[1], note: WAYFAIR_NOTE }
      : { state, topic: 'filing', value: DEFAULT_FILING, effectiveFrom: WAYFAIR, unsourced: true },
    // No source in hand for any vendor discount: none claimed (the seller never under-pays).
    { state, topic: 'vendorDiscount', value: { rate: 0 }, effectiveFrom: WAYFAIR, unsourced: true },
    inventorySource
      ? {
          state,
          topic: 'inventory',
          value: {
            inventoryCreatesNexus: true,
            relief:
              state === 'TX' ? 'marketplaceStockBelowThreshold' : state === 'NY' ? 'marketplaceOnlySales' : 'none',
          },
          effectiveFrom: WAYFAIR,
          source: inventorySource,
          note: WAYFAIR_NOTE,
        }
      : // Unsourced: stock in the state creates nexus, no relief (the usual rule, and the conservative one).
        {
          state,
          topic: 'inventory',
          value: { inventoryCreatesNexus: true, relief: 'none' },
          effectiveFrom: WAYFAIR,
          unsourced: true,
        },
  ];
}

export const TAX_RULE_ROWS: readonly TaxRuleRow[] = [...thresholdRows(), ...RULE_STATES.flatMap(perStateRows)];
