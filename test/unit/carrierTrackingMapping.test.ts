// EasyPost's Tracker JSON as our CarrierTrackingHistory (integrations/easypost/tracking.ts): scans oldest first with
// their places, label created vs first carrier scan, the delivery scan's place, signed_by, public_url and the
// carrier_detail facts; missing or null fields (data varies by carrier) are left out, not invented.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyFromTracker, type EasyPostTrackerJson } from '../../integrations/easypost/tracking';

const loc = (city: string | null, state: string | null, zip: string | null) => ({
  object: 'TrackingLocation',
  city,
  state,
  country: 'US',
  zip,
});

const tracker: EasyPostTrackerJson = {
  id: 'trk_0123456789abcdef',
  tracking_code: '9400100000000000000001',
  carrier: 'USPS',
  status: 'delivered',
  signed_by: 'J. RIVERA',
  public_url: 'https://track.easypost.com/djE6dHJrXzAxMjM',
  updated_at: '2026-03-05T20:00:00Z',
  est_delivery_date: '2026-03-05T00:00:00Z',
  // Listed out of order on purpose: a carrier's late correction can be.
  tracking_details: [
    {
      datetime: '2026-03-03T06:10:00Z',
      status: 'in_transit',
      status_detail: 'arrived_at_facility',
      message: 'Arrived at USPS Regional Facility',
      tracking_location: loc('KEARNY', 'NJ', '07032'),
    },
    {
      datetime: '2026-03-02T15:04:00Z',
      status: 'pre_transit',
      status_detail: 'label_created',
      message: 'Shipping Label Created, USPS Awaiting Item',
      tracking_location: loc('CARSON', 'CA', '90745'),
    },
    {
      datetime: '2026-03-02T23:40:00Z',
      status: 'in_transit',
      status_detail: 'received_at_origin_facility',
      message: 'Accepted at USPS Origin Facility',
      tracking_location: loc('CARSON', 'CA', '90745'),
    },
    {
      datetime: '2026-03-05T18:22:00Z',
      status: 'delivered',
      status_detail: 'arrived_at_destination',
      message: 'Delivered, Front Door/Porch',
      tracking_location: loc('HOBOKEN', 'NJ', '07030'),
    },
    { datetime: 'not a date', status: 'in_transit', message: 'dropped: no time' },
    {
      datetime: '2026-03-05T08:01:00Z',
      status: 'out_for_delivery',
      status_detail: null,
      message: 'Out for Delivery',
      tracking_location: loc(null, null, null),
    },
  ],
  carrier_detail: {
    service: 'Ground Advantage',
    origin_location: 'CARSON CA, 90745',
    destination_location: 'JERSEY CITY NJ, 07302',
    initial_delivery_attempt: '2026-03-05T18:22:00Z',
    est_delivery_date_local: null,
  },
};

test('a delivered tracker: scans oldest first, label vs first scan, delivery place, proof-of-delivery fields', () => {
  const h = historyFromTracker(tracker, '2026-03-06T00:00:00.000Z');
  assert.equal(h.source, 'easypost');
  assert.equal(h.trackerId, 'trk_0123456789abcdef');
  assert.equal(h.carrier, 'USPS');
  assert.equal(h.trackingCode, '9400100000000000000001');
  assert.equal(h.status, 'delivered');
  assert.equal(h.signedBy, 'J. RIVERA');
  assert.equal(h.publicUrl, 'https://track.easypost.com/djE6dHJrXzAxMjM');
  assert.deepEqual(
    h.scans.map((s) => [s.at, s.status, s.location?.zip]),
    [
      ['2026-03-02T15:04:00.000Z', 'pre_transit', '90745'],
      ['2026-03-02T23:40:00.000Z', 'in_transit', '90745'],
      ['2026-03-03T06:10:00.000Z', 'in_transit', '07032'],
      ['2026-03-05T08:01:00.000Z', 'out_for_delivery', undefined],
      ['2026-03-05T18:22:00.000Z', 'delivered', '07030'],
    ],
  );
  assert.deepEqual(h.scans[0], {
    at: '2026-03-02T15:04:00.000Z',
    status: 'pre_transit',
    statusDetail: 'label_created',
    message: 'Shipping Label Created, USPS Awaiting Item',
    location: { city: 'CARSON', state: 'CA', zip: '90745', country: 'US' },
  });
  // A location with only a country is kept as such; one with nothing at all is left out.
  assert.deepEqual(h.scans[3], {
    at: '2026-03-05T08:01:00.000Z',
    status: 'out_for_delivery',
    message: 'Out for Delivery',
    location: { country: 'US' },
  });
  assert.equal(h.labelCreatedAt, '2026-03-02T15:04:00.000Z');
  assert.equal(h.firstScanAt, '2026-03-02T23:40:00.000Z');
  assert.equal(h.deliveredAt, '2026-03-05T18:22:00.000Z');
  assert.deepEqual(h.deliveryLocation, { city: 'HOBOKEN', state: 'NJ', zip: '07030', country: 'US' });
  assert.deepEqual(h.carrierDetail, {
    service: 'Ground Advantage',
    originLocation: 'CARSON CA, 90745',
    destinationLocation: 'JERSEY CITY NJ, 07302',
    initialDeliveryAttempt: '2026-03-05T18:22:00.000Z',
    estDeliveryDate: '2026-03-05T00:00:00.000Z',
  });
  assert.equal(h.fetchedAt, '2026-03-06T00:00:00.000Z');
});

test('a label never scanned: label created, no first scan, no delivery; empty fields are left out', () => {
  const h = historyFromTracker(
    {
      id: 'trk_x',
      tracking_code: 'EZ1000000001',
      carrier: 'USPS',
      status: 'pre_transit',
      signed_by: null,
      public_url: '',
      tracking_details: [tracker.tracking_details![1]!],
      carrier_detail: null,
    },
    '2026-03-06T00:00:00.000Z',
  );
  assert.equal(h.labelCreatedAt, '2026-03-02T15:04:00.000Z');
  assert.equal(h.firstScanAt, undefined);
  assert.equal(h.deliveredAt, undefined);
  for (const key of ['signedBy', 'publicUrl', 'deliveryLocation', 'carrierDetail', 'firstScanAt'] as const) {
    assert.equal(key in h, false, key);
  }
});

test('no tracking details at all: an empty timeline with the tracker status', () => {
  const h = historyFromTracker({ id: 'trk_y', tracking_code: 'X1', status: null }, '2026-03-06T00:00:00.000Z');
  assert.deepEqual(h.scans, []);
  assert.equal(h.status, 'unknown');
  assert.equal(h.carrier, '');
});
