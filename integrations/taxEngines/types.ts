/**
 * The tax-engine layer (issue 20): what the monthly tax process commits to Avalara AvaTax or TaxJar after a person
 * approved the month. Only seller-owed transactions travel here. TikTok Shop is the marketplace facilitator in every
 * US sales-tax state (https://seller-us.tiktok.com/university/essay?knowledge_id=77147478607658), so a
 * TikTok-facilitated line is never the seller's liability: the types below have no way to carry one (every line is
 * `collector: 'seller'`), and `assertSellerOwed` refuses one that arrives from stored JSON at run time.
 */

export type TaxEngineName = 'avatax' | 'taxjar';
export const TAX_ENGINE_NAMES: readonly TaxEngineName[] = ['avatax', 'taxjar'];

export interface TaxAddress {
  line1?: string;
  city?: string;
  /** Two-letter state code. */
  region: string;
  postalCode: string;
  country: 'US';
}

/** Why a line is exempt (the buyer's certificate); mapped to AvaTax entity use codes and TaxJar exemption types. */
export type TaxExemption = { reason: 'resale' | 'government' | 'other'; certificateId?: string };

export interface SellerOwedLine {
  /** Unique within the transaction (the order line id). */
  lineId: string;
  /** Who collects and remits this line's tax: always the seller here. A marketplace line does not type-check. */
  collector: 'seller';
  /** The line total before tax, in dollars (positive; a refund's lines are positive and the engine reverses them). */
  amount: number;
  quantity: number;
  /** Product tax code (AvaTax tax code / TaxJar product_tax_code); general tangible goods when absent. */
  taxCode?: string;
  itemCode?: string;
  description?: string;
  /** Sales tax the seller collected from the buyer on this line, in dollars. */
  salesTaxCollected: number;
  exemption?: TaxExemption;
}

/** A seller-owed sale: one order of a channel where the seller, not a marketplace, collects the tax. */
export interface SellerOwedTransaction {
  orderId: string;
  /** The tax point (YYYY-MM-DD). */
  date: string;
  customerCode: string;
  shipFrom: TaxAddress;
  shipTo: TaxAddress;
  /** Shipping charged to the buyer, in dollars (0 when none). */
  shipping: number;
  /** Sales tax the seller collected on shipping (0 when none). */
  shippingTaxCollected?: number;
  lines: SellerOwedLine[];
}

/** A refund of a committed seller-owed sale, reported in its own month (the refund date). */
export interface SellerOwedRefund {
  refundId: string;
  /** The order whose committed sale this refund reverses. */
  orderId: string;
  /** The refund's date (YYYY-MM-DD): the month it is filed in. */
  date: string;
  customerCode: string;
  shipFrom: TaxAddress;
  shipTo: TaxAddress;
  shipping: number;
  shippingTaxCollected?: number;
  /** The refunded lines (lineId as in the sale), positive amounts; all of the sale's lines for a full refund. */
  lines: SellerOwedLine[];
  full: boolean;
}

/** One jurisdiction's part of the tax an engine computed. */
export interface JurisdictionTax {
  /** AvaTax `jurisName`; TaxJar the state/county/city name or "SPECIAL DISTRICT" (TaxJar names no districts). */
  name: string;
  type: 'State' | 'County' | 'City' | 'Special';
  rate: number;
  taxable: number;
  tax: number;
}

export interface CommitOutcome {
  /** The engine's transaction code (AvaTax `code`, TaxJar `transaction_id`), derived from the order/refund id. */
  transactionCode: string;
  orderId: string;
  kind: 'sale' | 'refund';
  /**
   * created: new at the engine; adjusted (AvaTax) / updated (TaxJar): it existed (an earlier attempt whose outcome was
   * lost) and was replaced in place; existing: an AvaTax refund already recorded under its code; failed: see `error`.
   */
  action: 'created' | 'adjusted' | 'updated' | 'existing' | 'failed';
  /** The tax the engine computed (negative for a refund). */
  engineTax: number;
  /** The tax the seller collected (negative for a refund). */
  collectedTax: number;
  jurisdictions: JurisdictionTax[];
  /** Set when action is 'failed': retryable (network, auth, 5xx, 429) or a refusal of this transaction. */
  error?: { code: string; message: string; retryable: boolean };
}

export interface TaxEngine {
  readonly name: TaxEngineName;
  /**
   * Commits each sale idempotently (same code, same result when committed again). One outcome per input, in order; a
   * transaction that fails does not fail the others (its outcome says why).
   */
  commitTransactions(batch: SellerOwedTransaction[]): Promise<CommitOutcome[]>;
  /** Records a refund of a committed sale idempotently (a failure is an outcome, as above). */
  refundTransaction(refund: SellerOwedRefund): Promise<CommitOutcome>;
}

/** Transaction codes: the engines take letters, digits, `_` and `-` (TaxJar transaction_id), at most 50 (AvaTax). */
function codePart(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-');
}
export const saleTransactionCode = (orderId: string): string => `tts-${codePart(orderId)}`.slice(0, 50);
export const refundTransactionCode = (refundId: string): string => `tts-r-${codePart(refundId)}`.slice(0, 50);

export class NotSellerOwedError extends Error {
  override name = 'NotSellerOwedError';
}

/**
 * Refuses a transaction with any line the seller does not collect on (e.g. a TikTok-facilitated line read back from
 * JSON, where the type does not protect): committing it would report marketplace sales as the seller's liability.
 */
export function assertSellerOwed(tx: {
  orderId: string;
  lines: readonly { lineId: string; collector: string }[];
}): void {
  if (tx.lines.length === 0) throw new NotSellerOwedError(`order ${tx.orderId}: no lines`);
  for (const line of tx.lines) {
    if (line.collector !== 'seller') {
      throw new NotSellerOwedError(
        `order ${tx.orderId} line ${line.lineId}: collected by ${String(line.collector)}, not the seller — never committed as seller liability`,
      );
    }
  }
}

/** Dollars to cents and back, rounding half away from zero as the engines do per jurisdiction. */
export const roundMoney = (v: number): number => (Math.sign(v) * Math.round(Math.abs(v) * 100 + 1e-9)) / 100;

/** Runs fn over items with at most `limit` in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

export const collectedTax = (tx: SellerOwedTransaction | SellerOwedRefund): number =>
  roundMoney(tx.lines.reduce((s, l) => s + l.salesTaxCollected, 0) + (tx.shippingTaxCollected ?? 0));

/** The outcome of a transaction the engine did not take. */
export function failedOutcome(
  base: Pick<CommitOutcome, 'transactionCode' | 'orderId' | 'kind'>,
  error: NonNullable<CommitOutcome['error']>,
): CommitOutcome {
  return { ...base, action: 'failed', engineTax: 0, collectedTax: 0, jurisdictions: [], error };
}
