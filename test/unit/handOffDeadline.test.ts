// The hand-off's place in the shop's rate budget: ahead of calls whose deadline is days away, never after its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { handOffDeadline } from '../../activities/orderAcknowledgment';
import { URGENT_DEADLINE_MS } from '../../activities/inventory';

const now = Date.parse('2026-11-28T12:00:00Z');

test('a hand-off waits like a stock-out, not by a carrier-scan deadline two days away', () => {
  assert.equal(handOffDeadline('2026-11-30T23:59:00Z', now), new Date(now + URGENT_DEADLINE_MS).toISOString());
  assert.equal(handOffDeadline(undefined, now), new Date(now + URGENT_DEADLINE_MS).toISOString());
});

test('an order whose carrier scan is due sooner keeps that deadline', () => {
  assert.equal(handOffDeadline('2026-11-28T12:00:01Z', now), '2026-11-28T12:00:01.000Z');
});
