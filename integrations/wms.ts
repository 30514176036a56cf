/**
 * Our integration with the seller's warehouse management system (WMS). One endpoint, `WMS_URL`, receives signed
 * JSON POSTs: `X-Timestamp` (unix seconds), `X-Signature` = hex HMAC-SHA256 of `<X-Timestamp>.<body>` with
 * `WMS_SIGNING_SECRET`, and an `Idempotency-Key` the WMS uses to recognise a repeat. Two kinds of body:
 *
 * - Hand-off: `{ version, order }` — the order to pick and ship (activities/orderAcknowledgment/warehouseHandOff.ts,
 *   sendToWms);
 *   its units are allocated to it; `order.cancelled: true` withdraws it. Key `order:<shop>:<order>:v<version>`.
 * - Reservation: `{ reservation: { action: 'hold' | 'release', shopId, orderId, lineItems } }` — sent when the order
 *   is first seen paid (before the buyer-remorse window ends and long before the hand-off under backlog). The WMS
 *   counts a held order's units out of available-to-promise, so another sales channel cannot sell a unit TikTok has
 *   already sold; the order's hand-off converts its hold into the allocation (never counted twice), `release` drops
 *   it (the order was cancelled before it was handed off). One hold per order id: a repeated `hold` changes nothing,
 *   a `release` of an unknown or already handed-off order is a no-op. Key `reservation:<shop>:<order>:<action>`.
 */
import crypto from 'node:crypto';

/** Signs a WMS request body: hex HMAC-SHA256 over `<timestamp>.<body>`, so a replayed body with a new time fails. */
export function signWmsRequest(secret: string, timestamp: string, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface WmsReservation {
  action: 'hold' | 'release';
  shopId: string;
  orderId: string;
  /** One line item is one unit (TikTok lists a quantity of 3 as three line items). */
  lineItems: { lineItemId: string; skuId: string | null; sellerSku: string }[];
}

export interface WmsTarget {
  url: string;
  secret: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** POSTs a signed JSON body with its idempotency key; throws unless the WMS answers 2xx. */
async function postSigned(
  target: WmsTarget,
  idempotencyKey: string,
  body: string,
  timeoutMs: number,
): Promise<Response> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return (target.fetch ?? fetch)(target.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
      'x-timestamp': timestamp,
      'x-signature': signWmsRequest(target.secret, timestamp, body),
    },
    body,
    signal: AbortSignal.timeout(target.timeoutMs ?? timeoutMs),
  });
}

/** POSTs a reservation (signed, idempotency key per order and action); throws unless the WMS answers 2xx. */
export async function sendWmsReservation(target: WmsTarget, reservation: WmsReservation): Promise<void> {
  const key = `reservation:${reservation.shopId}:${reservation.orderId}:${reservation.action}`;
  const res = await postSigned(target, key, JSON.stringify({ reservation }), 5_000);
  if (!res.ok) throw new Error(`WMS answered HTTP ${res.status} to a reservation ${reservation.action}`);
}

/**
 * POSTs an order's hand-off `{ version, order }` (signed, idempotency key per order and version, so a retry is
 * recognised by the WMS); throws unless the WMS answers 2xx.
 */
export async function sendWmsHandOff(
  target: WmsTarget,
  ref: { shopId: string; orderId: string; version: number },
  order: unknown,
): Promise<void> {
  const key = `order:${ref.shopId}:${ref.orderId}:v${ref.version}`;
  const res = await postSigned(target, key, JSON.stringify({ version: ref.version, order }), 15_000);
  if (!res.ok) throw new Error(`WMS answered HTTP ${res.status}`);
}
