// Finance and FBT APIs of the emulator (issue 20), answered from the emulator's orders and the settlements kept in
// TaxFinanceState, with the shapes of the official SDK's models (docs/tiktok-shop-api-sources.md):
// - Get Statements (GET /finance/202309/statements): one statement per shop and UTC day with settlements, generated
//   at 00:00 UTC the next day (the page: "Statements are generated daily at 00:00 UTC");
// - Get Transactions by Statement (GET /finance/202501/statements/{id}/statement_transactions): one ORDER
//   transaction per settlement, with revenue_breakdown and supplementary_component (platform discounts, sales tax);
// - Get Transactions by Order (GET /finance/202501/orders/{id}/statement_transactions): sku_transactions per
//   statement, refunds as negative `refund_subtotal_before_discount_amount`;
// - Get Unsettled Transactions (GET /finance/202507/orders/unsettled);
// - Get FBT Warehouse List (GET /fbt/202408/warehouses) and Search FBT Inventory Record
//   (POST /fbt/202410/inventory_records/search).
// Amounts are computed in cents from the line items' tax fields (state.ts LineTax).
import { coded } from './errorCodes';
import { ownOrder } from './orders';
import type { Platform } from './platform';
import type { LineItem, Order } from './state';
import type { Settlement } from './taxFinanceState';
import type { Json } from './util';
import { optNumber, paginate, paramError, sortBy } from './util';

const DAY_MS = 24 * 3600 * 1000;
const cents = (s: string | undefined): number => Math.round(Number(s ?? '0') * 100);
const amount = (c: number): string => (c / 100).toFixed(2);
const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
/** Statement time (Unix seconds) of a settlement day: 00:00 UTC of the next day. */
const statementTime = (day: string): number => (dayStartMs(day) + DAY_MS) / 1000;

function statementId(p: Platform, shopId: string, day: string): string {
  const key = `${shopId}|${day}`;
  let id = p.state.taxFinance.statementIds.get(key);
  if (!id) {
    id = p.state.newId('73');
    p.state.taxFinance.statementIds.set(key, id);
  }
  return id;
}

function statementsOf(p: Platform, shopId: string): { id: string; day: string; settlements: readonly Settlement[] }[] {
  const byDay = p.state.taxFinance.settlementsByDay(shopId);
  return [...byDay.entries()].map(([day, settlements]) => ({ id: statementId(p, shopId, day), day, settlements }));
}

interface Figures {
  subtotal: number;
  sellerDiscount: number;
  platformDiscount: number;
  tax: number;
  shipping: number;
}

/** A line's price before discounts, its discounts and its tax, in cents. */
function lineFigures(li: LineItem): Figures {
  const original = cents(li.tax?.originalPrice ?? li.salePrice);
  return {
    subtotal: original,
    sellerDiscount: cents(li.tax?.sellerDiscount),
    platformDiscount: cents(li.tax?.platformDiscount),
    tax: cents(li.tax?.itemTax),
    shipping: 0,
  };
}

function figuresOf(order: Order, lineIds: readonly string[], withShipping: boolean): Figures {
  const total: Figures = { subtotal: 0, sellerDiscount: 0, platformDiscount: 0, tax: 0, shipping: 0 };
  for (const li of order.lineItems) {
    if (!lineIds.includes(li.id)) continue;
    const f = lineFigures(li);
    total.subtotal += f.subtotal;
    total.sellerDiscount += f.sellerDiscount;
    total.platformDiscount += f.platformDiscount;
    total.tax += f.tax;
  }
  if (withShipping) {
    total.shipping = cents(order.shippingFee);
    total.tax += cents(order.shippingFeeTax);
  }
  return total;
}

