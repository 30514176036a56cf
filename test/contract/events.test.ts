// Contract: Get / Update / Delete Shop Webhook (ref §11.1, §11.4) and the address rules (https, domain name,
// no port), with the emulator's development setting that admits loopback http receivers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokInvalidRequest } from '../../integrations/tiktok/errors';
import { expectFailure, startHarness } from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

void describe('event webhooks (development setting: loopback http allowed)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { allowLoopbackWebhookHttp: true } });
  });
  after(async () => {
    await h.close();
  });

  void test('nothing configured at first', async () => {
    assert.deepEqual(await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop), []);
  });

  void test('update (upsert per event type), get, delete', async () => {
    await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
      address: 'https://hooks.seller-app.example.test/tiktok',
      event_type: 'ORDER_STATUS_CHANGE',
    });
    await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
      address: 'http://127.0.0.1:9999/tiktok/webhooks',
      event_type: 'PACKAGE_UPDATE',
    });
    let hooks = await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop);
    assert.deepEqual(hooks.map((w) => [w.event_type, w.address]).sort(), [
      ['ORDER_STATUS_CHANGE', 'https://hooks.seller-app.example.test/tiktok'],
      ['PACKAGE_UPDATE', 'http://127.0.0.1:9999/tiktok/webhooks'],
    ]);
    for (const w of hooks) assert.ok(typeof w.create_time === 'number' && typeof w.update_time === 'number');

    // Same event type again: the address is replaced, not added.
    await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
      address: 'https://hooks2.seller-app.example.test/tiktok',
      event_type: 'ORDER_STATUS_CHANGE',
    });
    hooks = await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop);
    assert.equal(hooks.length, 2);
    assert.equal(
      hooks.find((w) => w.event_type === 'ORDER_STATUS_CHANGE')?.address,
      'https://hooks2.seller-app.example.test/tiktok',
    );

    await callEndpoint(h.client, endpoints.deleteShopWebhook, h.shop, { event_type: 'PACKAGE_UPDATE' });
    hooks = await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop);
    assert.deepEqual(
      hooks.map((w) => w.event_type),
      ['ORDER_STATUS_CHANGE'],
    );
    // ref §11.1: deleting what is not configured still succeeds.
    await callEndpoint(h.client, endpoints.deleteShopWebhook, h.shop, { event_type: 'PACKAGE_UPDATE' });
    await callEndpoint(h.client, endpoints.deleteShopWebhook, h.shop, { event_type: 'ORDER_STATUS_CHANGE' });
    assert.deepEqual(await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop), []);
  });

  void test('non-loopback addresses still follow the platform rules even with the development setting', async () => {
    for (const address of ['http://hooks.seller-app.example.test/tiktok', 'https://203.0.113.7/tiktok']) {
      const err = await expectFailure(
        callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, { address, event_type: 'ORDER_STATUS_CHANGE' }),
        TikTokInvalidRequest,
      );
      assert.equal(err.code, 36009004);
    }
  });

  void test('the client refuses unknown event types and over-long addresses locally', async () => {
    await expectFailure(
      callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
        address: `https://hooks.example.test/${'x'.repeat(250)}`,
        event_type: 'ORDER_STATUS_CHANGE',
      }),
      TikTokInvalidRequest,
    );
    await expectFailure(
      callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
        address: 'https://hooks.example.test/',
        event_type: 'NOPE' as never,
      }),
      TikTokInvalidRequest,
    );
  });
});

void describe('event webhooks (platform rules: no loopback http)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ emulator: { allowLoopbackWebhookHttp: false } });
  });
  after(async () => {
    await h.close();
  });

  void test('loopback http, an IP address or a port are refused (ref §11.1: https, domain name, no port)', async () => {
    for (const address of [
      'http://127.0.0.1:9999/tiktok/webhooks',
      'http://localhost:9999/tiktok/webhooks',
      'https://hooks.seller-app.example.test:8443/tiktok',
    ]) {
      const err = await expectFailure(
        callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, { address, event_type: 'ORDER_STATUS_CHANGE' }),
        TikTokInvalidRequest,
      );
      assert.equal(err.code, 36009004, address);
    }
    assert.deepEqual(await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop), []);
    await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, {
      address: 'https://hooks.seller-app.example.test/tiktok',
      event_type: 'RETURN_STATUS_CHANGE',
    });
    assert.deepEqual(
      (await callEndpoint(h.client, endpoints.getShopWebhooks, h.shop)).map((w) => w.event_type),
      ['RETURN_STATUS_CHANGE'],
    );
  });
});
