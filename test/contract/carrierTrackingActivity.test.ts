// Contract: the trackOrderShipment activity (activities/carrierTracking/) against the TikTok Shop emulator and the
// EasyPost emulator: the tracking number and carrier come from our shipment records or, for a package shipped
// elsewhere, from TikTok's order (its provider name mapped to EasyPost's carrier code); the history is stored and
// returned; an order without a tracking number yet gives undefined. And a shop with carrierTracking.trackAtShipment
// gets its tracker when the order's packages are marked shipped (activities/orderAcknowledgment/shipment.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createCarrierTrackingActivities } from '../../activities/carrierTracking';
import { createOrderDetailCache } from '../../activities/orderAcknowledgment/orderRead';
import { createShipmentActivities } from '../../activities/orderAcknowledgment/shipment';
import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import { createOrderRepository } from '../../db/orders';
import { createShopRepository } from '../../db/shops';
import { createShopSettingsRepository } from '../../db/shopSettings';
import { startEasyPostEmulator, type RunningEasyPostEmulator } from '../../emulators/easypost/server';
import { easyPostCarrier } from '../../integrations/carrierTracking/carriers';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { mergeShopSettings, DEFAULT_SHOP_SETTINGS } from '../../shopSettings/schema';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { placeShippableOrders, startHarness, type Harness } from './harness';

const KEY = 'EZTK_activity';
const USPS_PROVIDER = '7117858858072016686';
const HOUR = 3_600_000;

