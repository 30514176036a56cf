// Order family (reference §5, Appendix A "orders"): Get Order List (search), Get Order Detail, external references.
import { z } from 'zod';
import type { TikTokClient } from './client';
import {
  amountSchema,
  batchResultSchema,
  idSchema,
  pageOutSchema,
  parseInput,
  sortOrderSchema,
  unixSecondsSchema,
  type BatchResult,
  type CallOptions,
  type ShopRef,
} from './common';
import { orderStatusSchema } from './enums';

// §5.1: the clients in the reference use the 202309 paths; Appendix A shows 202507 as the newest Get Order Detail.
export const SEARCH_ORDERS_PATH = '/order/202309/orders/search'; // POST
export const GET_ORDER_DETAIL_PATH = '/order/202309/orders'; // GET ?ids=a,b
export const ADD_EXTERNAL_ORDER_REFERENCES_PATH = '/order/202406/orders/external_orders'; // POST
export const GET_EXTERNAL_ORDER_REFERENCES_PATH = '/order/202406/orders/{order_id}/external_orders'; // GET

/** §5.1: Get Order Detail takes at most 50 ids. */
export const ORDER_DETAIL_MAX_IDS = 50;

// ---------- order object (§5.2) ----------

export const paymentSchema = z.looseObject({
  currency: z.string().optional(),
  sub_total: amountSchema.optional(),
  shipping_fee: amountSchema.optional(),
  seller_discount: amountSchema.optional(),
  platform_discount: amountSchema.optional(),
  total_amount: amountSchema.optional(),
  original_total_product_price: amountSchema.optional(),
  original_shipping_fee: amountSchema.optional(),
  shipping_fee_seller_discount: amountSchema.optional(),
  shipping_fee_platform_discount: amountSchema.optional(),
  shipping_fee_cofunded_discount: amountSchema.optional(),
  tax: amountSchema.optional(),
  small_order_fee: amountSchema.optional(),
  shipping_fee_tax: amountSchema.optional(),
  product_tax: amountSchema.optional(),
  retail_delivery_fee: amountSchema.optional(),
  buyer_service_fee: amountSchema.optional(),
  handling_fee: amountSchema.optional(),
  shipping_insurance_fee: amountSchema.optional(),
  item_insurance_fee: amountSchema.optional(),
  item_insurance_tax: amountSchema.optional(),
});

export const recipientAddressSchema = z.looseObject({
  full_address: z.string().optional(),
  phone_number: z.string().optional(),
  name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  region_code: z.string().optional(),
  postal_code: z.string().optional(),
  post_town: z.string().optional(),
  address_line1: z.string().optional(),
  address_line2: z.string().optional(),
  address_line3: z.string().optional(),
  address_line4: z.string().optional(),
  address_detail: z.string().optional(),
  district_info: z
    .array(
      z.looseObject({
        address_level_name: z.string().optional(),
        address_name: z.string().optional(),
        address_level: z.string().optional(),
      }),
    )
    .optional(),
});

/** §5.2: one line item is one unit (there is no quantity field). */
export const lineItemSchema = z.looseObject({
  id: idSchema,
  sku_id: idSchema.optional(),
  product_id: idSchema.optional(),
  product_name: z.string().optional(),
  sku_name: z.string().optional(),
  sku_image: z.string().optional(),
  seller_sku: z.string().optional(),
  original_price: amountSchema.optional(),
  sale_price: amountSchema.optional(),
  platform_discount: amountSchema.optional(),
  seller_discount: amountSchema.optional(),
  currency: z.string().optional(),
  display_status: z.string().optional(), // example TO_SHIP is not in its own enum (§5.3), so a plain string
  package_status: z.string().optional(),
  package_id: z.string().optional(),
  tracking_number: z.string().optional(),
  shipping_provider_id: z.string().optional(),
  shipping_provider_name: z.string().optional(),
  rts_time: unixSecondsSchema.optional(),
  cancel_user: z.string().optional(),
  cancel_reason: z.string().optional(),
  is_gift: z.boolean().optional(),
  combined_listing_skus: z
    .array(
      z.looseObject({
        sku_id: z.string().optional(),
        sku_count: z.number().int().optional(),
        product_id: z.string().optional(),
        seller_sku: z.string().optional(),
      }),
    )
    .optional(),
});

