// Fulfillment family (reference §6.1, §6.2, Appendix A "fulfillment"). All endpoints take shop_cipher.
import { z } from 'zod';
import type { TikTokClient } from './client';
import { emptyDataSchema, idSchema, parseInput, unixSecondsSchema, type CallOptions, type ShopRef } from './common';

export const MARK_PACKAGE_AS_SHIPPED_PATH = '/fulfillment/202309/orders/{order_id}/packages'; // POST
export const CREATE_PACKAGES_PATH = '/fulfillment/202309/packages'; // POST
export const SHIP_PACKAGE_PATH = '/fulfillment/202309/packages/{package_id}/ship'; // POST
export const GET_PACKAGE_DETAIL_PATH = '/fulfillment/202309/packages/{package_id}'; // GET
export const GET_PACKAGE_SHIPPING_DOCUMENT_PATH = '/fulfillment/202309/packages/{package_id}/shipping_documents'; // GET
export const UPDATE_PACKAGE_SHIPPING_INFO_PATH = '/fulfillment/202309/packages/{package_id}/shipping_info/update'; // POST
export const UPDATE_SHIPPING_INFO_PATH = '/fulfillment/202309/orders/{order_id}/shipping_info/update'; // POST
export const GET_TRACKING_PATH = '/fulfillment/202309/orders/{order_id}/tracking'; // GET

const weightSchema = z.looseObject({ value: z.string(), unit: z.enum(['GRAM', 'POUND']) });
const dimensionSchema = z.looseObject({
  length: z.string(),
  width: z.string(),
  height: z.string(),
  unit: z.enum(['CM', 'INCH']),
});
const timeSlotSchema = z.looseObject({ start_time: unixSecondsSchema, end_time: unixSecondsSchema });

// ---------- Mark Package As Shipped (seller shipping; US, UK, ES, IE, IT, DE, FR, JP) ----------

export const markPackageAsShippedInputSchema = z.strictObject({
  order_id: idSchema,
  tracking_number: z.string().min(1),
  shipping_provider_id: idSchema, // from warehouse → delivery option → shipping providers (§6.3)
  order_line_item_ids: z.array(idSchema).min(1).optional(), // item-level split
});
export type MarkPackageAsShippedInput = z.input<typeof markPackageAsShippedInputSchema>;

export const markPackageAsShippedResponseSchema = z.looseObject({
  order_id: z.string().optional(),
  order_line_item_ids: z.array(z.string()).optional(),
  package_id: idSchema,
  warning: z.looseObject({ message: z.string().optional() }).optional(),
});
export type MarkPackageAsShippedResult = z.output<typeof markPackageAsShippedResponseSchema>;

export async function markPackageAsShipped(
  client: TikTokClient,
  shop: ShopRef,
  input: MarkPackageAsShippedInput,
  opts: CallOptions = {},
): Promise<MarkPackageAsShippedResult> {
  const { order_id, ...body } = parseInput(
    markPackageAsShippedInputSchema,
    input,
    'POST',
    MARK_PACKAGE_AS_SHIPPED_PATH,
  );
  return client.request({
    method: 'POST',
    path: MARK_PACKAGE_AS_SHIPPED_PATH,
    pathParams: { order_id },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: markPackageAsShippedResponseSchema,
  });
}

// ---------- Create Packages (buy a label, US) ----------

export const createPackagesInputSchema = z.strictObject({
  order_id: idSchema,
  order_line_item_ids: z.array(idSchema).min(1).optional(),
  dimension: dimensionSchema.optional(),
  weight: weightSchema.optional(),
  shipping_service_id: z.string().min(1).optional(),
});
export type CreatePackagesInput = z.input<typeof createPackagesInputSchema>;

export const createPackagesResponseSchema = z.looseObject({
  package_id: idSchema,
  order_id: z.string().optional(),
  order_line_item_ids: z.array(z.string()).optional(),
  shipping_service_info: z.looseObject({}).optional(),
});
export type CreatePackagesResult = z.output<typeof createPackagesResponseSchema>;

export async function createPackages(
  client: TikTokClient,
  shop: ShopRef,
  input: CreatePackagesInput,
  opts: CallOptions = {},
): Promise<CreatePackagesResult> {
  const body = parseInput(createPackagesInputSchema, input, 'POST', CREATE_PACKAGES_PATH);
  return client.request({
    method: 'POST',
    path: CREATE_PACKAGES_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: createPackagesResponseSchema,
  });
}

// ---------- Ship Package ----------

export const shipPackageInputSchema = z.strictObject({
  package_id: idSchema,
  handover_method: z.enum(['PICKUP', 'DROP_OFF']).optional(),
  pickup_slot: timeSlotSchema.optional(),
  // Required for the SEND_BY_SELLER delivery option (§6.2).
  self_shipment: z.strictObject({ tracking_number: z.string().min(1), shipping_provider_id: idSchema }).optional(),
});
export type ShipPackageInput = z.input<typeof shipPackageInputSchema>;

