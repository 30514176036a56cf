import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import pino from 'pino';
import { signRequest } from '../../../integrations/tiktok/signing';
import type { TikTokLogger } from '../../../integrations/tiktok/client';
import { serializeQueryValue } from '../../../integrations/tiktok/client';
import type { TikTokFailure } from '../../../integrations/tiktok/errors';
import {
  NON_RETRYABLE_TIKTOK_FAILURES,
  TikTokAccessTokenExpired,
  TikTokAuthRevoked,
  TikTokInvalidRequest,
  TikTokNotFound,
  TikTokRateLimited,
  TikTokResponseInvalid,
  TikTokSignatureInvalid,
  TikTokStateConflict,
  TikTokUnavailable,
  isTikTokFailure,
} from '../../../integrations/tiktok/errors';
import { ApplicationFailure } from '@temporalio/common';
import { APP_KEY, APP_SECRET, FIXED_NOW_MS, SHOP, envelope, jsonResponse, makeClient } from './fakeTikTok';

const anyData = z.unknown();
const shopsPath = '/order/202309/orders/search';

function call(tc: ReturnType<typeof makeClient>, extra: { deadline?: Date; tokenReserved?: boolean } = {}) {
  return tc.client.request({
    method: 'POST',
    path: shopsPath,
    query: { page_size: 20 },
    body: { order_status: 'AWAITING_SHIPMENT' },
    shopId: SHOP.shopId,
    shopCipher: SHOP.shopCipher,
    schema: z.looseObject({ orders: z.array(z.unknown()) }),
    ...extra,
  });
}

async function expectFailure<T extends abstract new (...args: never[]) => TikTokFailure>(
  promise: Promise<unknown>,
  cls: T,
): Promise<InstanceType<T>> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    return err as InstanceType<T>;
  }
  assert.fail(`expected ${cls.name}, but the call succeeded`);
}

void test('a successful call sends common params, sign, token header, JSON body and returns parsed data', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, { orders: [] }))]);
  const deadline = new Date(FIXED_NOW_MS + 60_000);
  const data = await call(tc, { deadline });
  assert.deepEqual(data, { orders: [] });
  assert.equal(tc.requests.length, 1);
  const req = tc.requests[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url.origin + req.url.pathname, `https://open-api.example.test${shopsPath}`);
  const q = Object.fromEntries(req.url.searchParams);
  assert.equal(q.app_key, APP_KEY);
  assert.equal(q.timestamp, String(Math.floor(FIXED_NOW_MS / 1000)));
  assert.equal(q.timestamp.length, 10);
  assert.equal(q.shop_cipher, SHOP.shopCipher);
  assert.equal(q.page_size, '20');
  assert.equal(q.access_token, undefined, 'the token never goes in the query');
  assert.equal(req.headers['x-tts-access-token'], 'TTP_token_1');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.body, '{"order_status":"AWAITING_SHIPMENT"}');
  // The sign is recomputable from what went on the wire.
  const { sign, ...rest } = q;
  assert.equal(
    sign,
    signRequest({
      appSecret: APP_SECRET,
      path: shopsPath,
      query: rest,
      body: req.body,
      contentType: 'application/json',
    }),
  );
  // Budget and logs.
  assert.deepEqual(tc.budget.calls, [{ shopId: SHOP.shopId, api: `POST ${shopsPath}`, deadline }]);
  // Successful calls log at debug (one line per call is too much at info under load).
  const ok = tc.logger.lines.find((l) => l.msg === 'tiktok request ok');
  assert.equal(ok?.level, 'debug');
  assert.equal(ok?.obj.request_id, 'req-0');
});

