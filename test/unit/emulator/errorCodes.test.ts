// The emulator's error-code table: every situation has a sourced row, codes resolve per endpoint, and a code can be
// replaced (options or admin API) without a code change.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODE_TABLE, ErrorCodeTable, SITUATIONS } from '../../../emulators/tiktok-shop/errorCodes';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { APP_KEY, APP_SECRET, DAY, HOUR, admin, adminStatus, api, seedShop } from './helpers';
import type { Shop } from './helpers';

const USPS = '7117858858072016686';

void test('every situation has a row; every row names a public https source; unverified rows are marked', () => {
  for (const situation of SITUATIONS) {
    assert.ok(
      ERROR_CODE_TABLE.some((r) => r.situation === situation),
      `${situation} has no row`,
    );
  }
  for (const r of ERROR_CODE_TABLE) {
    assert.match(r.source, /^https:\/\/(partner\.tiktokshop\.com\/docv2\/page\/|github\.com\/)/, r.situation);
    assert.ok(Number.isInteger(r.code) && r.code > 0, r.situation);
    assert.equal(typeof r.verified, 'boolean');
  }
  assert.ok(
    ERROR_CODE_TABLE.some((r) => !r.verified),
    'unverified codes are listed as such',
  );
});

void test('resolution: the endpoint row first, then the catch-all row; overrides replace both', () => {
  const t = new ErrorCodeTable();
  assert.equal(t.code('already_shipped', 'POST /fulfillment/202309/packages'), 21011006);
  assert.equal(t.code('already_shipped', 'POST /fulfillment/202309/packages/{package_id}/ship'), 21008099);
  assert.equal(
    t.code('order_cancelled', 'POST /fulfillment/202309/packages/{package_id}/shipping_info/update'),
    21011042,
  );
  assert.equal(t.row('order_not_found', 'GET /fulfillment/202309/orders/{order_id}/tracking').verified, false);
  assert.equal(t.row('order_not_found', 'POST /return_refund/202309/returns/{return_id}/approve').verified, true);
  t.set({ order_not_found: 10001 });
  assert.equal(t.code('order_not_found', 'POST /return_refund/202309/returns/{return_id}/approve'), 10001);
  assert.throws(() => t.set({ no_such_situation: 1 }), /unknown error situation/);
  t.reset();
  assert.equal(t.code('order_not_found'), 25007006);
});

void describe('error codes on the wire', () => {
  let em: RunningEmulator;
  let s: Shop;
  before(async () => {
    em = await startTikTokShopEmulator({
      port: 0,
      apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }],
      errorCodes: { warehouse_not_found: 12052230 },
    });
    s = await seedShop(em, 20);
  });
  after(async () => em.close());

  void test('an option replaces an unverified code; the admin API lists and replaces codes', async () => {
    const path = '/logistics/202309/warehouses/999/delivery_options';
    assert.equal((await api(em, { path, token: s.token, cipher: s.cipher })).body.code, 12052230);
    const listed = await admin(em, '/error-codes');
    const row = listed.rows.find((r: any) => r.situation === 'warehouse_not_found' && r.apis === '*');
    assert.deepEqual([row.code, row.effectiveCode, row.verified], [12052097, 12052230, false]);
    await admin(em, '/error-codes', { warehouse_not_found: 12052531 });
    assert.equal((await api(em, { path, token: s.token, cipher: s.cipher })).body.code, 12052531);
    assert.equal(await adminStatus(em, '/error-codes', { nope: 1 }), 400);
    await admin(em, '/reset', {});
    s = await seedShop(em, 20);
    assert.equal((await api(em, { path, token: s.token, cipher: s.cipher })).body.code, 12052230, 'reset → options');
  });

  void test('the same situation answers each endpoint its documented code', async () => {
    const o = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }], shipping_type: 'TIKTOK' });
    em.clock.advance(HOUR);
    const create = () =>
      api(em, { path: '/fulfillment/202309/packages', body: { order_id: o.id }, token: s.token, cipher: s.cipher });
    const created = await create();
    assert.equal(created.body.code, 0);
    const pkg: string = created.body.data.package_id;
    const ship = () =>
      api(em, {
        path: `/fulfillment/202309/packages/${pkg}/ship`,
        body: { handover_method: 'PICKUP' },
        token: s.token,
        cipher: s.cipher,
      });
    assert.equal((await ship()).body.code, 0);
    assert.equal((await ship()).body.code, 21008099, 'Ship Package page: 21008099');
    assert.equal((await create()).body.code, 21011006, 'Create Packages page: 21011006 "already shipped"');

    const seller = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    em.clock.advance(HOUR);
    await api(em, {
      path: `/fulfillment/202309/orders/${seller.id}/packages`,
      body: { tracking_number: '9400111899223344550001', shipping_provider_id: USPS },
      token: s.token,
      cipher: s.cipher,
    });
    const sellerPkg: string = (await admin(em, `/orders/${seller.id}`)).record.package_ids[0];
    const doc = await api(em, {
      path: `/fulfillment/202309/packages/${sellerPkg}/shipping_documents`,
      query: { document_type: 'SHIPPING_LABEL' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(doc.body.code, 21008017, 'Get Package Shipping Document page: TikTok Shipping only');
  });

  void test('auth host: an expired refresh token answers the captured 36004001', async () => {
    const t = await admin(em, '/tokens', { app_key: APP_KEY, shop_id: s.shopId });
    em.clock.advance(400 * DAY);
    const url = `${em.url}/api/v2/token/refresh?app_key=${APP_KEY}&app_secret=${APP_SECRET}&refresh_token=${t.refresh_token}&grant_type=refresh_token`;
    const res = await fetch(url);
    const body = (await res.json()) as { code: number; message: string };
    assert.deepEqual([res.status, body.code, body.message], [200, 36004001, 'rt has expired']);
  });
});
