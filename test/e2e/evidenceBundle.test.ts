// Evidence bundles end to end with the real activity: the TikTok emulator holds a delivered order (address, lines), the
// carrier history is stored (db/carrierTrackers.ts), our records hold a dispatch fact; POST builds the bundle through
// the evidenceBundle workflow, the PDF downloaded from the API carries those values, a second build of the unchanged
// case answers the same file and row, and another shop's key sees nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import { createHumanStepRepository } from '../../db/humanSteps';
import { createNotificationRepository } from '../../db/notifications';
import { createOrderRepository } from '../../db/orders';
import type { CarrierTrackingHistory } from '../../integrations/carrierTracking/types';
import { evidenceBundleWorkflowId } from '../../workflows/ids';
import { ShopId } from '../../workflows/shared/searchAttributes';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import { flat, pdfText } from '../helpers/pdfText';
import { devServerEnv } from '../helpers/temporal';

const APP_KEY = 'e2e_evidence_app_key';
const APP_SECRET = 'e2e_evidence_app_secret_0123456789';

const history = (trackingCode: string): CarrierTrackingHistory => ({
  source: 'easypost',
  trackerId: 'trk_e2e_evidence',
  carrier: 'USPS',
  trackingCode,
  status: 'delivered',
  signedBy: 'R KOWALSKI',
  scans: [
    {
      at: '2026-02-02T16:00:00Z',
      status: 'pre_transit',
      statusDetail: 'label_created',
      message: 'Shipping Label Created',
      location: { city: 'Reno', state: 'NV', zip: '89502', country: 'US' },
    },
    {
      at: '2026-02-04T01:30:00Z',
      status: 'in_transit',
      statusDetail: 'arrived_at_facility',
      message: 'Accepted at USPS Origin Facility',
      location: { city: 'Sparks', state: 'NV', zip: '89431', country: 'US' },
    },
    {
      at: '2026-02-06T19:41:00Z',
      status: 'delivered',
      statusDetail: 'arrived_at_destination',
      message: 'Delivered, Front Door/Porch',
      location: { city: 'Denver', state: 'CO', zip: '80205', country: 'US' },
    },
  ],
  labelCreatedAt: '2026-02-02T16:00:00Z',
  firstScanAt: '2026-02-04T01:30:00Z',
  deliveredAt: '2026-02-06T19:41:00Z',
  deliveryLocation: { city: 'Denver', state: 'CO', zip: '80205', country: 'US' },
  fetchedAt: '2026-02-07T00:00:00Z',
});

