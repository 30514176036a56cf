// Order family: Get Order List (search), Get Order Detail, external order references, declared as endpoints.
// Versions: 202309 like the public clients (the newest Get Order Detail is 202507; older versions stay callable).
import { z } from 'zod';
import {
  amountSchema,
  batchResultSchema,
  idSchema,
  pageOutSchema,
  pageQuery,
  sortQuery,
  timeWindowFilters,
  unixSecondsSchema,
} from './common';
import { defineEndpoint, docsPage } from './endpoint';
import { orderStatusSchema } from './enums';

/** Get Order Detail takes at most 50 ids (https://partner.tiktokshop.com/docv2/page/get-order-detail-202309). */
export const ORDER_DETAIL_MAX_IDS = 50;

// ---------- order object (Get Order Detail `data.orders[]`) ----------

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

/** One line item is one unit (there is no quantity field). */
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
  display_status: z.string().optional(), // the documented example TO_SHIP is not in its own enum, so a plain string
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
  // Absent while UNPAID or ON_HOLD.
  recipient_address: recipientAddressSchema.optional(),
  line_items: z.array(lineItemSchema).optional().default([]),
});
export type TikTokOrder = z.output<typeof orderSchema>;

// ---------- Get Order List ----------

export const searchOrdersResponseSchema = z.looseObject({
  ...pageOutSchema,
  orders: z.array(orderSchema).optional().default([]),
});
export type SearchOrdersResult = z.output<typeof searchOrdersResponseSchema>;

// ---------- External order references ----------

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

// The published page gives no response fields for Get External Order References; we read the shape we write.
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

// ---------- the endpoints ----------

export const orderEndpoints = {
  searchOrders: defineEndpoint({
    title: 'Get Order List',
    docs: docsPage('get-order-list-202309'),
    method: 'POST',
    path: '/order/202309/orders/search',
    shopCipher: true,
    query: z.strictObject({ ...pageQuery({ max: 100, default: 20 }), ...sortQuery }),
    // Every filter is optional.
    body: z.strictObject({
      order_status: orderStatusSchema.optional(),
      ...timeWindowFilters,
      shipping_type: z.enum(['TIKTOK', 'SELLER']).optional(),
      buyer_user_id: z.string().optional(),
      is_buyer_request_cancel: z.boolean().optional(),
      warehouse_ids: z.array(idSchema).max(100).optional(),
    }),
    response: searchOrdersResponseSchema,
  }),

  getOrderDetail: defineEndpoint({
    title: 'Get Order Detail',
    docs: docsPage('get-order-detail-202309'),
    method: 'GET',
    path: '/order/202309/orders',
    shopCipher: true,
    query: z.strictObject({ ids: z.array(idSchema).min(1).max(ORDER_DETAIL_MAX_IDS) }), // sent comma-joined
    response: z.looseObject({ orders: z.array(orderSchema).optional().default([]) }).transform((d) => d.orders),
  }),

  addExternalOrderReferences: defineEndpoint({
    title: 'Add External Order References',
    docs: docsPage('add-external-order-references-202406'),
    method: 'POST',
    path: '/order/202406/orders/external_orders',
    shopCipher: true,
    body: z.strictObject({
      orders: z
        .array(z.strictObject({ id: idSchema, external_order: externalOrderSchema }))
        .min(1)
        .max(100),
    }),
    response: batchResultSchema, // per-order failures in data.errors[]
  }),

  getExternalOrderReferences: defineEndpoint({
    title: 'Get External Order References',
    docs: docsPage('get-external-order-references-202406'),
    method: 'GET',
    path: '/order/202406/orders/{order_id}/external_orders',
    shopCipher: true,
    params: z.strictObject({ order_id: idSchema }),
    query: z.strictObject({ platform: externalOrderPlatformSchema }),
    response: getExternalOrderReferencesResponseSchema,
  }),
};
