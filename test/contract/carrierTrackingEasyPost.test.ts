// Contract: our EasyPost client (integrations/easypost/tracking.ts, the official @easypost/api SDK) against the local
// EasyPost emulator (emulators/easypost/), one tracking story each: the scans' times, statuses and places come back
// as the story tells them; bad keys and bad input get EasyPost's error envelope through the SDK's errors; and the
// emulator's tracker.updated webhooks pass the SDK's validateWebhook in our receiver (webhooks/easypostInbox.ts),
// are stored and applied, while a forged one is refused (401) and kept as a dead letter.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import { createDeadLetterRepository } from '../../db/deadLetters';
import { startEasyPostEmulator, type RunningEasyPostEmulator } from '../../emulators/easypost/server';
import { easyPostJson, webhookSignature } from '../../emulators/easypost/signing';
import { createEasyPostTracking } from '../../integrations/easypost/tracking';
import { EASYPOST_WEBHOOK_SOURCE, ingestEasyPostWebhook } from '../../webhooks/easypostInbox';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { until } from '../helpers/until';

const KEY = 'EZTK_contract_key';
const SECRET = 'whsec-contract-ü'; // non-ASCII on purpose: the SDK normalizes the secret (NFKD) before the HMAC
const SHIPPED = Date.parse('2026-03-02T15:00:00Z');
const NOW = Date.parse('2026-03-20T00:00:00Z');
const hours = (h: number) => new Date(SHIPPED + h * 3_600_000).toISOString();
const origin = { city: 'CARSON', state: 'CA', zip: '90745' };
const destination = { city: 'HOBOKEN', state: 'NJ', zip: '07030' };

