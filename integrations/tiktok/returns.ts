// Return and refund family declared as endpoints: search returns and cancellations, approve/reject them, reject
// reasons, a return's records, a return created on the buyer's behalf. Everything lives under /return_refund/202309 and takes shop_cipher.
// Overview: https://partner.tiktokshop.com/docv2/page/return-refund-and-cancel-api-overview
import { z } from 'zod';
import {
  amountSchema,
  emptyDataSchema,
  idSchema,
  pageOutSchema,
  pageQuery,
  sortQuery,
  timeWindowFilters,
  unixSecondsSchema,
} from './common';
import { defineEndpoint, docsPage } from './endpoint';
import { TikTokStateConflict } from './errors';
import {
  CANCEL_STATUSES,
  RETURN_STATUSES,
  RETURN_TYPES,
  cancelStatusFilterValue,
  cancelStatusSchema,
  returnStatusSchema,
} from './enums';

/** Write endpoints accept an optional `idempotency_key` query parameter (≤255 chars). */
const idempotencyQuery = z.strictObject({ idempotency_key: z.string().min(1).max(255).optional() });

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

/** Times, the seller's next action and the refund: fields a return and a cancellation both carry. */
const afterSalesFields = {
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
  seller_next_action_response: z.array(nextActionSchema).optional(),
  refund_amount: refundAmountSchema.optional(),
};

/** The fields of a return line item and of a cancellation line item, each besides its own id. */
const afterSalesLineItem = z.looseObject({
  order_line_item_id: z.string().optional(),
  sku_id: z.string().optional(),
  sku_name: z.string().optional(),
  product_name: z.string().optional(),
  seller_sku: z.string().optional(),
  refund_amount: refundAmountSchema.optional(),
});

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
  ...afterSalesFields,
  return_line_items: z.array(afterSalesLineItem.extend({ return_line_item_id: z.string().optional() })).optional(),
  seller_proposed_return_type: z.string().optional(),
  partial_refund: z.looseObject({ currency: z.string().optional(), amount: amountSchema.optional() }).optional(),
});
export type ReturnOrder = z.output<typeof returnOrderSchema>;

export const searchReturnsResponseSchema = z.looseObject({
  ...pageOutSchema,
  return_orders: z.array(returnOrderSchema).optional().default([]),
});
export type SearchReturnsResult = z.output<typeof searchReturnsResponseSchema>;

// ---------- Search Cancellations ----------

export const cancellationSchema = z.looseObject({
  cancel_id: idSchema,
  order_id: idSchema,
  cancel_type: z.string().optional(), // CANCEL | BUYER_CANCEL
  cancel_status: cancelStatusSchema, // normalised to …_CANCELLED (enums.ts)
  role: z.string().optional(),
  cancel_reason: z.string().optional(),
  cancel_reason_text: z.string().optional(),
  ...afterSalesFields,
  cancel_line_items: z.array(afterSalesLineItem.extend({ cancel_line_item_id: z.string().optional() })).optional(),
});
export type Cancellation = z.output<typeof cancellationSchema>;

export const searchCancellationsResponseSchema = z.looseObject({
  ...pageOutSchema,
  cancellations: z.array(cancellationSchema).optional().default([]),
});
export type SearchCancellationsResult = z.output<typeof searchCancellationsResponseSchema>;

/** `image_id` is the uri returned by Upload Product Image. */
const evidenceImageSchema = z.strictObject({
  image_id: z.string().min(1),
  mime_type: z.string().optional(),
  height: z.number().int().optional(),
  width: z.number().int().optional(),
});

export const APPROVE_RETURN_DECISIONS = [
  'APPROVE_REFUND',
  'APPROVE_RETURN',
  'APPROVE_RECEIVED_PACKAGE',
  'APPROVE_REPLACEMENT',
  'ISSUE_REPLACEMENT_REFUND',
  'OFFER_PARTIAL_REFUND',
] as const;

export const REJECT_RETURN_DECISIONS = [
  'REJECT_REFUND',
  'REJECT_RETURN',
  'REJECT_RECEIVED_PACKAGE',
  'REJECT_REPLACEMENT',
] as const;

