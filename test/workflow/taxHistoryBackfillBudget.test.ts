// The tax-history backfill calls TikTok at the lowest priority (CallOptions.background): in the shared PostgreSQL
// rate budget a background call queued FIRST is served after every later call of the same API and shop, with or
// without a deadline, so an order's calls are never delayed by it. Asserted through the queue order, not timing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '../../db/knex';
import { testDatabase, type TestDatabase } from '../helpers/database';
import {
  createInMemoryRateBudget,
  createPostgresRateBudget,
  parseRateLimitConfig,
  queueOrder,
} from '../../integrations/tiktok/rateBudget';

const API = 'GET /order/202309/orders';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

void describe('rate budget: background calls (tax-history backfill)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDatabase();
  });
  after(async () => {
    await database?.drop();
  });

  void test('queue order: background after deadline and no-deadline calls, FIFO among themselves', () => {
    const calls = [
      { name: 'bg-1', deadline: null, seq: 0, background: true },
      { name: 'none', deadline: null, seq: 1 },
      { name: 'bg-2', deadline: null, seq: 2, background: true },
      { name: 'd', deadline: 5, seq: 3 },
    ];
    assert.deepEqual(
      [...calls].sort(queueOrder).map((c) => c.name),
      ['d', 'none', 'bg-1', 'bg-2'],
    );
  });

  void test('in memory: a background call queued first is served last', async () => {
    const budget = createInMemoryRateBudget(parseRateLimitConfig('default=1/50ms'));
    await budget.acquire({ shopId: 's', api: API }); // takes the only token
    const order: string[] = [];
    const done = [
      budget.acquire({ shopId: 's', api: API, background: true }).then(() => order.push('backfill')),
      budget.acquire({ shopId: 's', api: API }).then(() => order.push('order-read')),
      budget
        .acquire({ shopId: 's', api: API, deadline: new Date(Date.now() + 60_000) })
        .then(() => order.push('order-urgent')),
    ];
    await Promise.all(done);
    await budget.close();
    assert.deepEqual(order, ['order-urgent', 'order-read', 'backfill']);
  });

  void test('PostgreSQL: a background call queued first is served after later order calls', async () => {
    const pool = createDb(database.url, 8);
    const budget = createPostgresRateBudget({ db: pool, limits: parseRateLimitConfig('default=1/100ms') });
    try {
      const shopId = 'tax-backfill-shop';
      await budget.acquire({ shopId, api: API }); // creates the bucket and takes its token
      const waiting = async () =>
        Number((await database.db('rate_budget_waiters').where({ shop_id: shopId }).count('* as n'))[0]!.n);
      const calls = [
        ['backfill-1', { background: true }],
        ['order-read', {}],
        ['backfill-2', { background: true }],
        ['order-urgent', { deadline: new Date(Date.now() + 3_600_000) }],
      ] as const;
      const order: string[] = [];
      const done: Promise<unknown>[] = [];
      // Holding the bucket row lock, nobody can be served: every call queues first, whatever the machine's load.
      await database.db.transaction(async (trx) => {
        await trx.raw('SELECT 1 FROM rate_budget_buckets WHERE shop_id = ? FOR UPDATE', [shopId]);
        for (const [i, [name, extra]] of calls.entries()) {
          done.push(budget.acquire({ shopId, api: API, ...extra }).then(() => order.push(name)));
          while ((await waiting()) < i + 1) await sleep(2);
        }
      });
      await Promise.all(done);
      assert.deepEqual(order, ['order-urgent', 'order-read', 'backfill-1', 'backfill-2']);
      assert.equal(await waiting(), 0);
    } finally {
      await budget.close();
      await pool.destroy();
    }
  });
});
