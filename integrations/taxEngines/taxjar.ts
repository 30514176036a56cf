/**
 * The TaxJar implementation of TaxEngine, through TaxJar's official SDK (`taxjar` on npm). Each sale is priced with
 * `POST /v2/taxes` (the engine's tax and its `breakdown` by jurisdiction: https://developers.taxjar.com/api/reference/#post-calculate-sales-tax-for-an-order)
 * and recorded with `POST /v2/transactions/orders`; TaxJar answers 422 when the transaction_id exists (an earlier
 * attempt whose answer was lost), and the order is then replaced with `PUT /v2/transactions/orders/:id`
 * (https://developers.taxjar.com/api/reference/#transactions). Refunds likewise with `/v2/transactions/refunds`.
 */
import Taxjar from 'taxjar';
import type { CreateOrderParams, CreateRefundParams, LineItem, TaxParams } from 'taxjar/dist/util/types';
import type { TaxJarSettings } from '../../config/taxEngines';
import {
  collectedTax,
  failedOutcome,
  mapLimit,
  refundTransactionCode,
  roundMoney,
  saleTransactionCode,
  type CommitOutcome,
  type JurisdictionTax,
  type SellerOwedLine,
  type SellerOwedRefund,
  type SellerOwedTransaction,
  type TaxEngine,
  type TaxExemption,
} from './types';

/** TaxJar exemption types (https://developers.taxjar.com/api/reference/#post-calculate-sales-tax-for-an-order). */
const EXEMPTION_TYPE: Record<TaxExemption['reason'], string> = {
  resale: 'wholesale',
  government: 'government',
  other: 'other',
};
/** TaxJar's product tax code for a fully exempt item (https://developers.taxjar.com/api/reference/#categories). */
const EXEMPT_PTC = '99999';

interface Order {
  date: string;
  shipFrom: SellerOwedTransaction['shipFrom'];
  shipTo: SellerOwedTransaction['shipTo'];
  shipping: number;
  lines: SellerOwedLine[];
}

/** A unit price in cents whose total for the quantity is not below the amount; the rounding goes into `discount`. */
function pricing(l: SellerOwedLine): { unit_price: number; discount: number } {
  const unit = Math.ceil(roundMoney((l.amount / l.quantity) * 100) - 1e-9) / 100;
  return { unit_price: unit, discount: roundMoney(unit * l.quantity - l.amount) };
}

/** The order-level exemption when every line has the same one; otherwise exempt lines carry the exempt code. */
function exemptionOf(lines: SellerOwedLine[]): string | undefined {
  const reasons = new Set(lines.map((l) => l.exemption?.reason));
  if (reasons.size !== 1) return undefined;
  const [reason] = reasons;
  return reason ? EXEMPTION_TYPE[reason] : undefined;
}

function addresses(o: Order) {
  return {
    from_country: o.shipFrom.country,
    from_zip: o.shipFrom.postalCode,
    from_state: o.shipFrom.region,
    from_city: o.shipFrom.city,
    from_street: o.shipFrom.line1,
    to_country: o.shipTo.country,
    to_zip: o.shipTo.postalCode,
    to_state: o.shipTo.region,
    to_city: o.shipTo.city,
    to_street: o.shipTo.line1,
  };
}

function taxParams(o: Order): TaxParams {
  const wholeOrder = exemptionOf(o.lines);
  return {
    ...addresses(o),
    shipping: o.shipping,
    exemption_type: wholeOrder,
    line_items: o.lines.map((l) => ({
      id: l.lineId,
      quantity: l.quantity,
      product_tax_code: l.exemption && !wholeOrder ? EXEMPT_PTC : l.taxCode,
      ...pricing(l),
    })),
  };
}

/** Line items of a transaction; `sign` -1 for a refund (TaxJar recommends negative refund amounts). */
function transactionLines(o: Order, sign: 1 | -1): LineItem[] {
  const wholeOrder = exemptionOf(o.lines);
  return o.lines.map((l) => {
    const p = pricing(l);
    return {
      id: l.lineId,
      quantity: l.quantity,
      product_identifier: l.itemCode,
      description: l.description?.slice(0, 255),
      product_tax_code: l.exemption && !wholeOrder ? EXEMPT_PTC : l.taxCode,
      unit_price: sign * p.unit_price,
      discount: sign * p.discount,
      sales_tax: sign * l.salesTaxCollected,
    };
  });
}

const amountOf = (o: Order) => roundMoney(o.lines.reduce((s, l) => s + l.amount, 0) + o.shipping);

