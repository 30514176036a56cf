// Contract: authorization link, auth host token calls, Get Authorized Shops, token refresh and revocation
// (ref §3.1-§3.3, §2.5, §4.3).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuthorizationUrl } from '../../integrations/tiktok/auth';
import { getAuthorizedShops } from '../../integrations/tiktok/authorization';
import { getAuthorizedShopsResponseSchema } from '../../integrations/tiktok/authorization';
import { TikTokAuthRevoked, TikTokInvalidRequest } from '../../integrations/tiktok/errors';
import {
  APP_KEY,
  DAY,
  REDIRECT_URL,
  SERVICE_ID,
  advanceClock,
  expectFailure,
  followAuthorization,
  startHarness,
} from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

void describe('auth: OAuth flow, authorized shops, refresh, revocation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  void test('the harness OAuth flow produced a seller grant with absolute expiries (ref §3.2)', () => {
    const g = h.grant;
    assert.match(g.accessToken, /^TTP_/);
    assert.match(g.refreshToken, /^TTP_/);
    assert.equal(g.openId, h.sellerOpenId);
    assert.equal(g.userType, 0);
    assert.equal(g.sellerBaseRegion, 'US');
    assert.ok(g.grantedScopes.length > 0);
    // `access_token_expire_in` is an absolute epoch, 7 days ahead on the emulator's business clock.
    const ttl = g.accessTokenExpiresAt.getTime() - Date.now();
    assert.ok(Math.abs(ttl - 7 * DAY) < 60_000, `access token ttl ${ttl} ms`);
    assert.ok(g.refreshTokenExpiresAt.getTime() > g.accessTokenExpiresAt.getTime());
  });

  void test('Get Authorized Shops: the cipher identifies the shop; the id is a digit string (ref §3.3)', async () => {
    const shops = await getAuthorizedShops(h.client, { shopId: h.shop.shopId });
    assert.equal(shops.length, 1);
    const s = shops[0]!;
    assert.equal(s.shopId, h.shop.shopId);
    assert.match(s.shopId, /^\d+$/);
    assert.equal(s.shopCipher, h.shop.shopCipher);
    assert.equal(s.region, 'US');
    assert.equal(s.sellerType, 'LOCAL');
    assert.equal(s.name, 'Contract Beauty');
    assert.ok(s.code);
    // The learned cipher works on a shop-scoped endpoint.
    const warehouses = await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
    assert.equal(warehouses.length, 2);
  });

  void test('an auth code is single-use (ref §3.1); a denied consent redirects with error=auth_denied', async () => {
    const url = buildAuthorizationUrl({
      serviceId: SERVICE_ID,
      state: 's1',
      authorizeBaseUrl: `${h.url}/open/authorize`,
    });
    const redirect = await followAuthorization(url);
    const code = redirect.searchParams.get('code')!;
    const grant = await h.auth.exchangeAuthCode(code);
    assert.notEqual(grant.accessToken, h.grant.accessToken);
    const reused = await expectFailure(h.auth.exchangeAuthCode(code), TikTokAuthRevoked);
    assert.equal(reused.code, 36009004);

    const denied = await followAuthorization(`${url}&deny=1`);
    assert.equal(denied.origin + denied.pathname, REDIRECT_URL);
    assert.equal(denied.searchParams.get('code'), 'null');
    assert.equal(denied.searchParams.get('error'), 'auth_denied');
    assert.equal(denied.searchParams.get('state'), 's1');
  });

  void test('the production consent link works once its host is swapped for the emulator (ref §3.1 path)', async () => {
    const prod = new URL(buildAuthorizationUrl({ serviceId: SERVICE_ID, state: 'prod' }));
    assert.equal(prod.origin + prod.pathname, 'https://services.tiktokshop.com/open/authorize');
    const local = new URL(prod.pathname + prod.search, h.url);
    const redirect = await followAuthorization(local.toString());
    assert.equal(redirect.searchParams.get('state'), 'prod');
    assert.ok(redirect.searchParams.get('code'));
  });

  void test('the legacy app_key link on the auth host also reaches the consent page (ref §3.1 legacy)', async () => {
    const url = buildAuthorizationUrl({ appKey: APP_KEY, state: 'legacy', authBaseUrl: h.url });
    assert.equal(new URL(url).pathname, '/oauth/authorize');
    const redirect = await followAuthorization(url);
    assert.equal(redirect.searchParams.get('state'), 'legacy');
    const grant = await h.auth.exchangeAuthCode(redirect.searchParams.get('code')!);
    assert.equal(grant.openId, h.sellerOpenId);
  });

  void test('client.request never sends shop_cipher where §2.5 forbids it (Get Authorized Shops)', async () => {
    const urls: URL[] = [];
    const client = h.makeClient({
      fetch: (input, init) => {
        urls.push(new URL(input instanceof Request ? input.url : input.toString()));
        return fetch(input, init);
      },
    });
    const data = await client.request({
      method: 'GET',
      path: '/authorization/202309/shops',
      query: { shop_cipher: h.shop.shopCipher },
      shopId: h.shop.shopId,
      shopCipher: h.shop.shopCipher,
      schema: getAuthorizedShopsResponseSchema,
    });
    assert.equal(data.shops.length, 1);
    assert.equal(urls.length, 1);
    assert.equal(urls[0]!.searchParams.has('shop_cipher'), false);
    // And a shop-scoped endpoint without a cipher is refused locally, before any request (106013 would follow).
    await expectFailure(
      client.request({
        method: 'GET',
        path: '/logistics/202309/warehouses',
        shopId: h.shop.shopId,
        schema: getAuthorizedShopsResponseSchema,
      }),
      TikTokInvalidRequest,
    );
    assert.equal(urls.length, 1);
  });

  void test('expired access token: 105002 → refresh through the TokenProvider → one retry succeeds (ref §3.2)', async () => {
    const before = h.tokens.grants.get(h.shop.shopId)!;
    // Past the 7-day access-token expiry on the emulator's business clock (the refresh token lives on).
    await advanceClock(h, 7 * DAY + 60_000);
    const refreshesBefore = h.tokens.refreshes.length;
    const warehouses = await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
    assert.equal(warehouses.length, 2);
    assert.equal(h.tokens.refreshes.length, refreshesBefore + 1);
    const after = h.tokens.grants.get(h.shop.shopId)!;
    assert.notEqual(after.accessToken, before.accessToken);
    assert.ok(after.accessTokenExpiresAt.getTime() > before.accessTokenExpiresAt.getTime());
    // The next call uses the refreshed token without refreshing again.
    await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
    assert.equal(h.tokens.refreshes.length, refreshesBefore + 1);
    // The old refresh token is retired by the refresh: using it again means authorizing again.
    await expectFailure(h.auth.refreshAccessToken(before.refreshToken), TikTokAuthRevoked);
  });

  void test('revoked token: 105001 → TikTokAuthRevoked, non-retryable, no refresh attempted (ref §3.2)', async () => {
    const url = buildAuthorizationUrl({ serviceId: SERVICE_ID, authorizeBaseUrl: `${h.url}/open/authorize` });
    const grant = await h.auth.exchangeAuthCode((await followAuthorization(url)).searchParams.get('code')!);
    await h.admin('/tokens/revoke', { access_token: grant.accessToken });
    const err = await expectFailure(
      getAuthorizedShops(h.client, { accessToken: grant.accessToken }),
      TikTokAuthRevoked,
    );
    assert.equal(err.code, 105001);
    assert.equal(err.nonRetryable, true);
  });

  void test('refresh token past its expiry: the seller must authorize again → TikTokAuthRevoked (ref §3.2)', async () => {
    const grant = h.tokens.grants.get(h.shop.shopId)!;
    await h.admin('/clock/set', { epoch_ms: grant.refreshTokenExpiresAt.getTime() + DAY });
    const err = await expectFailure(h.auth.refreshAccessToken(grant.refreshToken), TikTokAuthRevoked);
    assert.equal(err.nonRetryable, true);
    // Through the client: 105002 on the call, then the refresh is refused → the call fails as AuthRevoked.
    await expectFailure(callEndpoint(h.client, endpoints.getWarehouses, h.shop), TikTokAuthRevoked);
  });
});
