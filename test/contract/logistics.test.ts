// Contract: Get Warehouse List, Get Warehouse Delivery Options, Get Shipping Providers (ref §6.3).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokApiError, TikTokInvalidRequest } from '../../integrations/tiktok/errors';
import { expectFailure, startHarness } from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

void describe('logistics', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  void test('warehouses: the seeded sales warehouses, one default, with an address', async () => {
    const warehouses = await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
    assert.deepEqual(warehouses.map((w) => w.id).sort(), [...h.warehouseIds].sort());
    for (const w of warehouses) {
      assert.match(w.id, /^\d+$/);
      assert.equal(w.type, 'SALES_WAREHOUSE');
      assert.equal(w.effect_status, 'ENABLED');
      assert.ok(w.address?.full_address);
      assert.equal(w.address?.region_code, 'US');
    }
    assert.equal(warehouses.filter((w) => w.is_default).length, 1);
  });

  void test('a warehouse added through the admin API shows up', async () => {
    const added = await h.admin<{ warehouse: { id: string } }>('/warehouses', {
      shop_id: h.shop.shopId,
      name: 'Returns',
      type: 'RETURN_WAREHOUSE',
    });
    const warehouses = await callEndpoint(h.client, endpoints.getWarehouses, h.shop);
    const w = warehouses.find((x) => x.id === added.warehouse.id);
    assert.equal(w?.type, 'RETURN_WAREHOUSE');
    assert.equal(w?.name, 'Returns');
  });

  void test('delivery options → shipping providers: the walk that yields a shipping_provider_id', async () => {
    const options = await callEndpoint(h.client, endpoints.getWarehouseDeliveryOptions, h.shop, {
      warehouse_id: h.warehouseIds[0]!,
      scope: 'WAREHOUSE',
    });
    assert.ok(options.length >= 1);
    const types = options.map((o) => o.type);
    assert.ok(types.includes('SEND_BY_SELLER'), `types ${types.join(',')}`);
    for (const o of options) {
      assert.match(o.id, /^\d+$/);
      assert.ok(o.name);
    }
    const bySeller = options.find((o) => o.type === 'SEND_BY_SELLER')!;
    const providers = await callEndpoint(h.client, endpoints.getShippingProviders, h.shop, {
      delivery_option_id: bySeller.id,
    });
    assert.ok(providers.length >= 1);
    // The reference's example provider (ref §6.3).
    assert.deepEqual(
      providers.find((p) => p.name === 'USPS'),
      { id: '7117858858072016686', name: 'USPS' },
    );
  });

  void test('unknown warehouse or delivery option is an error, not an empty list', async () => {
    await expectFailure(
      callEndpoint(h.client, endpoints.getWarehouseDeliveryOptions, h.shop, { warehouse_id: '729999999999999999' }),
      TikTokApiError,
    );
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.getShippingProviders, h.shop, { delivery_option_id: '1' }),
      TikTokInvalidRequest,
    );
    assert.equal(err.code, 21008116);
  });
});
