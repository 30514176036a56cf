// Retention (issue 13 item 2) on the dev server: the `retention` Schedule is created with the configured interval,
// and a run deletes expired dead letters, delivered inbox rows, warehouse outbox rows and stored files (issue 15
// item 4) in bounded pages, never rows of an order whose workflow still runs, nor rows that are not old enough or
// not delivered, nor files before their expiry.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createRetentionActivities } from '../../activities/retention';
import { createDataConverter } from '../../temporal/connection';
import { describeRetention, ensureRetentionSchedule } from '../../temporal/retention';
import { orderWorkflowId, retentionScheduleId } from '../../workflows/ids';
import { retention } from '../../workflows/retention/workflow';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, encryptedClient, testConfig, uniqueId, workflowBundle } from '../helpers/temporal';
import { until } from '../helpers/until';

const DAY = 86_400_000;

describe('retention: expired rows go in bounded batches, rows of open orders stay', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  // Batches of 2 rows: the run must page through more rows than one batch holds.
  const cfg = testConfig({ RETENTION_BATCH_SIZE: '2', RETENTION_INTERVAL: '2h' });
  const shop = uniqueId('shop');
  const scheduleId = retentionScheduleId(cfg.TEMPORAL_TASK_QUEUE);

  before(async () => {
    database = await testDatabase();
    env = await devServerEnv();
    client = encryptedClient(env, cfg);
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: createRetentionActivities({ db: database.db, temporal: client, cfg }),
      dataConverter: createDataConverter(cfg),
    });
    running = worker.run();
  });
  after(async () => {
    await client?.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    worker?.shutdown();
    await running;
    await env?.teardown();
    await database?.drop();
  });

  test('the Schedule exists with RETENTION_INTERVAL and is brought up to date on the next start', async () => {
    assert.equal(await ensureRetentionSchedule({ temporal: client, cfg }), 'created');
    const d = await client.schedule.getHandle(scheduleId).describe();
    assert.deepEqual(
      d.spec.intervals?.map((i) => i.every),
      [2 * 3_600_000],
    );
    assert.equal(
      await ensureRetentionSchedule({ temporal: client, cfg: { ...cfg, RETENTION_INTERVAL: '3h' } }),
      'updated',
    );
    const updated = await client.schedule.getHandle(scheduleId).describe();
    assert.deepEqual(
      updated.spec.intervals?.map((i) => i.every),
      [3 * 3_600_000],
    );
    // Not left firing into other tests' task queues.
    await client.schedule.getHandle(scheduleId).pause('test');
  });

  test('a run purges old dead letters, delivered inbox rows and outbox rows of closed orders only', async () => {
    const db = database.db;
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    // Orders: one whose workflow runs (no worker polls its queue), one closed, one that never had a workflow.
    const open = uniqueId('open');
    const closed = uniqueId('closed');
    const never = uniqueId('never');
    await client.workflow.start('orderAcknowledgment', {
      workflowId: orderWorkflowId(shop, open),
      taskQueue: uniqueId('nobody'),
      args: [],
    });
    const done = await client.workflow.start('orderAcknowledgment', {
      workflowId: orderWorkflowId(shop, closed),
      taskQueue: uniqueId('nobody'),
      args: [],
    });
    await done.terminate('closed for the test');

    const letter = (days: number, tag: string) => ({
      source: 'test',
      reason: tag,
      raw_body: tag,
      received_at: ago(days),
      last_received_at: ago(days),
    });
    await db('dead_letters').insert([
      letter(40, 'old-1'),
      letter(40, 'old-2'),
      letter(40, 'old-3'),
      letter(5, 'recent'),
    ]);

    let n = 0;
    const inbox = (orderId: string, status: string, days: number) => ({
      dedup_key: `k-${(n += 1)}`,
      type: 1,
      kind: 'ORDER_STATUS_CHANGE',
      shop_id: shop,
      status,
      event: JSON.stringify({ data: { order_id: orderId } }),
      raw_body: '{}',
      received_at: ago(days),
    });
    await db('webhook_inbox').insert([
      inbox(open, 'routed', 30), // kept: its order still runs
      inbox(closed, 'routed', 30), // purged
      inbox(never, 'skipped', 30), // purged
      inbox(closed, 'unrouted', 30), // kept: not delivered
      inbox(closed, 'routed', 2), // kept: not old enough
    ]);
    const outbox = (orderId: string, days: number) => ({
      shop_id: shop,
      order_id: orderId,
      payload: JSON.stringify({ recipient: 'kept until the order closes' }),
      updated_at: ago(days),
    });
    await db('warehouse_outbox').insert([outbox(open, 120), outbox(closed, 120), outbox(never, 10)]);
    // Stored files carry their own expiry: three past it (more than one batch of 2), one still kept.
    const file = (tag: string, expiresInDays: number) => ({
      shop_id: shop,
      file_id: tag.padEnd(64, '0'),
      mime_type: 'image/png',
      size_bytes: 1,
      purpose: 'evidence',
      key_id: 'k',
      sealed: Buffer.from('sealed'),
      created_by: 'test',
      expires_at: new Date(Date.now() + expiresInDays * DAY),
    });
    await db('stored_files').insert([file('a1', -1), file('a2', -30), file('a3', -400), file('b1', 1)]);

    const report = await client.workflow.execute(retention, {
      workflowId: uniqueId('retention-run'),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{}],
    });

    assert.deepEqual((await db('dead_letters').pluck('reason')).sort(), ['recent']);
    assert.equal(report.dead_letters.deleted, 3);
    assert.ok(report.dead_letters.pages >= 2, 'paged in batches of 2');
    const inboxLeft = await db('webhook_inbox').orderBy('id').select('event', 'status', 'received_at');
    assert.deepEqual(
      inboxLeft.map((r: { event: { data: { order_id: string } }; status: string }) => [
        r.event.data.order_id,
        r.status,
      ]),
      [
        [open, 'routed'],
        [closed, 'unrouted'],
        [closed, 'routed'],
      ],
    );
    assert.equal(report.webhook_inbox.keptOpen, 1);
    // The closed order's row stays as a tombstone (its version), without the buyer data.
    const outboxLeft = await db('warehouse_outbox').select('order_id', 'payload', 'version');
    const byOrder = new Map(
      outboxLeft.map((r: { order_id: string; payload: unknown; version: number }) => [r.order_id, r]),
    );
    assert.equal(byOrder.size, 3, 'no row deleted');
    assert.deepEqual(byOrder.get(closed)?.payload, { purged: true });
    assert.equal(byOrder.get(closed)?.version, 1);
    assert.deepEqual(byOrder.get(open)?.payload, { recipient: 'kept until the order closes' });
    assert.deepEqual(byOrder.get(never)?.payload, { recipient: 'kept until the order closes' });
    assert.equal(report.warehouse_outbox.deleted, 1);
    assert.deepEqual(await db('stored_files').pluck('file_id'), ['b1'.padEnd(64, '0')]);
    assert.equal(report.stored_files.deleted, 3);
    assert.ok(report.stored_files.pages >= 2, 'paged in batches of 2');
    await client.workflow.getHandle(orderWorkflowId(shop, open)).terminate('test over');
  });

  test("what GET /v1/retention answers: what is kept, the Schedule, its latest run and that run's report", async () => {
    const idle = await describeRetention({ temporal: client, cfg });
    assert.equal(idle.scheduleId, scheduleId);
    assert.deepEqual(idle.keeps, {
      deadLettersDays: 30,
      inboxDays: 14,
      warehousePayloadDays: 90,
      filesDays: 400,
      batchSize: 2,
    });
    assert.equal(idle.schedule?.paused, true);
    assert.deepEqual(idle.schedule?.everyMs, [3 * 3_600_000]);
    assert.equal(idle.lastRun, null, 'the Schedule has not fired yet');

    await database.db('dead_letters').insert({
      source: 'test',
      reason: 'old-4',
      raw_body: 'old-4',
      received_at: new Date(Date.now() - 40 * DAY),
      last_received_at: new Date(Date.now() - 40 * DAY),
    });
    const handle = client.schedule.getHandle(scheduleId);
    await handle.unpause('test: one run');
    await handle.trigger();
    const done = await until('the triggered retention run closed', async () => {
      const d = await describeRetention({ temporal: client, cfg });
      return d.lastRun && d.lastRun.status !== 'RUNNING' ? d : undefined;
    });
    await handle.pause('test');
    assert.equal(done.lastRun?.status, 'COMPLETED', JSON.stringify(done.lastRun));
    assert.match(done.lastRun.workflowId, new RegExp(`^${scheduleId}`));
    assert.equal(done.lastRun?.report?.dead_letters.deleted, 1);
    assert.ok(done.lastRun?.closedAt);
    assert.equal(done.schedule?.numActionsTaken, 1);
  });
});
