/**
 * Per-state return lines of a month (issue 20 item 3; the liability formula of the reference §4.3): what a
 * state's return asks for — gross sales of all channels, the marketplace deduction, exempt and non-taxable sales, the
 * seller's taxable sales and its tax by jurisdiction, use tax on samples and withdrawals, the vendor discount — with
 * the due date of the return for the states the seller is registered in (tax/filingCalendar.ts). Pure.
 *
 * Lines are added one at a time to a JSON-serialisable accumulator (the report pages through a month of lines in
 * several activity calls and keeps it in PostgreSQL between them); `buildReturnLines` turns it into the lines.
 * Every amount is integer cents. Tax is computed on each jurisdiction's total base for the month (rounded once per
 * jurisdiction, as a return computes it), never summed from per-line rounded figures.
 *
 * Three groups of states are kept apart: registered with tax due; registered with nothing due (a zero or
 * deduction-only return is still filed); not registered, monitored against the thresholds.
 */
import { flagsOf, ruleInForce, type RuleFlag, type RuleInForce, type TaxRuleRow } from '../policy/taxRules';
import { classify, type LineClass, type ReportLine } from './classify';
import { endOfMonth } from './days';
import { filingCalendar, type FilingDue, type FilingRegistration } from './filingCalendar';
import { itemBaseCents, recompute } from './recompute';
import { taxCents, type JurisdictionKind, type ZipRates } from './rateTable';

interface JurisdictionBase {
  kind: JurisdictionKind;
  name: string;
  ppm: number;
  reportingCode?: string;
  baseCents: number;
}

export interface StateAccumulator {
  /** Sales and refunds of every class but use tax: (gross − seller discount) + shipping. */
  grossCents: number;
  marketplaceCents: number;
  exemptCents: number;
  /** Seller-channel shipping where freight is not taxed. */
  nonTaxableCents: number;
  sellerTaxableCents: number;
  /** Tax the seller collected on its own lines. */
  sellerCollectedCents: number;
  /** Tax TikTok collected (informational: not the seller's liability). */
  marketplaceTaxCents: number;
  useTaxBaseCents: number;
  /** Sum of refund amounts (negative), all classes. */
  refundCents: number;
  lines: number;
  refundLines: number;
  /** Seller or use-tax lines whose ZIP the rate table does not hold: no tax computed for them. */
  unratedLines: number;
  byClass: Record<LineClass, number>;
  seller: Record<string, JurisdictionBase>;
  use: Record<string, JurisdictionBase>;
}

export interface ReportAccumulator {
  states: Record<string, StateAccumulator>;
  lines: number;
}

export const emptyAccumulator = (): ReportAccumulator => ({ states: {}, lines: 0 });

function emptyState(): StateAccumulator {
  return {
    grossCents: 0,
    marketplaceCents: 0,
    exemptCents: 0,
    nonTaxableCents: 0,
    sellerTaxableCents: 0,
    sellerCollectedCents: 0,
    marketplaceTaxCents: 0,
    useTaxBaseCents: 0,
    refundCents: 0,
    lines: 0,
    refundLines: 0,
    unratedLines: 0,
    byClass: { marketplace: 0, seller: 0, exempt: 0, use_tax: 0 },
    seller: {},
    use: {},
  };
}

function addBase(into: Record<string, JurisdictionBase>, parts: ReturnType<typeof recompute>['parts']): void {
  for (const p of parts) {
    const key = `${p.kind}|${p.name}|${p.ppm}|${p.reportingCode ?? ''}`;
    const j = (into[key] ??= {
      kind: p.kind,
      name: p.name,
      ppm: p.ppm,
      ...(p.reportingCode ? { reportingCode: p.reportingCode } : {}),
      baseCents: 0,
    });
    j.baseCents += p.baseCents;
  }
}

/** Adds one line (rates: the line's ZIP in the rate table, undefined when it is not there). Returns its class. */
export function addLine(acc: ReportAccumulator, line: ReportLine, rates: ZipRates | undefined): LineClass {
  const { cls, refund } = classify(line);
  const s = (acc.states[line.state] ??= emptyState());
  acc.lines += 1;
  s.lines += 1;
  s.byClass[cls] += 1;
  const amount = itemBaseCents(line) + line.shippingCents;
  const charged = line.itemTaxCents + line.shippingTaxCents;
  if (refund) {
    s.refundLines += 1;
    s.refundCents += amount;
  }
  if (cls === 'use_tax') {
    // Measured on the list price (gross): a creator sample is commonly a 100% seller discount, and the goods' cost
    // is not in the data.
    s.useTaxBaseCents += line.grossCents;
    if (rates)
      addBase(s.use, recompute({ grossCents: line.grossCents, sellerDiscountCents: 0, shippingCents: 0 }, rates).parts);
    else s.unratedLines += 1;
    return cls;
  }
  s.grossCents += amount;
  if (cls === 'marketplace') {
    s.marketplaceCents += amount;
    s.marketplaceTaxCents += charged;
  } else if (cls === 'exempt') {
    s.exemptCents += amount;
  } else {
    s.sellerCollectedCents += charged;
    if (rates) {
      const r = recompute(line, rates);
      s.nonTaxableCents += r.nonTaxableShippingCents;
      s.sellerTaxableCents += r.itemBaseCents + r.shippingBaseCents;
      addBase(s.seller, r.parts);
    } else {
      // Unknown ZIP: taxable in full (the conservative reading), no tax figure; flagged.
      s.sellerTaxableCents += amount;
      s.unratedLines += 1;
    }
  }
  return cls;
}

