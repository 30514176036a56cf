import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuthorizationUrl, createTikTokAuth } from '../../../integrations/tiktok/auth';
import {
  TikTokAuthRevoked,
  TikTokInvalidRequest,
  TikTokRateLimited,
  TikTokUnavailable,
} from '../../../integrations/tiktok/errors';
import { getAuthorizedShops } from '../../../integrations/tiktok/authorization';
import { APP_KEY, APP_SECRET, envelope, fakeFetch, jsonResponse, makeClient, RecordingLogger } from './fakeTikTok';

const TOKEN_DATA = {
  access_token: 'TTP_pwSm2AAAAAB0',
  access_token_expire_in: 1660556783,
  refresh_token: 'TTP_NTUxZTNhYTQ1',
  refresh_token_expire_in: 1691487031,
  open_id: '7010736057180325637',
  seller_name: 'Jjj test shop',
  seller_base_region: 'ID',
  user_type: 0,
  granted_scopes: ['seller.authorization.info', 'seller.affiliate_collaboration.read'],
};

void test('exchangeAuthCode: unsigned GET to /api/v2/token/get, absolute expiries as Date', async () => {
  const { fetch, requests } = fakeFetch(() => jsonResponse(200, envelope(0, TOKEN_DATA)));
  const logger = new RecordingLogger();
  const auth = createTikTokAuth({
    authBaseUrl: 'https://auth.example.test/',
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    fetch,
    logger,
  });
  const grant = await auth.exchangeAuthCode('CODE123');
  const req = requests[0]!;
  assert.equal(req.method, 'GET');
  assert.equal(req.url.origin + req.url.pathname, 'https://auth.example.test/api/v2/token/get');
  assert.deepEqual(Object.fromEntries(req.url.searchParams), {
    app_key: APP_KEY,
    app_secret: APP_SECRET,
    auth_code: 'CODE123',
    grant_type: 'authorized_code',
  });
  assert.equal(req.headers['x-tts-access-token'], undefined);
  assert.equal(grant.accessToken, TOKEN_DATA.access_token);
  assert.deepEqual(grant.accessTokenExpiresAt, new Date(1660556783 * 1000));
  assert.deepEqual(grant.refreshTokenExpiresAt, new Date(1691487031 * 1000));
  assert.equal(grant.openId, TOKEN_DATA.open_id);
  assert.equal(grant.sellerBaseRegion, 'ID');
  assert.equal(grant.userType, 0);
  assert.deepEqual(grant.grantedScopes, TOKEN_DATA.granted_scopes);
  assert.equal(grant.requestId, 'req-0');
  // Secrets never reach the logs.
  const logged = JSON.stringify(logger.lines);
  assert.ok(!logged.includes(APP_SECRET) && !logged.includes(TOKEN_DATA.access_token));
});

void test('refreshAccessToken: /api/v2/token/refresh with grant_type=refresh_token', async () => {
  const { fetch, requests } = fakeFetch(() => jsonResponse(200, envelope(0, TOKEN_DATA)));
  const auth = createTikTokAuth({
    authBaseUrl: 'https://auth.example.test',
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    fetch,
  });
  await auth.refreshAccessToken('TTP_refresh');
  assert.equal(requests[0]!.url.pathname, '/api/v2/token/refresh');
  assert.equal(requests[0]!.url.searchParams.get('refresh_token'), 'TTP_refresh');
  assert.equal(requests[0]!.url.searchParams.get('grant_type'), 'refresh_token');
});

void test('auth failures: unknown refusal → TikTokAuthRevoked; 429/5xx/network stay retryable', async () => {
  const cases: [() => Response, unknown][] = [
    [() => jsonResponse(200, envelope(36004004, null, 'invalid auth code')), TikTokAuthRevoked],
    // §3.1/§3.2: an expired auth code or refresh token (105002 on the auth host) and a refused auth_code /
    // refresh_token (36009004) cannot be fixed by retrying or refreshing: the seller must authorize again.
    [() => jsonResponse(401, envelope(105002, null, 'Expired credentials')), TikTokAuthRevoked],
    [
      () => jsonResponse(401, envelope(36009004, null, 'Invalid credentials. The refresh_token is invalid.')),
      TikTokAuthRevoked,
    ],
    [() => jsonResponse(401, envelope(36009004, null, 'The auth_code has already been used.')), TikTokAuthRevoked],
    // A misconfigured app (wrong app_secret) is a bug on our side, not a lost authorization.
    [
      () => jsonResponse(401, envelope(36009004, null, 'Invalid credentials. The app_secret is invalid.')),
      TikTokInvalidRequest,
    ],
    [() => jsonResponse(429, 'slow down'), TikTokRateLimited],
    [() => jsonResponse(502, 'bad gateway'), TikTokUnavailable],
    [
      () => {
        throw new TypeError('fetch failed');
      },
      TikTokUnavailable,
    ],
  ];
  for (const [responder, cls] of cases) {
    const { fetch } = fakeFetch(responder);
    const auth = createTikTokAuth({ authBaseUrl: 'https://a.test', appKey: APP_KEY, appSecret: APP_SECRET, fetch });
    await assert.rejects(auth.exchangeAuthCode('c'), (err) => err instanceof (cls as typeof TikTokAuthRevoked));
  }
});

void test('the client exposes the same auth calls against authBaseUrl', async () => {
  const tc = makeClient([() => jsonResponse(200, envelope(0, TOKEN_DATA))]);
  const grant = await tc.client.auth.refreshAccessToken('r');
  assert.equal(grant.refreshToken, TOKEN_DATA.refresh_token);
  assert.equal(tc.requests[0]!.url.origin, 'https://auth.example.test');
});

void test('buildAuthorizationUrl (§3.1)', () => {
  assert.equal(
    buildAuthorizationUrl({ serviceId: '7123', state: 'abc xyz' }),
    'https://services.tiktokshop.com/open/authorize?service_id=7123&state=abc+xyz',
  );
  assert.equal(
    buildAuthorizationUrl({ serviceId: '7123', market: 'US' }),
    'https://services.tiktokshops.us/open/authorize?service_id=7123',
  );
  assert.equal(
    buildAuthorizationUrl({ appKey: '29a39d', state: 's', authBaseUrl: 'http://localhost:9999/' }),
    'http://localhost:9999/oauth/authorize?app_key=29a39d&state=s',
  );
});

void test('getAuthorizedShops: no shop_cipher, maps id/cipher/region/name; works with a raw token', async () => {
  const tc = makeClient([
    () =>
      jsonResponse(
        200,
        envelope(0, {
          shops: [
            {
              cipher: 'GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3',
              code: 'CNGBCBA4LLU8',
              id: '7000714532876273420',
              name: 'Maomao beauty shop',
              region: 'GB',
              seller_type: 'CROSS_BORDER',
            },
          ],
        }),
      ),
  ]);
  const shops = await getAuthorizedShops(tc.client, { accessToken: 'TTP_fresh' });
  assert.deepEqual(shops, [
    {
      shopId: '7000714532876273420',
      shopCipher: 'GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3',
      region: 'GB',
      name: 'Maomao beauty shop',
      sellerType: 'CROSS_BORDER',
      code: 'CNGBCBA4LLU8',
    },
  ]);
  const req = tc.requests[0]!;
  assert.equal(req.url.pathname, '/authorization/202309/shops');
  assert.equal(req.url.searchParams.has('shop_cipher'), false);
  assert.equal(req.headers['x-tts-access-token'], 'TTP_fresh');
});