export const rejectReasonSchema = z.looseObject({ name: z.string(), text: z.string().optional() });
export type RejectReason = z.output<typeof rejectReasonSchema>;

/** Query of both searches: page_size (Search Returns 10–50, Search Cancellations 1–50, both default 10), sorting. */
function searchQuery(minPageSize: number) {
  return z.strictObject({ ...pageQuery({ min: minPageSize, max: 50, default: 10 }), ...sortQuery }); // sort ASC
}

/** Path and query of a decision on one return or one cancellation (the write endpoints take idempotency_key). */
const onReturn = { params: z.strictObject({ return_id: idSchema }), query: idempotencyQuery };
const onCancellation = { params: z.strictObject({ cancel_id: idSchema }), query: idempotencyQuery };

/** A rejection: a reason name from Get Reject Reasons, a comment, evidence images. */
const rejectionBody = {
  reject_reason: z.string().min(1),
  comment: z.string().optional(),
  images: z.array(evidenceImageSchema).optional(),
};

// ---------- Get Return Records ----------

/** One entry of a return's history: who did what, and why (ref §8 "Get Return Records"). */
export const returnRecordSchema = z.looseObject({
  role: z.string().optional(), // BUYER | SELLER | OPERATOR | SYSTEM
  event: z.string().optional(),
  description: z.string().optional(),
  reason_text: z.string().optional(),
  note: z.string().optional(),
  create_time: unixSecondsSchema.optional(),
  images: z
    .array(z.looseObject({ url: z.string().optional(), width: z.number().optional(), height: z.number().optional() }))
    .optional(),
});
export type ReturnRecord = z.output<typeof returnRecordSchema>;

// ---------- Create Return ----------

/** Create Return's body: the order, what is returned (SKUs or line items), why, and how (ref §8). */
const createReturnBody = z
  .strictObject({
    order_id: idSchema,
    skus: z.array(z.strictObject({ sku_id: idSchema, quantity: z.number().int().positive() })).optional(),
    order_line_item_ids: z.array(idSchema).optional(),
    return_reason: z.string().min(1),
    return_type: z.enum(['REFUND', 'RETURN_AND_REFUND']),
    refund_total: amountSchema.optional(),
    currency: z.string().optional(),
    shipment_type: z.enum(['PLATFORM', 'BUYER_ARRANGE']).optional(),
    handover_method: z.string().optional(),
  })
  .refine((b) => (b.skus?.length ?? 0) > 0 || (b.order_line_item_ids?.length ?? 0) > 0, {
    message: 'name what is returned: skus or order_line_item_ids',
    path: ['skus'],
  });

