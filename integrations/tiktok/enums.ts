// Status enums shared by the API responses and the webhooks, with the normalisation of the inconsistencies the
// reference lists (§5.3, §8, §11.4, §15).
import { z } from 'zod';
import { ORDER_STATUSES, type OrderStatus } from '../../workflows/shared/orderStatuses';

/** Order `status` of Get Order Detail / Get Order List: the list lives with the workflows, which read it too. */
export { ORDER_STATUSES, type OrderStatus };
export const orderStatusSchema = z.enum(ORDER_STATUSES);

/** §11.4/§15: webhook type 1 documents `CANCEL` where the order APIs say `CANCELLED`; both map to `CANCELLED`. */
export function normalizeOrderStatus(value: string): string {
  return value === 'CANCEL' ? 'CANCELLED' : value;
}
export const webhookOrderStatusSchema = z.string().transform(normalizeOrderStatus).pipe(orderStatusSchema);

/** §6.1: package status (Search Package / Get Package Detail); line items also use TO_FULFILL. */
export const PACKAGE_STATUSES = ['TO_FULFILL', 'PROCESSING', 'FULFILLING', 'COMPLETED', 'CANCELLED'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];
export const packageStatusSchema = z.enum(PACKAGE_STATUSES);

/** §8: `cancel_status` of responses and webhook 11. */
export const CANCEL_STATUSES = [
  'CANCELLATION_REQUEST_PENDING',
  'CANCELLATION_REQUEST_SUCCESS',
  'CANCELLATION_REQUEST_CANCELLED',
  'CANCELLATION_REQUEST_COMPLETE',
] as const;
export type CancelStatus = (typeof CANCEL_STATUSES)[number];

/**
 * §8/§15: the search filter and the Cancel Order response say `CANCELLATION_REQUEST_CANCEL` where responses and
 * webhook 11 say `CANCELLATION_REQUEST_CANCELLED`. We normalise every received value to `…_CANCELLED`.
 */
export function normalizeCancelStatus(value: string): string {
  return value === 'CANCELLATION_REQUEST_CANCEL' ? 'CANCELLATION_REQUEST_CANCELLED' : value;
}
export const cancelStatusSchema = z.string().transform(normalizeCancelStatus).pipe(z.enum(CANCEL_STATUSES));

/** The spelling the Search Cancellations *filter* documents (§8): `…_CANCELLED` is sent as `…_CANCEL`. */
export function cancelStatusFilterValue(value: CancelStatus | 'CANCELLATION_REQUEST_CANCEL'): string {
  return value === 'CANCELLATION_REQUEST_CANCELLED' ? 'CANCELLATION_REQUEST_CANCEL' : value;
}

/** §8: `return_status` of Search Returns (webhook 12 uses the same list without AWAITING_BUYER_RESPONSE). */
export const RETURN_STATUSES = [
  'RETURN_OR_REFUND_REQUEST_PENDING',
  'REFUND_OR_RETURN_REQUEST_REJECT',
  'AWAITING_BUYER_SHIP',
  'BUYER_SHIPPED_ITEM',
  'REJECT_RECEIVE_PACKAGE',
  'RETURN_OR_REFUND_REQUEST_SUCCESS',
  'RETURN_OR_REFUND_REQUEST_CANCEL',
  'RETURN_OR_REFUND_REQUEST_COMPLETE',
  'REPLACEMENT_REQUEST_PENDING',
  'REPLACEMENT_REQUEST_REJECT',
  'REPLACEMENT_REQUEST_REFUND_SUCCESS',
  'REPLACEMENT_REQUEST_CANCEL',
  'REPLACEMENT_REQUEST_COMPLETE',
  'AWAITING_BUYER_RESPONSE',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/**
 * §15: the webhook 12 prose says `RETURN_OR_REFUND__REQUEST_CANCELLED` (double underscore) while its enum says
 * `RETURN_OR_REFUND_REQUEST_CANCEL`; the enum spelling wins, and the other spellings map onto it.
 */
export function normalizeReturnStatus(value: string): string {
  switch (value) {
    case 'RETURN_OR_REFUND__REQUEST_CANCELLED':
    case 'RETURN_OR_REFUND_REQUEST_CANCELLED':
    case 'RETURN_OR_REFUND__REQUEST_CANCEL':
      return 'RETURN_OR_REFUND_REQUEST_CANCEL';
    case 'REPLACEMENT_REQUEST_CANCELLED':
      return 'REPLACEMENT_REQUEST_CANCEL';
    default:
      return value;
  }
}
export const returnStatusSchema = z.string().transform(normalizeReturnStatus).pipe(z.enum(RETURN_STATUSES));

/** §8 / §11.4: `return_type`. */
export const RETURN_TYPES = ['REFUND', 'RETURN_AND_REFUND', 'REPLACEMENT'] as const;
export type ReturnType = (typeof RETURN_TYPES)[number];
