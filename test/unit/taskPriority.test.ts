import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deadlinePriority, URGENT } from '../../workflows/shared/taskPriority';
import { forwardStatus } from '../../workflows/orderAcknowledgment/orderStatus';

describe('deadlinePriority', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const inMinutes = (m: number) => new Date(now + m * 60_000).toISOString();
  const cfg = { levels: 100, deadlineStepMs: 60_000 };

  test('one key per step of time left, after the urgent key and before the default', () => {
    assert.deepEqual(deadlinePriority(cfg, inMinutes(0.5), now), {
      priority: { priorityKey: 2 },
      allowEagerDispatch: false,
    });
    assert.equal(deadlinePriority(cfg, inMinutes(5.2), now)?.priority?.priorityKey, 7);
    assert.equal(deadlinePriority(cfg, inMinutes(-3), now)?.priority?.priorityKey, 2); // already late: first
    assert.ok(URGENT.priorityKey! < 2);
  });

  test('far deadlines share the last key before the default and keep eager dispatch', () => {
    const far = deadlinePriority(cfg, inMinutes(2 * 24 * 60), now);
    assert.deepEqual(far, { priority: { priorityKey: 49 } }); // the server's default key is (100 + 1) / 2 = 50
  });

  test("the server's default 5 keys: every deadline call gets key 2, ahead of the default 3", () => {
    assert.equal(deadlinePriority({ levels: 5, deadlineStepMs: 60_000 }, inMinutes(1), now)?.priority?.priorityKey, 2);
    assert.equal(
      deadlinePriority({ levels: 5, deadlineStepMs: 60_000 }, inMinutes(900), now)?.priority?.priorityKey,
      2,
    );
  });

  test('no configuration, no deadline or too few keys: no priority', () => {
    assert.equal(deadlinePriority(undefined, inMinutes(5), now), undefined);
    assert.equal(deadlinePriority(cfg, undefined, now), undefined);
    assert.equal(deadlinePriority({ levels: 2, deadlineStepMs: 60_000 }, inMinutes(5), now), undefined);
  });
});

describe('forwardStatus', () => {
  test('the furthest signalled status when all move the order forward', () => {
    assert.equal(forwardStatus('ON_HOLD', ['AWAITING_SHIPMENT']), 'AWAITING_SHIPMENT');
    assert.equal(forwardStatus('AWAITING_SHIPMENT', ['IN_TRANSIT', 'AWAITING_COLLECTION']), 'IN_TRANSIT');
  });

  test('a repeat, a step back, a cancellation or an unknown status is not taken at its word', () => {
    assert.equal(forwardStatus('AWAITING_COLLECTION', ['AWAITING_COLLECTION']), undefined);
    assert.equal(forwardStatus('IN_TRANSIT', ['AWAITING_COLLECTION']), undefined);
    assert.equal(forwardStatus('AWAITING_SHIPMENT', ['CANCELLED']), undefined);
    assert.equal(forwardStatus('AWAITING_SHIPMENT', ['AWAITING_COLLECTION', 'CANCELLED']), undefined);
    assert.equal(forwardStatus('UNKNOWN', ['AWAITING_SHIPMENT']), undefined);
    assert.equal(forwardStatus('ON_HOLD', []), undefined);
  });
});