void describe('trackOrderShipment', () => {
  let h: Harness;
  let database: TestDatabase;
  let easypost: RunningEasyPostEmulator;
  let deps: Parameters<typeof createCarrierTrackingActivities>[0];
  const env = new MockActivityEnvironment();
  const run = <T>(fn: () => Promise<T>): Promise<T> => env.run<[], T, () => Promise<T>>(fn);

  before(async () => {
    h = await startHarness();
    database = await testDatabase();
    easypost = await startEasyPostEmulator({ apiKeys: [KEY] });
    deps = {
      cfg: { EASYPOST_API_KEY: KEY, EASYPOST_API_BASE_URL: easypost.baseUrl },
      db: database.db,
      tiktok: { client: h.client },
      tokens: { shopRef: (shopId: string) => Promise.resolve({ ...h.shop, shopId }) },
    };
  });
  after(async () => {
    await easypost?.close();
    await database?.drop();
    await h?.close();
  });

  const order = async () => (await placeShippableOrders(h, [{ items: [{ sku_id: h.products[0]!.skus[0]!.id }] }]))[0]!;

  test("a package shipped outside our records: TikTok's tracking number and provider, the carrier's history", async () => {
    const orderId = await order();
    await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
      order_id: orderId,
      tracking_number: 'EMU-LATE-000123',
      shipping_provider_id: USPS_PROVIDER,
    });
    const activities = createCarrierTrackingActivities(deps);
    const history = await run(() => activities.trackOrderShipment({ shopId: h.shop.shopId, orderId }));
    assert.ok(history);
    assert.equal(history.trackingCode, 'EMU-LATE-000123');
    assert.equal(history.carrier, 'USPS');
    // The late-first-scan story: the carrier had the parcel 100 hours after the label.
    assert.equal(Date.parse(history.firstScanAt!) - Date.parse(history.labelCreatedAt!), 100 * HOUR);
    assert.equal(history.status, 'delivered');
    const stored = await createCarrierTrackerRepository(database.db).latest(h.shop.shopId, orderId);
    assert.deepEqual(stored, history);
  });

  test('our own shipment record: its tracking number and carrier (UPS), stored for the order', async () => {
    await createOrderRepository(database.db).saveShipment(
      h.shop.shopId,
      'o-ours-1',
      { packageId: 'pkg-1', trackingNumber: 'EMU-RTS-77', carrier: 'UPS' },
      ['li-1'],
    );
    const activities = createCarrierTrackingActivities(deps);
    const history = await run(() => activities.trackOrderShipment({ shopId: h.shop.shopId, orderId: 'o-ours-1' }));
    assert.equal(history?.carrier, 'UPS');
    assert.equal(history?.status, 'return_to_sender');
    assert.equal(
      (await createCarrierTrackerRepository(database.db).latest(h.shop.shopId, 'o-ours-1'))?.status,
      'return_to_sender',
    );
  });

  test('no tracking number yet: undefined, nothing stored; no EasyPost key: undefined too', async () => {
    const orderId = await order();
    const activities = createCarrierTrackingActivities(deps);
    assert.equal(await run(() => activities.trackOrderShipment({ shopId: h.shop.shopId, orderId })), undefined);
    assert.equal(await createCarrierTrackerRepository(database.db).latest(h.shop.shopId, orderId), undefined);
    await createOrderRepository(database.db).saveShipment(
      h.shop.shopId,
      'o-nokey',
      { packageId: 'pkg-2', trackingNumber: 'EMU-DELIVERED-1', carrier: 'USPS' },
      ['li-1'],
    );
    const unconfigured = createCarrierTrackingActivities({ ...deps, cfg: {} });
    assert.equal(
      await run(() => unconfigured.trackOrderShipment({ shopId: h.shop.shopId, orderId: 'o-nokey' })),
      undefined,
    );
  });

  test('trackAtShipment: a tracker per package when the shop enables it, none when it does not', async () => {
    const orderDeps = {
      ...deps,
      cfg: { ...deps.cfg, WMS_URL: undefined, WMS_SIGNING_SECRET: undefined },
      notifier: { notify: () => Promise.reject(new Error('no notification expected')) },
    };
    const shipment = createShipmentActivities(orderDeps, createOrderDetailCache(orderDeps));
    const repo = createCarrierTrackerRepository(database.db);
    const off = await order();
    await run(() =>
      shipment.shipPackages({
        shopId: h.shop.shopId,
        orderId: off,
        packages: [{ trackingNumber: 'EMU-NOSCAN-1', carrier: 'USPS' }],
      }),
    );
    assert.equal(await repo.latest(h.shop.shopId, off), undefined, 'the default: no tracker at shipment');

    const shopId = h.shop.shopId;
    await createShopRepository(database.db).record({ shopId, region: 'US', displayName: 'Shop', workflowId: 'shop:x' });
    await createShopSettingsRepository(database.db).update(shopId, {
      author: { name: 'test', keyId: null },
      next: () => ({
        before: DEFAULT_SHOP_SETTINGS,
        after: mergeShopSettings(DEFAULT_SHOP_SETTINGS, { carrierTracking: { trackAtShipment: true } }),
      }),
    });
    const on = await order();
    await run(() =>
      shipment.shipPackages({
        shopId: h.shop.shopId,
        orderId: on,
        packages: [{ trackingNumber: 'EMU-NOSCAN-2', carrier: 'USPS' }],
      }),
    );
    const history = await repo.latest(h.shop.shopId, on);
    assert.equal(history?.trackingCode, 'EMU-NOSCAN-2');
    assert.equal(history?.status, 'pre_transit');
    assert.equal(history?.firstScanAt, undefined);
  });
});

test("TikTok's provider names map to EasyPost's carrier codes; an unknown one to '' (EasyPost detects it)", () => {
  assert.deepEqual(
    [
      'USPS',
      'USPS Ground Advantage',
      'UPS',
      'FedEx',
      'Fedex',
      'DHL',
      'DHL Express',
      'OnTrac',
      'LSO',
      'Amazon Shipping',
      'Some Local Courier',
      undefined,
    ].map(easyPostCarrier),
    ['USPS', 'USPS', 'UPS', 'FedEx', 'FedEx', 'DHLExpress', 'DHLExpress', 'OnTrac', 'LSO', 'AmazonShipping', '', ''],
  );
});
