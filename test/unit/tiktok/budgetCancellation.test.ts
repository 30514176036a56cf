// Issue 12 item 3: a TikTok call waiting in the shared rate budget heartbeats from the budget's wait loop and gives up
// when its activity is cancelled or timed out, so a stale attempt never makes its call later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { z } from 'zod';
import { heartbeatCheckpoint } from '../../../integrations/tiktok/activityHooks';
import { createInMemoryRateBudget, parseRateLimitConfig } from '../../../integrations/tiktok/rateBudget';
import { SHOP, envelope, jsonResponse, makeClient } from './fakeTikTok';

const PATH = '/order/202309/orders/search';

function setUp() {
  // One call per 1.5 s; the test takes the only token first, so the activity's call has to wait for the next one.
  const budget = createInMemoryRateBudget(parseRateLimitConfig('default=1/1500ms'), { waitBeatMs: 100 });
  const tc = makeClient([() => jsonResponse(200, envelope(0, { orders: [] }))], { budget });
  const call = () =>
    tc.client.request({
      method: 'POST',
      path: PATH,
      body: {},
      shopId: SHOP.shopId,
      shopCipher: SHOP.shopCipher,
      schema: z.looseObject({ orders: z.array(z.unknown()) }),
    });
  return { budget, tc, call };
}

test('an activity cancelled while its call waits in the rate budget never sends the call', async () => {
  const { budget, tc, call } = setUp();
  try {
    await budget.acquire({ shopId: SHOP.shopId, api: `POST ${PATH}` });
    // pushAndConfirmInventory's heartbeat timeout (workflows/inventoryFeed/proxies.ts).
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 20_000 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const running = env.run(async () => {
      heartbeatCheckpoint({ chunk: 3 });
      return call();
    });
    running.catch(() => undefined);
    await sleep(450);
    // Heartbeats from the wait, repeating the activity's own checkpoint (never an empty one that would erase it).
    assert.ok(beats.length >= 3, `${beats.length} heartbeats while waiting`);
    assert.ok(
      beats.every((d) => JSON.stringify(d) === '{"chunk":3}'),
      JSON.stringify(beats),
    );
    env.cancel('TIMED_OUT');
    await assert.rejects(running, (err) => err instanceof CancelledFailure);
    await sleep(1_500); // the token the call waited for exists by now
    assert.equal(tc.requests.length, 0, 'the cancelled attempt made its TikTok call anyway');
    // Its place is given up: the next call gets the token at once.
    await call();
    assert.equal(tc.requests.length, 1);
  } finally {
    await budget.close();
  }
});

test('an activity without a heartbeat timeout sends no heartbeat from the wait, and is still cancelled', async () => {
  const { budget, tc, call } = setUp();
  try {
    await budget.acquire({ shopId: SHOP.shopId, api: `POST ${PATH}` });
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const running = env.run(() => call());
    running.catch(() => undefined);
    await sleep(300);
    env.cancel('TIMED_OUT');
    await assert.rejects(running, (err) => err instanceof CancelledFailure);
    await sleep(1_500);
    assert.equal(beats.length, 0);
    assert.equal(tc.requests.length, 0);
  } finally {
    await budget.close();
  }
});

test('outside an activity the same call waits and is sent as before', async () => {
  const { budget, tc, call } = setUp();
  try {
    await budget.acquire({ shopId: SHOP.shopId, api: `POST ${PATH}` });
    const started = Date.now();
    await call();
    assert.ok(Date.now() - started >= 1_000);
    assert.equal(tc.requests.length, 1);
  } finally {
    await budget.close();
  }
});
