import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { callEndpoint, endpoints } from '../../../integrations/tiktok/endpoints';
import { defineEndpoint, docsPage, pathParamNames } from '../../../integrations/tiktok/endpoint';
import {
  TIKTOK_CODES,
  TIKTOK_FAILURE_CLASSES,
  TikTokApiError,
  TikTokInvalidRequest,
  TikTokStateConflict,
  isTikTokFailure,
} from '../../../integrations/tiktok/errors';
import { apiBucketOf } from '../../../integrations/tiktok/rateBudget';
import { takesShopCipher } from '../../../integrations/tiktok/shopCipher';
import { SHOP, envelope, jsonResponse, makeClient, okClient } from './fakeTikTok';

const table = Object.entries(endpoints);

// The rate-budget keys the wrappers used before the table (method + path template): a key that changes starts a
// second budget for the same API, so this list only grows when an endpoint is added.
const BUDGET_KEYS_BEFORE_THE_TABLE = [
  'GET /authorization/202309/shops',
  'POST /order/202309/orders/search',
  'GET /order/202309/orders',
  'POST /order/202406/orders/external_orders',
  'GET /order/202406/orders/{order_id}/external_orders',
  'POST /fulfillment/202309/orders/{order_id}/packages',
  'POST /fulfillment/202309/packages',
  'POST /fulfillment/202309/packages/{package_id}/ship',
  'GET /fulfillment/202309/packages/{package_id}',
  'GET /fulfillment/202309/packages/{package_id}/shipping_documents',
  'POST /fulfillment/202309/packages/{package_id}/shipping_info/update',
  'POST /fulfillment/202309/orders/{order_id}/shipping_info/update',
  'GET /fulfillment/202309/orders/{order_id}/tracking',
  'GET /logistics/202309/warehouses',
  'GET /logistics/202309/warehouses/{warehouse_id}/delivery_options',
  'GET /logistics/202309/delivery_options/{delivery_option_id}/shipping_providers',
  'POST /product/202309/products/search',
  'GET /product/202309/products/{product_id}',
  'POST /product/202309/products/{product_id}/inventory/update',
  'POST /product/202309/inventory/search',
  'POST /product/202309/products/activate',
  'POST /product/202309/products/deactivate',
  'POST /return_refund/202309/returns/search',
  'POST /return_refund/202309/cancellations/search',
  'POST /return_refund/202309/cancellations/{cancel_id}/approve',
  'POST /return_refund/202309/cancellations/{cancel_id}/reject',
  'POST /return_refund/202309/returns/{return_id}/approve',
  'POST /return_refund/202309/returns/{return_id}/reject',
  'GET /return_refund/202309/reject_reasons',
  'GET /event/202309/webhooks',
  'PUT /event/202309/webhooks',
  'DELETE /event/202309/webhooks',
];

void test('every endpoint has a response schema, object schemas for its parts, and a documentation page', () => {
  assert.ok(table.length >= 32, `${table.length} endpoints`);
  for (const [name, e] of table) {
    assert.ok(e.response instanceof z.ZodType, `${name}: response schema`);
    for (const part of [e.params, e.query, e.body]) assert.ok(part instanceof z.ZodObject, `${name}: part schema`);
    assert.match(e.docs, /^https:\/\/partner\.tiktokshop\.com\/docv2\/page\/[a-z0-9-]+-\d{6}$/, name);
    assert.ok(e.title.length > 0, name);
  }
});

void test('every budget key is the rate budget’s own bucket for the call, and none of the existing keys changed', () => {
  for (const [name, e] of table) {
    assert.equal(e.budgetKey, `${e.method} ${e.path}`, name);
    assert.equal(apiBucketOf(e.budgetKey), e.budgetKey, `${name}: rateBudget would count it elsewhere`);
  }
  const keys = new Set(table.map(([, e]) => e.budgetKey));
  for (const key of BUDGET_KEYS_BEFORE_THE_TABLE) assert.ok(keys.has(key), `budget key ${key} is gone`);
});

void test('no two endpoints share method + path', () => {
  const seen = new Map<string, string>();
  for (const [name, e] of table) {
    const key = `${e.method} ${e.path}`;
    assert.equal(seen.get(key), undefined, `${name} and ${seen.get(key)} are both ${key}`);
    seen.set(key, name);
  }
});

