import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { APP_KEY, APP_SECRET, DAY, admin, api, seedShop } from './helpers';
import type { Shop } from './helpers';

void describe('Open API gateway behaviour', () => {
  let em: RunningEmulator;
  let shop: Shop;
  before(async () => {
    em = await startTikTokShopEmulator({
      port: 0,
      apps: [{ appKey: APP_KEY, appSecret: APP_SECRET, redirectUrl: 'https://app.example.com/callback' }],
      rateLimit: { limit: 5, windowMs: 60_000 },
    });
    shop = await seedShop(em);
  });
  after(async () => em.close());

  void test('a correctly signed call succeeds with the envelope', async () => {
    const r = await api(em, { path: '/authorization/202309/shops', token: shop.token });
    assert.equal(r.status, 200);
    assert.equal(r.body.code, 0);
    assert.match(r.body.request_id, /^\d{14}[0-9A-F]{20}$/);
    assert.equal(r.body.data.shops[0].id, shop.shopId);
    assert.equal(r.body.data.shops[0].cipher, shop.cipher);
  });

  void test('bad sign → 106001', async () => {
    const r = await api(em, { path: '/authorization/202309/shops', token: shop.token, sign: 'a'.repeat(64) });
    assert.equal(r.body.code, 106001);
    assert.equal(r.body.data, null);
    assert.equal(r.status, 401);
  });

  void test('stale or future timestamp → 36009004 (real wall clock)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await api(em, { path: '/authorization/202309/shops', token: shop.token, timestamp: now - 301 });
    assert.equal(stale.body.code, 36009004);
    assert.match(stale.body.message, /timestamp/i);
    const future = await api(em, { path: '/authorization/202309/shops', token: shop.token, timestamp: now + 60 });
    assert.equal(future.body.code, 36009004);
    // advancing the business clock does not affect the signature window
    em.clock.advance(10 * DAY);
    const ok = await api(em, { path: '/authorization/202309/shops', token: shop.token, timestamp: now });
    assert.equal(ok.body.code, 105002, 'token expired on the business clock, but the timestamp was accepted');
    shop.token = (await admin(em, '/tokens', { app_key: APP_KEY, shop_id: shop.shopId })).access_token;
  });

  void test('shop_cipher: forbidden on /authorization, required on shop APIs, must match the token', async () => {
    const forbidden = await api(em, { path: '/authorization/202309/shops', token: shop.token, cipher: shop.cipher });
    assert.equal(forbidden.body.code, 36009004);
    assert.match(forbidden.body.message, /Unexpected identifier/);
    const missing = await api(em, { path: '/logistics/202309/warehouses', token: shop.token });
    assert.equal(missing.body.code, 106013);
    const other = await seedShop(em);
    const wrong = await api(em, { path: '/logistics/202309/warehouses', token: shop.token, cipher: other.cipher });
    assert.equal(wrong.body.code, 101000);
    const ok = await api(em, { path: '/logistics/202309/warehouses', token: shop.token, cipher: shop.cipher });
    assert.equal(ok.body.code, 0);
    assert.equal(ok.body.data.warehouses[0].id, shop.warehouseId);
  });

  void test('unknown path, method and version', async () => {
    const path = await api(em, { path: '/order/202309/nothing_here', token: shop.token, cipher: shop.cipher });
    assert.equal(path.body.code, 36009009);
    const version = await api(em, {
      path: '/order/202399/orders/search',
      body: {},
      token: shop.token,
      cipher: shop.cipher,
    });
    assert.equal(version.body.code, 36009014);
    const method = await api(em, {
      method: 'GET',
      path: '/order/202309/orders/search',
      token: shop.token,
      cipher: shop.cipher,
    });
    assert.equal(method.body.code, 36009010);
  });

  void test('the current consent link path /open/authorize also redirects with a code (ref §3.1)', async () => {
    const res = await fetch(`${em.url}/open/authorize?app_key=${APP_KEY}&state=cur`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location')!);
    assert.equal(loc.searchParams.get('state'), 'cur');
    assert.match(loc.searchParams.get('code') ?? '', /.+/);
  });

  void test('token lifecycle: authorize → single-use code → absolute expiry → refresh → revoke', async () => {
    const res = await fetch(`${em.url}/oauth/authorize?app_key=${APP_KEY}&state=xyz`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const loc = new URL(res.headers.get('location')!);
    assert.equal(loc.origin + loc.pathname, 'https://app.example.com/callback');
    assert.equal(loc.searchParams.get('state'), 'xyz');
    const code = loc.searchParams.get('code')!;
    const getUrl = `${em.url}/api/v2/token/get?app_key=${APP_KEY}&app_secret=${APP_SECRET}&auth_code=${code}&grant_type=authorized_code`;
    const tok = (await (await fetch(getUrl)).json()) as any;
    assert.equal(tok.code, 0);
    assert.match(tok.data.access_token, /^TTP_/);
    const nowSec = em.clock.nowSeconds();
    assert.ok(Math.abs(tok.data.access_token_expire_in - (nowSec + 7 * 86400)) <= 2, 'absolute timestamp, +7 days');
    assert.ok(tok.data.refresh_token_expire_in > tok.data.access_token_expire_in);
    const reuse = (await (await fetch(getUrl)).json()) as any;
    assert.equal(reuse.code, 36009004, 'auth code is single use');

    const token: string = tok.data.access_token;
    assert.equal((await api(em, { path: '/authorization/202309/shops', token })).body.code, 0);
    em.clock.advance(7 * DAY + 1000);
    assert.equal((await api(em, { path: '/authorization/202309/shops', token })).body.code, 105002);

    const refUrl = `${em.url}/api/v2/token/refresh?app_key=${APP_KEY}&app_secret=${APP_SECRET}&refresh_token=${tok.data.refresh_token}&grant_type=refresh_token`;
    const ref = (await (await fetch(refUrl)).json()) as any;
    assert.equal(ref.code, 0);
    assert.notEqual(ref.data.access_token, token);
    assert.equal((await api(em, { path: '/authorization/202309/shops', token: ref.data.access_token })).body.code, 0);
    // errorCodes.ts 'refresh_token_invalid': the auth host's captured "can not find related auth record".
    assert.equal(((await (await fetch(refUrl)).json()) as any).code, 36004005, 'old refresh token is spent');

    await admin(em, '/tokens/revoke', { access_token: ref.data.access_token });
    const revoked = await api(em, { path: '/authorization/202309/shops', token: ref.data.access_token });
    assert.equal(revoked.body.code, 105001);
    const bogus = await api(em, { path: '/authorization/202309/shops', token: 'TTP_nope' });
    assert.equal(bogus.body.code, 36009004);
  });

  void test('rate limit per app+shop+API → HTTP 429 / 36009002', async () => {
    const s = await seedShop(em);
    const codes: number[] = [];
    let last = 0;
    for (let i = 0; i < 7; i++) {
      const r = await api(em, { path: '/logistics/202309/warehouses', token: s.token, cipher: s.cipher });
      codes.push(r.body.code);
      last = r.status;
    }
    assert.deepEqual(codes, [0, 0, 0, 0, 0, 36009002, 36009002]);
    assert.equal(last, 429);
    const record = await admin(em, '/record');
    assert.ok(
      record.summary.rate_limited['GET /logistics/202309/warehouses'] >= 2,
      'the record counts refusals per API',
    );
    // another API of the same shop has its own budget
    const other = await api(em, { path: '/event/202309/webhooks', token: s.token, cipher: s.cipher });
    assert.equal(other.body.code, 0);
  });

  void test('fault injection: 5xx burst is not applied; "applied but response lost" is applied and recorded', async () => {
    const s = await seedShop(em);
    await admin(em, '/faults', { errorBurst: { count: 1, httpStatus: 503, code: 36009003 } });
    const burst = await api(em, { path: '/logistics/202309/warehouses', token: s.token, cipher: s.cipher });
    assert.equal(burst.status, 503);
    assert.equal(burst.body.code, 36009003);
    await admin(em, '/faults', { responseLost: { count: 1, mode: 'destroy' } });
    const body = { skus: [{ id: s.skuId, inventory: [{ warehouse_id: s.warehouseId, quantity: 77 }] }] };
    await assert.rejects(
      api(em, {
        path: `/product/202309/products/${s.productId}/inventory/update`,
        body,
        token: s.token,
        cipher: s.cipher,
      }),
    );
    const inv = await api(em, {
      path: '/product/202309/inventory/search',
      body: { sku_ids: [s.skuId] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(inv.body.data.inventory[0].skus[0].total_available_quantity, 77);
    const rec = await admin(em, '/record/mutations');
    const m = rec.mutations.filter((x: any) => x.action === 'update_inventory' && x.shopId === s.shopId);
    assert.equal(m.length, 1);
    assert.equal(m[0].applied, true);
    assert.equal(m[0].responseLost, true);
    assert.deepEqual(m[0].skuIds, [s.skuId]);
  });
});