void test('array query values are comma-joined (§2.1) and path params are filled', async () => {
  assert.equal(serializeQueryValue(['1', '2', 3]), '1,2,3');
  assert.equal(serializeQueryValue(true), 'true');
  assert.equal(serializeQueryValue(undefined), undefined);
  const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
  await tc.client.request({
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}',
    pathParams: { package_id: '1152' },
    query: { ids: ['a', 'b'], skip: undefined },
    shopId: SHOP.shopId,
    shopCipher: SHOP.shopCipher,
    schema: anyData,
  });
  const req = tc.requests[0]!;
  assert.equal(req.url.pathname, '/fulfillment/202309/packages/1152');
  assert.equal(req.url.searchParams.get('ids'), 'a,b');
  assert.equal(req.url.searchParams.has('skip'), false);
  assert.equal(req.body, undefined);
  assert.equal(tc.budget.calls[0]!.api, 'GET /fulfillment/202309/packages/{package_id}');
});

void test('HTTP 429 → TikTokRateLimited (retryable), no internal retry', async () => {
  const tc = makeClient([() => jsonResponse(429, envelope(36009002, null, 'Too many requests'))]);
  const err = await expectFailure(call(tc), TikTokRateLimited);
  assert.equal(err.type, 'TikTokRateLimited');
  assert.equal(err.nonRetryable, false);
  assert.equal(tc.requests.length, 1);
});

void test('HTTP 429 without an envelope → TikTokRateLimited', async () => {
  const tc = makeClient([() => new Response('Too Many Requests', { status: 429 })]);
  await expectFailure(call(tc), TikTokRateLimited);
});

void test('36009002 inside an HTTP 200 → TikTokRateLimited', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(36009002, null, 'Too many requests'))]);
  const err = await expectFailure(call(tc), TikTokRateLimited);
  assert.equal(err.httpStatus, 200);
  assert.equal(err.code, 36009002);
  assert.equal(tc.requests.length, 1);
});

void test('HTTP 5xx → TikTokUnavailable (retryable), with or without an envelope', async () => {
  for (const res of [
    () => new Response('<html>bad gateway</html>', { status: 502 }),
    () => jsonResponse(503, envelope(0, null)),
  ]) {
    const tc = makeClient([res]);
    const err = await expectFailure(call(tc), TikTokUnavailable);
    assert.equal(err.nonRetryable, false);
    assert.equal(tc.requests.length, 1);
  }
});

void test('36009003 → TikTokUnavailable', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(36009003, null, 'internal error'))]);
  const err = await expectFailure(call(tc), TikTokUnavailable);
  assert.equal(err.code, 36009003);
});

void test('network error → TikTokUnavailable with outcome_unknown', async () => {
  const tc = makeClient([
    () => {
      throw new TypeError('fetch failed');
    },
  ]);
  const err = await expectFailure(call(tc), TikTokUnavailable);
  assert.equal(err.info.outcome_unknown, true);
  assert.equal(err.info.timeout, false);
  assert.equal(err.code, null);
});

void test('timeout → TikTokUnavailable with timeout flag', async () => {
  const tc = makeClient(
    [
      (req) =>
        new Promise<Response>((_resolve, reject) => {
          void req;
          setTimeout(() => reject(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 5);
        }),
    ],
    { timeoutMs: 1 },
  );
  const err = await expectFailure(call(tc), TikTokUnavailable);
  assert.equal(err.info.timeout, true);
  assert.match(err.message, /timed out/);
});

void test('the real AbortSignal timeout aborts a hanging fetch', async () => {
  const tc = makeClient([], {
    timeoutMs: 20,
    fetch: ((_url: URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      })) as typeof fetch,
  });
  // AbortSignal.timeout's timer does not keep the event loop alive; a worker process has other handles, a test not.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const err = await expectFailure(call(tc), TikTokUnavailable);
    assert.equal(err.info.timeout, true);
  } finally {
    clearInterval(keepAlive);
  }
});

