// TikTok order statuses as the order workflow reads them (pure: shared by the workflow, its activities and the
// webhooks). The statuses themselves are listed once, in workflows/shared/orderStatuses.ts.
import { FORWARD_ORDER_STATUSES } from '../shared/orderStatuses';

/** TikTok order statuses the seller can act on (hand to the warehouse, ship). */
export const SHIPPABLE_STATUSES: readonly string[] = ['AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING'];
/** The carrier has the parcel: dispatch is done (on time or late). */
export const DISPATCHED_STATUSES: readonly string[] = ['IN_TRANSIT', 'DELIVERED', 'COMPLETED'];

/**
 * The furthest of the signalled statuses when every one of them is on the forward path ahead of `current`. A status
 * webhook that moves an order forward can be taken at its word where the step needs nothing else from the order;
 * CANCELLED is not on the path (a cancellation is always read back).
 */
export function forwardStatus(current: string, signalled: readonly string[]): string | undefined {
  const path: readonly string[] = FORWARD_ORDER_STATUSES;
  const from = path.indexOf(current);
  if (from < 0 || signalled.length === 0) return undefined;
  let furthest = -1;
  for (const status of signalled) {
    const at = path.indexOf(status);
    if (at < 0) return undefined;
    furthest = Math.max(furthest, at);
  }
  return furthest > from ? path[furthest] : undefined;
}