/** The first sale settlement of an order carries its shipping; a refund returns goods only. */
function transactionJson(p: Platform, s: Settlement, id: string): Json {
  const order = ownOrder(p, s.shopId, s.orderId);
  const f = figuresOf(order, s.lineIds, s.kind === 'sale');
  const sale = s.kind === 'sale';
  const revenue = sale ? f.subtotal - f.sellerDiscount : -(f.subtotal - f.sellerDiscount);
  return {
    id,
    type: 'ORDER',
    order_id: order.id,
    order_create_time: Math.floor(order.createTime / 1000),
    revenue_amount: amount(revenue),
    revenue_breakdown: sale
      ? {
          subtotal_before_discount_amount: amount(f.subtotal),
          seller_discount_amount: amount(-f.sellerDiscount),
          refund_subtotal_before_discount_amount: '0.00',
          seller_discount_refund_amount: '0.00',
        }
      : {
          subtotal_before_discount_amount: '0.00',
          seller_discount_amount: '0.00',
          refund_subtotal_before_discount_amount: amount(-f.subtotal),
          seller_discount_refund_amount: amount(f.sellerDiscount),
        },
    shipping_cost_amount: '0.00',
    shipping_cost_breakdown: { customer_paid_shipping_fee_amount: amount(f.shipping) },
    fee_tax_amount: '0.00',
    adjustment_amount: '0.00',
    settlement_amount: amount(revenue),
    supplementary_component: {
      customer_payment_amount: amount(
        sale ? f.subtotal - f.sellerDiscount - f.platformDiscount + f.shipping + f.tax : 0,
      ),
      customer_refund_amount: amount(sale ? 0 : -(f.subtotal - f.sellerDiscount - f.platformDiscount + f.tax)),
      platform_discount_amount: amount(sale ? -f.platformDiscount : 0),
      platform_discount_refund_amount: amount(sale ? 0 : f.platformDiscount),
      sales_tax_payment_amount: amount(sale ? f.tax : 0),
      sales_tax_refund_amount: amount(sale ? 0 : f.tax),
      sales_tax_amount: amount(sale ? f.tax : -f.tax),
      retail_delivery_fee_amount: '0.00',
    },
  };
}

function requireSortField(query: Record<string, string>, allowed: string): void {
  if (query.sort_field !== undefined && query.sort_field !== allowed) {
    throw paramError(`param query.sort_field only supports ${allowed}`);
  }
}

/** GET /finance/202309/statements */
export function getStatements(p: Platform, shopId: string, query: Record<string, string>): Json {
  requireSortField(query, 'statement_time');
  const ge = optNumber(query.statement_time_ge);
  const lt = optNumber(query.statement_time_lt);
  const list = statementsOf(p, shopId).filter((s) => {
    const t = statementTime(s.day);
    return t * 1000 <= p.clock.now() && (ge === undefined || t >= ge) && (lt === undefined || t < lt);
  });
  const sorted = sortBy(list, (s) => statementTime(s.day), query.sort_order, 'ASC');
  const { page, next_page_token } = paginate(sorted, query, { min: 1, max: 100, def: 20 });
  return {
    statements: page.map((s) => {
      const revenue = s.settlements.reduce(
        (a, x) => a + Number((transactionJson(p, x, '0') as { revenue_amount: string }).revenue_amount),
        0,
      );
      return {
        id: s.id,
        statement_time: statementTime(s.day),
        currency: 'USD',
        revenue_amount: revenue.toFixed(2),
        net_sales_amount: revenue.toFixed(2),
        settlement_amount: revenue.toFixed(2),
        fee_amount: '0.00',
        adjustment_amount: '0.00',
        shipping_cost_amount: '0.00',
        payment_status: 'PAID',
        payment_id: `${s.id}9`,
      };
    }),
    next_page_token,
  };
}

function statementById(p: Platform, shopId: string, id: string) {
  const found = statementsOf(p, shopId).find((s) => s.id === id && statementTime(s.day) * 1000 <= p.clock.now());
  if (!found) throw coded('invalid_param', `statement ${id} not found`);
  return found;
}

type StatementTx = { s: Settlement; id: string };
// A statement's sorted transactions and total, kept per sort order until its day gets another settlement: computing
// them on every page made paging one statement quadratic in its size (bench/taxImport.ts).
const statementListings = new WeakMap<
  readonly Settlement[],
  Map<string, { n: number; sorted: StatementTx[]; total: number }>
>();

