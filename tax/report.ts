/**
 * The finishing step of a monthly tax report (issue 20 item 3), pure: from the month's running totals (tax/returnLines)
 * and what the nexus tests read — daily totals per state of the look-back, stock presence, the history coverage and
 * the seller's registrations — to the report's outputs and the rule versions it used. The activity
 * (activities/taxReport/) does the reading and the storing around it.
 */
import { RULE_STATES, TAX_RULE_ROWS, type RuleFlag, type TaxRuleRow } from '../policy/taxRules';
import { addDays, dateIn, endOfMonth, firstOfMonthAfter, yearOf, type Day } from './days';
import type { FilingRegistration } from './filingCalendar';
import { computeNexus, mergeRanges, type DailySales, type DayRange, type InventoryPresence } from './nexus';
import { RATE_TABLE_VERSION } from './rateTable';
import type { MustRegister, ReportNexusLine, TaxReportOutputs } from './reportModel';
import { buildReturnLines, type ReportAccumulator } from './returnLines';

/** One state's day of sales for one collector, as db/taxSales.ts `dailyTotals` answers (money as decimal text). */
export interface DailyTotalInput {
  state: string;
  day: Day;
  collectedBy: 'tiktok' | 'seller' | 'none';
  gross: string;
  net: string;
  transactions: number;
}

/** A stock location's stay in a state (db/taxSales.ts `presence`); toDay null: still there. */
export interface PresenceInput {
  state: string;
  locationKind: 'fbt' | '3pl' | 'own';
  fromDay: Day;
  toDay: Day | null;
}

export interface ComposeInput {
  period: string;
  timeZone: string;
  acc: ReportAccumulator;
  dailyTotals: readonly DailyTotalInput[];
  presence: readonly PresenceInput[];
  /** Day ranges of history held (any source). */
  coverage: readonly DayRange[];
  registrations: readonly FilingRegistration[];
  sellerOwed: Omit<TaxReportOutputs['sellerOwed'], 'taxDueCents'>;
  differences: TaxReportOutputs['differences'];
  rows?: readonly TaxRuleRow[];
}

/** The first day any nexus test of the month reads (tax/nexus.ts computeNexus's series start). */
export function lookbackStart(period: string): Day {
  const monthStart = `${period}-01`;
  return [firstOfMonthAfter(monthStart, -23), dateIn(yearOf(monthStart) - 1, 1, 1)].sort()[0]!;
}

/**
 * Daily totals as the nexus tests read them. TikTok-collected sales are the marketplace channel, the rest direct.
 * The retail and taxable bases are both the net sales (gross less discounts): the daily totals do not separate exempt
 * sales, so the taxable basis is over-stated, never under (a threshold is never met late); flagged in the report.
 */
export function toDailySales(totals: readonly DailyTotalInput[]): DailySales[] {
  return totals.map((t) => {
    const net = Number(t.net);
    return {
      day: t.day,
      state: t.state,
      channel: t.collectedBy === 'tiktok' ? 'marketplace' : 'direct',
      gross: Number(t.gross),
      retail: net,
      taxable: net,
      transactions: t.transactions,
    };
  });
}

/**
 * Stock stays as the days the nexus tests read, within [from, to]. Own warehouses count as third-party stock (no
 * marketplace relief can apply to them).
 */
export function toInventoryDays(presence: readonly PresenceInput[], from: Day, to: Day): InventoryPresence[] {
  const out: InventoryPresence[] = [];
  for (const p of presence) {
    const start = p.fromDay > from ? p.fromDay : from;
    const end = p.toDay === null || p.toDay > to ? to : p.toDay;
    const kind = p.locationKind === 'fbt' ? 'fbt' : '3pl';
    for (let d = start; d <= end; d = addDays(d, 1)) out.push({ day: d, state: p.state, kind });
  }
  return out;
}

/**
 * The covered range the nexus tests take: the stretch of merged history that reaches the month's last day (history
 * before a hole counts as missing: what is in the hole is unknown). No such stretch: nothing is covered.
 */
export function coveredRange(coverage: readonly DayRange[], monthEnd: Day): DayRange {
  const hit = mergeRanges(coverage).find((r) => r.from <= monthEnd && r.to >= monthEnd);
  return hit ?? { from: addDays(monthEnd, 1), to: monthEnd };
}

/** The rule rows in force on any day of [from, to] (the versions a report may have read). */
export function rulesInForceDuring(from: Day, to: Day, rows: readonly TaxRuleRow[] = TAX_RULE_ROWS): string[] {
  const ids: string[] = [];
  for (const r of rows) {
    if (r.effectiveFrom > to) continue;
    const superseded = rows.some(
      (o) => o.state === r.state && o.topic === r.topic && o.effectiveFrom > r.effectiveFrom && o.effectiveFrom <= from,
    );
    if (!superseded) ids.push(`${r.state}.${r.topic}@${r.effectiveFrom}`);
  }
  return ids.sort();
}

const flagText = (f: RuleFlag): string =>
  `${f.ruleId}: the ${f.state} ${f.topic} rule is ${f.reason === 'unsourced' ? 'unsourced (a conservative default)' : 'uncertain (sources disagree; the conservative reading)'}`;

