// Issue 12.4: a notification target that answers 500 must not hold up the order that raised the notification. The
// order's notifyOperators and the human-step record are the REAL activities (PostgreSQL rows, the real notifier), delivery is the real
// notificationDelivery workflow; TikTok and the warehouse are the fake world of the order's time-skipping test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createHumanStepActivities } from '../../activities/humanSteps';
import { createNotificationActivities } from '../../activities/notificationDelivery';
import { createOrderActivities } from '../../activities/orderAcknowledgment';
import { createNotifier, type NotificationRow } from '../../notifications/notifier';
import { createDataConverter } from '../../temporal/connection';
import { temporalDeliveryStarter } from '../../temporal/notificationDelivery';
import { cancellationChangedSignal } from '../../workflows/orderAcknowledgment/messages';
import { orderAcknowledgment } from '../../workflows/orderAcknowledgment/workflow';
import { notificationDeliveryWorkflowId, orderWorkflowId } from '../../workflows/ids';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { fakeOrderWorld } from '../helpers/fakeOrderWorld';
import { encryptedClient, testConfig, timeSkippingEnv, uniqueId, workflowBundle } from '../helpers/temporal';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SHOP = 'shop-notify';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
let client: Client;
const cfg = testConfig();
const world = fakeOrderWorld();
// The chat webhook: down (HTTP 500) until the test brings it back.
const target = { down: true, posts: 0 };
const fakeFetch = (() => {
  target.posts += 1;
  return Promise.resolve(new Response('{}', { status: target.down ? 500 : 200 }));
}) as typeof fetch;

