/**
 * The tax a line should carry under the product's rate table (tax/rateTable.ts), and the difference from what was
 * charged (issue 20 item 3: "recomputes the tax TikTok should have charged and lists the differences"). Pure.
 *
 * The base: the item price after the seller's own discount (gross − seller_discount). A platform-funded discount does
 * not lower it: TikTok pays the seller that part of the price, which stays the seller's gross receipt (the issue's
 * reference marks this as varying by state; the conservative reading is taken everywhere). Shipping is taxed where
 * the ZIP's `freightTaxable` says so. Each jurisdiction's tax is rounded on its own, then summed.
 */
import type { ReportLine } from './classify';
import { taxCents, type JurisdictionKind, type ZipRates } from './rateTable';

export interface JurisdictionPart {
  kind: JurisdictionKind;
  name: string;
  ppm: number;
  reportingCode?: string;
  baseCents: number;
  taxCents: number;
}

export interface Recomputed {
  itemBaseCents: number;
  /** Shipping taxed in the ZIP (0 where freight is not taxable). */
  shippingBaseCents: number;
  /** Shipping not taxed in the ZIP. */
  nonTaxableShippingCents: number;
  itemTaxCents: number;
  shippingTaxCents: number;
  totalCents: number;
  parts: JurisdictionPart[];
}

type Amounts = Pick<ReportLine, 'grossCents' | 'sellerDiscountCents' | 'shippingCents'>;

export const itemBaseCents = (line: Amounts): number => line.grossCents - line.sellerDiscountCents;

/** The line's tax under `rates`. */
export function recompute(line: Amounts, rates: ZipRates): Recomputed {
  const item = itemBaseCents(line);
  const ship = rates.freightTaxable ? line.shippingCents : 0;
  let itemTax = 0;
  let shipTax = 0;
  const parts = rates.jurisdictions.map((j): JurisdictionPart => {
    const i = taxCents(item, j.ppm);
    const s = taxCents(ship, j.ppm);
    itemTax += i;
    shipTax += s;
    return {
      kind: j.kind,
      name: j.name,
      ppm: j.ppm,
      ...(j.reportingCode ? { reportingCode: j.reportingCode } : {}),
      baseCents: item + ship,
      taxCents: i + s,
    };
  });
  return {
    itemBaseCents: item,
    shippingBaseCents: ship,
    nonTaxableShippingCents: line.shippingCents - ship,
    itemTaxCents: itemTax,
    shippingTaxCents: shipTax,
    totalCents: itemTax + shipTax,
    parts,
  };
}

export interface TaxDifference {
  lineRef: string;
  orderId: string;
  lineId: string;
  state: string;
  zip: string;
  day: string;
  chargedCents: number;
  expectedCents: number;
  /** charged − expected: positive = over-charged, negative = under-charged. */
  differenceCents: number;
}

/**
 * Rounding alone may move the charged figure by half a cent per jurisdiction and amount (item, shipping) when the
 * charging side rounds the combined rate once: up to one cent per jurisdiction is not a difference.
 */
export const toleranceCents = (rates: ZipRates): number => Math.max(1, rates.jurisdictions.length);

/** The line's difference between the tax charged (item + shipping) and the recomputed tax, or undefined within tolerance. */
export function differenceOf(line: ReportLine, rates: ZipRates): TaxDifference | undefined {
  const expected = recompute(line, rates).totalCents;
  const charged = line.itemTaxCents + line.shippingTaxCents;
  const diff = charged - expected;
  if (Math.abs(diff) <= toleranceCents(rates)) return undefined;
  return {
    lineRef: line.id,
    orderId: line.orderId,
    lineId: line.lineId,
    state: line.state,
    zip: line.zip,
    day: line.day,
    chargedCents: charged,
    expectedCents: expected,
    differenceCents: diff,
  };
}