void describe('EasyPost trackers through the SDK against the emulator', () => {
  let emulator: RunningEasyPostEmulator;
  let database: TestDatabase;
  let receiver: http.Server;
  let receiverUrl: string;
  let clock = NOW;
  const tracking = () => createEasyPostTracking({ apiKey: KEY, baseUrl: emulator.baseUrl, now: () => new Date(clock) });
  const script = (code: string, story: string, extra: Record<string, unknown> = {}) =>
    fetch(`${emulator.url}/__admin/trackers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tracking_code: code,
        story,
        shipped_at: new Date(SHIPPED).toISOString(),
        origin,
        destination,
        ...extra,
      }),
    }).then((r) => {
      assert.equal(r.status, 201);
    });

  before(async () => {
    database = await testDatabase();
    const deadLetters = createDeadLetterRepository(database.db);
    // Our receiver as the API mounts it, minus Express: raw bytes and the signature header.
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void ingestEasyPostWebhook({ db: database.db, webhookSecret: SECRET, deadLetters }, Buffer.concat(chunks), {
          'x-hmac-signature': req.headers['x-hmac-signature'] as string | undefined,
        }).then((r) => {
          res.statusCode = r.status;
          res.end(JSON.stringify(r));
        });
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/easypost`;
    emulator = await startEasyPostEmulator({
      apiKeys: [KEY],
      webhook: { url: receiverUrl, secret: SECRET },
      tickMs: 50,
      retryDelaysMs: [],
      now: () => clock,
    });
  });
  after(async () => {
    await emulator?.close();
    receiver?.closeAllConnections();
    receiver?.close();
    await database?.drop();
  });

  test('normal delivery: every scan with its time and place, label vs first scan, the delivery door', async () => {
    await script('9400100000000000000101', 'delivered', { signed_by: 'J. RIVERA' });
    const h = await tracking().track({ carrier: 'USPS', trackingCode: '9400100000000000000101' });
    assert.match(h.trackerId, /^trk_[0-9a-f]{32}$/);
    assert.equal(h.carrier, 'USPS');
    assert.equal(h.status, 'delivered');
    assert.deepEqual(
      h.scans.map((s) => [s.at, s.status, s.location?.city, s.location?.zip]),
      [
        [hours(0), 'pre_transit', 'CARSON', '90745'],
        [hours(5), 'in_transit', 'CARSON', '90745'],
        [hours(9), 'in_transit', 'CARSON DISTRIBUTION CENTER', '90745'],
        [hours(38), 'in_transit', 'HOBOKEN DISTRIBUTION CENTER', '07030'],
        [hours(54), 'out_for_delivery', 'HOBOKEN', '07030'],
        [hours(61), 'delivered', 'HOBOKEN', '07030'],
      ],
    );
    assert.equal(h.scans[5]!.message, 'Delivered, Front Door/Porch');
    assert.equal(h.labelCreatedAt, hours(0));
    assert.equal(h.firstScanAt, hours(5));
    assert.equal(h.deliveredAt, hours(61));
    assert.deepEqual(h.deliveryLocation, { city: 'HOBOKEN', state: 'NJ', zip: '07030', country: 'US' });
    assert.equal(h.signedBy, 'J. RIVERA');
    assert.match(h.publicUrl ?? '', /^https:\/\/track\.easypost\.com\/djE6/);
    assert.equal(h.carrierDetail?.originLocation, 'CARSON CA, 90745');
    assert.equal(h.carrierDetail?.destinationLocation, 'HOBOKEN NJ, 07030');
    assert.equal(h.carrierDetail?.initialDeliveryAttempt, hours(61));
    assert.equal(h.fetchedAt, new Date(NOW).toISOString());
    // The same code again: EasyPost returns the tracker it has, not a second one.
    const again = await tracking().track({ carrier: 'USPS', trackingCode: '9400100000000000000101' });
    assert.equal(again.trackerId, h.trackerId);
  });

  test('label created but never scanned: one pre-transit entry, no first scan', async () => {
    await script('9400100000000000000102', 'label_only');
    const h = await tracking().track({ carrier: 'USPS', trackingCode: '9400100000000000000102' });
    assert.equal(h.status, 'pre_transit');
    assert.deepEqual(
      h.scans.map((s) => [s.at, s.status, s.statusDetail]),
      [[hours(0), 'pre_transit', 'label_created']],
    );
    assert.equal(h.labelCreatedAt, hours(0));
    assert.equal(h.firstScanAt, undefined);
    assert.equal(h.deliveredAt, undefined);
  });

  test('a late first scan: the carrier has the parcel 100 hours after the label', async () => {
    await script('9400100000000000000103', 'late_first_scan');
    const h = await tracking().track({ carrier: 'USPS', trackingCode: '9400100000000000000103' });
    assert.equal(h.labelCreatedAt, hours(0));
    assert.equal(h.firstScanAt, hours(100));
    assert.equal(h.deliveredAt, hours(152));
    assert.equal(h.status, 'delivered');
  });

  test('delivered to another ZIP than the address: the delivery scan names the other door', async () => {
    await script('9400100000000000000104', 'delivered_other_zip', {
      delivered_at: { city: 'PATERSON', state: 'NJ', zip: '07501' },
    });
    const h = await tracking().track({ carrier: 'USPS', trackingCode: '9400100000000000000104' });
    assert.equal(h.status, 'delivered');
    assert.deepEqual(h.deliveryLocation, { city: 'PATERSON', state: 'NJ', zip: '07501', country: 'US' });
    assert.equal(h.carrierDetail?.destinationLocation, 'HOBOKEN NJ, 07030');
    // Unscripted, the other door is a real ZIP 15-40 miles away (zipcodes' centroids), never the address's own.
    const u = await tracking().track({ carrier: 'USPS', trackingCode: 'EMU-OTHERZIP-1' });
    assert.equal(u.status, 'delivered');
    assert.notEqual(u.deliveryLocation?.zip, '07030');
    assert.match(u.deliveryLocation?.zip ?? '', /^\d{5}$/);
  });

  test('return to sender: a failed attempt, then back to the origin', async () => {
    await script('9400100000000000000105', 'return_to_sender');
    const h = await tracking().track({ carrier: 'USPS', trackingCode: '9400100000000000000105' });
    assert.equal(h.status, 'return_to_sender');
    assert.deepEqual(
      h.scans.slice(5).map((s) => [s.at, s.status, s.statusDetail, s.location?.zip]),
      [
        [hours(60), 'in_transit', 'delivery_exception', '07030'],
        [hours(108), 'return_to_sender', 'return', '07030'],
        [hours(130), 'return_to_sender', 'in_transit', '07030'],
        [hours(170), 'return_to_sender', 'arrived_at_destination', '90745'],
      ],
    );
    assert.equal(h.deliveredAt, undefined);
    assert.equal(h.carrierDetail?.initialDeliveryAttempt, hours(60));
  });

  test("EasyPost's own test codes end in their documented statuses", async () => {
    const want: Record<string, string> = {
      EZ1000000001: 'pre_transit',
      EZ2000000002: 'in_transit',
      EZ3000000003: 'out_for_delivery',
      EZ4000000004: 'delivered',
      EZ5000000005: 'return_to_sender',
      EZ6000000006: 'failure',
      EZ7000000007: 'unknown',
    };
    const got: Record<string, string> = {};
    for (const code of Object.keys(want))
      got[code] = (await tracking().track({ carrier: 'USPS', trackingCode: code })).status;
    assert.deepEqual(got, want);
  });

  test("bad key and bad input: EasyPost's error envelope, surfaced by the SDK's errors", async () => {
    const bad = createEasyPostTracking({ apiKey: 'EZTK_wrong', baseUrl: emulator.baseUrl });
    await assert.rejects(bad.track({ carrier: 'USPS', trackingCode: 'X' }), (err: any) => {
      assert.equal(err.statusCode, 401);
      assert.equal(err.code, 'APIKEY.INVALID');
      return true;
    });
    await assert.rejects(tracking().track({ carrier: 'USPS', trackingCode: '' }), (err: any) => {
      assert.equal(err.statusCode, 422);
      assert.equal(err.code, 'PARAMETER.REQUIRED');
      assert.deepEqual(err.errors, [{ field: 'tracker.tracking_code', message: 'cannot be blank' }]);
      return true;
    });
    const raw = await fetch(`${emulator.baseUrl}trackers/trk_missing`, {
      headers: { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` },
    });
    assert.equal(raw.status, 404);
    assert.deepEqual(await raw.json(), {
      error: { code: 'NOT_FOUND', message: 'The requested resource could not be found.', errors: [] },
    });
    const none = await fetch(`${emulator.baseUrl}trackers`, { method: 'POST' });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as any).error.code, 'APIKEY.REQUIRED');
  });

  test('signed tracker.updated webhooks are accepted and stored as scans come due; a forged one is refused and kept', async () => {
    const repo = createCarrierTrackerRepository(database.db);
    // Shipped 50 story hours ago in a demo where an hour lasts 10 ms: out for delivery and delivered are still due.
    clock = Date.now();
    const code = '9400100000000000000199';
    await fetch(`${emulator.url}/__admin/trackers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        tracking_code: code,
        story: 'delivered',
        shipped_at: new Date(clock - 500).toISOString(),
        time_scale: 0.01 / 3600,
        destination,
      }),
    });
    const created = await tracking().track({ carrier: 'USPS', trackingCode: code });
    assert.equal(created.status, 'in_transit');
    await repo.save('shopE', 'orderE', created);
    // Time passes on the emulator's clock: its ticker announces the new scans.
    clock += 200;
    await until(
      'delivered via webhook',
      async () => (await repo.latest('shopE', 'orderE'))?.status === 'delivered',
      10_000,
    );
    const latest = (await repo.latest('shopE', 'orderE'))!;
    assert.deepEqual(latest.scans.at(-1)?.location, { city: 'HOBOKEN', state: 'NJ', zip: '07030', country: 'US' });
    const events = await repo.events(created.trackerId);
    assert.ok(events.length >= 1);
    assert.ok(events.every((e) => e.applied_at !== null && e.description === 'tracker.updated'));
    assert.ok(emulator.deliveries.every((d) => d.status === 200));

    // A forged event: a valid Event body signed with another secret.
    const forgedBody = easyPostJson({
      id: 'evt_forged',
      object: 'Event',
      description: 'tracker.updated',
      result: { id: created.trackerId, tracking_code: code, status: 'delivered' },
    });
    const forged = await fetch(receiverUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'X-Hmac-Signature': webhookSignature(forgedBody, 'not-the-secret'),
      },
      body: forgedBody,
    });
    assert.equal(forged.status, 401);
    const unsigned = await fetch(receiverUrl, { method: 'POST', body: forgedBody });
    assert.equal(unsigned.status, 401);
    const letters = await database.db('dead_letters').where({ source: EASYPOST_WEBHOOK_SOURCE });
    assert.equal(letters.length, 1, 'the same forged body counts on one row');
    assert.equal(letters[0].count, 2);
    assert.equal(letters[0].raw_kept, false);
    assert.ok(String(letters[0].raw_body).includes('evt_forged'));
    assert.equal(
      (await repo.events(created.trackerId)).some((e) => e.event_id === 'evt_forged'),
      false,
    );
  });
});
