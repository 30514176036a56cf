// Return and refund family (reference §8, Appendix A "return-and-refund"): search returns and cancellations,
// approve/reject them, reject reasons. Everything lives under /return_refund/202309 and takes shop_cipher.
import { z } from 'zod';
import type { TikTokClient } from './client';
import {
  amountSchema,
  emptyDataSchema,
  idSchema,
  pageOutSchema,
  parseInput,
  sortOrderSchema,
  unixSecondsSchema,
  type CallOptions,
  type ShopRef,
} from './common';
import {
  CANCEL_STATUSES,
  RETURN_STATUSES,
  RETURN_TYPES,
  cancelStatusFilterValue,
  cancelStatusSchema,
  returnStatusSchema,
} from './enums';

export const SEARCH_RETURNS_PATH = '/return_refund/202309/returns/search'; // POST
export const SEARCH_CANCELLATIONS_PATH = '/return_refund/202309/cancellations/search'; // POST
export const APPROVE_CANCELLATION_PATH = '/return_refund/202309/cancellations/{cancel_id}/approve'; // POST, no body
export const REJECT_CANCELLATION_PATH = '/return_refund/202309/cancellations/{cancel_id}/reject'; // POST
export const APPROVE_RETURN_PATH = '/return_refund/202309/returns/{return_id}/approve'; // POST
export const REJECT_RETURN_PATH = '/return_refund/202309/returns/{return_id}/reject'; // POST
export const GET_REJECT_REASONS_PATH = '/return_refund/202309/reject_reasons'; // GET

/** §8: write endpoints accept an optional `idempotency_key` query parameter (≤255 chars). */
const idempotencyKeySchema = z.string().min(1).max(255).optional();

export const refundAmountSchema = z.looseObject({
  currency: z.string().optional(),
  refund_total: amountSchema.optional(),
  refund_subtotal: amountSchema.optional(),
  refund_shipping_fee: amountSchema.optional(),
  refund_tax: amountSchema.optional(),
  retail_delivery_fee: amountSchema.optional(),
  buyer_service_fee: amountSchema.optional(),
});

const nextActionSchema = z.looseObject({ action: z.string(), deadline: unixSecondsSchema.optional() });

// ---------- Search Returns ----------

export const returnOrderSchema = z.looseObject({
  return_id: idSchema,
  order_id: idSchema,
  return_type: z.string().optional(), // REFUND | RETURN_AND_REFUND | REPLACEMENT
  return_status: returnStatusSchema,
  arbitration_status: z.string().optional(),
  role: z.string().optional(),
  return_reason: z.string().optional(),
  return_reason_text: z.string().optional(),
  shipment_type: z.string().optional(),
  handover_method: z.string().optional(),
  return_tracking_number: z.string().optional(),
  return_provider_name: z.string().optional(),
  return_provider_id: z.string().optional(),
  can_buyer_keep_item: z.boolean().optional(),
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
  seller_next_action_response: z.array(nextActionSchema).optional(),
  return_line_items: z
    .array(
      z.looseObject({
        return_line_item_id: z.string().optional(),
        order_line_item_id: z.string().optional(),
        sku_id: z.string().optional(),
        sku_name: z.string().optional(),
        product_name: z.string().optional(),
        seller_sku: z.string().optional(),
        refund_amount: refundAmountSchema.optional(),
      }),
    )
    .optional(),
  refund_amount: refundAmountSchema.optional(),
  seller_proposed_return_type: z.string().optional(),
  partial_refund: z.looseObject({ currency: z.string().optional(), amount: amountSchema.optional() }).optional(),
});
export type ReturnOrder = z.output<typeof returnOrderSchema>;

export const searchReturnsInputSchema = z.strictObject({
  // query (§8): page_size 10–50, default 10; sort_order default ASC
  page_size: z.number().int().min(10).max(50).default(10),
  page_token: z.string().min(1).optional(),
  sort_field: z.enum(['create_time', 'update_time']).optional(),
  sort_order: sortOrderSchema.optional(),
  // body
  return_ids: z.array(idSchema).optional(),
  order_ids: z.array(idSchema).optional(),
  buyer_user_ids: z.array(z.string()).optional(),
  return_types: z.array(z.enum(RETURN_TYPES)).optional(),
  return_status: z.array(z.enum(RETURN_STATUSES)).optional(),
  seller_proposed_return_type: z.array(z.string()).optional(),
  create_time_ge: unixSecondsSchema.optional(),
  create_time_lt: unixSecondsSchema.optional(),
  update_time_ge: unixSecondsSchema.optional(),
  update_time_lt: unixSecondsSchema.optional(),
  locale: z.string().optional(),
});
export type SearchReturnsInput = z.input<typeof searchReturnsInputSchema>;

export const searchReturnsResponseSchema = z.looseObject({
  ...pageOutSchema,
  return_orders: z.array(returnOrderSchema).optional().default([]),
});
export type SearchReturnsResult = z.output<typeof searchReturnsResponseSchema>;

