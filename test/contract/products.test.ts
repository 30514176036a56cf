// Contract: Search Products, Get Product, Update Inventory (per-SKU errors, the zero-quantity setting),
// Inventory Search, Activate / Deactivate (ref §7.1-§7.2, §4.1, §15).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokApiError, TikTokInvalidRequest } from '../../integrations/tiktok/errors';
import { advanceClock, expectFailure, MINUTE, startHarness } from './harness';
import type { Harness, SeededProduct } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

void describe('products and inventory', () => {
  let h: Harness;
  let gloss: SeededProduct; // two SKUs: RED in both warehouses, PINK in the first
  let mask: SeededProduct; // one SKU in the first warehouse
  let wh1: string;
  let wh2: string;

  before(async () => {
    h = await startHarness();
    [gloss, mask] = h.products as [SeededProduct, SeededProduct];
    [wh1, wh2] = h.warehouseIds as [string, string];
  });
  after(async () => {
    await h.close();
  });

  const stockOf = async (skuId: string): Promise<Record<string, number>> => {
    const [rec] = await callEndpoint(h.client, endpoints.inventorySearch, h.shop, { sku_ids: [skuId] });
    const sku = rec!.skus.find((s) => s.id === skuId)!;
    return Object.fromEntries(sku.warehouse_inventory.map((w) => [w.warehouse_id, w.available_quantity ?? -1]));
  };

  void test('search: all products, filters by seller_skus / sku_ids / status, pagination', async () => {
    const all = await callEndpoint(h.client, endpoints.searchProducts, h.shop, { page_size: 20 });
    assert.equal(all.total_count, 2);
    assert.deepEqual(all.products.map((p) => p.id).sort(), [gloss.id, mask.id].sort());
    const g = all.products.find((p) => p.id === gloss.id)!;
    assert.equal(g.status, 'ACTIVATE');
    assert.equal(g.skus.length, 2);

    const bySku = await callEndpoint(h.client, endpoints.searchProducts, h.shop, { seller_skus: ['MASK-1'] });
    assert.deepEqual(
      bySku.products.map((p) => p.id),
      [mask.id],
    );
    const byId = await callEndpoint(h.client, endpoints.searchProducts, h.shop, { sku_ids: [gloss.skus[1]!.id] });
    assert.deepEqual(
      byId.products.map((p) => p.id),
      [gloss.id],
    );
    const inactive = await callEndpoint(h.client, endpoints.searchProducts, h.shop, { status: 'SELLER_DEACTIVATED' });
    assert.equal(inactive.products.length, 0);

    const first = await callEndpoint(h.client, endpoints.searchProducts, h.shop, { page_size: 1 });
    assert.equal(first.products.length, 1);
    assert.ok(first.next_page_token);
    const second = await callEndpoint(h.client, endpoints.searchProducts, h.shop, {
      page_size: 1,
      page_token: first.next_page_token,
    });
    assert.equal(second.products.length, 1);
    assert.notEqual(second.products[0]!.id, first.products[0]!.id);
    assert.ok(!second.next_page_token);
  });

  void test('get: product with SKUs, prices as strings and per-warehouse inventory (ref §7.1)', async () => {
    const p = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: gloss.id });
    assert.equal(p.id, gloss.id);
    assert.equal(p.title, 'Lip Gloss');
    assert.equal(p.status, 'ACTIVATE');
    const red = p.skus.find((s) => s.id === gloss.skus[0]!.id)!;
    assert.equal(red.seller_sku, 'GLOSS-RED');
    assert.equal(red.price?.sale_price, '12.50');
    assert.equal(red.price?.currency, 'USD');
    assert.deepEqual(Object.fromEntries((red.inventory ?? []).map((i) => [i.warehouse_id, i.quantity])), {
      [wh1]: 40,
      [wh2]: 10,
    });
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: '179999999999999999' }),
      TikTokApiError,
    );
    assert.equal(err.code, 12052032);
  });

  void test('inventory search: by product_ids and by sku_ids (sku_ids take precedence, ref §7.2)', async () => {
    const byProduct = await callEndpoint(h.client, endpoints.inventorySearch, h.shop, {
      product_ids: [gloss.id, mask.id],
    });
    assert.deepEqual(byProduct.map((r) => r.product_id).sort(), [gloss.id, mask.id].sort());
    const g = byProduct.find((r) => r.product_id === gloss.id)!;
    const red = g.skus.find((s) => s.id === gloss.skus[0]!.id)!;
    assert.equal(red.total_available_quantity, 50);
    assert.equal(red.total_committed_quantity, 0);
    const both = await callEndpoint(h.client, endpoints.inventorySearch, h.shop, {
      product_ids: [gloss.id],
      sku_ids: [mask.skus[0]!.id],
    });
    assert.deepEqual(
      both.map((r) => r.product_id),
      [mask.id],
    );
    await expectFailure(callEndpoint(h.client, endpoints.inventorySearch, h.shop, {}), TikTokInvalidRequest);
  });

  void test('update inventory: every warehouse of every SKU listed → applied', async () => {
    const res = await callEndpoint(h.client, endpoints.updateInventory, h.shop, {
      product_id: gloss.id,
      skus: [
        {
          id: gloss.skus[0]!.id,
          inventory: [
            { warehouse_id: wh1, quantity: 25 },
            { warehouse_id: wh2, quantity: 5 },
          ],
        },
        // warehouse_id may be left out for a single-warehouse SKU (ref §7.2).
        { id: gloss.skus[1]!.id, inventory: [{ quantity: 17 }] },
      ],
    });
    assert.deepEqual(res.errors, []);
    assert.deepEqual(await stockOf(gloss.skus[0]!.id), { [wh1]: 25, [wh2]: 5 });
    assert.deepEqual(await stockOf(gloss.skus[1]!.id), { [wh1]: 17 });
  });

  void test('update inventory: per-SKU errors inside a code-0 envelope; valid SKUs still applied (ref §4.1)', async () => {
    const res = await callEndpoint(h.client, endpoints.updateInventory, h.shop, {
      product_id: gloss.id,
      skus: [
        // missing the second warehouse of a multi-warehouse SKU
        { id: gloss.skus[0]!.id, inventory: [{ warehouse_id: wh1, quantity: 99 }] },
        // valid
        { id: gloss.skus[1]!.id, inventory: [{ warehouse_id: wh1, quantity: 12 }] },
        // a SKU of another product
        { id: mask.skus[0]!.id, inventory: [{ warehouse_id: wh1, quantity: 1 }] },
      ],
    });
    assert.equal(res.errors.length, 2);
    const bySku = new Map(res.errors.map((e) => [e.detail?.sku_id, e]));
    const missing = bySku.get(gloss.skus[0]!.id)!;
    const extra = (missing.detail?.extra_errors ?? []) as { warehouse_id: string; code: number }[];
    assert.deepEqual(
      extra.map((e) => [e.warehouse_id, e.code]),
      [[wh2, 12052037]],
    );
    assert.ok(bySku.has(mask.skus[0]!.id));
    assert.deepEqual(await stockOf(gloss.skus[0]!.id), { [wh1]: 25, [wh2]: 5 }, 'the failed SKU is untouched');
    assert.deepEqual(await stockOf(gloss.skus[1]!.id), { [wh1]: 12 });
  });

  void test('update inventory: quantity 0 follows the emulator setting (ref §15: 0 is uncertain)', async () => {
    const zero = {
      product_id: mask.id,
      skus: [{ id: mask.skus[0]!.id, inventory: [{ warehouse_id: wh1, quantity: 0 }] }],
    };
    // Default (allowZeroInventory: true): accepted, the SKU is sold out.
    assert.deepEqual((await callEndpoint(h.client, endpoints.updateInventory, h.shop, zero)).errors, []);
    assert.deepEqual(await stockOf(mask.skus[0]!.id), { [wh1]: 0 });
    await callEndpoint(h.client, endpoints.updateInventory, h.shop, {
      ...zero,
      skus: [{ id: mask.skus[0]!.id, inventory: [{ quantity: 8 }] }],
    });
    // Strict spec range [1, 99999]: 0 is reported per SKU, nothing changes.
    await h.admin('/rules', { allowZeroInventory: false });
    try {
      const res = await callEndpoint(h.client, endpoints.updateInventory, h.shop, zero);
      assert.equal(res.errors.length, 1);
      const extra = (res.errors[0]!.detail?.extra_errors ?? []) as { code: number }[];
      assert.deepEqual(
        extra.map((e) => e.code),
        [12052055],
      );
      assert.deepEqual(await stockOf(mask.skus[0]!.id), { [wh1]: 8 });
    } finally {
      await h.admin('/rules', { allowZeroInventory: true });
    }
    // Above the documented maximum the client refuses before sending.
    await expectFailure(
      callEndpoint(h.client, endpoints.updateInventory, h.shop, {
        ...zero,
        skus: [{ id: mask.skus[0]!.id, inventory: [{ quantity: 100_000 }] }],
      }),
      TikTokInvalidRequest,
    );
  });

  void test('deactivate → SELLER_DEACTIVATED; inventory update then refused; activate → PENDING → ACTIVATE', async () => {
    const off = await callEndpoint(h.client, endpoints.deactivateProducts, h.shop, {
      product_ids: [mask.id, '179999999999999999'],
    });
    assert.equal(off.errors.length, 1);
    assert.equal(off.errors[0]!.detail?.product_id, '179999999999999999');
    assert.equal(
      (await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: mask.id })).status,
      'SELLER_DEACTIVATED',
    );
    const listed = await callEndpoint(h.client, endpoints.searchProducts, h.shop, { status: 'SELLER_DEACTIVATED' });
    assert.deepEqual(
      listed.products.map((p) => p.id),
      [mask.id],
    );

    // ref §7.2: inventory updates need ACTIVATE.
    const refused = await expectFailure(
      callEndpoint(h.client, endpoints.updateInventory, h.shop, {
        product_id: mask.id,
        skus: [{ id: mask.skus[0]!.id, inventory: [{ quantity: 3 }] }],
      }),
      TikTokApiError,
    );
    assert.equal(refused.code, 12052901);

    // Activating an ACTIVATE product is a per-product error.
    const wrong = await callEndpoint(h.client, endpoints.activateProducts, h.shop, { product_ids: [gloss.id] });
    assert.equal(wrong.errors.length, 1);
    assert.equal(wrong.errors[0]!.detail?.product_id, gloss.id);

    const on = await callEndpoint(h.client, endpoints.activateProducts, h.shop, { product_ids: [mask.id] });
    assert.deepEqual(on.errors, []);
    assert.equal(
      (await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: mask.id })).status,
      'PENDING',
    );
    await advanceClock(h, 11 * MINUTE); // the audit (10 min on the business clock)
    const after = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: mask.id });
    assert.equal(after.status, 'ACTIVATE');
    assert.equal(after.audit?.status, 'APPROVED');
  });

  void test('batch limits are checked locally: more than 20 product ids (ref §7.2)', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => String(170000000000000000 + i));
    await expectFailure(
      callEndpoint(h.client, endpoints.deactivateProducts, h.shop, { product_ids: ids }),
      TikTokInvalidRequest,
    );
    await expectFailure(
      callEndpoint(h.client, endpoints.activateProducts, h.shop, { product_ids: ids }),
      TikTokInvalidRequest,
    );
  });
});