void test('105002 → tokens.refresh then one retry with the new token, re-signed', async () => {
  const tc = makeClient([
    () => jsonResponse(200, envelope(105002, null, 'Expired credentials')),
    () => jsonResponse(200, envelope(0, { orders: [{ id: '1' }] })),
  ]);
  const data = await call(tc);
  assert.deepEqual(data, { orders: [{ id: '1' }] });
  assert.deepEqual(tc.tokens.calls, [`get:${SHOP.shopId}`, `refresh:${SHOP.shopId}`]);
  assert.equal(tc.requests.length, 2);
  assert.equal(tc.requests[0]!.headers['x-tts-access-token'], 'TTP_token_1');
  assert.equal(tc.requests[1]!.headers['x-tts-access-token'], 'TTP_token_2');
  assert.equal(tc.budget.calls.length, 2, 'the retry goes through the budget too');
});

void test('reserve takes the token; the call sent with tokenReserved does not, its retry does', async () => {
  const tc = makeClient([
    () => jsonResponse(200, envelope(105002, null, 'Expired credentials')),
    () => jsonResponse(200, envelope(0, { orders: [] })),
  ]);
  const deadline = new Date(Date.now() + 1000);
  await tc.client.reserve({ method: 'POST', path: shopsPath, shopId: SHOP.shopId, deadline });
  assert.deepEqual(tc.budget.calls, [{ shopId: SHOP.shopId, api: `POST ${shopsPath}`, deadline }]);
  await call(tc, { tokenReserved: true });
  assert.equal(tc.requests.length, 2);
  assert.equal(tc.budget.calls.length, 2, 'only the retry after the refresh took another token');
});

void test('105002 twice → TikTokAccessTokenExpired after a single refresh', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(105002, null, 'Expired credentials'))]);
  const err = await expectFailure(call(tc), TikTokAccessTokenExpired);
  assert.equal(err.nonRetryable, false);
  assert.equal(tc.requests.length, 2);
  assert.deepEqual(tc.tokens.calls, [`get:${SHOP.shopId}`, `refresh:${SHOP.shopId}`]);
});

void test('105002 with a caller-supplied token is not refreshed', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(105002, null, 'Expired credentials'))]);
  await expectFailure(
    tc.client.request({ method: 'GET', path: '/authorization/202309/shops', accessToken: 'TTP_raw', schema: anyData }),
    TikTokAccessTokenExpired,
  );
  assert.equal(tc.requests.length, 1);
  assert.deepEqual(tc.tokens.calls, []);
  assert.equal(tc.budget.calls[0]!.shopId, '_unscoped');
});

void test('106001 → TikTokSignatureInvalid, non-retryable, details carry code/request_id/path', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(106001, null, 'Invalid credentials'))]);
  const err = await expectFailure(call(tc), TikTokSignatureInvalid);
  assert.ok(err instanceof ApplicationFailure);
  assert.equal(err.type, 'TikTokSignatureInvalid');
  assert.equal(err.nonRetryable, true);
  assert.ok(NON_RETRYABLE_TIKTOK_FAILURES.includes(err.type));
  assert.deepEqual(err.details?.[0], {
    code: 106001,
    message: 'Invalid credentials',
    request_id: 'req-106001',
    path: shopsPath,
    method: 'POST',
    http_status: 200,
  });
  assert.match(err.message, /106001/);
  assert.match(err.message, /req-106001/);
  assert.match(err.message, /\/order\/202309\/orders\/search/);
  assert.equal(tc.requests.length, 1);
  assert.ok(isTikTokFailure(err, 'TikTokSignatureInvalid'));
  assert.ok(!isTikTokFailure(err, 'TikTokRateLimited'));
  assert.ok(!isTikTokFailure(new Error('x')));
  const logged = tc.logger.lines.find((l) => l.level === 'error');
  assert.equal(logged?.obj.request_id, 'req-106001');
});

