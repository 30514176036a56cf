import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiBucketOf,
  apiFamilyOf,
  createInMemoryRateBudget,
  grantInOrder,
  parseRateLimitConfig,
  refillBucket,
  resolveLimit,
  DEFAULT_RATE_LIMIT_SPEC,
  SEND_SLACK_MS,
} from '../../integrations/tiktok/rateBudget';
import type { TikTokLogger } from '../../integrations/tiktok/client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingLogger() {
  const warnings: Record<string, unknown>[] = [];
  const logger: TikTokLogger = { info: () => {}, warn: (obj) => warnings.push(obj), error: () => {} };
  return { logger, warnings };
}

describe('parseRateLimitConfig', () => {
  test('reads the default and per-family limits, with burst', () => {
    const config = parseRateLimitConfig('default=50/1s; fulfillment=100/60s ;order=20/s,burst=5\nproduct=500/1500ms');
    assert.deepEqual(config, {
      default: { requests: 50, perMs: 1000 },
      perApi: {
        fulfillment: { requests: 100, perMs: 60_000 },
        order: { requests: 20, perMs: 1000, burst: 5 },
        product: { requests: 500, perMs: 1500 },
      },
    });
    assert.deepEqual(parseRateLimitConfig('x=100/min').perApi, { x: { requests: 100, perMs: 60_000 } });
    assert.deepEqual(parseRateLimitConfig('x=1/2h').perApi, { x: { requests: 1, perMs: 7_200_000 } });
  });

  test('falls back to §4.4 (50 per second) when no default is given', () => {
    assert.deepEqual(parseRateLimitConfig(''), { default: { requests: 50, perMs: 1000 }, perApi: {} });
    assert.deepEqual(parseRateLimitConfig(DEFAULT_RATE_LIMIT_SPEC), parseRateLimitConfig(''));
    assert.deepEqual(parseRateLimitConfig('order=10/1s').default, { requests: 50, perMs: 1000 });
  });

  test('rejects malformed entries with a message naming them', () => {
    for (const bad of [
      'default',
      'default=50',
      'default=0/1s',
      'default=-5/1s',
      'default=50/1parsec',
      'default=50/0s',
      'Fulfil ment=5/1s',
      'order=5/1s;order=6/1s',
      'order=5/1s,burst=0',
      'order=5/1s,speed=3',
    ]) {
      assert.throws(() => parseRateLimitConfig(bad), /rate limit "/, bad);
    }
  });

  test('resolveLimit picks the family override, else the default; burst defaults to 1', () => {
    const config = parseRateLimitConfig('default=50/1s;fulfillment=100/60s,burst=10');
    // Paced over the window plus the send slack (SEND_SLACK_MS): see the next test.
    assert.deepEqual(resolveLimit(config, 'fulfillment'), { rate: 100 / (60_000 + SEND_SLACK_MS), burst: 10 });
    assert.deepEqual(resolveLimit(config, 'order'), { rate: 50 / (1000 + SEND_SLACK_MS), burst: 1 });
  });

  test("calls sent up to SEND_SLACK_MS after their token never exceed TikTok's limit in any window", () => {
    // TikTok counts calls as they arrive (§4.4). A saturated bucket hands its tokens out back to back; each call may
    // leave up to the slack later (a busy event loop, a waiter noticing its grant late). Worst case for a window
    // [t, t + perMs): every token granted in [t − slack, t + perMs) arrives inside it.
    for (const spec of ['default=50/1s', 'default=100/60s', 'default=20/1s']) {
      const config = parseRateLimitConfig(spec);
      const limit = resolveLimit(config, 'product');
      const { requests, perMs } = config.default;
      let state = { tokens: limit.burst, refilledAt: 0 };
      const grants: number[] = [];
      for (let now = 0; now <= 5 * perMs; now += perMs / 1000) {
        state = refillBucket(state, now, limit);
        const { delays, tokens } = grantInOrder(state.tokens, 1_000, limit, 0);
        state.tokens = tokens;
        for (const d of delays) grants.push(now + d);
      }
      let worst = 0;
      for (const g of grants) {
        const t = g + SEND_SLACK_MS; // a window starting when this grant's call arrives at the latest
        worst = Math.max(worst, grants.filter((x) => x >= t - SEND_SLACK_MS && x < t + perMs).length);
      }
      assert.ok(grants.length >= 4 * requests, `${spec}: saturated (${grants.length} grants)`);
      assert.ok(worst <= requests, `${spec}: ${worst} calls could arrive in one window of ${perMs} ms`);
    }
  });
});

describe('apiFamilyOf', () => {
  test('takes the first path segment of whatever the client passes', () => {
    assert.equal(apiFamilyOf('/fulfillment/202309/packages/{package_id}/ship'), 'fulfillment');
    assert.equal(apiFamilyOf('POST /fulfillment/202309/packages/{package_id}/ship'), 'fulfillment');
    assert.equal(apiFamilyOf('GET /order/202309/orders?ids=1,2'), 'order');
    assert.equal(apiFamilyOf('https://open-api.tiktokglobalshop.com/product/202309/products/search'), 'product');
    assert.equal(apiFamilyOf('return_refund'), 'return_refund');
    assert.equal(apiFamilyOf('/'), '_root');
  });
});

describe('apiBucketOf', () => {
  test('one bucket per method and path template; host and query string left out', () => {
    assert.equal(apiBucketOf('GET /order/202309/orders'), 'GET /order/202309/orders');
    assert.equal(
      apiBucketOf('get https://open-api.tiktokglobalshop.com/order/202309/orders?ids=1'),
      'GET /order/202309/orders',
    );
    assert.equal(
      apiBucketOf('POST /fulfillment/202309/packages/{package_id}/ship'),
      'POST /fulfillment/202309/packages/{package_id}/ship',
    );
    assert.notEqual(apiBucketOf('GET /order/202309/orders'), apiBucketOf('POST /order/202406/orders/external_orders'));
    assert.equal(apiBucketOf('/order/x'), '/order/x');
  });
});

describe('token bucket math', () => {
  const limit = { rate: 20 / 1000, burst: 5 };

  test('refills continuously and caps at the burst', () => {
    assert.deepEqual(refillBucket({ tokens: 0, refilledAt: 1000 }, 1100, limit), { tokens: 2, refilledAt: 1100 });
    assert.deepEqual(refillBucket({ tokens: 0, refilledAt: 1000 }, 1025, limit), { tokens: 0.5, refilledAt: 1025 });
    assert.deepEqual(refillBucket({ tokens: 4, refilledAt: 0 }, 10_000, limit), { tokens: 5, refilledAt: 10_000 });
    // debt (tokens promised ahead) is paid back first
    assert.deepEqual(refillBucket({ tokens: -1, refilledAt: 0 }, 50, limit), { tokens: 0, refilledAt: 50 });
  });

  test('a clock going backwards adds nothing and does not move refilledAt back', () => {
    assert.deepEqual(refillBucket({ tokens: 1, refilledAt: 2000 }, 1500, limit), { tokens: 1, refilledAt: 2000 });
  });

  test('grants in order, each when its token exists, within the look-ahead', () => {
    assert.deepEqual(grantInOrder(2.5, 10, limit, 0), { delays: [0, 0], tokens: 0.5 });
    const ahead = grantInOrder(0.5, 10, limit, 80);
    assert.deepEqual(
      ahead.delays.map((d) => Math.round(d)),
      [25, 75],
    );
    assert.ok(Math.abs(ahead.tokens - -1.5) < 1e-9);
    assert.deepEqual(grantInOrder(3, 1, limit, 1000).delays, [0], 'never more grants than waiters');
  });
});

describe('in-memory budget', () => {
  const oneBy = (ms: number, burst = 1) =>
    parseRateLimitConfig(`default=1/${ms}ms${burst > 1 ? `,burst=${burst}` : ''}`);

  test('serves deadlines earliest first, then calls without a deadline FIFO', async () => {
    const budget = createInMemoryRateBudget(oneBy(30));
    try {
      const shopId = 's1';
      const api = 'POST /fulfillment/202309/packages/{package_id}/ship';
      await budget.acquire({ shopId, api }); // drains the single token
      const order: string[] = [];
      const base = Date.now() + 3_600_000;
      const calls = [
        ['none-1', undefined],
        ['d+30', base + 30_000],
        ['none-2', undefined],
        ['d+10', base + 10_000],
        ['d+20', base + 20_000],
        ['none-3', undefined],
        ['d+10b', base + 10_000],
      ] as const;
      await Promise.all(
        calls.map(([name, deadline]) =>
          budget
            .acquire({ shopId, api, ...(deadline ? { deadline: new Date(deadline) } : {}) })
            .then(() => order.push(name)),
        ),
      );
      assert.deepEqual(order, ['d+10', 'd+10b', 'd+20', 'd+30', 'none-1', 'none-2', 'none-3']);
    } finally {
      await budget.close();
    }
  });

  test('a late, more urgent call overtakes the waiting ones', async () => {
    const budget = createInMemoryRateBudget(oneBy(40));
    try {
      const order: string[] = [];
      const api = 'GET /order/202309/orders';
      await budget.acquire({ shopId: 's', api });
      const a = budget.acquire({ shopId: 's', api }).then(() => order.push('a'));
      const b = budget.acquire({ shopId: 's', api }).then(() => order.push('b'));
      await sleep(10);
      const urgent = budget
        .acquire({ shopId: 's', api, deadline: new Date(Date.now() + 60_000) })
        .then(() => order.push('urgent'));
      await Promise.all([a, b, urgent]);
      assert.deepEqual(order, ['urgent', 'a', 'b']);
    } finally {
      await budget.close();
    }
  });

  test('shops and APIs have separate buckets; the per-family limit applies to each API of the family', async () => {
    const budget = createInMemoryRateBudget(parseRateLimitConfig('default=1/10s;order=3/10s,burst=3'));
    try {
      const quick = async (shopId: string, api: string) => {
        const started = Date.now();
        await budget.acquire({ shopId, api });
        return Date.now() - started;
      };
      assert.ok((await quick('a', '/product/1')) < 200);
      assert.ok((await quick('b', '/product/1')) < 200, 'another shop');
      assert.ok((await quick('a', '/fulfillment/1')) < 200, 'another family');
      for (let i = 0; i < 3; i++) assert.ok((await quick('a', 'GET /order/202309/orders')) < 200, 'order burst 3');
      for (let i = 0; i < 3; i++) {
        assert.ok((await quick('a', 'POST /order/202406/orders/external_orders')) < 200, 'another order API, burst 3');
      }
      const sameApi = Date.now();
      let detailDone = false;
      const detail = budget
        .acquire({ shopId: 'a', api: 'GET /order/202309/orders?ids=2' })
        .then(() => (detailDone = true));
      let done = false;
      const blocked = budget.acquire({ shopId: 'a', api: '/product/1' }).then(() => (done = true));
      await sleep(60);
      assert.equal(done, false, 'the product bucket of shop a is empty for 10 s');
      assert.equal(detailDone, false, `Get Order Detail's bucket is empty (${Date.now() - sameApi} ms)`);
      blocked.catch(() => {});
      detail.catch(() => {});
    } finally {
      await budget.close();
    }
  });

  test('refills from the injected clock, not from the wall clock', async () => {
    let now = 1_000_000;
    const budget = createInMemoryRateBudget(oneBy(50, 3), { clock: () => now });
    try {
      for (let i = 0; i < 3; i++) await budget.acquire({ shopId: 's', api: '/order' });
      let done = false;
      const fourth = budget.acquire({ shopId: 's', api: '/order' }).then(() => (done = true));
      await sleep(150);
      assert.equal(done, false, 'the fake clock has not moved, so no token was added');
      // One token per 50 ms, paced over the window plus the send slack: 250 ms on the injected clock.
      now += 49 + SEND_SLACK_MS;
      await sleep(80);
      assert.equal(done, false, '249 ms of the 250 ms refill');
      now += 1;
      await fourth;
      assert.equal(done, true);
    } finally {
      await budget.close();
    }
  });

  test('a call whose deadline passed still proceeds, with a warning', async () => {
    const { logger, warnings } = recordingLogger();
    const budget = createInMemoryRateBudget(oneBy(60), { logger });
    try {
      await budget.acquire({ shopId: 's', api: '/order/a', deadline: new Date(Date.now() + 60_000) });
      assert.equal(warnings.length, 0);
      await budget.acquire({ shopId: 's', api: '/order/a', deadline: new Date(Date.now() + 5) });
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]!.shop_id, 's');
      assert.equal(warnings[0]!.api_family, 'order');
      assert.ok((warnings[0]!.late_ms as number) >= 30);
    } finally {
      await budget.close();
    }
  });

  test('steady rate with a burst: burst at once, then one per interval', async () => {
    const budget = createInMemoryRateBudget(parseRateLimitConfig('default=50/1s,burst=5'));
    try {
      const started = Date.now();
      const times = await Promise.all(
        Array.from({ length: 30 }, () =>
          budget.acquire({ shopId: 's', api: '/order' }).then(() => Date.now() - started),
        ),
      );
      times.sort((a, b) => a - b);
      assert.ok(times[4]! < 15, `the burst goes at once (${times[4]} ms)`);
      const rate = (25 / (times[29]! - times[4]!)) * 1000;
      const paced = (50 / (1000 + SEND_SLACK_MS)) * 1000; // 41.7/s (resolveLimit)
      assert.ok(rate > paced * 0.9 && rate < paced * 1.1, `steady rate ${rate.toFixed(1)}/s`);
    } finally {
      await budget.close();
    }
  });

  test('close rejects pending calls', async () => {
    const budget = createInMemoryRateBudget(oneBy(10_000));
    await budget.acquire({ shopId: 's', api: '/order' });
    const pending = budget.acquire({ shopId: 's', api: '/order' });
    await budget.close();
    await assert.rejects(pending, /closed/);
    await assert.rejects(budget.acquire({ shopId: 's', api: '/order' }), /closed/);
  });
});
