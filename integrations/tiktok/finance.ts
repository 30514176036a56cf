// Finance family declared as endpoints: Get Statements, Get Transactions by Statement, Get Transactions by Order and
// Get Unsettled Transactions — what the tax-data sync reads to find every order TikTok settled or will settle, with
// its revenue, seller- and platform-funded discounts and the sales tax TikTok collected (issue 20). Field names and
// versions follow the official Node SDK's generated models (docs/tiktok-shop-api-sources.md, "Finance"). Amounts are
// decimal strings; refunds come as negative amounts.
import { z } from 'zod';
import { amountSchema, idSchema, pageOutSchema, pageQuery, sortOrderSchema, unixSecondsSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';

const optionalAmount = amountSchema.optional();

export const statementSchema = z.looseObject({
  id: idSchema,
  /** Generated daily at 00:00 UTC for the day before (Get Statements page). */
  statement_time: unixSecondsSchema,
  settlement_amount: optionalAmount,
  currency: z.string().optional(),
  revenue_amount: optionalAmount,
  fee_amount: optionalAmount,
  adjustment_amount: optionalAmount,
  shipping_cost_amount: optionalAmount,
  net_sales_amount: optionalAmount,
  payment_status: z.string().optional(), // PAID | FAILED | PROCESSING
  payment_id: z.string().optional(),
});
export type Statement = z.output<typeof statementSchema>;

export const revenueBreakdownSchema = z.looseObject({
  subtotal_before_discount_amount: optionalAmount,
  seller_discount_amount: optionalAmount,
  refund_subtotal_before_discount_amount: optionalAmount,
  seller_discount_refund_amount: optionalAmount,
});

/** `supplementary_component` of a statement transaction: what the customer paid, platform discounts, sales tax. */
export const supplementaryComponentSchema = z.looseObject({
  customer_payment_amount: optionalAmount,
  customer_refund_amount: optionalAmount,
  platform_discount_amount: optionalAmount,
  platform_discount_refund_amount: optionalAmount,
  sales_tax_amount: optionalAmount,
  sales_tax_payment_amount: optionalAmount,
  sales_tax_refund_amount: optionalAmount,
  retail_delivery_fee_amount: optionalAmount,
});

export const shippingCostBreakdownSchema = z.looseObject({
  customer_paid_shipping_fee_amount: optionalAmount,
  actual_shipping_fee_amount: optionalAmount,
  shipping_fee_discount_amount: optionalAmount,
});

export const statementTransactionSchema = z.looseObject({
  id: idSchema,
  /** ORDER, or an adjustment / reserve type. */
  type: z.string().optional(),
  order_id: z.string().optional(),
  order_create_time: unixSecondsSchema.optional(),
  adjustment_id: z.string().optional(),
  revenue_amount: optionalAmount,
  revenue_breakdown: revenueBreakdownSchema.optional(),
  shipping_cost_amount: optionalAmount,
  shipping_cost_breakdown: shippingCostBreakdownSchema.optional(),
  fee_tax_amount: optionalAmount,
  adjustment_amount: optionalAmount,
  settlement_amount: optionalAmount,
  supplementary_component: supplementaryComponentSchema.optional(),
});
export type StatementTransaction = z.output<typeof statementTransactionSchema>;

export const skuTransactionSchema = z.looseObject({
  sku_id: idSchema,
  sku_name: z.string().optional(),
  product_name: z.string().optional(),
  /** A string in the SDK's model. */
  quantity: z.union([z.string(), z.number()]).optional(),
  statement_id: z.string().optional(),
  revenue_amount: optionalAmount,
  revenue_breakdown: revenueBreakdownSchema.optional(),
  shipping_cost_amount: optionalAmount,
  fee_tax_amount: optionalAmount,
  settlement_amount: optionalAmount,
});
export type SkuTransaction = z.output<typeof skuTransactionSchema>;

export const unsettledTransactionSchema = z.looseObject({
  id: idSchema,
  type: z.string().optional(),
  status: z.string().optional(), // UNSETTLED
  order_id: z.string().optional(),
  order_create_time: unixSecondsSchema.optional(),
  order_delivery_time: unixSecondsSchema.optional(),
  currency: z.string().optional(),
  est_revenue_amount: optionalAmount,
  est_settlement_amount: optionalAmount,
  est_fee_tax_amount: optionalAmount,
  est_shipping_cost_amount: optionalAmount,
  estimated_settlement: z.string().optional(),
  unsettled_reason: z.string().optional(),
  revenue_breakdown: revenueBreakdownSchema.optional(),
});
export type UnsettledTransaction = z.output<typeof unsettledTransactionSchema>;

const FINANCE_PAGE = pageQuery({ max: 100, default: 20 });

export const financeEndpoints = {
  getStatements: defineEndpoint({
    title: 'Get Statements',
    docs: docsPage('get-statements-202309'),
    method: 'GET',
    path: '/finance/202309/statements',
    shopCipher: true,
    query: z.strictObject({
      statement_time_ge: unixSecondsSchema.optional(),
      statement_time_lt: unixSecondsSchema.optional(),
      payment_status: z.enum(['PAID', 'FAILED', 'PROCESSING']).optional(),
      sort_field: z.literal('statement_time'),
      sort_order: sortOrderSchema.optional(),
      ...FINANCE_PAGE,
    }),
    response: z.looseObject({
      statements: z.array(statementSchema).optional().default([]),
      next_page_token: z.string().optional(),
    }),
  }),

  getStatementTransactions: defineEndpoint({
    title: 'Get Transactions by Statement',
    docs: docsPage('get-transactions-by-statement-202501'),
    method: 'GET',
    path: '/finance/202501/statements/{statement_id}/statement_transactions',
    shopCipher: true,
    params: z.strictObject({ statement_id: idSchema }),
    query: z.strictObject({
      sort_field: z.literal('order_create_time'),
      sort_order: sortOrderSchema.optional(),
      ...FINANCE_PAGE,
    }),
    response: z.looseObject({
      id: z.string().optional(),
      create_time: unixSecondsSchema.optional(),
      currency: z.string().optional(),
      status: z.string().optional(),
      total_settlement_amount: optionalAmount,
      transactions: z.array(statementTransactionSchema).optional().default([]),
      ...pageOutSchema,
    }),
  }),

  getOrderStatementTransactions: defineEndpoint({
    title: 'Get Transactions by Order',
    docs: docsPage('get-transactions-by-order-202501'),
    method: 'GET',
    path: '/finance/202501/orders/{order_id}/statement_transactions',
    shopCipher: true,
    params: z.strictObject({ order_id: idSchema }),
    response: z.looseObject({
      order_id: z.string().optional(),
      order_create_time: unixSecondsSchema.optional(),
      currency: z.string().optional(),
      revenue_amount: optionalAmount,
      settlement_amount: optionalAmount,
      shipping_cost_amount: optionalAmount,
      fee_and_tax_amount: optionalAmount,
      sku_transactions: z.array(skuTransactionSchema).optional().default([]),
      total_count: z.number().int().optional(),
    }),
  }),

  getUnsettledTransactions: defineEndpoint({
    title: 'Get Unsettled Transactions',
    docs: docsPage('get-unsettled-transactions-202507'),
    method: 'GET',
    path: '/finance/202507/orders/unsettled',
    shopCipher: true,
    query: z.strictObject({
      search_time_ge: unixSecondsSchema.optional(),
      search_time_lt: unixSecondsSchema.optional(),
      sort_field: z.literal('order_create_time'),
      sort_order: sortOrderSchema.optional(),
      ...FINANCE_PAGE,
    }),
    response: z.looseObject({
      transactions: z.array(unsettledTransactionSchema).optional().default([]),
      ...pageOutSchema,
    }),
  }),
};