export async function searchReturns(
  client: TikTokClient,
  shop: ShopRef,
  input: SearchReturnsInput,
  opts: CallOptions = {},
): Promise<SearchReturnsResult> {
  const { page_size, page_token, sort_field, sort_order, ...body } = parseInput(
    searchReturnsInputSchema,
    input,
    'POST',
    SEARCH_RETURNS_PATH,
  );
  return client.request({
    method: 'POST',
    path: SEARCH_RETURNS_PATH,
    query: { page_size, page_token, sort_field, sort_order },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: searchReturnsResponseSchema,
  });
}

// ---------- Search Cancellations ----------

export const cancellationSchema = z.looseObject({
  cancel_id: idSchema,
  order_id: idSchema,
  cancel_type: z.string().optional(), // CANCEL | BUYER_CANCEL
  cancel_status: cancelStatusSchema, // normalised to …_CANCELLED (§15)
  role: z.string().optional(),
  cancel_reason: z.string().optional(),
  cancel_reason_text: z.string().optional(),
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
  seller_next_action_response: z.array(nextActionSchema).optional(),
  refund_amount: refundAmountSchema.optional(),
  cancel_line_items: z
    .array(
      z.looseObject({
        cancel_line_item_id: z.string().optional(),
        order_line_item_id: z.string().optional(),
        sku_id: z.string().optional(),
        sku_name: z.string().optional(),
        product_name: z.string().optional(),
        seller_sku: z.string().optional(),
        refund_amount: refundAmountSchema.optional(),
      }),
    )
    .optional(),
});
export type Cancellation = z.output<typeof cancellationSchema>;

export const searchCancellationsInputSchema = z.strictObject({
  // query (§8): page_size 1–50, default 10
  page_size: z.number().int().min(1).max(50).default(10),
  page_token: z.string().min(1).optional(),
  sort_field: z.enum(['create_time', 'update_time']).optional(),
  sort_order: sortOrderSchema.optional(),
  // body
  cancel_ids: z.array(idSchema).optional(),
  order_ids: z.array(idSchema).optional(),
  buyer_user_ids: z.array(z.string()).optional(),
  cancel_types: z.array(z.enum(['CANCEL', 'BUYER_CANCEL'])).optional(),
  // Either spelling is accepted and sent as the filter's documented `…_CANCEL` (§8, §15).
  cancel_status: z
    .array(z.enum([...CANCEL_STATUSES, 'CANCELLATION_REQUEST_CANCEL']))
    .transform((values) => values.map(cancelStatusFilterValue))
    .optional(),
  create_time_ge: unixSecondsSchema.optional(),
  create_time_lt: unixSecondsSchema.optional(),
  update_time_ge: unixSecondsSchema.optional(),
  update_time_lt: unixSecondsSchema.optional(),
  locale: z.string().optional(),
});
export type SearchCancellationsInput = z.input<typeof searchCancellationsInputSchema>;

export const searchCancellationsResponseSchema = z.looseObject({
  ...pageOutSchema,
  cancellations: z.array(cancellationSchema).optional().default([]),
});
export type SearchCancellationsResult = z.output<typeof searchCancellationsResponseSchema>;

export async function searchCancellations(
  client: TikTokClient,
  shop: ShopRef,
  input: SearchCancellationsInput,
  opts: CallOptions = {},
): Promise<SearchCancellationsResult> {
  const { page_size, page_token, sort_field, sort_order, ...body } = parseInput(
    searchCancellationsInputSchema,
    input,
    'POST',
    SEARCH_CANCELLATIONS_PATH,
  );
  return client.request({
    method: 'POST',
    path: SEARCH_CANCELLATIONS_PATH,
    query: { page_size, page_token, sort_field, sort_order },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: searchCancellationsResponseSchema,
  });
}

// ---------- Approve / Reject Cancellation ----------

export const approveCancellationInputSchema = z.strictObject({
  cancel_id: idSchema,
  idempotency_key: idempotencyKeySchema,
});
export type ApproveCancellationInput = z.input<typeof approveCancellationInputSchema>;

