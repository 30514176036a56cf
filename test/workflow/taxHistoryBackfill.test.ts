// The tax-history backfill on the dev server against the TikTok emulator: walks back month by month (newest first),
// every TikTok call marked `background` (the rate budget's lowest priority), stores the seeded month's lines, records
// each month as covered and syncs FBT presence; its progress query and result carry counts only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTaxDataActivities } from '../../activities/taxData';
import { createTaxSalesRepository } from '../../db/taxSales';
import type { TaxSeedAnswer } from '../../emulators/tiktok-shop/taxSeed';
import type { TikTokClient } from '../../integrations/tiktok/client';
import { createDataConverter } from '../../temporal/connection';
import { taxBackfillWorkflowId } from '../../workflows/ids';
import { monthsBefore } from '../../workflows/taxHistoryBackfill/months';
import { taxHistoryBackfill } from '../../workflows/taxHistoryBackfill/workflow';
import { startHarness, type Harness } from '../contract/harness';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, encryptedClient, testConfig, workflowBundle } from '../helpers/temporal';

void describe('taxHistoryBackfill on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let h: Harness;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  let seed: TaxSeedAnswer;
  const cfg = testConfig();
  const calls: { path: string; background: boolean }[] = [];

  before(async () => {
    database = await testDatabase();
    env = await devServerEnv();
    // The emulator's own limit off: this test is about the order of months and the calls' priority, not 429s.
    h = await startHarness({ emulator: { rateLimit: { enabled: false } } });
    seed = await h.admin<TaxSeedAnswer>('/tax/seed', { shop_id: h.shop.shopId });
    client = encryptedClient(env, cfg);
    // The client as the activities see it, recording whether each call asked the rate budget for the lowest priority.
    const spied: TikTokClient = {
      ...h.client,
      request: (req) => {
        calls.push({ path: req.path, background: req.background === true });
        return h.client.request(req);
      },
    };
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: createTaxDataActivities({
        db: database.db,
        tiktok: { client: spied },
        tokens: { shopRef: () => Promise.resolve(h.shop) },
      }),
      dataConverter: createDataConverter(cfg),
    });
    running = worker.run();
  });
  after(async () => {
    worker?.shutdown();
    await running;
    await h?.close();
    await env?.teardown();
    await database?.drop();
  });

  test('three months back: the seeded month stored, coverage recorded, every call in the background', async () => {
    const handle = await client.workflow.start(taxHistoryBackfill, {
      workflowId: taxBackfillWorkflowId(h.shop.shopId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId: h.shop.shopId, months: 3, taskPriority: { levels: 100, deadlineStepMs: 60_000 } }],
    });
    const result = await handle.result();
    const months = monthsBefore(Date.now(), 3);
    assert.deepEqual(
      result.monthsFetched,
      months.map((m) => m.month),
    );
    assert.equal(result.monthsFetched[0], seed.month);
    assert.equal(result.monthsDone, 3);
    assert.equal(result.fbtPresences, 1);
    assert.ok(result.lines >= seed.saleLines + seed.samples.length + seed.refunds.length, `${result.lines} lines`);

    const repo = createTaxSalesRepository(database.db);
    assert.deepEqual(await repo.coverage(h.shop.shopId), [
      {
        source: 'tiktok_finance',
        from: months[2]!.from.slice(0, 10),
        to: new Date(Date.parse(months[0]!.to) - 1).toISOString().slice(0, 10),
      },
    ]);
    const totals = await repo.dailyTotals(h.shop.shopId, months[0]!.from, months[0]!.to);
    const gross: Record<string, number> = {};
    for (const d of totals) gross[d.state] = (gross[d.state] ?? 0) + Number(d.gross);
    // Sales of the seeded month per state, with its CA refunds netted (dailyTotals counts sales and refunds).
    const refundsCa = seed.refunds.reduce((a, r) => a + Number(r.gross), 0);
    assert.equal(gross.WA?.toFixed(2), seed.expectedGross.WA);
    assert.equal(gross.CA?.toFixed(2), (Number(seed.expectedGross.CA) + refundsCa).toFixed(2));

    assert.ok(calls.length > 0);
    assert.deepEqual(
      calls.filter((c) => !c.background).map((c) => c.path),
      [],
      'every backfill call asks the rate budget for the lowest priority',
    );
  });
});
