import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseJsonPreservingLargeIntegers,
  parseWebhookEvent,
  safeParseWebhookEvent,
  TikTokWebhookParseError,
  webhookDedupKey,
  type WebhookEventOf,
} from '../../../integrations/tiktok/webhooks';

// §11.2 golden payload (type 1).
const ORDER_STATUS_RAW =
  '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}';

function orderStatus(status: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 1,
    shop_id: '7495540735365777507',
    timestamp: 1718305600,
    data: { order_id: '576653688135258178', order_status: status, update_time: 1718305590 },
    ...extra,
  });
}

void test('type 1 golden payload parses', () => {
  const event = parseWebhookEvent(ORDER_STATUS_RAW);
  assert.equal(event.kind, 'ORDER_STATUS_CHANGE');
  const e = event;
  assert.equal(e.data.order_id, '576653688135258178');
  assert.equal(e.data.order_status, 'UNPAID');
  assert.equal(e.data.is_on_hold_order, true);
  assert.equal(e.shop_id, '7495540735365777507');
  assert.equal(webhookDedupKey(e), '7380066284010030890');
});

void test('type 1: CANCEL and CANCELLED both normalise to CANCELLED and share a dedup key', () => {
  const a = parseWebhookEvent(orderStatus('CANCEL')) as WebhookEventOf<'ORDER_STATUS_CHANGE'>;
  const b = parseWebhookEvent(orderStatus('CANCELLED')) as WebhookEventOf<'ORDER_STATUS_CHANGE'>;
  assert.equal(a.data.order_status, 'CANCELLED');
  assert.equal(b.data.order_status, 'CANCELLED');
  assert.equal(webhookDedupKey(a), webhookDedupKey(b));
  assert.equal(webhookDedupKey(a), '1:7495540735365777507:576653688135258178/CANCELLED:1718305590');
  // PARTIALLY_SHIPPING is missing from the webhook doc enum but exists on orders (§15): accepted.
  assert.equal(safeParseWebhookEvent(orderStatus('PARTIALLY_SHIPPING')).ok, true);
  assert.equal(safeParseWebhookEvent(orderStatus('SHIPPED_TO_MARS')).ok, false);
});

void test('dedup key without notification id: a retry with another push timestamp collapses, a new status does not', () => {
  const first = parseWebhookEvent(orderStatus('AWAITING_SHIPMENT'));
  const retry = parseWebhookEvent(orderStatus('AWAITING_SHIPMENT', { timestamp: 1718309999 }));
  const next = parseWebhookEvent(orderStatus('AWAITING_COLLECTION'));
  assert.equal(webhookDedupKey(first), webhookDedupKey(retry));
  assert.notEqual(webhookDedupKey(first), webhookDedupKey(next));
});

void test('type 3 without tts_notification_id (as in the DOC example)', () => {
  const event = parseWebhookEvent({
    type: 3,
    shop_id: '7494049642642441621',
    timestamp: 1644412885,
    data: { order_id: '576473278387883457', update_time: 1644412885 },
  });
  assert.equal(event.kind, 'RECIPIENT_ADDRESS_UPDATE');
  assert.equal(webhookDedupKey(event), '3:7494049642642441621:576473278387883457:1644412885');
});

void test('type 4 package update: key independent of package order', () => {
  const make = (list: unknown[]) =>
    parseWebhookEvent({
      type: 4,
      shop_id: '1',
      timestamp: 1,
      data: { sc_type: 'COMBINE', role_type: 'ROLE_SELLER', package_list: list, update_time: 1627587600 },
    });
  const a = make([
    { package_id: '1153', order_id_list: ['576'] },
    { package_id: '1152', order_id_list: ['577'] },
  ]);
  const b = make([
    { package_id: '1152', order_id_list: ['577'] },
    { package_id: '1153', order_id_list: ['576'] },
  ]);
  assert.equal(a.kind, 'PACKAGE_UPDATE');
  assert.equal(webhookDedupKey(a), webhookDedupKey(b));
  assert.equal(webhookDedupKey(a), '4:1:COMBINE/1152,1153:1627587600');
});

void test('type 5: numeric product_id beyond 2^53 is kept exact as a string', () => {
  const raw =
    '{"type":5,"tts_notification_id":"n5","shop_id":"7494049642642441621","timestamp":1644412885,"data":{"product_id":1729382256910270464,"status":"PRODUCT_AUDIT_FAILURE","suspended_reason":"bad image","update_time":1644412885}}';
  const event = parseWebhookEvent(raw) as WebhookEventOf<'PRODUCT_STATUS_CHANGE'>;
  assert.equal(event.kind, 'PRODUCT_STATUS_CHANGE');
  assert.equal(event.data.product_id, '1729382256910270464');
  const small = parseWebhookEvent({
    type: 5,
    shop_id: '1',
    timestamp: 1,
    data: { product_id: 12345, status: 'PRODUCT_STATUS_CHANGED', update_time: 2 },
  }) as WebhookEventOf<'PRODUCT_STATUS_CHANGE'>;
  assert.equal(small.data.product_id, '12345');
});

void test('parseJsonPreservingLargeIntegers leaves strings, safe numbers and decimals alone', () => {
  assert.deepEqual(
    parseJsonPreservingLargeIntegers('{"a":"x 1729382256910270464 \\" y","b":12,"c":-1.5e3,"d":[9007199254740993]}'),
    { a: 'x 1729382256910270464 " y', b: 12, c: -1500, d: ['9007199254740993'] },
  );
});

