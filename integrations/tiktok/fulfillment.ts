// Fulfillment family (seller shipping, TikTok shipping labels, tracking) declared as endpoints. All take shop_cipher.
// Package concepts: https://partner.tiktokshop.com/docv2/page/fulfillment-api-overview
import { z } from 'zod';
import { emptyDataSchema, idSchema, unixSecondsSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';
import { TikTokInvalidRequest, TikTokStateConflict } from './errors';

const weightSchema = z.looseObject({ value: z.string(), unit: z.enum(['GRAM', 'POUND']) });
const dimensionSchema = z.looseObject({
  length: z.string(),
  width: z.string(),
  height: z.string(),
  unit: z.enum(['CM', 'INCH']),
});
const timeSlotSchema = z.looseObject({ start_time: unixSecondsSchema, end_time: unixSecondsSchema });

export const markPackageAsShippedResponseSchema = z.looseObject({
  order_id: z.string().optional(),
  order_line_item_ids: z.array(z.string()).optional(),
  package_id: idSchema,
  warning: z.looseObject({ message: z.string().optional() }).optional(),
});
export type MarkPackageAsShippedResult = z.output<typeof markPackageAsShippedResponseSchema>;

export const createPackagesResponseSchema = z.looseObject({
  package_id: idSchema,
  order_id: z.string().optional(),
  order_line_item_ids: z.array(z.string()).optional(),
  shipping_service_info: z.looseObject({}).optional(),
});
export type CreatePackagesResult = z.output<typeof createPackagesResponseSchema>;

export const packageDetailSchema = z.looseObject({
  package_id: idSchema,
  orders: z
    .array(
      z.looseObject({
        id: idSchema,
        skus: z.array(z.looseObject({ id: z.string().optional(), quantity: z.number().int().optional() })).optional(),
      }),
    )
    .optional(),
  package_status: z.string().optional(), // PROCESSING | FULFILLING | COMPLETED | CANCELLED
  split_and_combine_tag: z.string().optional(),
  has_multi_skus: z.boolean().optional(),
  shipping_provider_name: z.string().optional(),
  shipping_provider_id: z.string().optional(),
  shipping_type: z.string().optional(),
  delivery_option_name: z.string().optional(),
  delivery_option_id: z.string().optional(),
  tracking_number: z.string().optional(),
  last_mile_tracking_number: z.string().optional(),
  pickup_slot: timeSlotSchema.optional(),
  handover_method: z.string().optional(),
  order_line_item_ids: z.array(z.string()).optional(),
  recipient_address: z.looseObject({}).optional(),
  sender_address: z.looseObject({}).optional(),
  weight: z.looseObject({ value: z.string().optional(), unit: z.string().optional() }).optional(),
  dimension: z.looseObject({}).optional(),
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
});
export type PackageDetail = z.output<typeof packageDetailSchema>;

export const SHIPPING_DOCUMENT_TYPES = [
  'SHIPPING_LABEL',
  'PACKING_SLIP',
  'SHIPPING_LABEL_AND_PACKING_SLIP',
  'SHIPPING_LABEL_PICTURE',
  'HAZMAT_LABEL',
  'INVOICE_LABEL',
] as const;

export const packageShippingDocumentSchema = z.looseObject({
  doc_url: z.string().min(1), // valid 24 h
  tracking_number: z.string().optional(),
});
export type PackageShippingDocument = z.output<typeof packageShippingDocumentSchema>;

export const trackingEventSchema = z.looseObject({
  description: z.string().optional(),
  update_time_millis: z.number().int(), // milliseconds, the one exception to Unix seconds
});
export type TrackingEvent = z.output<typeof trackingEventSchema>;

/** Tracking number and provider, as Mark Package As Shipped and both Update Shipping Info calls take them. */
const trackingBody = z.strictObject({
  tracking_number: z.string().min(1),
  shipping_provider_id: idSchema, // warehouse → delivery option → shipping providers (logistics.ts)
});

export const fulfillmentEndpoints = {
  /** Seller shipping (US, UK, ES, IE, IT, DE, FR, JP); `order_line_item_ids` splits the order by item. */
  markPackageAsShipped: defineEndpoint({
    title: 'Mark Package As Shipped',
    docs: docsPage('mark-package-as-shipped-202309'),
    method: 'POST',
    path: '/fulfillment/202309/orders/{order_id}/packages',
    shopCipher: true,
    params: z.strictObject({ order_id: idSchema }),
    body: trackingBody.extend({ order_line_item_ids: z.array(idSchema).min(1).optional() }),
    response: markPackageAsShippedResponseSchema,
  }),

  /** Buys a TikTok shipping label (US). */
  createPackages: defineEndpoint({
    title: 'Create Packages',
    docs: docsPage('create-packages-202309'),
    method: 'POST',
    path: '/fulfillment/202309/packages',
    shopCipher: true,
    body: z.strictObject({
      order_id: idSchema,
      order_line_item_ids: z.array(idSchema).min(1).optional(),
      dimension: dimensionSchema.optional(),
      weight: weightSchema.optional(),
      shipping_service_id: z.string().min(1).optional(),
    }),
    response: createPackagesResponseSchema,
    // The page's "These orders are already shipped" (21008099 is Mark Package As Shipped's and Ship Package's).
    errors: { 21011006: TikTokStateConflict, 21011020: TikTokStateConflict },
  }),

  shipPackage: defineEndpoint({
    title: 'Ship Package',
    docs: docsPage('ship-package-202309'),
    method: 'POST',
    path: '/fulfillment/202309/packages/{package_id}/ship',
    shopCipher: true,
    params: z.strictObject({ package_id: idSchema }),
    body: z.strictObject({
      handover_method: z.enum(['PICKUP', 'DROP_OFF']).optional(),
      pickup_slot: timeSlotSchema.optional(),
      // Required for the SEND_BY_SELLER delivery option.
      self_shipment: trackingBody.optional(),
    }),
    response: emptyDataSchema,
  }),

  getPackageDetail: defineEndpoint({
    title: 'Get Package Detail',
    docs: docsPage('get-package-detail-202309'),
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}',
    shopCipher: true,
    params: z.strictObject({ package_id: idSchema }),
    response: packageDetailSchema,
  }),

  /** TikTok shipping only. */
  getPackageShippingDocument: defineEndpoint({
    title: 'Get Package Shipping Document',
    docs: docsPage('get-package-shipping-document-202309'),
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}/shipping_documents',
    shopCipher: true,
    params: z.strictObject({ package_id: idSchema }),
    query: z.strictObject({
      document_type: z.enum(SHIPPING_DOCUMENT_TYPES),
      document_size: z.string().min(1).optional(),
      document_format: z.enum(['PDF', 'ZPL']).optional(),
    }),
    response: packageShippingDocumentSchema,
    // The page: "This API is only applicable to TikTok Shipping orders" (seller shipping has no label here).
    errors: { 21008017: TikTokInvalidRequest, 11034002: TikTokInvalidRequest },
  }),

  /** Corrects tracking number / provider of one package of a split order. */
  updatePackageShippingInfo: defineEndpoint({
    title: 'Update Package Shipping Info',
    docs: docsPage('update-package-shipping-info-202309'),
    method: 'POST',
    path: '/fulfillment/202309/packages/{package_id}/shipping_info/update',
    shopCipher: true,
    params: z.strictObject({ package_id: idSchema }),
    body: trackingBody,
    response: emptyDataSchema,
  }),

  /** Corrects tracking number / provider at order level (seller shipping). */
  updateShippingInfo: defineEndpoint({
    title: 'Update Shipping Info',
    docs: docsPage('update-shipping-info-202309'),
    method: 'POST',
    path: '/fulfillment/202309/orders/{order_id}/shipping_info/update',
    shopCipher: true,
    params: z.strictObject({ order_id: idSchema }),
    body: trackingBody,
    response: emptyDataSchema,
  }),

  getTracking: defineEndpoint({
    title: 'Get Tracking',
    docs: docsPage('get-tracking-202309'),
    method: 'GET',
    path: '/fulfillment/202309/orders/{order_id}/tracking',
    shopCipher: true,
    params: z.strictObject({ order_id: idSchema }),
    response: z
      .looseObject({ tracking: z.array(trackingEventSchema).optional().default([]) })
      .transform((d) => d.tracking),
  }),
};