export const returnEndpoints = {
  searchReturns: defineEndpoint({
    title: 'Search Returns',
    docs: docsPage('search-returns-202309'),
    method: 'POST',
    path: '/return_refund/202309/returns/search',
    shopCipher: true,
    query: searchQuery(10),
    body: z.strictObject({
      return_ids: z.array(idSchema).optional(),
      order_ids: z.array(idSchema).optional(),
      buyer_user_ids: z.array(z.string()).optional(),
      return_types: z.array(z.enum(RETURN_TYPES)).optional(),
      return_status: z.array(z.enum(RETURN_STATUSES)).optional(),
      seller_proposed_return_type: z.array(z.string()).optional(),
      ...timeWindowFilters,
      locale: z.string().optional(),
    }),
    response: searchReturnsResponseSchema,
  }),

  searchCancellations: defineEndpoint({
    title: 'Search Cancellations',
    docs: docsPage('search-cancellations-202309'),
    method: 'POST',
    path: '/return_refund/202309/cancellations/search',
    shopCipher: true,
    query: searchQuery(1),
    body: z.strictObject({
      cancel_ids: z.array(idSchema).optional(),
      order_ids: z.array(idSchema).optional(),
      buyer_user_ids: z.array(z.string()).optional(),
      cancel_types: z.array(z.enum(['CANCEL', 'BUYER_CANCEL'])).optional(),
      // Either spelling is accepted and sent as the filter's documented `…_CANCEL` (enums.ts).
      cancel_status: z
        .array(z.enum([...CANCEL_STATUSES, 'CANCELLATION_REQUEST_CANCEL']))
        .transform((values) => values.map(cancelStatusFilterValue))
        .optional(),
      ...timeWindowFilters,
      locale: z.string().optional(),
    }),
    response: searchCancellationsResponseSchema,
  }),

  /** No body. Refused with 25001045 once the order has shipped: the cancellation can then only be rejected. */
  approveCancellation: defineEndpoint({
    title: 'Approve Cancellation',
    docs: docsPage('approve-cancellation-202309'),
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/approve',
    shopCipher: true,
    ...onCancellation,
    response: emptyDataSchema,
    errors: { 25001045: TikTokStateConflict },
  }),

  rejectCancellation: defineEndpoint({
    title: 'Reject Cancellation',
    docs: docsPage('reject-cancellation-202309'),
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/reject',
    shopCipher: true,
    ...onCancellation,
    body: z.strictObject(rejectionBody),
    response: emptyDataSchema,
  }),

  approveReturn: defineEndpoint({
    title: 'Approve Return',
    docs: docsPage('approve-return-202309'),
    method: 'POST',
    path: '/return_refund/202309/returns/{return_id}/approve',
    shopCipher: true,
    ...onReturn,
    body: z
      .strictObject({
        decision: z.enum(APPROVE_RETURN_DECISIONS),
        buyer_keep_item: z.boolean().optional(), // returnless refund, with APPROVE_RETURN
        partial_refund: z.strictObject({ currency: z.string().min(1), amount: amountSchema }).optional(),
      })
      .refine((v) => v.decision !== 'OFFER_PARTIAL_REFUND' || v.partial_refund !== undefined, {
        message: 'partial_refund is required with OFFER_PARTIAL_REFUND',
        path: ['partial_refund'],
      }),
    response: emptyDataSchema,
  }),

  rejectReturn: defineEndpoint({
    title: 'Reject Return',
    docs: docsPage('reject-return-202309'),
    method: 'POST',
    path: '/return_refund/202309/returns/{return_id}/reject',
    shopCipher: true,
    ...onReturn,
    body: z.strictObject({ decision: z.enum(REJECT_RETURN_DECISIONS), ...rejectionBody }),
    response: emptyDataSchema,
  }),

  /** Every step of one return, oldest first as TikTok lists them (the emulator keeps them per transition). */
  getReturnRecords: defineEndpoint({
    title: 'Get Return Records',
    docs: docsPage('get-return-records-202309'),
    method: 'GET',
    path: '/return_refund/202309/returns/{return_id}/records',
    shopCipher: true,
    params: z.strictObject({ return_id: idSchema }),
    query: z.strictObject({ locale: z.string().optional() }),
    response: z
      .looseObject({ records: z.array(returnRecordSchema).optional().default([]) })
      .transform((d) => d.records),
  }),

  /**
   * A return opened by the seller on the buyer's behalf. A write: `idempotency_key` makes a retried request the
   * first one (a lost answer never opens a second return).
   */
  createReturn: defineEndpoint({
    title: 'Create Return',
    docs: docsPage('create-return-202309'),
    method: 'POST',
    path: '/return_refund/202309/returns',
    shopCipher: true,
    query: idempotencyQuery,
    body: createReturnBody,
    response: z.looseObject({ return_id: idSchema, return_status: returnStatusSchema }),
  }),

  getRejectReasons: defineEndpoint({
    title: 'Get Reject Reasons',
    docs: docsPage('get-reject-reasons-202309'),
    method: 'GET',
    path: '/return_refund/202309/reject_reasons',
    shopCipher: true,
    query: z.strictObject({ return_or_cancel_id: idSchema.optional(), locale: z.string().optional() }),
    response: z
      .looseObject({ reasons: z.array(rejectReasonSchema).optional().default([]) })
      .transform((d) => d.reasons),
  }),
};