/** No body (§8). 25001045 (TikTokStateConflict) when the order has already shipped. */
export async function approveCancellation(
  client: TikTokClient,
  shop: ShopRef,
  input: ApproveCancellationInput,
  opts: CallOptions = {},
): Promise<void> {
  const { cancel_id, idempotency_key } = parseInput(
    approveCancellationInputSchema,
    input,
    'POST',
    APPROVE_CANCELLATION_PATH,
  );
  await client.request({
    method: 'POST',
    path: APPROVE_CANCELLATION_PATH,
    pathParams: { cancel_id },
    query: { idempotency_key },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

/** `image_id` is the uri returned by Upload Product Image (§8). */
const evidenceImageSchema = z.strictObject({
  image_id: z.string().min(1),
  mime_type: z.string().optional(),
  height: z.number().int().optional(),
  width: z.number().int().optional(),
});

export const rejectCancellationInputSchema = z.strictObject({
  cancel_id: idSchema,
  reject_reason: z.string().min(1), // a reason name from Get Reject Reasons
  comment: z.string().optional(),
  images: z.array(evidenceImageSchema).optional(),
  idempotency_key: idempotencyKeySchema,
});
export type RejectCancellationInput = z.input<typeof rejectCancellationInputSchema>;

export async function rejectCancellation(
  client: TikTokClient,
  shop: ShopRef,
  input: RejectCancellationInput,
  opts: CallOptions = {},
): Promise<void> {
  const { cancel_id, idempotency_key, ...body } = parseInput(
    rejectCancellationInputSchema,
    input,
    'POST',
    REJECT_CANCELLATION_PATH,
  );
  await client.request({
    method: 'POST',
    path: REJECT_CANCELLATION_PATH,
    pathParams: { cancel_id },
    query: { idempotency_key },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

// ---------- Approve / Reject Return ----------

export const APPROVE_RETURN_DECISIONS = [
  'APPROVE_REFUND',
  'APPROVE_RETURN',
  'APPROVE_RECEIVED_PACKAGE',
  'APPROVE_REPLACEMENT',
  'ISSUE_REPLACEMENT_REFUND',
  'OFFER_PARTIAL_REFUND',
] as const;

export const approveReturnInputSchema = z
  .strictObject({
    return_id: idSchema,
    decision: z.enum(APPROVE_RETURN_DECISIONS),
    buyer_keep_item: z.boolean().optional(), // returnless refund, with APPROVE_RETURN
    partial_refund: z.strictObject({ currency: z.string().min(1), amount: amountSchema }).optional(),
    idempotency_key: idempotencyKeySchema,
  })
  .refine((v) => v.decision !== 'OFFER_PARTIAL_REFUND' || v.partial_refund !== undefined, {
    message: 'partial_refund is required with OFFER_PARTIAL_REFUND',
    path: ['partial_refund'],
  });
export type ApproveReturnInput = z.input<typeof approveReturnInputSchema>;

export async function approveReturn(
  client: TikTokClient,
  shop: ShopRef,
  input: ApproveReturnInput,
  opts: CallOptions = {},
): Promise<void> {
  const { return_id, idempotency_key, ...body } = parseInput(
    approveReturnInputSchema,
    input,
    'POST',
    APPROVE_RETURN_PATH,
  );
  await client.request({
    method: 'POST',
    path: APPROVE_RETURN_PATH,
    pathParams: { return_id },
    query: { idempotency_key },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

export const REJECT_RETURN_DECISIONS = [
  'REJECT_REFUND',
  'REJECT_RETURN',
  'REJECT_RECEIVED_PACKAGE',
  'REJECT_REPLACEMENT',
] as const;

export const rejectReturnInputSchema = z.strictObject({
  return_id: idSchema,
  decision: z.enum(REJECT_RETURN_DECISIONS),
  reject_reason: z.string().min(1),
  comment: z.string().optional(),
  images: z.array(evidenceImageSchema).optional(),
  idempotency_key: idempotencyKeySchema,
});
export type RejectReturnInput = z.input<typeof rejectReturnInputSchema>;

export async function rejectReturn(
  client: TikTokClient,
  shop: ShopRef,
  input: RejectReturnInput,
  opts: CallOptions = {},
): Promise<void> {
  const { return_id, idempotency_key, ...body } = parseInput(
    rejectReturnInputSchema,
    input,
    'POST',
    REJECT_RETURN_PATH,
  );
  await client.request({
    method: 'POST',
    path: REJECT_RETURN_PATH,
    pathParams: { return_id },
    query: { idempotency_key },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: emptyDataSchema,
  });
}

// ---------- Get Reject Reasons ----------

export const getRejectReasonsInputSchema = z.strictObject({
  return_or_cancel_id: idSchema.optional(),
  locale: z.string().optional(),
});
export type GetRejectReasonsInput = z.input<typeof getRejectReasonsInputSchema>;

export const rejectReasonSchema = z.looseObject({ name: z.string(), text: z.string().optional() });
export type RejectReason = z.output<typeof rejectReasonSchema>;

export const getRejectReasonsResponseSchema = z.looseObject({
  reasons: z.array(rejectReasonSchema).optional().default([]),
});

export async function getRejectReasons(
  client: TikTokClient,
  shop: ShopRef,
  input: GetRejectReasonsInput,
  opts: CallOptions = {},
): Promise<RejectReason[]> {
  const query = parseInput(getRejectReasonsInputSchema, input, 'GET', GET_REJECT_REASONS_PATH);
  const data = await client.request({
    method: 'GET',
    path: GET_REJECT_REASONS_PATH,
    query,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getRejectReasonsResponseSchema,
  });
  return data.reasons;
}