export function composeReport(input: ComposeInput): { outputs: TaxReportOutputs; ruleVersions: string[] } {
  const monthStart = `${input.period}-01`;
  const monthEnd = endOfMonth(monthStart);
  const from = lookbackStart(input.period);
  const rows = input.rows ?? TAX_RULE_ROWS;
  // A registration counts from its start date: one starting after the month is not yet in force.
  const registrations = input.registrations.filter((r) => r.startDate <= monthEnd);
  const registered = new Set(registrations.map((r) => r.state));
  const nexus = computeNexus({
    month: input.period,
    covered: coveredRange(input.coverage, monthEnd),
    sales: toDailySales(input.dailyTotals),
    inventory: toInventoryDays(input.presence, from, monthEnd),
    states: RULE_STATES,
    rows,
  });
  const returns = buildReturnLines({ acc: input.acc, period: input.period, registrations, rows });

  // The states the report speaks of: any with a line this month, a registration, sales in the look-back (monitored
  // against the thresholds), stock, or nexus.
  const active = new Set<string>([
    ...returns.lines.map((l) => l.state),
    ...input.dailyTotals.map((t) => t.state),
    ...input.presence.map((p) => p.state),
    ...nexus.states.filter((s) => s.nexusFrom).map((s) => s.state),
  ]);
  const nexusLines: ReportNexusLine[] = nexus.states
    .filter((s) => active.has(s.state))
    .map((s) => ({
      state: s.state,
      ...(s.nexusFrom ? { nexusFrom: s.nexusFrom } : {}),
      ...(s.nexusKind ? { nexusKind: s.nexusKind } : {}),
      ...(s.mustRegisterBy ? { mustRegisterBy: s.mustRegisterBy } : {}),
      mayBeEarlier: s.mayBeEarlier,
      ...(s.relievedStock
        ? { relievedStock: { from: s.relievedStock.from, to: s.relievedStock.to, relief: s.relievedStock.relief } }
        : {}),
    }));
  const mustRegister: MustRegister[] = nexus.states
    .filter((s) => s.nexusFrom && s.mustRegisterBy && s.nexusKind && !registered.has(s.state))
    .map((s) => ({ state: s.state, nexusFrom: s.nexusFrom!, mustRegisterBy: s.mustRegisterBy!, kind: s.nexusKind! }));

  const flags = new Map<string, string>();
  for (const f of [...nexus.states.filter((s) => active.has(s.state)).flatMap((s) => s.flags), ...returns.flags])
    flags.set(f.ruleId + f.reason, flagText(f));
  const sorted = [...flags.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
  const unrated = returns.lines.filter((l) => l.unratedLines > 0);
  const notes: string[] = [
    `Rates come from the product's synthetic table (${RATE_TABLE_VERSION}) for the seeded ZIPs, not from a rate service.`,
    'Nexus tests measure the retail and taxable bases as net sales (exempt sales are not separated in the daily totals): over-stated, never under.',
    ...(returns.lines.some((l) => l.useTaxBaseCents !== 0)
      ? [
          'Use tax on samples and withdrawals is measured on their list price (before any discount): the cost of the goods is not in the data.',
        ]
      : []),
    ...unrated.map(
      (l) =>
        `${l.state}: ${l.unratedLines} seller or use-tax lines ship to ZIPs the rate table does not hold: taxable in full, no tax computed for them.`,
    ),
    ...nexus.states
      .filter((s) => active.has(s.state) && s.mayBeEarlier && s.nexusFrom)
      .map(
        (s) =>
          `${s.state}: nexus found from ${s.nexusFrom}, but the history before it is incomplete: it may have begun earlier.`,
      ),
  ];

  const outputs: TaxReportOutputs = {
    period: input.period,
    timeZone: input.timeZone,
    rateTableVersion: RATE_TABLE_VERSION,
    lines: input.acc.lines,
    byClass: Object.values(input.acc.states).reduce(
      (acc, s) => ({
        marketplace: acc.marketplace + s.byClass.marketplace,
        seller: acc.seller + s.byClass.seller,
        exempt: acc.exempt + s.byClass.exempt,
        use_tax: acc.use_tax + s.byClass.use_tax,
      }),
      { marketplace: 0, seller: 0, exempt: 0, use_tax: 0 },
    ),
    states: returns.lines,
    nexus: nexusLines,
    mustRegister,
    sellerOwed: { ...input.sellerOwed, taxDueCents: returns.lines.reduce((a, l) => a + l.taxDueCents, 0) },
    differences: input.differences,
    // The windows the tests of the states spoken of needed (a state with no sales, stock or registration needs none).
    historyGaps: mergeRanges(nexus.states.filter((s) => active.has(s.state)).flatMap((s) => s.uncovered)),
    flags: [...notes, ...sorted],
  };
  const ruleVersions = [...new Set([...rulesInForceDuring(from, monthEnd, rows), ...returns.ruleIds])].sort();
  return { outputs, ruleVersions };
}
