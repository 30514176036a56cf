// The carrier history store (db/carrierTrackers.ts, migration 023): the latest history per order, a newer one
// replacing an older one and never the reverse, and accepted tracker.updated events kept whole, counted once per
// event id, and applied at once or, for a tracker we do not hold yet, when it is saved.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import type { CarrierTrackingHistory } from '../../integrations/carrierTracking/types';
import { testDatabase, type TestDatabase } from '../helpers/database';

const history = (trackerId: string, fetchedAt: string, scans: number): CarrierTrackingHistory => ({
  source: 'easypost',
  trackerId,
  carrier: 'USPS',
  trackingCode: `CODE-${trackerId}`,
  status: scans >= 3 ? 'delivered' : 'in_transit',
  scans: Array.from({ length: scans }, (_, i) => ({
    at: new Date(Date.UTC(2026, 2, 2 + i)).toISOString(),
    status: i === 0 ? 'pre_transit' : i === 2 ? 'delivered' : 'in_transit',
    message: `scan ${i + 1}`,
    location: { zip: `0703${i}` },
  })),
  fetchedAt,
});

void describe('carrier tracker store', () => {
  let database: TestDatabase;
  let repo: ReturnType<typeof createCarrierTrackerRepository>;
  before(async () => {
    database = await testDatabase();
    repo = createCarrierTrackerRepository(database.db);
  });
  after(async () => {
    await database?.drop();
  });

  test('save and latest: a history with more scans, or as many read later, replaces the stored one; fewer never', async () => {
    assert.equal(await repo.latest('shop1', 'o1'), undefined);
    await repo.save('shop1', 'o1', history('trk_a', '2026-03-03T00:00:00.000Z', 2));
    await repo.save('shop1', 'o1', history('trk_a', '2026-03-05T00:00:00.000Z', 3));
    await repo.save('shop1', 'o1', history('trk_a', '2026-03-04T00:00:00.000Z', 1));
    const latest = await repo.latest('shop1', 'o1');
    assert.equal(latest?.scans.length, 3);
    assert.equal(latest?.status, 'delivered');
    assert.equal(latest?.scans[2]?.location?.zip, '07032');
    // Another shop's order of the same id is another row.
    assert.equal(await repo.latest('shop2', 'o1'), undefined);
  });

  test('an event for a held tracker is applied; a repeated delivery counts on the same row', async () => {
    await repo.save('shop1', 'o2', history('trk_b', '2026-03-03T00:00:00.000Z', 1));
    const e = { eventId: 'evt_1', description: 'tracker.updated', body: { id: 'evt_1' } };
    const first = await repo.recordEvent({ ...e, history: history('trk_b', '2026-03-04T00:00:00.000Z', 2) });
    assert.deepEqual([first.applied, first.duplicate], [true, false]);
    const again = await repo.recordEvent({ ...e, history: history('trk_b', '2026-03-04T00:00:00.000Z', 2) });
    assert.deepEqual([again.applied, again.duplicate, again.id], [true, true, first.id]);
    assert.equal((await repo.latest('shop1', 'o2'))?.scans.length, 2);
    const events = await repo.events('trk_b');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.deliveries, 2);
  });

  test('an event that arrives before its tracker is kept and applied when the tracker is saved', async () => {
    const early = await repo.recordEvent({
      eventId: 'evt_early',
      description: 'tracker.updated',
      body: { id: 'evt_early', result: { id: 'trk_c' } },
      history: history('trk_c', '2026-03-06T00:00:00.000Z', 3),
    });
    assert.equal(early.applied, false);
    assert.equal((await repo.events('trk_c'))[0]!.applied_at, null);
    // The tracker as created earlier (fewer scans, older): the waiting event's newer history wins.
    await repo.save('shop1', 'o3', history('trk_c', '2026-03-03T00:00:00.000Z', 1));
    assert.equal((await repo.latest('shop1', 'o3'))?.scans.length, 3);
    assert.notEqual((await repo.events('trk_c'))[0]!.applied_at, null);
  });
});