function statementListing(
  p: Platform,
  shopId: string,
  st: { id: string; settlements: readonly Settlement[] },
  order: string,
): { sorted: StatementTx[]; total: number } {
  let byOrder = statementListings.get(st.settlements);
  if (!byOrder)
    statementListings.set(
      st.settlements,
      (byOrder = new Map<string, { n: number; sorted: StatementTx[]; total: number }>()),
    );
  const cached = byOrder.get(order);
  if (cached && cached.n === st.settlements.length) return cached;
  const txs = st.settlements.map((s, i) => ({ s, id: `${st.id}${String(i).padStart(4, '0')}` }));
  const sorted = sortBy(txs, (t) => ownOrder(p, shopId, t.s.orderId).createTime, order, 'ASC');
  const total = txs.reduce(
    (a, t) => a + cents((transactionJson(p, t.s, t.id) as { settlement_amount: string }).settlement_amount),
    0,
  );
  const listing = { n: st.settlements.length, sorted, total };
  byOrder.set(order, listing);
  return listing;
}

/** GET /finance/202501/statements/{statement_id}/statement_transactions */
export function getStatementTransactions(
  p: Platform,
  shopId: string,
  statementIdParam: string,
  query: Record<string, string>,
): Json {
  requireSortField(query, 'order_create_time');
  const st = statementById(p, shopId, statementIdParam);
  const { sorted, total } = statementListing(p, shopId, st, String(query.sort_order ?? 'ASC').toUpperCase());
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 100, def: 20 });
  return {
    id: st.id,
    create_time: statementTime(st.day),
    currency: 'USD',
    status: 'SETTLED',
    total_settlement_amount: amount(total),
    total_count,
    transactions: page.map((t) => transactionJson(p, t.s, t.id)),
    next_page_token,
  };
}

/** GET /finance/202501/orders/{order_id}/statement_transactions: one sku_transaction per SKU and statement. */
export function getOrderStatementTransactions(p: Platform, shopId: string, orderId: string): Json {
  const order = ownOrder(p, shopId, orderId);
  const skuTransactions: Json[] = [];
  for (const s of p.state.taxFinance.settlementsOfOrder(shopId, orderId)) {
    if (statementTime(s.day) * 1000 > p.clock.now()) continue;
    const stId = statementId(p, shopId, s.day);
    const skus = new Map<string, LineItem[]>();
    for (const li of order.lineItems)
      if (s.lineIds.includes(li.id)) skus.set(li.skuId, [...(skus.get(li.skuId) ?? []), li]);
    for (const [skuId, lines] of skus) {
      const f = figuresOf(
        order,
        lines.map((l) => l.id),
        false,
      );
      const sale = s.kind === 'sale';
      const revenue = (sale ? 1 : -1) * (f.subtotal - f.sellerDiscount);
      skuTransactions.push({
        sku_id: skuId,
        sku_name: lines[0]!.skuName,
        product_name: lines[0]!.productName,
        quantity: String(lines.length),
        statement_id: stId,
        revenue_amount: amount(revenue),
        revenue_breakdown: sale
          ? {
              subtotal_before_discount_amount: amount(f.subtotal),
              seller_discount_amount: amount(-f.sellerDiscount),
              refund_subtotal_before_discount_amount: '0.00',
              seller_discount_refund_amount: '0.00',
            }
          : {
              subtotal_before_discount_amount: '0.00',
              seller_discount_amount: '0.00',
              refund_subtotal_before_discount_amount: amount(-f.subtotal),
              seller_discount_refund_amount: amount(f.sellerDiscount),
            },
        shipping_cost_amount: '0.00',
        fee_tax_amount: '0.00',
        settlement_amount: amount(revenue),
      });
    }
  }
  const revenue = skuTransactions.reduce((a, t) => a + cents(t.revenue_amount as string), 0);
  return {
    order_id: order.id,
    order_create_time: Math.floor(order.createTime / 1000),
    currency: 'USD',
    revenue_amount: amount(revenue),
    settlement_amount: amount(revenue),
    shipping_cost_amount: '0.00',
    fee_and_tax_amount: '0.00',
    sku_transactions: skuTransactions,
    total_count: skuTransactions.length,
  };
}

