// TikTok order statuses as the order workflow reads them (pure: shared by the workflow, its activities and the
// webhooks).

/** TikTok order statuses the seller can act on (hand to the warehouse, ship). */
export const SHIPPABLE_STATUSES: readonly string[] = ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'];
/** The carrier has the parcel: dispatch is done (on time or late). */
export const DISPATCHED_STATUSES: readonly string[] = ['IN_TRANSIT', 'DELIVERED', 'COMPLETED'];
/**
 * The forward path of an order (tiktok-shop-api.md order statuses). A status webhook that moves an order forward
 * along it can be taken at its word where the step needs nothing else from the order; CANCELLED is not on it (a
 * cancellation is always read back).
 */
const FORWARD_ORDER: readonly string[] = [
  'UNPAID',
  'ON_HOLD',
  'AWAITING_SHIPMENT',
  'PARTIALLY_SHIPPING',
  'AWAITING_COLLECTION',
  'IN_TRANSIT',
  'DELIVERED',
  'COMPLETED',
];

/** The furthest of the signalled statuses when every one of them is on the forward path ahead of `current`. */
export function forwardStatus(current: string, signalled: readonly string[]): string | undefined {
  const from = FORWARD_ORDER.indexOf(current);
  if (from < 0 || signalled.length === 0) return undefined;
  let furthest = -1;
  for (const status of signalled) {
    const at = FORWARD_ORDER.indexOf(status);
    if (at < 0) return undefined;
    furthest = Math.max(furthest, at);
  }
  return furthest > from ? FORWARD_ORDER[furthest] : undefined;
}