void test('path parameters match the template; no field is in two parts; shop_cipher agrees with shopCipher.ts', () => {
  for (const [name, e] of table) {
    assert.deepEqual(Object.keys(e.params.shape).sort(), pathParamNames(e.path).sort(), name);
    const fields = [e.params, e.query, e.body].flatMap((part) => Object.keys(part.shape));
    assert.equal(new Set(fields).size, fields.length, `${name}: a field in two parts`);
    assert.equal(e.shopCipher, takesShopCipher(e.method, e.path), `${name}: shop_cipher`);
    if (e.method === 'GET') assert.equal(e.sendsBody, false, `${name}: a GET with a body`);
  }
});

void test('an endpoint maps only its own codes, never the common ones the client handles itself', () => {
  const common = new Set<number>(Object.values(TIKTOK_CODES));
  for (const [name, e] of table) {
    for (const [code, cls] of Object.entries(e.errors)) {
      assert.ok(!common.has(Number(code)), `${name} remaps common code ${code}`);
      assert.ok(TIKTOK_FAILURE_CLASSES.includes(cls), `${name}: ${code}`);
    }
  }
});

void test('an endpoint’s own error code becomes its mapped class; the same code elsewhere does not', async () => {
  const answer = () => jsonResponse(200, envelope(25001045, null, 'Order has been shipped'));
  const approve = makeClient([answer]);
  const err: unknown = await callEndpoint(approve.client, endpoints.approveCancellation, SHOP, { cancel_id: '1' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isTikTokFailure(err, TikTokStateConflict.FAILURE_TYPE), String(err));
  assert.equal(err.code, 25001045);

  const reject = makeClient([answer]);
  const other: unknown = await callEndpoint(reject.client, endpoints.rejectCancellation, SHOP, {
    cancel_id: '1',
    reject_reason: 'r',
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(isTikTokFailure(other, TikTokApiError.FAILURE_TYPE), String(other));
});

void test('callEndpoint: one flat input split into path, query and body; unknown fields refused before sending', async () => {
  const tc = okClient(null);
  await callEndpoint(tc.client, endpoints.rejectReturn, SHOP, {
    return_id: '40/36',
    idempotency_key: 'k-1',
    decision: 'REJECT_REFUND',
    reject_reason: 'reason',
  });
  const req = tc.requests[0]!;
  assert.equal(req.url.pathname, '/return_refund/202309/returns/40%2F36/reject');
  assert.equal(req.url.searchParams.get('idempotency_key'), 'k-1');
  assert.equal(req.url.searchParams.get('shop_cipher'), SHOP.shopCipher);
  assert.deepEqual(JSON.parse(req.body!), { decision: 'REJECT_REFUND', reject_reason: 'reason' });

  const refused = okClient(null);
  await assert.rejects(
    callEndpoint(refused.client, endpoints.getTracking, SHOP, { order_id: '1', extra: true } as never),
    (e: unknown) => e instanceof TikTokInvalidRequest && /extra/.test(e.message),
  );
  await assert.rejects(
    callEndpoint(refused.client, endpoints.approveCancellation, SHOP, { cancel_id: '1', comment: 'x' } as never),
    TikTokInvalidRequest,
  );
  assert.equal(refused.requests.length, 0);
});

void test('callEndpoint: an endpoint without a body sends none; one with an empty body sends {}', async () => {
  const none = okClient(null);
  await callEndpoint(none.client, endpoints.approveCancellation, SHOP, { cancel_id: '1' });
  assert.equal(none.requests[0]!.body, undefined);

  const empty = okClient(null);
  await callEndpoint(empty.client, endpoints.shipPackage, SHOP, { package_id: '1' });
  assert.equal(empty.requests[0]!.body, '{}');
});

void test('defineEndpoint derives the budget key and whether a body is sent', () => {
  const e = defineEndpoint({
    title: 'Example',
    docs: docsPage('example-202309'),
    method: 'POST',
    path: '/example/202309/things/{thing_id}',
    shopCipher: true,
    params: z.strictObject({ thing_id: z.string() }),
    response: z.unknown(),
  });
  assert.equal(e.budgetKey, 'POST /example/202309/things/{thing_id}');
  assert.equal(e.sendsBody, false);
  assert.deepEqual(e.errors, {});
});