void test('other codes map to their class', async () => {
  const cases: [number, string, abstract new (...args: never[]) => TikTokFailure][] = [
    [105001, 'access token is invalid; detail:your token has been deauthorized', TikTokAuthRevoked],
    [36009004, 'Invalid credentials. The access_token is invalid.', TikTokAuthRevoked],
    [36009004, 'Timestamp is older than 5 minutes', TikTokInvalidRequest],
    [25007006, 'order not found', TikTokNotFound],
    [21008099, 'Package has been shipped', TikTokStateConflict],
  ];
  for (const [code, message, cls] of cases) {
    const tc = makeClient([() => jsonResponse(200, envelope(code, null, message))]);
    await expectFailure(call(tc), cls);
  }
});

void test('code 0 with data not matching the schema → TikTokResponseInvalid (non-retryable)', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, { orders: 'nope' }))]);
  const err = await expectFailure(call(tc), TikTokResponseInvalid);
  assert.equal(err.nonRetryable, true);
  assert.equal(err.requestId, 'req-0');
  assert.match(err.message, /orders/);
});

void test('a 200 with a non-JSON body → TikTokResponseInvalid', async () => {
  const tc = makeClient([() => new Response('OK', { status: 200 })]);
  await expectFailure(call(tc), TikTokResponseInvalid);
});

void test('shop_cipher is required where the contract wants it: missing → local TikTokInvalidRequest, nothing sent', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
  const err = await expectFailure(
    tc.client.request({ method: 'GET', path: '/logistics/202309/warehouses', shopId: SHOP.shopId, schema: anyData }),
    TikTokInvalidRequest,
  );
  assert.equal(err.code, null);
  assert.equal(tc.requests.length, 0);
});

void test('shop_cipher is omitted where the contract rejects it, even when given (§2.5)', async () => {
  const cases: ['GET' | 'POST' | 'PUT' | 'DELETE', string][] = [
    ['GET', '/authorization/202309/shops'],
    ['GET', '/seller/202309/shops'],
    ['POST', '/product/202309/images/upload'],
    ['POST', '/product/202309/brands'],
    ['POST', '/product/202409/compliance/manufacturers'],
    ['GET', '/logistics/202309/global_warehouses'],
  ];
  for (const [method, path] of cases) {
    const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
    await tc.client.request({ method, path, shopId: SHOP.shopId, shopCipher: SHOP.shopCipher, schema: anyData });
    assert.equal(tc.requests[0]!.url.searchParams.has('shop_cipher'), false, `${method} ${path}`);
  }
  // And a caller-supplied shop_cipher query entry does not sneak through either.
  const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
  await tc.client.request({
    method: 'GET',
    path: '/authorization/202309/shops',
    query: { shop_cipher: 'x' },
    shopId: SHOP.shopId,
    schema: anyData,
  });
  assert.equal(tc.requests[0]!.url.searchParams.has('shop_cipher'), false);
});

void test('GET brands takes shop_cipher while POST brands does not', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
  await tc.client.request({
    method: 'GET',
    path: '/product/202309/brands',
    shopId: SHOP.shopId,
    shopCipher: SHOP.shopCipher,
    schema: anyData,
  });
  assert.equal(tc.requests[0]!.url.searchParams.get('shop_cipher'), SHOP.shopCipher);
});

void test('a request without shopId or accessToken is rejected locally', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
  await expectFailure(
    tc.client.request({ method: 'GET', path: '/authorization/202309/shops', schema: anyData }),
    TikTokInvalidRequest,
  );
  assert.equal(tc.requests.length, 0);
});

void test('missing path parameter is rejected locally', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, {}))]);
  await expectFailure(
    tc.client.request({
      method: 'GET',
      path: '/fulfillment/202309/packages/{package_id}',
      shopId: SHOP.shopId,
      shopCipher: SHOP.shopCipher,
      schema: anyData,
    }),
    TikTokInvalidRequest,
  );
  assert.equal(tc.requests.length, 0);
});

void test('a pino logger satisfies TikTokLogger', () => {
  const logger: TikTokLogger = pino({ enabled: false });
  logger.info({ a: 1 }, 'x');
});