/** GET /finance/202507/orders/unsettled: the search window filters the order's creation time. */
export function getUnsettledTransactions(p: Platform, shopId: string, query: Record<string, string>): Json {
  requireSortField(query, 'order_create_time');
  const ge = optNumber(query.search_time_ge);
  const lt = optNumber(query.search_time_lt);
  const orders = p.state.taxFinance.unsettled
    .filter((u) => u.shopId === shopId)
    .map((u) => ownOrder(p, shopId, u.orderId))
    .filter((o) => {
      const t = Math.floor(o.createTime / 1000);
      return (ge === undefined || t >= ge) && (lt === undefined || t < lt);
    });
  const sorted = sortBy(orders, (o) => o.createTime, query.sort_order, 'ASC');
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 100, def: 20 });
  return {
    transactions: page.map((o) => {
      const f = figuresOf(
        o,
        o.lineItems.map((l) => l.id),
        true,
      );
      return {
        id: `${o.id}1`,
        type: 'ORDER',
        status: 'UNSETTLED',
        order_id: o.id,
        order_create_time: Math.floor(o.createTime / 1000),
        ...(o.deliveryTime !== null ? { order_delivery_time: Math.floor(o.deliveryTime / 1000) } : {}),
        currency: 'USD',
        est_revenue_amount: amount(f.subtotal - f.sellerDiscount),
        est_settlement_amount: amount(f.subtotal - f.sellerDiscount),
        est_fee_tax_amount: '0.00',
        est_shipping_cost_amount: '0.00',
        estimated_settlement: '7 days after delivery',
        revenue_breakdown: {
          subtotal_before_discount_amount: amount(f.subtotal),
          seller_discount_amount: amount(-f.sellerDiscount),
        },
      };
    }),
    total_count,
    next_page_token,
  };
}

/** GET /fbt/202408/warehouses */
export function getFbtWarehouses(p: Platform, shopId: string): Json {
  return {
    warehouses: p.state.taxFinance.fbtWarehouses
      .filter((w) => w.shopId === shopId)
      .map((w) => ({
        fbt_warehouse_id: w.id,
        warehouse_ids: [w.id],
        name: w.name,
        type: 'FBT',
        subscribed: true,
        addresses: [{ region_code: 'US', state: w.state, city: w.city, postal_code: w.postalCode }],
      })),
  };
}

/** POST /fbt/202410/inventory_records/search */
export function searchFbtInventoryRecords(
  p: Platform,
  shopId: string,
  query: Record<string, string>,
  body: Json,
): Json {
  const warehouses = Array.isArray(body.fbt_warehouse_ids) ? body.fbt_warehouse_ids.map(String) : undefined;
  const goods = Array.isArray(body.goods_ids) ? body.goods_ids.map(String) : undefined;
  const ge = optNumber(body.create_time_ge);
  const le = optNumber(body.create_time_le);
  const records = p.state.taxFinance.inventory.filter(
    (r) =>
      r.shopId === shopId &&
      r.createTime * 1000 <= p.clock.now() &&
      (!warehouses || warehouses.includes(r.warehouseId)) &&
      (!goods || goods.includes(r.goodsId)) &&
      (ge === undefined || r.createTime >= ge) &&
      (le === undefined || r.createTime <= le),
  );
  const sorted = sortBy(records, (r) => r.createTime, 'ASC', 'ASC');
  const { page, next_page_token, total_count } = paginate(sorted, query, { min: 1, max: 100, def: 50 });
  return {
    inventory_records: page.map((r) => ({
      fbt_warehouse_id: r.warehouseId,
      goods: { id: r.goodsId, reference_code: r.goodsId, name: r.goodsName },
      order: { type: r.orderType, id: r.orderId },
      create_time: r.createTime,
      inventory_goods_type: 'SELLABLE',
      initial_on_hand_quantity: r.before,
      final_on_hand_quantity: r.after,
      changed_quantity: r.after - r.before,
    })),
    total_count,
    next_page_token,
  };
}