export async function shipPackage(
  client: TikTokClient,
  shop: ShopRef,
  input: ShipPackageInput,
  opts: CallOptions = {},
): Promise<void> {
  const { package_id, ...body } = parseInput(shipPackageInputSchema, input, 'POST', SHIP_PACKAGE_PATH);
  await client.request({
    method: 'POST',
    path: SHIP_PACKAGE_PATH,
    pathParams: { package_id },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

// ---------- Get Package Detail ----------

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
  package_status: z.string().optional(), // PROCESSING | FULFILLING | COMPLETED | CANCELLED (§6.1)
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

export const getPackageDetailInputSchema = z.strictObject({ package_id: idSchema });
export type GetPackageDetailInput = z.input<typeof getPackageDetailInputSchema>;

export async function getPackageDetail(
  client: TikTokClient,
  shop: ShopRef,
  input: GetPackageDetailInput,
  opts: CallOptions = {},
): Promise<PackageDetail> {
  const { package_id } = parseInput(getPackageDetailInputSchema, input, 'GET', GET_PACKAGE_DETAIL_PATH);
  return client.request({
    method: 'GET',
    path: GET_PACKAGE_DETAIL_PATH,
    pathParams: { package_id },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: packageDetailSchema,
  });
}

// ---------- Get Package Shipping Document (TikTok shipping only) ----------

export const SHIPPING_DOCUMENT_TYPES = [
  'SHIPPING_LABEL',
  'PACKING_SLIP',
  'SHIPPING_LABEL_AND_PACKING_SLIP',
  'SHIPPING_LABEL_PICTURE',
  'HAZMAT_LABEL',
  'INVOICE_LABEL',
] as const;

export const getPackageShippingDocumentInputSchema = z.strictObject({
  package_id: idSchema,
  document_type: z.enum(SHIPPING_DOCUMENT_TYPES),
  document_size: z.string().min(1).optional(),
  document_format: z.enum(['PDF', 'ZPL']).optional(),
});
export type GetPackageShippingDocumentInput = z.input<typeof getPackageShippingDocumentInputSchema>;

export const getPackageShippingDocumentResponseSchema = z.looseObject({
  doc_url: z.string().min(1), // valid 24 h (§6.2)
  tracking_number: z.string().optional(),
});
export type PackageShippingDocument = z.output<typeof getPackageShippingDocumentResponseSchema>;

export async function getPackageShippingDocument(
  client: TikTokClient,
  shop: ShopRef,
  input: GetPackageShippingDocumentInput,
  opts: CallOptions = {},
): Promise<PackageShippingDocument> {
  const { package_id, ...query } = parseInput(
    getPackageShippingDocumentInputSchema,
    input,
    'GET',
    GET_PACKAGE_SHIPPING_DOCUMENT_PATH,
  );
  return client.request({
    method: 'GET',
    path: GET_PACKAGE_SHIPPING_DOCUMENT_PATH,
    pathParams: { package_id },
    query,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getPackageShippingDocumentResponseSchema,
  });
}

// ---------- Update (Package) Shipping Info ----------

export const updatePackageShippingInfoInputSchema = z.strictObject({
  package_id: idSchema,
  tracking_number: z.string().min(1),
  shipping_provider_id: idSchema,
});
export type UpdatePackageShippingInfoInput = z.input<typeof updatePackageShippingInfoInputSchema>;

/** Corrects tracking number / provider of one package of a split order (§6.2). */
export async function updatePackageShippingInfo(
  client: TikTokClient,
  shop: ShopRef,
  input: UpdatePackageShippingInfoInput,
  opts: CallOptions = {},
): Promise<void> {
  const { package_id, ...body } = parseInput(
    updatePackageShippingInfoInputSchema,
    input,
    'POST',
    UPDATE_PACKAGE_SHIPPING_INFO_PATH,
  );
  await client.request({
    method: 'POST',
    path: UPDATE_PACKAGE_SHIPPING_INFO_PATH,
    pathParams: { package_id },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

export const updateShippingInfoInputSchema = z.strictObject({
  order_id: idSchema,
  tracking_number: z.string().min(1),
  shipping_provider_id: idSchema,
});
export type UpdateShippingInfoInput = z.input<typeof updateShippingInfoInputSchema>;

/** Corrects tracking number / provider at order level (seller shipping, §6.2). */
export async function updateShippingInfo(
  client: TikTokClient,
  shop: ShopRef,
  input: UpdateShippingInfoInput,
  opts: CallOptions = {},
): Promise<void> {
  const { order_id, ...body } = parseInput(updateShippingInfoInputSchema, input, 'POST', UPDATE_SHIPPING_INFO_PATH);
  await client.request({
    method: 'POST',
    path: UPDATE_SHIPPING_INFO_PATH,
    pathParams: { order_id },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

// ---------- Get Tracking ----------

export const getTrackingInputSchema = z.strictObject({ order_id: idSchema });
export type GetTrackingInput = z.input<typeof getTrackingInputSchema>;

export const trackingEventSchema = z.looseObject({
  description: z.string().optional(),
  update_time_millis: z.number().int(), // milliseconds, the one exception to Unix seconds (§1)
});
export const getTrackingResponseSchema = z.looseObject({
  tracking: z.array(trackingEventSchema).optional().default([]),
});
export type TrackingEvent = z.output<typeof trackingEventSchema>;

export async function getTracking(
  client: TikTokClient,
  shop: ShopRef,
  input: GetTrackingInput,
  opts: CallOptions = {},
): Promise<TrackingEvent[]> {
  const { order_id } = parseInput(getTrackingInputSchema, input, 'GET', GET_TRACKING_PATH);
  const data = await client.request({
    method: 'GET',
    path: GET_TRACKING_PATH,
    pathParams: { order_id },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getTrackingResponseSchema,
  });
  return data.tracking;
}
