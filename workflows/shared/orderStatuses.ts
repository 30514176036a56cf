// TikTok Shop order statuses: the `status` of Get Order Detail and Get Order List
// (https://partner.tiktokshop.com/docv2/page/get-order-detail-202309). The one list the client's schemas, the webhook
// parser and the workflows use; plain constants, so workflow code can import them. (emulators/ keeps its own: the
// emulator imports nothing from the product.)

/** In the order an order moves through them; CANCELLED can end an order at any point before it is delivered. */
export const ORDER_STATUSES = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The forward path of an order: every status but CANCELLED, in order. */
export const FORWARD_ORDER_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => s !== 'CANCELLED');
