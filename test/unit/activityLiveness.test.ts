// Issue 12 item 11: an order activity running on a worker that is SIGKILLed must be retried elsewhere within seconds,
// not after its 5-minute start-to-close timeout. The activities heartbeat while they run; the order's activity
// options time out a silent one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { msToNumber } from '@temporalio/common/lib/time';
import { LIVENESS_HEARTBEAT_MS, withLivenessHeartbeat } from '../../temporal/activityLiveness';
import { ORDER_ACTIVITY_OPTIONS } from '../../workflows/orderAcknowledgment/proxies';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a wrapped activity heartbeats while it runs and stops when it returns', async () => {
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => void (beats += 1));
  const { slow } = withLivenessHeartbeat({ slow: async (ms: number) => (await sleep(ms), 'done') }, 20);
  assert.equal(await env.run(slow, 200), 'done');
  const during = beats;
  // About 10 at 20 ms; timers run late on a loaded machine, so only a few are required.
  assert.ok(during >= 2, `heartbeats while running: ${during}`);
  await sleep(80);
  assert.equal(beats, during, 'no heartbeat after the activity returned');
});

test('a local activity and a call outside an activity run without heartbeats', async () => {
  const env = new MockActivityEnvironment({ isLocal: true });
  let beats = 0;
  env.on('heartbeat', () => void (beats += 1));
  const { slow } = withLivenessHeartbeat({ slow: async (ms: number) => (await sleep(ms), 'done') }, 20);
  assert.equal(await env.run(slow, 100), 'done');
  assert.equal(beats, 0);
  assert.equal(await slow(10), 'done');
});

test('a failing activity still stops heartbeating', async () => {
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => void (beats += 1));
  const { failing } = withLivenessHeartbeat(
    {
      failing: async () => {
        await sleep(60);
        throw new Error('boom');
      },
    },
    20,
  );
  await assert.rejects(env.run(failing), /boom/);
  const after = beats;
  await sleep(60);
  assert.equal(beats, after);
});

test("the order's activities time out a silent attempt in seconds (heartbeat timeout), not at start-to-close", () => {
  const heartbeatTimeout = ORDER_ACTIVITY_OPTIONS.heartbeatTimeout;
  assert.ok(heartbeatTimeout !== undefined, 'the order activities have a heartbeat timeout');
  const ms = msToNumber(heartbeatTimeout);
  // At least three liveness heartbeats fit in it (one late heartbeat on a busy worker is no failure), and a dead
  // worker's activity is retried well inside the chaos run's 60 s drain target.
  assert.ok(ms >= 3 * LIVENESS_HEARTBEAT_MS, `heartbeat timeout ${ms} ms`);
  assert.ok(ms <= 30_000, `heartbeat timeout ${ms} ms`);
});
