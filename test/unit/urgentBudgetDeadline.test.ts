// An urgent call's place in the shop's rate budget (hand-off, first read, stock-out): ahead of calls whose deadline
// is days away, never after its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { URGENT_DEADLINE_MS, urgentBudgetDeadline } from '../../workflows/shared/taskPriority';

const now = Date.parse('2026-11-28T12:00:00Z');

test('an urgent call waits at most URGENT_DEADLINE_MS, not by a carrier-scan deadline two days away', () => {
  assert.equal(urgentBudgetDeadline('2026-11-30T23:59:00Z', now), new Date(now + URGENT_DEADLINE_MS).toISOString());
  assert.equal(urgentBudgetDeadline(undefined, now), new Date(now + URGENT_DEADLINE_MS).toISOString());
});

test('an order whose carrier scan is due sooner keeps that deadline', () => {
  assert.equal(urgentBudgetDeadline('2026-11-28T12:00:01Z', now), '2026-11-28T12:00:01.000Z');
});
