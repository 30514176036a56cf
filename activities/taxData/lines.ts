// Pure mapping from TikTok's order data (Get Order Detail, Get Transactions by Order) to the rows of
// tax_sales_lines (db/taxSales.ts). TikTok is the marketplace facilitator in every US sales-tax state, so every
// TikTok sale line is `collected_by: 'tiktok'`; a creator sample (`is_sample_order`) is `kind: 'sample'` with
// `collected_by: 'none'` (use tax is the seller's). Money is computed in cents.
import zipcodes from 'zipcodes';
import type { TaxSalesLineInput } from '../../db/taxSales';
import type { SkuTransaction } from '../../integrations/tiktok/finance';
import type { TikTokOrder as Order } from '../../integrations/tiktok/orders';

export const cents = (s: string | undefined | null): number => Math.round(Number(s ?? '0') * 100);
export const amount = (c: number): string => (c / 100).toFixed(2);

/** The ship-to state: the ZIP's state (zipcodes table), else the order's state name normalized; null when neither. */
export function shipToState(order: Order): string | null {
  const zip = order.recipient_address?.postal_code?.slice(0, 5);
  const byZip = zip ? zipcodes.lookup(zip)?.state : undefined;
  if (byZip) return byZip;
  const name = order.recipient_address?.district_info?.find((d) => d.address_level === 'L1')?.address_name;
  const normalized = name ? zipcodes.states.normalize(name) : undefined;
  return normalized && normalized.length === 2 ? normalized : null;
}

const itemTaxCents = (li: Order['line_items'][number]): number => {
  const taxes = (li as { item_tax?: { tax_amount?: string }[] }).item_tax ?? [];
  return taxes.reduce((a, t) => a + cents(t.tax_amount), 0);
};

/**
 * The sale (or sample) lines of one order: one per line item (TikTok's line items are single units), the order's
 * shipping fee and shipping tax on its first live line. Lines paid outside [from, to) and cancelled lines are left
 * out; an order without a paid time or a ship-to state gives none (counted by the caller as skipped).
 */
export function saleLines(shopId: string, order: Order, window?: { from: Date; to: Date }): TaxSalesLineInput[] {
  if (order.paid_time === undefined) return [];
  const paid = new Date(order.paid_time * 1000);
  if (window && (paid < window.from || paid >= window.to)) return [];
  const state = shipToState(order);
  if (!state) return [];
  const sample = order.is_sample_order === true;
  const fulfilledBy = order.fulfillment_type === 'FULFILLMENT_BY_TIKTOK' ? 'fbt' : 'seller';
  const live = order.line_items.filter((li) => (li as { display_status?: string }).display_status !== 'CANCELLED');
  return live.map((li, i) => ({
    shopId,
    channel: 'tiktok',
    source: 'tiktok_finance',
    orderId: order.id,
    lineId: li.id,
    kind: sample ? 'sample' : 'sale',
    occurredAt: paid,
    shipToState: state,
    shipToZip: order.recipient_address?.postal_code?.slice(0, 10) ?? '',
    shipToCity: order.recipient_address?.district_info?.find((d) => d.address_level === 'L3')?.address_name ?? null,
    quantity: 1,
    gross: amount(cents(li.original_price ?? li.sale_price)),
    sellerDiscount: amount(cents(li.seller_discount)),
    platformDiscount: amount(cents(li.platform_discount)),
    shipping: i === 0 ? amount(cents(order.payment?.shipping_fee)) : '0.00',
    itemTax: amount(itemTaxCents(li)),
    shippingTax: i === 0 ? amount(cents(order.payment?.shipping_fee_tax)) : '0.00',
    collectedBy: sample ? 'none' : 'tiktok',
    exemptReason: null,
    fulfilledBy,
    refundOfLineId: null,
    currency: li.currency ?? order.payment?.currency ?? 'USD',
  }));
}

/**
 * Refund lines of one order for the SKU transactions of one statement: per SKU, `quantity` units refunded, mapped
 * onto that many of the order's line items with that SKU (TikTok's refund figures are per SKU; its line items per
 * unit). A refund line carries the refunded line's id (`kind: 'refund'` keeps it apart from the sale) and negative
 * amounts, the refunded line's tax negated, and occurs at `at` (the statement's settlement).
 */
export function refundLines(
  shopId: string,
  order: Order,
  skuTransactions: readonly SkuTransaction[],
  at: Date,
): TaxSalesLineInput[] {
  const sales = saleLines(shopId, order);
  const bySku = new Map<string, TaxSalesLineInput[]>();
  for (const [i, li] of order.line_items.entries()) {
    const sale = sales[i];
    if (!sale || !li.sku_id) continue;
    bySku.set(li.sku_id, [...(bySku.get(li.sku_id) ?? []), sale]);
  }
  const out: TaxSalesLineInput[] = [];
  for (const t of skuTransactions) {
    const refunded = -cents(t.revenue_breakdown?.refund_subtotal_before_discount_amount);
    if (refunded <= 0) continue;
    const units = Math.max(1, Number(t.quantity ?? 1));
    for (const sale of (bySku.get(t.sku_id) ?? []).slice(0, units)) {
      out.push({
        ...sale,
        kind: 'refund',
        occurredAt: at,
        gross: amount(-cents(sale.gross)),
        sellerDiscount: amount(-cents(sale.sellerDiscount)),
        platformDiscount: amount(-cents(sale.platformDiscount)),
        shipping: '0.00',
        itemTax: amount(-cents(sale.itemTax)),
        shippingTax: '0.00',
        refundOfLineId: sale.lineId,
      });
    }
  }
  return out;
}
