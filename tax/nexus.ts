/**
 * Nexus per state by day (issue 20 items 3 and 7): economic nexus from daily sales totals under each state's rule in
 * force on the day of each test, physical nexus from the days stock sat in the state (Fulfilled by TikTok or a
 * third-party warehouse), and the date registration is due. Pure: no I/O, no clock.
 *
 * What "nexus from" means here: the first day, among the tests whose consequence reaches the month, on which a
 * state's test is met — the day the running total reaches the threshold for a current-calendar-year test, the last
 * day of the measured period for the other windows (Dec 31 for a previous-year test, the month end for a trailing
 * 12-month test) — or the first day stock was in the state. Tests that reach the month: every day of the previous
 * and current calendar year (a year's nexus lasts through the next year), every tested month end from 12 months
 * before the month through its end (a trailing test binds for the following 12 months).
 *
 * Refunds are booked on the day they happen (a negative amount that day), as the report books them: a crossing is
 * never undone by a later refund; the refund lowers the windows that contain its own day.
 */
import { flagsOf, RULE_STATES, ruleInForce } from '../policy/taxRules';
import type {
  EconomicThreshold,
  RegistrationStart,
  RuleFlag,
  RuleInForce,
  TaxRuleRow,
  TaxState,
} from '../policy/taxRules';
import {
  addDays,
  dateIn,
  daysBetween,
  endOfMonth,
  firstOfMonthAfter,
  isEndOfMonth,
  monthOf,
  yearOf,
  type Day,
} from './days';

/** One state's sales of one day and channel, net of the refunds booked that day (amounts may be negative). */
export interface DailySales {
  day: Day;
  state: TaxState;
  channel: 'marketplace' | 'direct';
  gross: number;
  retail: number;
  taxable: number;
  /** Separate sales that day (a refund is not a sale and adds none). */
  transactions: number;
}

/** Stock held in a state on a day: at Fulfilled by TikTok (the marketplace's facility) or a third-party warehouse. */
export interface InventoryPresence {
  day: Day;
  state: TaxState;
  kind: 'fbt' | '3pl';
}

export interface NexusInput {
  /** The month reported, YYYY-MM. */
  month: string;
  /** The days the sales and inventory history covers (inclusive). Days outside it count as unknown. */
  covered: { from: Day; to: Day };
  sales: readonly DailySales[];
  inventory: readonly InventoryPresence[];
  /** States to compute (default: every state with rules). */
  states?: readonly TaxState[];
  /** Rule rows (default: policy/taxRules TAX_RULE_ROWS). */
  rows?: readonly TaxRuleRow[];
}

export interface DayRange {
  from: Day;
  to: Day;
}

export interface EconomicNexus {
  from: Day;
  ruleId: string;
  /** Which part of the rule fired. */
  met: 'amount' | 'transactions' | 'amountAndTransactions';
  /** The figures at that moment: the measured window and what it held under the rule's basis and inclusion. */
  figures: {
    window: DayRange;
    amount: number;
    transactions: number;
    basis: EconomicThreshold['basis'];
    marketplaceSalesCount: boolean;
  };
}

export interface PhysicalNexus {
  from: Day;
  ruleId: string;
  kind: InventoryPresence['kind'];
}

export interface StateNexus {
  state: TaxState;
  /** The earlier of economic and physical nexus, if any. */
  nexusFrom?: Day;
  nexusKind?: 'economic' | 'physical';
  economic?: EconomicNexus;
  physical?: PhysicalNexus;
  /** Stock days that did not create nexus under the state's marketplace relief (TX, NY). */
  relievedStock?: { from: Day; to: Day; ruleId: string; relief: string };
  mustRegisterBy?: Day;
  registrationRuleId?: string;
  /** Parts of the windows this answer needed that the history does not cover. */
  uncovered: DayRange[];
  /** Nexus was found, but an earlier window was not fully covered: it may have begun earlier. */
  mayBeEarlier: boolean;
  /** Rules used that are unsourced or uncertain. */
  flags: RuleFlag[];
}

export interface NexusReport {
  month: string;
  states: StateNexus[];
  /** Union over states of the windows the history does not cover. */
  uncovered: DayRange[];
}