void test('types 6 and 7: seller deauthorization and upcoming authorization expiry', () => {
  const deauth = parseWebhookEvent({
    type: 6,
    tts_notification_id: 'n6',
    shop_id: '7494049642642441621',
    timestamp: 1644412885,
    data: { message: 'Seller deauthorized' },
  });
  assert.equal(deauth.kind, 'SELLER_DEAUTHORIZATION');
  const expiry = parseWebhookEvent({
    type: 7,
    shop_id: '7494049642642441621',
    timestamp: 1644412885,
    data: { message: 'expires soon', expiration_time: '1647004885' },
  }) as WebhookEventOf<'UPCOMING_AUTHORIZATION_EXPIRATION'>;
  assert.equal(expiry.kind, 'UPCOMING_AUTHORIZATION_EXPIRATION');
  assert.equal(expiry.data.expiration_time, 1647004885);
  assert.equal(webhookDedupKey(expiry), '7:7494049642642441621:1647004885:1644412885');
});

void test('type 11: CANCELLATION_REQUEST_CANCEL normalises to CANCELLATION_REQUEST_CANCELLED', () => {
  const make = (status: string) =>
    parseWebhookEvent({
      type: 11,
      shop_id: '7494049642642441621',
      timestamp: 1644412885,
      data: {
        order_id: '576469848007724059',
        cancellations_role: 'BUYER',
        cancel_status: status,
        cancel_id: '4035229445306962469',
        create_time: 1644412885,
      },
    }) as WebhookEventOf<'CANCELLATION_STATUS_CHANGE'>;
  const a = make('CANCELLATION_REQUEST_CANCEL');
  const b = make('CANCELLATION_REQUEST_CANCELLED');
  assert.equal(a.data.cancel_status, 'CANCELLATION_REQUEST_CANCELLED');
  assert.equal(webhookDedupKey(a), webhookDedupKey(b));
  // Same cancellation, new status, same create_time → a different key.
  assert.notEqual(webhookDedupKey(make('CANCELLATION_REQUEST_PENDING')), webhookDedupKey(a));
});

void test('type 12: RETURN_OR_REFUND__REQUEST_CANCELLED (prose spelling) normalises to the enum', () => {
  const event = parseWebhookEvent({
    type: 12,
    shop_id: '7494049642642441621',
    timestamp: 1644412885,
    data: {
      order_id: '576469848007724059',
      return_role: 'BUYER',
      return_type: 'REFUND',
      return_status: 'RETURN_OR_REFUND__REQUEST_CANCELLED',
      return_id: '4035229445306962470',
      create_time: 1644412800,
      update_time: 1644412885,
    },
  }) as WebhookEventOf<'RETURN_STATUS_CHANGE'>;
  assert.equal(event.data.return_status, 'RETURN_OR_REFUND_REQUEST_CANCEL');
  assert.equal(
    webhookDedupKey(event),
    '12:7494049642642441621:4035229445306962470/RETURN_OR_REFUND_REQUEST_CANCEL:1644412885',
  );
});

void test('type 27 inventory status and type 37 product audit', () => {
  const inv = parseWebhookEvent({
    type: 27,
    tts_notification_id: 'n27',
    shop_id: '1',
    timestamp: 1,
    data: {
      product_id: '1729',
      sku_id: '1730',
      trigger_reason: { alert_type: 'REALTIME', low_stock_threshold: 5 },
      current_inventory_status: 'LOW_STOCK',
      inventory_distribution: { total_quantity: 10, available_quantity: 4 },
      update_time: 2,
    },
  });
  assert.equal(inv.kind, 'INVENTORY_STATUS_CHANGE');
  const audit = parseWebhookEvent({
    type: 37,
    shop_id: '1',
    timestamp: 1,
    data: {
      product_id: 1729382256910270,
      audit: { status: 'PRE_APPROVED', pre_approved_reasons: ['RESTRICTED_CATEGORY_PENDING'] },
      update_time: 3,
    },
  }) as WebhookEventOf<'PRODUCT_AUDIT_STATUS_CHANGE'>;
  assert.equal(audit.data.product_id, '1729382256910270');
  assert.equal(webhookDedupKey(audit), '37:1:1729382256910270/PRE_APPROVED:3');
});

void test('unknown types are kept, with a content-hash dedup key', () => {
  const a = parseWebhookEvent({ type: 14, shop_id: '1', timestamp: 5, data: { b: 1, a: 2 } });
  const b = parseWebhookEvent({ type: 14, shop_id: '1', timestamp: 5, data: { a: 2, b: 1 } });
  const c = parseWebhookEvent({ type: 14, shop_id: '1', timestamp: 5, data: { a: 3, b: 1 } });
  assert.equal(a.kind, 'UNKNOWN');
  assert.equal(webhookDedupKey(a), webhookDedupKey(b));
  assert.notEqual(webhookDedupKey(a), webhookDedupKey(c));
  assert.match(webhookDedupKey(a), /^14:1:sha256:[0-9a-f]{32}:5$/);
});

void test('creator-scoped envelope uses creator_open_id as owner', () => {
  const e = parseWebhookEvent({ type: 20, creator_open_id: 'creator-1', timestamp: 9, data: {} });
  assert.match(webhookDedupKey(e), /^20:creator-1:/);
});

void test('invalid bodies are reported', () => {
  assert.equal(safeParseWebhookEvent('not json').ok, false);
  assert.equal(safeParseWebhookEvent({ shop_id: '1', timestamp: 1, data: {} }).ok, false);
  const missing = safeParseWebhookEvent({ type: 1, shop_id: '1', timestamp: 1, data: { order_status: 'UNPAID' } });
  assert.equal(missing.ok, false);
  assert.throws(() => parseWebhookEvent('{'), TikTokWebhookParseError);
});