export const orderSchema = z.looseObject({
  id: idSchema,
  status: orderStatusSchema,
  user_id: z.string().optional(),
  buyer_email: z.string().optional(),
  buyer_message: z.string().optional(),
  seller_note: z.string().optional(),
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
  paid_time: unixSecondsSchema.optional(),
  rts_time: unixSecondsSchema.optional(),
  rts_sla_time: unixSecondsSchema.optional(),
  tts_sla_time: unixSecondsSchema.optional(),
  delivery_sla_time: unixSecondsSchema.optional(),
  shipping_due_time: unixSecondsSchema.optional(),
  collection_due_time: unixSecondsSchema.optional(),
  delivery_due_time: unixSecondsSchema.optional(),
  cancel_order_sla_time: unixSecondsSchema.optional(),
  collection_time: unixSecondsSchema.optional(),
  delivery_time: unixSecondsSchema.optional(),
  cancel_time: unixSecondsSchema.optional(),
  request_cancel_time: unixSecondsSchema.optional(),
  cancel_reason: z.string().optional(),
  cancellation_initiator: z.string().optional(),
  is_buyer_request_cancel: z.boolean().optional(),
  is_on_hold_order: z.boolean().optional(),
  is_cod: z.boolean().optional(),
  is_sample_order: z.boolean().optional(),
  is_replacement_order: z.boolean().optional(),
  fulfillment_type: z.string().optional(), // FULFILLMENT_BY_SELLER | FULFILLMENT_BY_TIKTOK | ...
  shipping_type: z.string().optional(), // TIKTOK | SELLER
  delivery_type: z.string().optional(),
  delivery_option_id: z.string().optional(),
  delivery_option_name: z.string().optional(),
  shipping_provider: z.string().optional(),
  shipping_provider_id: z.string().optional(),
  tracking_number: z.string().optional(),
  warehouse_id: z.string().optional(),
  split_or_combine_tag: z.string().optional(),
  packages: z.array(z.looseObject({ id: idSchema })).optional(),
  order_type: z.string().optional(),
  payment: paymentSchema.optional(),
  // §5.2: absent while UNPAID or ON_HOLD.
  recipient_address: recipientAddressSchema.optional(),
  line_items: z.array(lineItemSchema).optional().default([]),
});
export type TikTokOrder = z.output<typeof orderSchema>;

// ---------- Get Order List ----------

export const searchOrdersInputSchema = z.strictObject({
  // query (§5.1)
  page_size: z.number().int().min(1).max(100).default(20),
  page_token: z.string().min(1).optional(),
  sort_field: z.enum(['create_time', 'update_time']).optional(),
  sort_order: sortOrderSchema.optional(),
  // body (§5.1; all optional)
  order_status: orderStatusSchema.optional(),
  create_time_ge: unixSecondsSchema.optional(),
  create_time_lt: unixSecondsSchema.optional(),
  update_time_ge: unixSecondsSchema.optional(),
  update_time_lt: unixSecondsSchema.optional(),
  shipping_type: z.enum(['TIKTOK', 'SELLER']).optional(),
  buyer_user_id: z.string().optional(),
  is_buyer_request_cancel: z.boolean().optional(),
  warehouse_ids: z.array(idSchema).max(100).optional(),
});
export type SearchOrdersInput = z.input<typeof searchOrdersInputSchema>;

export const searchOrdersResponseSchema = z.looseObject({
  ...pageOutSchema,
  orders: z.array(orderSchema).optional().default([]),
});
export type SearchOrdersResult = z.output<typeof searchOrdersResponseSchema>;

export async function searchOrders(
  client: TikTokClient,
  shop: ShopRef,
  input: SearchOrdersInput,
  opts: CallOptions = {},
): Promise<SearchOrdersResult> {
  const { page_size, page_token, sort_field, sort_order, ...body } = parseInput(
    searchOrdersInputSchema,
    input,
    'POST',
    SEARCH_ORDERS_PATH,
  );
  return client.request({
    method: 'POST',
    path: SEARCH_ORDERS_PATH,
    query: { page_size, page_token, sort_field, sort_order },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: searchOrdersResponseSchema,
  });
}

// ---------- Get Order Detail ----------

export const getOrderDetailInputSchema = z.strictObject({
  ids: z.array(idSchema).min(1).max(ORDER_DETAIL_MAX_IDS),
});
export type GetOrderDetailInput = z.input<typeof getOrderDetailInputSchema>;