export interface JurisdictionLine {
  kind: JurisdictionKind;
  name: string;
  ppm: number;
  reportingCode?: string;
  baseCents: number;
  taxCents: number;
}

export type StateGroup = 'registered_due' | 'registered_zero' | 'monitored';

export interface StateReturnLine {
  state: string;
  group: StateGroup;
  registered: boolean;
  grossCents: number;
  marketplaceDeductionCents: number;
  exemptCents: number;
  nonTaxableCents: number;
  taxableCents: number;
  sellerTaxCents: number;
  useTaxBaseCents: number;
  useTaxCents: number;
  vendorDiscountCents: number;
  /** sellerTax + useTax − vendorDiscount. */
  taxDueCents: number;
  sellerCollectedCents: number;
  marketplaceTaxCollectedCents: number;
  refundCents: number;
  lines: number;
  refundLines: number;
  unratedLines: number;
  jurisdictions: JurisdictionLine[];
  useTaxJurisdictions: JurisdictionLine[];
  /** The return due for a period ending in this month (registered states whose period ends here). */
  filing?: Pick<FilingDue, 'frequency' | 'period' | 'due' | 'ruleId'>;
}

export interface ReturnLinesResult {
  lines: StateReturnLine[];
  /** The rule rows used (vendor discount, filing), for the report's rule versions. */
  ruleIds: string[];
  flags: RuleFlag[];
}

function taxed(bases: Record<string, JurisdictionBase>): JurisdictionLine[] {
  return Object.values(bases)
    .map((j) => ({ ...j, taxCents: taxCents(j.baseCents, j.ppm) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.ppm - b.ppm));
}

const sum = (lines: readonly JurisdictionLine[]): number => lines.reduce((s, j) => s + j.taxCents, 0);

/** The month's return lines: every state with a line, and every registered state (a zero return). */
export function buildReturnLines(input: {
  acc: ReportAccumulator;
  /** YYYY-MM */
  period: string;
  registrations: readonly FilingRegistration[];
  rows?: readonly TaxRuleRow[];
}): ReturnLinesResult {
  const monthStart = `${input.period}-01`;
  const monthEnd = endOfMonth(monthStart);
  const registered = new Map(input.registrations.map((r) => [r.state, r]));
  const dues = filingCalendar({ registrations: input.registrations, from: monthStart, to: monthEnd, rows: input.rows });
  const used: (RuleInForce | undefined)[] = [];
  const dueFlags: RuleFlag[] = dues.flatMap((d) => d.flags);
  const states = [...new Set([...Object.keys(input.acc.states), ...registered.keys()])].sort();
  const lines = states.map((state): StateReturnLine => {
    const s = input.acc.states[state] ?? emptyState();
    const isRegistered = registered.has(state);
    const jurisdictions = taxed(s.seller);
    const useTaxJurisdictions = taxed(s.use);
    const sellerTax = sum(jurisdictions);
    const useTax = sum(useTaxJurisdictions);
    let vendorDiscount = 0;
    if (isRegistered) {
      const rule = ruleInForce(state, 'vendorDiscount', monthEnd, input.rows);
      used.push(rule);
      if (rule && rule.value.rate > 0 && sellerTax > 0) {
        vendorDiscount = Math.round(sellerTax * rule.value.rate);
        if (rule.value.capPerReturn !== undefined)
          vendorDiscount = Math.min(vendorDiscount, rule.value.capPerReturn * 100);
      }
    }
    const taxDue = sellerTax + useTax - vendorDiscount;
    const due = dues.find((d) => d.state === state);
    return {
      state,
      group: !isRegistered ? 'monitored' : taxDue > 0 ? 'registered_due' : 'registered_zero',
      registered: isRegistered,
      grossCents: s.grossCents,
      marketplaceDeductionCents: s.marketplaceCents,
      exemptCents: s.exemptCents,
      nonTaxableCents: s.nonTaxableCents,
      taxableCents: s.sellerTaxableCents,
      sellerTaxCents: sellerTax,
      useTaxBaseCents: s.useTaxBaseCents,
      useTaxCents: useTax,
      vendorDiscountCents: vendorDiscount,
      taxDueCents: taxDue,
      sellerCollectedCents: s.sellerCollectedCents,
      marketplaceTaxCollectedCents: s.marketplaceTaxCents,
      refundCents: s.refundCents,
      lines: s.lines,
      refundLines: s.refundLines,
      unratedLines: s.unratedLines,
      jurisdictions,
      useTaxJurisdictions,
      ...(due ? { filing: { frequency: due.frequency, period: due.period, due: due.due, ruleId: due.ruleId } } : {}),
    };
  });
  const ruleIds = [...new Set([...used.flatMap((u) => (u ? [u.id] : [])), ...dues.map((d) => d.ruleId)])].sort();
  const flags = new Map<string, RuleFlag>();
  for (const f of [...flagsOf(used), ...dueFlags]) flags.set(`${f.ruleId}:${f.reason}`, f);
  return { lines, ruleIds, flags: [...flags.values()] };
}