/** Per-day prefix sums of one state's sales, by basis and channel, over the days [start, start + length). */
class StateSeries {
  private readonly sums: Record<string, Float64Array> = {};
  constructor(
    private readonly start: Day,
    private readonly length: number,
  ) {}
  add(s: DailySales): void {
    const i = daysBetween(this.start, s.day);
    if (i < 0 || i >= this.length) return;
    for (const key of ['gross', 'retail', 'taxable', 'transactions'] as const) {
      const name = `${key}.${s.channel}`;
      const arr = (this.sums[name] ??= new Float64Array(this.length + 1));
      arr[i + 1] = (arr[i + 1] ?? 0) + s[key];
    }
  }
  finish(): void {
    for (const arr of Object.values(this.sums))
      for (let i = 1; i < arr.length; i++) arr[i] = (arr[i] ?? 0) + (arr[i - 1] ?? 0);
  }
  total(key: 'gross' | 'retail' | 'taxable' | 'transactions', channels: readonly string[], w: DayRange): number {
    const a = Math.max(0, daysBetween(this.start, w.from));
    const b = Math.min(this.length, daysBetween(this.start, w.to) + 1);
    if (b <= a) return 0;
    let sum = 0;
    for (const c of channels) {
      const arr = this.sums[`${key}.${c}`];
      if (arr) sum += (arr[b] ?? 0) - (arr[a] ?? 0);
    }
    return Math.round(sum * 100) / 100;
  }
}

/** The window a test on `day` measures under `t`, or undefined when `day` is no test day for the month. */
function testWindow(t: EconomicThreshold, day: Day, monthStart: Day): DayRange | undefined {
  const w = t.window;
  const y = yearOf(monthStart);
  if (w.kind === 'calendarYear') {
    if (w.years === 'previousOrCurrent')
      return yearOf(day) >= y - 1 ? { from: dateIn(yearOf(day), 1, 1), to: day } : undefined;
    return day === dateIn(y - 1, 12, 31) ? { from: dateIn(y - 1, 1, 1), to: day } : undefined;
  }
  if (!isEndOfMonth(day) || !w.testedAtMonthEnds.includes(monthOf(day))) return undefined;
  if (day < endOfMonth(firstOfMonthAfter(monthStart, -12))) return undefined;
  return { from: firstOfMonthAfter(day, -11), to: day };
}

/** The parts of `w` outside `covered`. */
function outside(w: DayRange, covered: DayRange): DayRange[] {
  const out: DayRange[] = [];
  if (w.from < covered.from) out.push({ from: w.from, to: w.to < covered.from ? w.to : addDays(covered.from, -1) });
  if (w.to > covered.to) out.push({ from: w.from > covered.to ? w.from : addDays(covered.to, 1), to: w.to });
  return out;
}

/** Sorted union of day ranges. */
export function mergeRanges(ranges: readonly DayRange[]): DayRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: DayRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= addDays(last.to, 1)) {
      if (r.to > last.to) last.to = r.to;
    } else out.push({ ...r });
  }
  return out;
}

/** The day registration is due under `rule` for nexus arising on `day`. */
export function registrationDue(rule: RegistrationStart, day: Day): Day {
  switch (rule.kind) {
    case 'withinDays':
      return addDays(day, rule.days);
    case 'firstOfMonthAfter':
      return firstOfMonthAfter(day, rule.months);
    case 'firstOfMonthAfterDays':
      return firstOfMonthAfter(addDays(day, rule.days), 1);
    case 'firstOfMonthOnOrAfterDays': {
      const x = addDays(day, rule.days);
      return x.endsWith('-01') ? x : firstOfMonthAfter(x, 1);
    }
    case 'nextFixedDate': {
      const same = `${day.slice(0, 4)}-${rule.monthDay}`;
      return same > day ? same : `${yearOf(day) + 1}-${rule.monthDay}`;
    }
  }
}

interface EconomicResult {
  nexus?: EconomicNexus;
  uncovered: DayRange[];
  mayBeEarlier: boolean;
  used: RuleInForce[];
}

function economic(
  state: TaxState,
  series: StateSeries,
  from: Day,
  to: Day,
  monthStart: Day,
  input: NexusInput,
): EconomicResult {
  const uncovered: DayRange[] = [];
  const used = new Map<string, RuleInForce>();
  let gapBefore = false;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const rule = ruleInForce(state, 'threshold', day, input.rows);
    if (!rule) continue;
    const t = rule.value;
    const w = testWindow(t, day, monthStart);
    if (!w) continue;
    used.set(rule.id, rule);
    const gaps = outside(w, input.covered);
    uncovered.push(...gaps);
    const channels = t.marketplaceSalesCount ? ['direct', 'marketplace'] : ['direct'];
    const amount = series.total(t.basis, channels, w);
    const transactions = series.total('transactions', channels, w);
    const amountMet = amount >= t.amount;
    const countMet = t.transactions !== undefined && transactions >= t.transactions;
    const met = t.combine === 'and' && t.transactions !== undefined ? amountMet && countMet : amountMet || countMet;
    if (met) {
      return {
        nexus: {
          from: day,
          ruleId: rule.id,
          met: amountMet && countMet ? 'amountAndTransactions' : amountMet ? 'amount' : 'transactions',
          figures: { window: w, amount, transactions, basis: t.basis, marketplaceSalesCount: t.marketplaceSalesCount },
        },
        uncovered,
        mayBeEarlier: gapBefore || gaps.length > 0,
        used: [rule],
      };
    }
    if (gaps.length > 0) gapBefore = true;
  }
  return { uncovered, mayBeEarlier: false, used: [...used.values()] };
}

