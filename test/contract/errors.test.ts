// Contract: every failure class the client maps, produced by the emulator for real (ref §2.4, §3.2, §4.2-§4.4,
// §6.2, §8), plus the reference's negative cases crafted by hand with fetch (ref §2.1-§2.5, §4.3).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { getAuthorizedShops } from '../../integrations/tiktok/authorization';
import {
  TikTokAccessTokenExpired,
  TikTokApiError,
  TikTokAuthRevoked,
  TikTokInvalidRequest,
  TikTokPermissionDenied,
  TikTokResponseInvalid,
  TikTokNotFound,
  TikTokRateLimited,
  TikTokSignatureInvalid,
  TikTokStateConflict,
  TikTokUnavailable,
  classifyTikTokError,
} from '../../integrations/tiktok/errors';
import { getAuthorizedShopsResponseSchema } from '../../integrations/tiktok/authorization';
import { signRequest } from '../../integrations/tiktok/signing';
import {
  APP_SECRET,
  DAY,
  MINUTE,
  advanceClock,
  expectFailure,
  placeShippableOrders,
  rawOpenApi,
  startHarness,
} from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

const USPS = '7117858858072016686';
const WAREHOUSES_API = 'GET /logistics/202309/warehouses';

void describe('error mapping against the emulator', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  void test('rate limit: past the per-API budget → HTTP 429 / 36009002 → TikTokRateLimited (ref §4.2, §4.4)', async () => {
    await h.admin('/rate-limit', { windowMs: 60_000, perApi: { [WAREHOUSES_API]: 2 } });
    try {
      await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
      await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
      const err = await expectFailure(callEndpoint(h.client, endpoints.getWarehouses, h.shop), TikTokRateLimited);
      assert.equal(err.code, 36009002);
      assert.equal(err.httpStatus, 429);
      assert.equal(err.nonRetryable, false);
      // The budget is per API: another endpoint of the same shop is not affected.
      await h.client.request({
        method: 'GET',
        path: '/authorization/202309/shops',
        shopId: h.shop.shopId,
        schema: getAuthorizedShopsResponseSchema,
      });
    } finally {
      await h.admin('/rate-limit', { windowMs: 1000, perApi: { [WAREHOUSES_API]: 50 } });
    }
    await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
  });

  void test('tampered app secret → 106001 → TikTokSignatureInvalid, non-retryable (ref §2.4)', async () => {
    const bad = h.makeClient({ appSecret: `${APP_SECRET}x` });
    const err = await expectFailure(callEndpoint(bad, endpoints.getWarehouses, h.shop), TikTokSignatureInvalid);
    assert.equal(err.code, 106001);
    assert.equal(err.nonRetryable, true);
  });

  void test('timestamp 10 minutes off → 36009004 → TikTokInvalidRequest (window [now−5 min, now+30 s], ref §2.1)', async () => {
    for (const offset of [-10 * MINUTE, +10 * MINUTE]) {
      const skewed = h.makeClient({ now: () => Date.now() + offset });
      const err = await expectFailure(callEndpoint(skewed, endpoints.getWarehouses, h.shop), TikTokInvalidRequest);
      assert.equal(err.code, 36009004);
      assert.match(err.tiktokMessage, /timestamp/i);
      assert.equal(err.nonRetryable, true);
    }
    // 4 minutes behind is still inside the window.
    await callEndpoint(h.makeClient({ now: () => Date.now() - 4 * MINUTE }), endpoints.getWarehouses, h.shop);
  });

  void test('shop_cipher where §2.5 forbids it: the client drops it; if injected on the wire → 36009004', async () => {
    // client.request directly: the cipher is asked for, but never sent to Get Authorized Shops.
    const data = await h.client.request({
      method: 'GET',
      path: '/authorization/202309/shops',
      query: { shop_cipher: h.shop.shopCipher },
      shopId: h.shop.shopId,
      shopCipher: h.shop.shopCipher,
      schema: getAuthorizedShopsResponseSchema,
    });
    assert.equal(data.shops[0]?.cipher, h.shop.shopCipher);

    // A middlebox that adds shop_cipher (and re-signs) makes the emulator answer "Unexpected identifier";
    // the client maps that to a non-retryable TikTokInvalidRequest.
    const injecting = h.makeClient({
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input.toString());
        url.searchParams.set('shop_cipher', h.shop.shopCipher);
        url.searchParams.delete('sign');
        const query = Object.fromEntries(url.searchParams);
        const body = typeof init?.body === 'string' ? init.body : undefined;
        url.searchParams.set('sign', signRequest({ appSecret: APP_SECRET, path: url.pathname, query, body }));
        return fetch(url, init);
      },
    });
    const err = await expectFailure(
      injecting.request({
        method: 'GET',
        path: '/authorization/202309/shops',
        shopId: h.shop.shopId,
        schema: getAuthorizedShopsResponseSchema,
      }),
      TikTokInvalidRequest,
    );
    assert.equal(err.code, 36009004);
    assert.match(err.tiktokMessage, /unexpected/i);
  });

  void test('5xx burst → TikTokUnavailable (retryable) while it lasts, then success (ref §4.2)', async () => {
    await h.admin('/faults', { errorBurst: { count: 2, httpStatus: 503, code: 36009003 }, pathPattern: 'warehouses' });
    try {
      for (let i = 0; i < 2; i++) {
        const err = await expectFailure(callEndpoint(h.client, endpoints.getWarehouses, h.shop), TikTokUnavailable);
        assert.equal(err.httpStatus, 503);
        assert.equal(err.nonRetryable, false);
      }
      assert.equal((await callEndpoint(h.client, endpoints.getWarehouses, h.shop)).length, 2);
    } finally {
      await h.admin('/faults/reset', {});
    }
  });

  void test('a lost response (socket destroyed after the write) → TikTokUnavailable with outcome_unknown', async () => {
    const [orderId] = await placeShippableOrders(h, [{ items: [{ sku_id: h.products[1]!.skus[0]!.id }] }]);
    await h.admin('/faults', { responseLost: { count: 1, mode: 'destroy' }, pathPattern: '/packages$' });
    try {
      const err = await expectFailure(
        callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
          order_id: orderId!,
          tracking_number: 'LOST-00000001',
          shipping_provider_id: USPS,
        }),
        TikTokUnavailable,
      );
      assert.equal(err.info.outcome_unknown, true);
    } finally {
      await h.admin('/faults/reset', {});
    }
    // The write was applied: retrying it is a state conflict the caller can read as "already done".
    const again = await expectFailure(
      callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
        order_id: orderId!,
        tracking_number: 'LOST-00000001',
        shipping_provider_id: USPS,
      }),
      TikTokStateConflict,
    );
    assert.equal(again.code, 21008099);
  });

  void test('unknown order → TikTokNotFound (25007006)', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.getTracking, h.shop, { order_id: '576999999999999999' }),
      TikTokNotFound,
    );
    assert.equal(err.code, 25007006);
  });

  void test('already shipped → TikTokStateConflict (21008099)', async () => {
    const [orderId] = await placeShippableOrders(h, [{ items: [{ sku_id: h.products[1]!.skus[0]!.id }] }]);
    const input = { order_id: orderId!, tracking_number: 'TWICE-0000001', shipping_provider_id: USPS };
    await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, input);
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, input),
      TikTokStateConflict,
    );
    assert.equal(err.code, 21008099);
  });

  // ---- the reference's negative cases, crafted by hand (the client would never send them)

  void test('uppercase-hex sign is refused with 106001 (ref §2.1, SKIT #37)', async () => {
    const path = '/logistics/202309/warehouses';
    const query = { shop_cipher: h.shop.shopCipher };
    const ok = await rawOpenApi(h, { method: 'GET', path, query, timestampSec: Math.floor(Date.now() / 1000) });
    assert.equal(ok.body.code, 0, JSON.stringify(ok.body));
    const ts = Math.floor(Date.now() / 1000);
    const lower = signRequest({
      appSecret: APP_SECRET,
      path,
      query: { app_key: 'contract_app_key', timestamp: String(ts), ...query },
    });
    assert.match(lower, /^[0-9a-f]{64}$/);
    const upper = await rawOpenApi(h, { method: 'GET', path, query, timestampSec: ts, sign: lower.toUpperCase() });
    assert.equal(upper.body.code, 106001);
    assert.equal(
      classifyTikTokError({ code: upper.body.code, message: upper.body.message, httpStatus: upper.status }),
      TikTokSignatureInvalid,
    );
    const same = await rawOpenApi(h, { method: 'GET', path, query, timestampSec: ts, sign: lower });
    assert.equal(same.body.code, 0);
  });

  void test('gateway negatives: missing sign, missing/unknown shop_cipher, token in the query, path/method/version', async () => {
    const cipher = { shop_cipher: h.shop.shopCipher };
    const cases: { name: string; call: Parameters<typeof rawOpenApi>[1]; code: number; cls: unknown }[] = [
      {
        name: 'no shop_cipher',
        call: { method: 'GET', path: '/logistics/202309/warehouses' },
        code: 106013,
        cls: TikTokInvalidRequest,
      },
      {
        name: 'unknown shop_cipher',
        call: { method: 'GET', path: '/logistics/202309/warehouses', query: { shop_cipher: 'ROW_nope' } },
        code: 36009004,
        cls: TikTokInvalidRequest,
      },
      {
        name: 'access_token in the query only (deprecated, ref §1)',
        call: {
          method: 'GET',
          path: '/logistics/202309/warehouses',
          query: { ...cipher, access_token: h.grant.accessToken },
          token: '',
        },
        code: 36009004,
        cls: TikTokAuthRevoked,
      },
      {
        name: 'invalid path',
        call: { method: 'GET', path: '/logistics/202309/nowhere', query: cipher },
        code: 36009009,
        cls: TikTokInvalidRequest,
      },
      {
        name: 'invalid method',
        call: { method: 'DELETE', path: '/logistics/202309/warehouses', query: cipher },
        code: 36009010,
        cls: TikTokInvalidRequest,
      },
      {
        name: 'invalid version',
        call: { method: 'GET', path: '/logistics/202212/warehouses', query: cipher },
        code: 36009014,
        cls: TikTokInvalidRequest,
      },
      {
        name: 'body not JSON (ref §4.3 36009022)',
        call: {
          method: 'POST',
          path: '/product/202309/inventory/search',
          query: cipher,
          body: 'product_ids=1',
          contentType: 'text/plain',
        },
        code: 36009022,
        cls: TikTokInvalidRequest,
      },
    ];
    for (const c of cases) {
      const res = await rawOpenApi(h, c.call);
      assert.equal(res.body.code, c.code, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(
        classifyTikTokError({ code: res.body.code, message: res.body.message, httpStatus: res.status }),
        c.cls,
        c.name,
      );
    }
    // Missing sign altogether.
    const url = new URL(`${h.url}/logistics/202309/warehouses`);
    url.searchParams.set('app_key', 'contract_app_key');
    url.searchParams.set('timestamp', String(Math.floor(Date.now() / 1000)));
    url.searchParams.set('shop_cipher', h.shop.shopCipher);
    const res = await fetch(url, { headers: { 'x-tts-access-token': h.grant.accessToken } });
    const body = (await res.json()) as { code: number; message: string };
    assert.equal(body.code, 36009004);
    assert.equal(
      classifyTikTokError({ code: body.code, message: body.message, httpStatus: res.status }),
      TikTokSignatureInvalid,
    );
  });

  void test('an empty {} body is accepted whether or not it is in the sign (ref §2.2, §15)', async () => {
    const path = '/product/202309/products/search';
    const query = { shop_cipher: h.shop.shopCipher, page_size: '5' };
    const ts = Math.floor(Date.now() / 1000);
    const full = { app_key: 'contract_app_key', timestamp: String(ts), ...query };
    // The client's rule: `{}` left out (official Node SDK); the Go sample would include it.
    const withoutBody = signRequest({ appSecret: APP_SECRET, path, query: full, body: '{}' });
    assert.equal(withoutBody, signRequest({ appSecret: APP_SECRET, path, query: full }));
    const a = await rawOpenApi(h, { method: 'POST', path, query, body: '{}', timestampSec: ts, sign: withoutBody });
    assert.equal(a.body.code, 0, JSON.stringify(a.body));
    assert.equal(a.body.data.total_count, 2);
  });

  void test("a token used with another seller's shop_cipher → 101000 → TikTokPermissionDenied (ref §4.3)", async () => {
    const other = await h.admin<{ shop: { id: string; cipher: string } }>('/shops', { name: 'Other Seller Shop' });
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.getWarehouses, { shopId: h.shop.shopId, shopCipher: other.shop.cipher }),
      TikTokPermissionDenied,
    );
    assert.equal(err.code, 101000);
    assert.equal(err.nonRetryable, true);
  });

  void test('code 0 with data that breaks the schema → TikTokResponseInvalid (contract drift)', async () => {
    const err = await expectFailure(
      h.client.request({
        method: 'GET',
        path: '/logistics/202309/warehouses',
        shopId: h.shop.shopId,
        shopCipher: h.shop.shopCipher,
        schema: z.object({ warehouses: z.array(z.string()) }),
      }),
      TikTokResponseInvalid,
    );
    assert.equal(err.code, 0);
  });

  void test('an unmapped business code → TikTokApiError carrying the code (unknown product 12052032)', async () => {
    const err = await expectFailure(
      h.client.request({
        method: 'GET',
        path: '/product/202309/products/{product_id}',
        pathParams: { product_id: '179999999999999999' },
        shopId: h.shop.shopId,
        shopCipher: h.shop.shopCipher,
        schema: z.unknown(),
      }),
      TikTokApiError,
    );
    assert.equal(err.code, 12052032);
  });

  void test('a caller-supplied expired token is not refreshed → TikTokAccessTokenExpired, retryable (ref §3.2)', async () => {
    await advanceClock(h, 7 * DAY + MINUTE);
    const err = await expectFailure(
      getAuthorizedShops(h.client, { accessToken: h.grant.accessToken }),
      TikTokAccessTokenExpired,
    );
    assert.equal(err.code, 105002);
    assert.equal(err.nonRetryable, false);
    // Through the TokenProvider the same expiry is handled by one refresh.
    const refreshes = h.tokens.refreshes.length;
    await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
    assert.equal(h.tokens.refreshes.length, refreshes + 1);
  });

  void test('revoked token (the one in the TokenProvider) → TikTokAuthRevoked, no refresh attempted', async () => {
    const refreshes = h.tokens.refreshes.length;
    await h.admin('/tokens/revoke', { access_token: h.tokens.grants.get(h.shop.shopId)!.accessToken });
    const err = await expectFailure(callEndpoint(h.client, endpoints.getWarehouses, h.shop), TikTokAuthRevoked);
    assert.equal(err.code, 105001);
    assert.equal(h.tokens.refreshes.length, refreshes);
  });
});