export const getOrderDetailResponseSchema = z.looseObject({
  orders: z.array(orderSchema).optional().default([]),
});

export async function getOrderDetail(
  client: TikTokClient,
  shop: ShopRef,
  input: GetOrderDetailInput,
  opts: CallOptions = {},
): Promise<TikTokOrder[]> {
  const { ids } = parseInput(getOrderDetailInputSchema, input, 'GET', GET_ORDER_DETAIL_PATH);
  const data = await client.request({
    method: 'GET',
    path: GET_ORDER_DETAIL_PATH,
    query: { ids }, // comma-joined (§2.1)
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    tokenReserved: opts.tokenReserved,
    schema: getOrderDetailResponseSchema,
  });
  return data.orders;
}

// ---------- External order references (§5.1, §5.5) ----------

export const EXTERNAL_ORDER_PLATFORMS = [
  'SHOPIFY',
  'WOOCOMMERCE',
  'BIGCOMMERCE',
  'MAGENTO',
  'SALESFORCE_COMMERCE_CLOUD',
  'CHANNEL_ADVISOR',
  'AMAZON',
  'ORDER_MANAGEMENT_SYSTEM',
  'WAREHOUSE_MANAGEMENT_SYSTEM',
  'ERP_SYSTEM',
] as const;
export const externalOrderPlatformSchema = z.enum(EXTERNAL_ORDER_PLATFORMS);

export const externalOrderSchema = z.strictObject({
  id: z.string().min(1),
  platform: externalOrderPlatformSchema,
  line_items: z.array(z.strictObject({ id: z.string().min(1), origin_id: z.string().min(1) })).optional(),
});

export const addExternalOrderReferencesInputSchema = z.strictObject({
  orders: z
    .array(z.strictObject({ id: idSchema, external_order: externalOrderSchema }))
    .min(1)
    .max(100),
});
export type AddExternalOrderReferencesInput = z.input<typeof addExternalOrderReferencesInputSchema>;

export const addExternalOrderReferencesResponseSchema = batchResultSchema;
export type AddExternalOrderReferencesResult = BatchResult;

export async function addExternalOrderReferences(
  client: TikTokClient,
  shop: ShopRef,
  input: AddExternalOrderReferencesInput,
  opts: CallOptions = {},
): Promise<AddExternalOrderReferencesResult> {
  const body = parseInput(addExternalOrderReferencesInputSchema, input, 'POST', ADD_EXTERNAL_ORDER_REFERENCES_PATH);
  return client.request({
    method: 'POST',
    path: ADD_EXTERNAL_ORDER_REFERENCES_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: addExternalOrderReferencesResponseSchema,
  });
}

export const getExternalOrderReferencesInputSchema = z.strictObject({
  order_id: idSchema,
  platform: externalOrderPlatformSchema,
});
export type GetExternalOrderReferencesInput = z.input<typeof getExternalOrderReferencesInputSchema>;

// The reference gives no response fields for this endpoint; we read the same shape we write (`external_order`).
export const getExternalOrderReferencesResponseSchema = z
  .union([
    z.null(),
    z.undefined(),
    z.looseObject({
      external_orders: z
        .array(
          z.looseObject({
            id: z.string(),
            platform: z.string().optional(),
            line_items: z
              .array(z.looseObject({ id: z.string().optional(), origin_id: z.string().optional() }))
              .optional(),
          }),
        )
        .optional(),
    }),
  ])
  .transform((data) => ({ external_orders: data?.external_orders ?? [] }));
export type GetExternalOrderReferencesResult = z.output<typeof getExternalOrderReferencesResponseSchema>;

export async function getExternalOrderReferences(
  client: TikTokClient,
  shop: ShopRef,
  input: GetExternalOrderReferencesInput,
  opts: CallOptions = {},
): Promise<GetExternalOrderReferencesResult> {
  const { order_id, platform } = parseInput(
    getExternalOrderReferencesInputSchema,
    input,
    'GET',
    GET_EXTERNAL_ORDER_REFERENCES_PATH,
  );
  return client.request({
    method: 'GET',
    path: GET_EXTERNAL_ORDER_REFERENCES_PATH,
    pathParams: { order_id },
    query: { platform },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getExternalOrderReferencesResponseSchema,
  });
}