function stateNexus(
  state: TaxState,
  input: NexusInput,
  sales: readonly DailySales[],
  seriesStart: Day,
  length: number,
): StateNexus {
  const monthStart = `${input.month}-01`;
  const monthEnd = endOfMonth(monthStart);
  const lookbackFrom = dateIn(yearOf(monthStart) - 1, 1, 1);
  const series = new StateSeries(seriesStart, length);
  for (const s of sales) series.add(s);
  series.finish();

  const eco = economic(state, series, lookbackFrom, monthEnd, monthStart, input);
  const used: (RuleInForce | undefined)[] = [...eco.used];
  const result: StateNexus = {
    state,
    uncovered: mergeRanges(eco.uncovered),
    mayBeEarlier: eco.mayBeEarlier,
    flags: [],
  };
  if (eco.nexus) result.economic = eco.nexus;

  // Physical: the first stock day in the look-back that the state's relief does not excuse.
  const stock = input.inventory
    .filter((p) => p.state === state && p.day >= lookbackFrom && p.day <= monthEnd)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.kind === '3pl' ? -1 : 1));
  let relievedFrom: Day | undefined;
  let relievedTo: Day | undefined;
  let reliefRule: RuleInForce<'inventory'> | undefined;
  for (const p of stock) {
    const rule = ruleInForce(state, 'inventory', p.day, input.rows);
    if (!rule?.value.inventoryCreatesNexus) continue;
    used.push(rule);
    const onlyFbt = !stock.some((q) => q.day === p.day && q.kind === '3pl');
    const relief = rule.value.relief;
    const belowThreshold = !eco.nexus || eco.nexus.from > p.day;
    const noDirectSales =
      series.total('transactions', ['direct'], { from: seriesStart, to: p.day }) === 0 &&
      series.total('gross', ['direct'], { from: seriesStart, to: p.day }) === 0;
    const relieved =
      onlyFbt &&
      ((relief === 'marketplaceStockBelowThreshold' && belowThreshold) ||
        (relief === 'marketplaceOnlySales' && noDirectSales));
    if (relieved) {
      relievedFrom ??= p.day;
      relievedTo = p.day;
      reliefRule = rule;
      continue;
    }
    result.physical = { from: p.day, ruleId: rule.id, kind: onlyFbt ? 'fbt' : '3pl' };
    break;
  }
  if (relievedFrom && relievedTo && reliefRule) {
    result.relievedStock = {
      from: relievedFrom,
      to: relievedTo,
      ruleId: reliefRule.id,
      relief: reliefRule.value.relief,
    };
  }

  // Registration: the state's start rule for economic nexus; by the first stock day for physical nexus (no source
  // gives a later start for a seller with stock in the state).
  const dues: Day[] = [];
  if (result.economic) {
    const reg = ruleInForce(state, 'registration', result.economic.from, input.rows);
    used.push(reg);
    if (reg) {
      dues.push(registrationDue(reg.value, result.economic.from));
      result.registrationRuleId = reg.id;
    }
  }
  if (result.physical) dues.push(result.physical.from);
  const eFrom = result.economic?.from;
  const pFrom = result.physical?.from;
  if (eFrom !== undefined || pFrom !== undefined) {
    const physicalFirst = pFrom !== undefined && (eFrom === undefined || pFrom < eFrom);
    result.nexusFrom = physicalFirst ? pFrom : eFrom;
    result.nexusKind = physicalFirst ? 'physical' : 'economic';
    result.mustRegisterBy = dues.sort()[0];
  }
  result.flags = flagsOf(used);
  return result;
}

/** Nexus per state for a month. */
export function computeNexus(input: NexusInput): NexusReport {
  const monthStart = `${input.month}-01`;
  // The earliest day any test reads: the start of the window of the trailing test 12 months before the month.
  const seriesStart = [firstOfMonthAfter(monthStart, -23), dateIn(yearOf(monthStart) - 1, 1, 1)].sort()[0]!;
  const length = daysBetween(seriesStart, endOfMonth(monthStart)) + 1;
  // One pass over the sales (a large shop has many rows), then one series per state.
  const byState = new Map<TaxState, DailySales[]>();
  for (const s of input.sales) {
    const list = byState.get(s.state);
    if (list) list.push(s);
    else byState.set(s.state, [s]);
  }
  const states = (input.states ?? RULE_STATES).map((s) =>
    stateNexus(s, input, byState.get(s) ?? [], seriesStart, length),
  );
  return { month: input.month, states, uncovered: mergeRanges(states.flatMap((s) => s.uncovered)) };
}