before(async () => {
  database = await testDatabase();
  env = await timeSkippingEnv();
  client = encryptedClient(env, cfg);
  const notifier = createNotifier({
    db: database.db,
    webhookUrl: 'http://chat.test/hook',
    fetch: fakeFetch,
    startDelivery: temporalDeliveryStarter({
      temporal: client,
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      // Seconds at first (the test watches two attempts in real time), then at most hourly (skipped time).
      retry: { initialIntervalMs: 1_000, maximumIntervalMs: HOUR, giveUpAfterMs: 48 * HOUR },
    }),
  });
  const real = createOrderActivities({
    cfg: {},
    db: database.db,
    tiktok: { client: undefined as never },
    tokens: { shopRef: () => Promise.reject(new Error('not used')) },
    notifier,
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: {
      ...world.activities,
      notifyOperators: async (input: Parameters<typeof real.notifyOperators>[0]) => {
        await real.notifyOperators(input);
        world.calls.set(input.orderId, [...(world.calls.get(input.orderId) ?? []), { name: 'notifyOperators', input }]);
      },
      ...createHumanStepActivities({ db: database.db }),
      ...createNotificationActivities({ notifier }),
    },
    dataConverter: createDataConverter(cfg),
  });
  running = worker.run();
});
after(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('a chat target answering 500: the human step row is stored, the rule decides in time, delivery retries on its own', async () => {
  const calls = (orderId: string, name: string) => (world.calls.get(orderId) ?? []).filter((c) => c.name === name);
  const now = await env.currentTimeMs();
  const orderId = uniqueId('o');
  world.orders.set(orderId, { status: 'AWAITING_SHIPMENT', paidAt: now - 2 * HOUR, ttsSlaAt: now + 100 * HOUR });
  const handle = await client.workflow.start(orderAcknowledgment, {
    workflowId: orderWorkflowId(SHOP, orderId),
    taskQueue: cfg.TEMPORAL_TASK_QUEUE,
    args: [{ shopId: SHOP, orderId }],
  });
  await until('the acknowledgment', () => calls(orderId, 'commitOrderUnits').length > 0);

  // The buyer asks to cancel after the hand-off: the warehouse is asked through a human step + notification.
  const cancelId = `c-${orderId}`;
  world.orders.get(orderId)!.cancellation = { cancelId, deadline: (await env.currentTimeMs()) + 10 * HOUR };
  await handle.signal(cancellationChangedSignal, { cancelId, cancelStatus: 'CANCELLATION_REQUEST_PENDING' });
  await until('the warehouse is asked', () => calls(orderId, 'notifyOperators').length > 0);

  const row = () =>
    database
      .db<NotificationRow>('notifications')
      .where({ dedup_key: `order:${SHOP}:${orderId}:cancellation:${cancelId}` })
      .first();
  assert.ok(await row(), 'the notification row is stored');
  const step = () => database.db('human_steps').where({ case_id: orderId }).first();
  assert.deepEqual(
    { kind: (await step()).case_kind, key: (await step()).step_key, update: (await step()).update_name },
    { kind: 'order_cancellation', key: `cancellation:${cancelId}`, update: 'cancellationDecision' },
    'the human step row too',
  );
  // Delivery retries by itself while the order goes on.
  await until('two failed deliveries', async () => (await row())!.delivery_attempts >= 2);
  assert.match((await row())!.delivery_error ?? '', /HTTP 500/);
  assert.equal((await row())!.delivered_at, null);

  // No warehouse answer: decided by rule before the request's deadline, the target still down.
  await env.sleep(8 * HOUR + MINUTE);
  assert.deepEqual(await handle.result(), { outcome: 'cancelled', status: 'CANCELLED' });
  assert.equal(calls(orderId, 'approveCancellation').length, 1);
  assert.equal((await row())!.delivered_at, null, 'still undelivered: the decision did not wait for it');
  assert.equal((await step()).outcome, 'auto', 'the human step is closed as decided by rule');
  assert.equal((await step()).decided_by, null);

  // The target comes back: the delivery workflow's next attempt delivers, once.
  target.down = false;
  await env.sleep(HOUR + MINUTE); // the next attempt is at most an hour away (this client does not skip time itself)
  const delivery = client.workflow.getHandle(
    notificationDeliveryWorkflowId(cfg.TEMPORAL_TASK_QUEUE, String((await row())!.id)),
  );
  assert.equal(await delivery.result(), 'delivered');
  const delivered = (await row())!;
  assert.ok(delivered.delivered_at);
  assert.equal(delivered.delivery_error, null);
  assert.ok(delivered.delivery_attempts >= 3, `attempts ${delivered.delivery_attempts}`);
});

// A CI run failed here: every test stack (like every installation) numbers its notifications from 1 in its own
// database while sharing one Temporal namespace; with the row id alone as the delivery's workflow id, the second
// installation's notification 1 found the first's delivery "already started" and was never posted.
test('two installations sharing a namespace each deliver their own notification 1', async () => {
  const other = await testDatabase();
  const otherQueue = `${cfg.TEMPORAL_TASK_QUEUE}-other`;
  const posted: string[] = [];
  const otherNotifier = createNotifier({
    db: other.db,
    webhookUrl: 'http://chat.test/other',
    fetch: ((_url: string, init: RequestInit) => {
      posted.push(init.body as string);
      return Promise.resolve(new Response('{}', { status: 200 }));
    }) as typeof fetch,
    startDelivery: temporalDeliveryStarter({ temporal: client, taskQueue: otherQueue }),
  });
  const otherWorker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue: otherQueue,
    workflowBundle: await workflowBundle(),
    activities: createNotificationActivities({ notifier: otherNotifier }),
    dataConverter: createDataConverter(cfg),
  });
  try {
    await otherWorker.runUntil(async () => {
      const row = await otherNotifier.notify({
        shopId: SHOP,
        kind: 'test',
        severity: 'warning',
        title: 'Other installation',
        body: 'its own notification 1',
        dedupKey: 'other:1',
      });
      assert.equal(String(row.id), '1', 'both databases number from 1 (the first test stored notification 1 too)');
      const delivery = client.workflow.getHandle(notificationDeliveryWorkflowId(otherQueue, String(row.id)));
      assert.equal(await delivery.result(), 'delivered');
      assert.equal(posted.length, 1);
      assert.match(posted[0]!, /Other installation/);
      const stored = await other.db<NotificationRow>('notifications').where({ id: row.id }).first();
      assert.ok(stored?.delivered_at);
    });
  } finally {
    await other.drop();
  }
});
