// The order workflow's messages: its input and result, the signals the webhooks send, the updates the warehouse
// sends, the query the API reads, and their shapes. No buyer details (names, addresses, phones) ever travel in these;
// activities read those from TikTok themselves.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export interface OrderAcknowledgmentInput {
  shopId: string;
  orderId: string;
}

export interface OrderOutcome {
  outcome: 'dispatched' | 'cancelled' | 'fbt_tracked';
  status: string;
  onTime?: boolean;
}

export type OrderRiskLevel = 'on_track' | 'at_risk' | 'late' | 'done';

export interface PendingCancellation {
  cancelId: string;
  /** The request's own deadline (TikTok's seller_next_action_response), ISO. */
  deadline?: string;
}

export interface ShipmentPackage {
  trackingNumber: string;
  carrier: string;
  /** For split shipments: the order line items in this package; omitted: every item. */
  lineItemIds?: string[];
}

/** `decidedBy`: who reported it (the API sets it from the caller's key; docs/case-contract.md). */
export type ShipmentRequest = (
  | { packages: ShipmentPackage[]; tiktokShipping?: undefined }
  | { tiktokShipping: true; lineItemIds?: string[]; packages?: undefined }
) & { decidedBy?: string };

export interface ShippedPackage {
  packageId: string;
  trackingNumber?: string;
  carrier?: string;
  shippingProviderId?: string;
  labelUrl?: string;
}

export interface CancellationDecision {
  /** True: the warehouse stopped the parcel (approve); false: it is already on its way (reject). */
  stopped: boolean;
  /** Who answered (the API sets it from the caller's key); optional for callers of the update itself. */
  decidedBy?: string;
}

export type CancellationOutcome = 'approved' | 'rejected';

/**
 * What a warehouse answer (the cancellationDecision update) led to: the request it answered was approved or
 * rejected, or it was no longer the pending request when the workflow came to decide: `withdrawn` (the buyer took
 * it back, or TikTok closed it: a read found no pending request) or `superseded` (a newer request replaced it, or the
 * order closed first). Every accepted answer gets one of these, so neither the caller nor the workflow waits forever.
 */
export type CancellationDecisionOutcome = CancellationOutcome | 'withdrawn' | 'superseded';

export interface CancellationDecisionResult {
  outcome: CancellationDecisionOutcome;
  /** TikTok's reject reason (rejected), or why the answer was not applied (withdrawn, superseded). */
  reason?: string;
  /** The request the answer was about. */
  cancelId: string;
}

export interface OrderView {
  shopId: string;
  orderId: string;
  state: string;
  risk: OrderRiskLevel;
  fulfilledByTikTok: boolean;
  acknowledged: boolean;
  readyToShipBy?: string;
  carrierScanBy?: string;
  escalated: string[];
  packages: ShippedPackage[];
  /** The last shipment report that failed after it was accepted (e.g. sent with `Prefer: respond-async`). */
  shipmentError?: { at: string; message: string };
  cancellation?: PendingCancellation & { outcome?: CancellationOutcome; reason?: string; waitingForWarehouse: boolean };
}

/** TikTok's ORDER_STATUS_CHANGE webhook (or a reconciliation pass): the order is read back unless it says nothing new. */
export interface OrderStatusChanged {
  status: string;
  updateTime: number;
}
export interface CancellationChanged {
  cancelId: string;
  cancelStatus: string;
}
export interface AddressUpdated {
  updateTime: number;
}
export interface PackageUpdated {
  packageIds: string[];
  updateTime: number;
}

export const orderStatusChangedSignal = defineSignal<[OrderStatusChanged]>('orderStatusChanged');
export const cancellationChangedSignal = defineSignal<[CancellationChanged]>('cancellationChanged');
export const addressUpdatedSignal = defineSignal<[AddressUpdated]>('recipientAddressUpdated');
export const packageUpdatedSignal = defineSignal<[PackageUpdated]>('packageUpdated');

/** The human steps of an order (docs/case-contract.md): the warehouse's cancellation answer, and shipping it in time. */
export const ORDER_CANCELLATION_CASE = 'order_cancellation';
export const ORDER_DISPATCH_CASE = 'order_dispatch';
export const cancellationStepKey = (cancelId: string): string => `cancellation:${cancelId}`;
export const DISPATCH_STEP_KEY = 'dispatch';

/** JSON Schema of a cancellation answer's body (checked by the update's validator, decisions.ts). */
export const CANCELLATION_DECISION_SCHEMA = {
  type: 'object',
  properties: { stopped: { type: 'boolean', description: 'true: the parcel was stopped (approve); false: reject' } },
  required: ['stopped'],
  additionalProperties: false,
};

const id = { type: 'string', pattern: '^[0-9A-Za-z_-]{1,64}$' };
const text = { type: 'string', minLength: 1, maxLength: 128 };
/** JSON Schema of a shipment report's body (checked by the update's validator, decisions.ts). */
export const SHIPMENT_SCHEMA = {
  oneOf: [
    {
      type: 'object',
      properties: {
        packages: {
          type: 'array',
          minItems: 1,
          maxItems: 50,
          items: {
            type: 'object',
            properties: {
              trackingNumber: text,
              carrier: text,
              lineItemIds: { type: 'array', minItems: 1, items: id },
            },
            required: ['trackingNumber', 'carrier'],
            additionalProperties: false,
          },
        },
      },
      required: ['packages'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { tiktokShipping: { const: true }, lineItemIds: { type: 'array', minItems: 1, items: id } },
      required: ['tiktokShipping'],
      additionalProperties: false,
    },
  ],
};

export const shippedUpdate = defineUpdate<ShippedPackage[], [ShipmentRequest]>('shipped');
export const cancellationDecisionUpdate = defineUpdate<CancellationDecisionResult, [CancellationDecision]>(
  'cancellationDecision',
);
export const getOrderQuery = defineQuery<OrderView>('getOrder');
