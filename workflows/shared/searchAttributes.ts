import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes: every SLA clock and risk level is listable in the Web UI and with
// `temporal workflow list --query`. Registered on the dev server at start and in tests.
export const ShopId = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);
export const ShopRegion = defineSearchAttributeKey('ShopRegion', SearchAttributeType.KEYWORD);
export const AuthorizationState = defineSearchAttributeKey('AuthorizationState', SearchAttributeType.KEYWORD);

// Order acknowledgment (workflows/orderAcknowledgment/workflow.ts): its state, risk level and the two dispatch clocks.
export const OrderId = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const OrderState = defineSearchAttributeKey('OrderState', SearchAttributeType.KEYWORD);
export const OrderRisk = defineSearchAttributeKey('OrderRisk', SearchAttributeType.KEYWORD);
export const OrderReadyToShipBy = defineSearchAttributeKey('OrderReadyToShipBy', SearchAttributeType.DATETIME);
export const OrderCarrierScanBy = defineSearchAttributeKey('OrderCarrierScanBy', SearchAttributeType.DATETIME);

export const ALL_SEARCH_ATTRIBUTES = [
  ShopId,
  ShopRegion,
  AuthorizationState,
  OrderId,
  OrderState,
  OrderRisk,
  OrderReadyToShipBy,
  OrderCarrierScanBy,
] as const;
