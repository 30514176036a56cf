// The EasyPost webhook route through the real API (api/routes/webhooks.ts, POST /webhooks/easypost) with the test
// stack's EasyPost emulator: the emulator's signed tracker.updated reaches the API and the tracker's new scans are
// stored for the order; a forged one is answered 401 and listed among the dead letters; a signed event about a
// tracker we do not hold yet is accepted and kept, not dropped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import { easyPostJson, webhookSignature } from '../../emulators/easypost/signing';
import { createEasyPostTracking } from '../../integrations/easypost/tracking';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

void describe('POST /webhooks/easypost', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const post = (body: string, signature?: string) =>
    fetch(`${stack.baseUrl}/webhooks/easypost`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'X-Hmac-Signature': signature } : {}) },
      body,
    });

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test("the emulator's signed tracker.updated is accepted and the order's history grows", async () => {
    const easypost = stack.easypost!;
    const repo = createCarrierTrackerRepository(stack.database.db);
    const code = 'EMU-E2E-0001';
    // Shipped 40 hours ago: in transit now, out for delivery and delivered still to come.
    easypost.script(code, { story: 'delivered', shippedAt: Date.now() - 40 * 3_600_000 });
    const tracking = createEasyPostTracking({
      apiKey: stack.cfg.EASYPOST_API_KEY!,
      baseUrl: stack.cfg.EASYPOST_API_BASE_URL,
    });
    const created = await tracking.track({ carrier: 'USPS', trackingCode: code });
    assert.equal(created.status, 'in_transit');
    await repo.save('shopW', 'orderW', created);
    // The carrier delivers (the script moves the shipment back two days); the emulator pushes the update.
    easypost.script(code, { story: 'delivered', shippedAt: Date.now() - 90 * 3_600_000 });
    await until(
      'the delivered scan via webhook',
      async () => (await repo.latest('shopW', 'orderW'))?.status === 'delivered',
      15_000,
    );
    const latest = (await repo.latest('shopW', 'orderW'))!;
    assert.equal(latest.scans.length, 6);
    assert.deepEqual(latest.deliveryLocation, { city: 'HOBOKEN', state: 'NJ', zip: '07030', country: 'US' });
    const events = await repo.events(created.trackerId);
    assert.ok(events.length >= 1 && events.every((e) => e.applied_at !== null));
    assert.ok(easypost.deliveries.length >= 1 && easypost.deliveries.every((d) => d.status === 200));
  });

  test('a forged event: 401, nothing stored, listed among the dead letters', async () => {
    const body = easyPostJson({
      id: 'evt_forged_e2e',
      object: 'Event',
      description: 'tracker.updated',
      result: { id: 'trk_forged', tracking_code: 'X', status: 'delivered' },
    });
    const res = await post(body, webhookSignature(body, 'a guessed secret'));
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as any).error.code, 'invalid_signature');
    assert.deepEqual(await createCarrierTrackerRepository(stack.database.db).events('trk_forged'), []);
    const letters = await stack.call('GET', '/v1/dead-letters?source=webhook:easypost');
    assert.equal(letters.status, 200);
    assert.equal(letters.json.deadLetters.length, 1);
    assert.match(letters.json.deadLetters[0].reason, /invalid webhook signature/);
  });

  test('a signed event about a tracker we do not hold yet: 200, kept until the tracker is saved', async () => {
    const body = easyPostJson({
      id: 'evt_early_e2e',
      object: 'Event',
      description: 'tracker.updated',
      result: {
        id: 'trk_early',
        tracking_code: 'EARLY1',
        carrier: 'USPS',
        status: 'pre_transit',
        tracking_details: [],
      },
    });
    const res = await post(body, webhookSignature(body, stack.cfg.EASYPOST_WEBHOOK_SECRET!));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: 'evt_early_e2e', applied: false, duplicate: false });
    const events = await createCarrierTrackerRepository(stack.database.db).events('trk_early');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.applied_at, null);
  });
});