void describe('error mapping when the emulator answers every error with HTTP 200 (body code is the authority, ref §4.2)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { errorStatusMode: 'always200' } });
  });
  after(async () => {
    await h.close();
  });

  void test('106001, 36009004 (timestamp), 25007006 and 105001 keep their classes inside HTTP 200', async () => {
    const sig = await expectFailure(
      callEndpoint(h.makeClient({ appSecret: 'nope' }), endpoints.getWarehouses, h.shop),
      TikTokSignatureInvalid,
    );
    assert.equal(sig.httpStatus, 200);
    await expectFailure(
      callEndpoint(h.makeClient({ now: () => Date.now() - 10 * MINUTE }), endpoints.getWarehouses, h.shop),
      TikTokInvalidRequest,
    );
    await expectFailure(
      callEndpoint(h.client, endpoints.getTracking, h.shop, { order_id: '576999999999999999' }),
      TikTokNotFound,
    );
    await h.admin('/rate-limit', { windowMs: 60_000, perApi: { [WAREHOUSES_API]: 0 } });
    const limited = await expectFailure(callEndpoint(h.client, endpoints.getWarehouses, h.shop), TikTokRateLimited);
    assert.equal(limited.httpStatus, 429);
    await h.admin('/tokens/revoke', { access_token: h.grant.accessToken });
    await expectFailure(getAuthorizedShops(h.client, { accessToken: h.grant.accessToken }), TikTokAuthRevoked);
  });
});
