// registerExternalReference (activities/orderAcknowledgment/warehouseHandOff.ts) against the emulator with the
// response of Add External Order References lost after it was applied: the retry reads the reference back and does not apply the
// mutation a second time (emulators/tiktok-shop/README.md, faults `responseLost`).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOrderActivities } from '../../activities/orderAcknowledgment';
import { placeShippableOrders, startHarness, type Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

interface RecordedMutation {
  action: string;
  applied: boolean;
  responseLost: boolean;
  orderIds: string[];
}

void describe('registerExternalReference', () => {
  let h: Harness;
  let activities: ReturnType<typeof createOrderActivities>;

  before(async () => {
    h = await startHarness();
    activities = createOrderActivities({
      cfg: {},
      db: undefined as never,
      tiktok: { client: h.client },
      tokens: { shopRef: () => Promise.resolve(h.shop) },
      notifier: { notify: () => Promise.reject(new Error('not used')) },
    });
  });
  after(async () => {
    await h.close();
  });

  const applied = async (orderId: string) =>
    (await h.admin<{ mutations: RecordedMutation[] }>('/record')).mutations.filter(
      (m) => m.action === 'add_external_order_references' && m.applied && m.orderIds.includes(orderId),
    );

  for (const mode of ['destroy', '5xx'] as const) {
    void test(`a retry after a lost response (${mode}) does not apply the reference twice`, async () => {
      const [orderId] = await placeShippableOrders(h, [{ items: [{ sku_id: h.products[0]!.skus[0]!.id }] }]);
      await h.admin('/faults', {
        responseLost: { count: 1, probability: 0, mode },
        pathPattern: '/orders/external_orders$',
      });
      try {
        await assert.rejects(activities.registerExternalReference({ shopId: h.shop.shopId, orderId: orderId! }));
        assert.equal((await applied(orderId!)).length, 1, 'the first call was applied, its response lost');
        // The activity's retry (Temporal would schedule it): reads the reference back and skips the mutation.
        await activities.registerExternalReference({ shopId: h.shop.shopId, orderId: orderId! });
        await activities.registerExternalReference({ shopId: h.shop.shopId, orderId: orderId! });
      } finally {
        await h.admin('/faults/reset', {});
      }
      const mutations = await applied(orderId!);
      assert.equal(mutations.length, 1, JSON.stringify(mutations));
      assert.equal(mutations[0]!.responseLost, true);
      const refs = await callEndpoint(h.client, endpoints.getExternalOrderReferences, h.shop, {
        order_id: orderId!,
        platform: 'WAREHOUSE_MANAGEMENT_SYSTEM',
      });
      assert.deepEqual(
        refs.external_orders.map((e) => e.id),
        [`wms-${orderId}`],
      );
    });
  }

  void test('an order without our reference gets it once', async () => {
    const [orderId] = await placeShippableOrders(h, [{ items: [{ sku_id: h.products[0]!.skus[0]!.id }] }]);
    await activities.registerExternalReference({ shopId: h.shop.shopId, orderId: orderId! });
    assert.equal((await applied(orderId!)).length, 1);
  });
});