/** The `breakdown` by jurisdiction level (TaxJar names state, county and city; special districts only as a sum). */
export function taxjarJurisdictions(tax: Record<string, unknown>): JurisdictionTax[] {
  const b = tax.breakdown as Record<string, number> | undefined;
  if (!b) return [];
  const j = tax.jurisdictions as Record<string, string> | undefined;
  const levels: [JurisdictionTax['type'], string | undefined, string, string, string][] = [
    ['State', j?.state, 'state_taxable_amount', 'state_tax_rate', 'state_tax_collectable'],
    ['County', j?.county, 'county_taxable_amount', 'county_tax_rate', 'county_tax_collectable'],
    ['City', j?.city, 'city_taxable_amount', 'city_tax_rate', 'city_tax_collectable'],
    [
      'Special',
      'SPECIAL DISTRICT',
      'special_district_taxable_amount',
      'special_tax_rate',
      'special_district_tax_collectable',
    ],
  ];
  return levels
    .filter(([, , , rate]) => Number(b[rate] ?? 0) > 0)
    .map(([type, name, taxable, rate, collectable]) => ({
      name: String(name ?? type).toUpperCase(),
      type,
      rate: Number(b[rate]),
      taxable: Number(b[taxable] ?? 0),
      tax: Number(b[collectable] ?? 0),
    }));
}

const isStatus = (err: unknown, status: number) => (err as { status?: unknown }).status === status;

function errorOf(err: unknown): NonNullable<CommitOutcome['error']> {
  const status = (err as { status?: unknown }).status;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof status !== 'number') return { code: 'NetworkError', message, retryable: true };
  // 400/404/406 and other refusals are about this transaction; 401/403 (credentials, subscription), 429, 5xx pass.
  const retryable = status === 401 || status === 403 || status === 429 || status >= 500;
  return { code: `HTTP${status}`, message, retryable };
}

export function createTaxJarEngine(settings: TaxJarSettings): TaxEngine {
  const client = new Taxjar({ apiKey: settings.apiKey, apiUrl: settings.apiUrl });
  const concurrency = settings.concurrency ?? 8;

  /** Prices the order, then records it: create, or update when TaxJar says it exists (422). */
  async function record<P extends CreateOrderParams | CreateRefundParams>(
    base: Pick<CommitOutcome, 'transactionCode' | 'orderId' | 'kind'>,
    order: Order,
    params: P,
    create: (p: P) => Promise<unknown>,
    update: (p: P) => Promise<unknown>,
    sign: 1 | -1,
    collected: number,
  ): Promise<CommitOutcome> {
    try {
      const { tax } = await client.taxForOrder(taxParams(order));
      let action: CommitOutcome['action'] = 'created';
      try {
        await create(params);
      } catch (err) {
        if (!isStatus(err, 422)) throw err;
        await update(params);
        action = 'updated';
      }
      const jurisdictions = taxjarJurisdictions(tax as unknown as Record<string, unknown>).map((j) => ({
        ...j,
        taxable: sign * j.taxable,
        tax: sign * j.tax,
      }));
      return {
        ...base,
        action,
        engineTax: sign * Number(tax.amount_to_collect),
        collectedTax: collected,
        jurisdictions,
      };
    } catch (err) {
      return failedOutcome(base, errorOf(err));
    }
  }

  const commitOne = (sale: SellerOwedTransaction): Promise<CommitOutcome> => {
    const base = { transactionCode: saleTransactionCode(sale.orderId), orderId: sale.orderId, kind: 'sale' as const };
    const params: CreateOrderParams = {
      transaction_id: base.transactionCode,
      transaction_date: sale.date,
      provider: 'api',
      ...addresses(sale),
      amount: amountOf(sale),
      shipping: sale.shipping,
      sales_tax: collectedTax(sale),
      customer_id: undefined,
      exemption_type: exemptionOf(sale.lines),
      line_items: transactionLines(sale, 1),
    };
    return record(
      base,
      sale,
      params,
      (p) => client.createOrder(p),
      (p) => client.updateOrder(p),
      1,
      collectedTax(sale),
    );
  };

  return {
    name: 'taxjar',
    commitTransactions: (batch) => mapLimit(batch, concurrency, commitOne),
    refundTransaction(refund: SellerOwedRefund): Promise<CommitOutcome> {
      const base = {
        transactionCode: refundTransactionCode(refund.refundId),
        orderId: refund.orderId,
        kind: 'refund' as const,
      };
      const params: CreateRefundParams = {
        transaction_id: base.transactionCode,
        transaction_reference_id: saleTransactionCode(refund.orderId),
        transaction_date: refund.date,
        provider: 'api',
        ...addresses(refund),
        amount: -amountOf(refund),
        shipping: -refund.shipping,
        sales_tax: -collectedTax(refund),
        exemption_type: exemptionOf(refund.lines),
        line_items: transactionLines(refund, -1),
      };
      return record(
        base,
        refund,
        params,
        (p) => client.createRefund(p),
        (p) => client.updateRefund(p),
        -1,
        -collectedTax(refund),
      );
    },
  };
}
