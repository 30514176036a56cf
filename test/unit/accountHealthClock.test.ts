// The account-health workflow's pure helpers: the recordViolation validator (what a person typed from a Seller Center
// notice), the once-a-minute refresh throttle and the idle wake-up (a violation expiring, a failed refresh's retry).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idleTimeoutMs, refreshWaitMs } from '../../workflows/accountHealth/refreshClock';
import { violationInputProblems } from '../../workflows/accountHealth/violationInput';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const ok = {
  decidedBy: 'ops',
  noticeId: 'N-1',
  policy: 'late_dispatch',
  points: 30,
  occurredAt: '2026-12-01T09:00:00Z',
};

test('a complete notice has no problems; each wrong field is named', () => {
  assert.deepEqual(violationInputProblems(ok, NOW), []);
  assert.deepEqual(violationInputProblems({ ...ok, note: 'from the 1 Dec notice' }, NOW), []);
  assert.match(violationInputProblems({ ...ok, noticeId: ' ' }, NOW).join(), /noticeId/);
  assert.match(violationInputProblems({ ...ok, policy: '' }, NOW).join(), /policy/);
  assert.match(violationInputProblems({ ...ok, points: 2.5 }, NOW).join(), /points/);
  assert.match(violationInputProblems({ ...ok, points: 0 }, NOW).join(), /points/);
  assert.match(violationInputProblems({ ...ok, points: 1001 }, NOW).join(), /points/);
  assert.match(violationInputProblems({ ...ok, occurredAt: '1 Dec 2026' }, NOW).join(), /ISO 8601/);
  assert.match(violationInputProblems({ ...ok, occurredAt: '2026-12-06T12:00:00Z' }, NOW).join(), /future/);
  assert.match(violationInputProblems({ ...ok, occurredAt: '2025-11-01T00:00:00Z' }, NOW).join(), /more than a year/);
  assert.match(violationInputProblems({ ...ok, note: 'x'.repeat(1001) }, NOW).join(), /note/);
  assert.equal(violationInputProblems({ decidedBy: 'ops' }, NOW).length, 4);
});

test('refreshes are at least the interval apart; the first one is at once', () => {
  assert.equal(refreshWaitMs(undefined, NOW, 60_000), 0);
  assert.equal(refreshWaitMs(NOW - 15_000, NOW, 60_000), 45_000);
  assert.equal(refreshWaitMs(NOW - 60_000, NOW, 60_000), 0);
  assert.equal(refreshWaitMs(NOW - 600_000, NOW, 60_000), 0);
});

test('idle: asleep until a signal, or until the earliest of a violation expiry and a retry', () => {
  assert.equal(idleTimeoutMs(NOW, {}), undefined);
  assert.equal(idleTimeoutMs(NOW, { nextChangeAt: null }), undefined);
  assert.equal(idleTimeoutMs(NOW, { nextChangeAt: '2026-12-05T13:00:00Z' }), 3_600_000);
  assert.equal(idleTimeoutMs(NOW, { nextChangeAt: '2026-12-05T13:00:00Z', retryAt: NOW + 300_000 }), 300_000);
  // Already due: at once.
  assert.equal(idleTimeoutMs(NOW, { nextChangeAt: '2026-12-05T11:00:00Z' }), 0);
});
