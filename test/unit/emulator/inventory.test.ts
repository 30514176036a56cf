import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { APP_KEY, APP_SECRET, DAY, admin, adminStatus, api, seedShop } from './helpers';
import type { Shop } from './helpers';

async function available(em: RunningEmulator, s: Shop): Promise<any> {
  const r = await api(em, {
    path: '/product/202309/inventory/search',
    body: { product_ids: [s.productId] },
    token: s.token,
    cipher: s.cipher,
  });
  assert.equal(r.body.code, 0);
  return r.body.data.inventory[0].skus[0];
}

void describe('inventory and products', () => {
  let em: RunningEmulator;
  before(async () => {
    em = await startTikTokShopEmulator({
      port: 0,
      apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }],
      rules: { auditDurationMs: 10 * 60_000, accessTokenTtlMs: 365 * DAY },
    });
  });
  after(async () => em.close());

  void test('orders decrement platform stock; an order is refused at zero', async () => {
    const s = await seedShop(em, 2);
    await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId, quantity: 2 }] });
    const sku = await available(em, s);
    assert.equal(sku.total_available_quantity, 0);
    assert.equal(sku.total_committed_quantity, 2);
    assert.equal(await adminStatus(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] }), 409);
    const rec = await admin(em, '/record');
    assert.equal(rec.summary.refused_orders, 1);
    const bulk = await admin(em, '/orders/bulk', { orders: [{ shop_id: s.shopId, items: [{ sku_id: s.skuId }] }] });
    assert.equal(bulk.placed.length, 0);
    assert.equal(bulk.refused.length, 1);
  });

  void test('update inventory: every warehouse listed, per-SKU errors[], zero is a setting', async () => {
    const s = await seedShop(em, 5, 2);
    const path = `/product/202309/products/${s.productId}/inventory/update`;
    const wh: string[] = (
      await api(em, { path: '/logistics/202309/warehouses', token: s.token, cipher: s.cipher })
    ).body.data.warehouses.map((w: any) => w.id);
    assert.equal(wh.length, 2);
    const missing = await api(em, {
      path,
      body: { skus: [{ id: s.skuId, inventory: [{ warehouse_id: wh[0], quantity: 9 }] }] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(missing.body.code, 0, 'batch errors ride in a code-0 envelope');
    assert.equal(missing.body.data.errors[0].detail.sku_id, s.skuId);
    assert.equal(missing.body.data.errors[0].detail.extra_errors[0].code, 12052037);
    assert.equal((await available(em, s)).total_available_quantity, 10, 'nothing applied');

    const ok = await api(em, {
      path,
      body: {
        skus: [
          {
            id: s.skuId,
            inventory: [
              { warehouse_id: wh[0], quantity: 9 },
              { warehouse_id: wh[1], quantity: 0 },
            ],
          },
        ],
      },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(ok.body.code, 0);
    assert.equal(ok.body.data.errors, undefined);
    assert.equal((await available(em, s)).total_available_quantity, 9);

    await admin(em, '/rules', { allowZeroInventory: false });
    const zero = await api(em, {
      path,
      body: {
        skus: [
          {
            id: s.skuId,
            inventory: [
              { warehouse_id: wh[0], quantity: 0 },
              { warehouse_id: wh[1], quantity: 1 },
            ],
          },
        ],
      },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(zero.body.data.errors[0].detail.extra_errors[0].code, 12052055);
    await admin(em, '/rules', { allowZeroInventory: true });

    const unknownSku = await api(em, {
      path,
      body: { skus: [{ id: '1', inventory: [{ quantity: 3 }] }] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(unknownSku.body.data.errors[0].code, 12052556);
  });

  void test('deactivated product: no inventory update; re-activation goes through audit on the business clock', async () => {
    const s = await seedShop(em, 5);
    const de = await api(em, {
      path: '/product/202309/products/deactivate',
      body: { product_ids: [s.productId] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(de.body.code, 0);
    const upd = await api(em, {
      path: `/product/202309/products/${s.productId}/inventory/update`,
      body: { skus: [{ id: s.skuId, inventory: [{ quantity: 3 }] }] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(upd.body.code, 12052901);
    assert.equal(await adminStatus(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] }), 409);

    const act = await api(em, {
      path: '/product/202309/products/activate',
      body: { product_ids: [s.productId] },
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(act.body.code, 0);
    let prod = await api(em, { path: `/product/202309/products/${s.productId}`, token: s.token, cipher: s.cipher });
    assert.equal(prod.body.data.status, 'PENDING');
    assert.equal(prod.body.data.audit.status, 'AUDITING');
    em.clock.advance(10 * 60_000);
    prod = await api(em, { path: `/product/202309/products/${s.productId}`, token: s.token, cipher: s.cipher });
    assert.equal(prod.body.data.status, 'ACTIVATE');
    assert.equal(prod.body.data.audit.status, 'APPROVED');
    const search = await api(em, {
      path: '/product/202309/products/search',
      query: { page_size: '10' },
      body: { status: 'ACTIVATE' },
      token: s.token,
      cipher: s.cipher,
    });
    assert.ok(search.body.data.products.some((x: any) => x.id === s.productId));
  });
});