describe('evidence bundle: TikTok order + carrier history + our records → PDF in the file store → API', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let orderId: string;

  before(async () => {
    env = await devServerEnv();
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Evidence Beauty',
      sellerName: 'Evidence Seller',
    });
    await es.connect();
    const order = await es.admin('/orders', {
      shop_id: es.shopId,
      items: [{ sku_id: es.skuId, quantity: 2 }],
      delivered_before: true,
      recipient: {
        name: 'Renée Kowalski',
        addressLine1: '3100 Downing St',
        city: 'Denver',
        state: 'Colorado',
        postalCode: '80205',
      },
    });
    orderId = order.id as string;
    await createCarrierTrackerRepository(es.stack.database.db).save(
      es.shopId,
      orderId,
      history('9400100000000000000042'),
    );
    await createOrderRepository(es.stack.database.db).recordDispatchEvent({
      dedupKey: `${es.shopId}:${orderId}:dispatched`,
      shopId: es.shopId,
      orderId,
      kind: 'dispatched',
      occurredAt: new Date('2026-02-04T01:30:00Z'),
      onTime: true,
      detail: {},
    });
    // A notification about the order (its dedup key names it) and a human step of a case whose context names it.
    await createNotificationRepository(es.stack.database.db).store({
      dedupKey: `order:${es.shopId}:${orderId}:near_miss`,
      shopId: es.shopId,
      kind: 'order_near_miss',
      severity: 'warning',
      title: 'Dispatch close to its deadline',
      body: 'seeded',
    });
    await createHumanStepRepository(es.stack.database.db).open({
      shopId: es.shopId,
      caseKind: 'chargeback',
      caseId: 'CB-77',
      workflowId: 'chargeback:e2e:CB-77',
      stepKey: 'submit',
      updateName: 'recordSubmission',
      title: 'Submit the bundle in Seller Center',
      inputSchema: {},
      context: { orderId },
      dueAt: null,
    });
  });

  after(async () => {
    await es?.stop();
    await env?.teardown();
  });

  const path = (rest = '') => `/v1/shops/${es.shopId}/evidence-bundles${rest}`;
  const download = (rest: string, key = es.stack.adminKey) =>
    fetch(`${es.stack.baseUrl}${path(rest)}`, { headers: { authorization: `Bearer ${key}` } });

  test('POST builds the bundle; the downloaded PDF holds the order, address, scans, distance and our records', async () => {
    const built = await es.stack.call('POST', path(), { caseKind: 'chargeback', caseId: 'CB-77', orderId });
    assert.equal(built.status, 201, JSON.stringify(built.json));
    const ref = built.json;
    assert.equal(ref.caseKind, 'chargeback');
    assert.equal(ref.caseId, 'CB-77');
    assert.equal(ref.orderId, orderId);
    assert.match(ref.fileId, /^[0-9a-f]{64}$/);
    assert.equal(ref.sha256, ref.fileId);
    // Built by the evidenceBundle workflow, found by shop like the shop's other processes.
    const described = await es.stack.client.workflow
      .getHandle(evidenceBundleWorkflowId(es.shopId, 'chargeback', 'CB-77'))
      .describe();
    assert.equal(described.type, 'evidenceBundle');
    assert.equal(described.typedSearchAttributes.get(ShopId), es.shopId);
    // The newest timestamp in the data: the order's own times from the emulator are later than the seeded scans.
    assert.ok(Date.parse(ref.dataAsOf) >= Date.parse('2026-02-06T19:41:00Z'));

    const res = await download(`/${ref.bundleId}/content`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(
      res.headers.get('content-disposition'),
      `attachment; filename="evidence-chargeback-CB-77-${ref.dataAsOf.slice(0, 10)}.pdf"`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, ref.sizeBytes);
    const pdf = await pdfText(bytes);
    assert.equal(pdf.pageCount, ref.pageCount);
    assert.equal(pdf.creationDate?.toISOString(), ref.dataAsOf);
    const text = flat(pdf.text);

    assert.match(text, new RegExp(`Case Chargeback CB-77 Shop ${es.shopId} Order ${orderId}`));
    // The address as the emulator's Get Order Detail returned it.
    assert.match(text, /Name Renée Kowalski/);
    assert.match(text, /Full address 3100 Downing St, Denver, Colorado 80205/);
    // The order's two units are two lines of the seeded SKU.
    assert.equal(text.match(/SERUM-30/g)?.length, 2);
    // Every scan's time and place.
    assert.match(text, /2026-02-02 16:00:00 UTC pre_transit label_created Reno, NV 89502/);
    assert.match(text, /2026-02-04 01:30:00 UTC in_transit arrived_at_facility Sparks, NV 89431/);
    assert.match(text, /2026-02-06 19:41:00 UTC delivered arrived_at_destination Denver, CO 80205/);
    assert.match(text, /Gap 1 d 9 h 30 min \(33\.5 hours\)/);
    // Delivered in the address's own ZIP: 0 km between the centroids.
    assert.match(text, /Distance 0\.0 km \(0\.0 miles\)/);
    assert.match(text, /Signed by R KOWALSKI/);
    assert.match(text, /2026-02-04 01:30:00 UTC dispatch dispatched, on time/);
    assert.match(text, /Buyer messages None held/);
    assert.match(text, /order_near_miss: Dispatch close to its deadline/);
    assert.match(text, /opened \(chargeback CB-77\): Submit the bundle in Seller Center/);
  });

  test('a rebuild of the unchanged case answers the same file and row; the list finds it by case', async () => {
    const first = await es.stack.call('POST', path(), { caseKind: 'chargeback', caseId: 'CB-77', orderId });
    const second = await es.stack.call('POST', path(), { caseKind: 'chargeback', caseId: 'CB-77', orderId });
    assert.equal(second.status, 201);
    assert.equal(second.json.fileId, first.json.fileId);
    assert.equal(second.json.bundleId, first.json.bundleId);
    assert.equal(second.json.builtAt, first.json.builtAt);

    const listed = await es.stack.call('GET', path('?caseKind=chargeback&caseId=CB-77'));
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.json.bundles.map((b: { bundleId: string }) => b.bundleId),
      [first.json.bundleId],
    );
    const none = await es.stack.call('GET', path('?caseKind=dispute_appeal&caseId=CB-77'));
    assert.deepEqual(none.json.bundles, []);
    const one = await es.stack.call('GET', path(`/${first.json.bundleId}`));
    assert.equal(one.json.fileId, first.json.fileId);
  });

  test("another shop's key sees no bundle; a viewer cannot build one", async () => {
    const built = await es.stack.call('POST', path(), { caseKind: 'chargeback', caseId: 'CB-77', orderId });
    const other = await es.stack.call('POST', '/v1/api-keys', { name: 'other', role: 'admin', shopIds: ['shop-x'] });
    const viewer = await es.stack.call('POST', '/v1/api-keys', { name: 'v', role: 'viewer', shopIds: [es.shopId] });
    assert.equal((await download(`/${built.json.bundleId}/content`, other.json.key)).status, 404);
    assert.equal((await es.stack.call('GET', path(), undefined, other.json.key)).status, 404);
    assert.equal((await download(`/${built.json.bundleId}/content`, viewer.json.key)).status, 200);
    const refused = await es.stack.call('POST', path(), { caseKind: 'return', caseId: 'R1', orderId }, viewer.json.key);
    assert.equal(refused.status, 403);
  });
});
