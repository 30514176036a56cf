// Order reconciliation on the dev server (Schedules exist only there), against the in-process TikTok emulator with
// every webhook dropped: the shop's `reconcile-orders:<shopId>` Schedule is created when the shop is connected, each
// triggered run starts the orders' workflows the webhooks never reached (exactly once), signals the running ones so
// they read their order back, counts closed ones, moves the watermark, and the schedule pauses while the shop's
// authorization is revoked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { describeReconciliationSchedule } from '../../temporal/reconciliation';
import { orderReconciliationScheduleId, orderWorkflowId, shopWorkflowId } from '../../workflows/ids';
import { authorizationChangedSignal } from '../../workflows/shopLifecycle/messages';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

const APP_KEY = 'recon_app_key';
const APP_SECRET = 'recon_app_secret_0123456789abcdef';

interface RunView {
  workflowId: string;
  status: string;
  seen: number;
  started: number;
  signalled: number;
  alreadyClosed: number;
  watermarkBefore: string | null;
  watermarkAfter: string | null;
  searchedFrom: string;
}

describe('order reconciliation: a Schedule per shop recovers orders whose webhooks were dropped', () => {
  let env: TestWorkflowEnvironment;
  let world: EmulatorStack;
  let stack: TestStack;
  let shopId: string;
  let skuId: string;
  const orderIds: string[] = [];

  const admin = (path: string, body?: unknown) => world.admin(path, body);
  /** Every execution (run) of an order's workflow id. */
  const executions = async (orderId: string) => {
    const runs: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = '${orderWorkflowId(shopId, orderId)}'` }))
      runs.push(wf.runId);
    return runs;
  };
  const completedRuns = async () =>
    (await stack.call('GET', `/v1/shops/${shopId}/reconciliation?limit=50`)).json.runs.filter(
      (r: RunView) => r.status !== 'running',
    ) as RunView[];
  /** Triggers the schedule through the API and waits for that run to finish; returns its row. */
  const reconcile = async (): Promise<RunView> => {
    const before = (await completedRuns()).length;
    const r = await stack.call('POST', `/v1/shops/${shopId}/reconciliation/trigger`, {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    const runs = await until('the reconciliation run', async () => {
      const done = await completedRuns();
      return done.length > before ? done : undefined;
    });
    assert.equal(runs[0]!.status, 'completed', JSON.stringify(runs[0]));
    return runs[0]!;
  };

  before(async () => {
    env = await devServerEnv();
    world = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Recon Beauty',
      sellerName: 'Recon',
      products: ([warehouse]) => [
        {
          title: 'Toner',
          skus: [{ seller_sku: 'TONER-1', price: '12.00', inventory: [{ warehouse_id: warehouse, quantity: 50 }] }],
        },
      ],
      // Long enough that only the test's triggers run it.
      env: { ORDER_RECONCILE_INTERVAL: '1h' },
    });
    ({ stack, shopId, skuId } = world);
    await world.connect();
  });

  after(async () => {
    for (const orderId of orderIds) {
      await stack?.client.workflow
        .getHandle(orderWorkflowId(shopId, orderId))
        .terminate('test over')
        .catch(() => undefined);
    }
    await stack?.client.schedule
      .getHandle(orderReconciliationScheduleId(shopId))
      .delete()
      .catch(() => undefined);
    await world?.stop();
    await env?.teardown();
  });

  test('connecting the shop creates its schedule: interval from config, overlap SKIP, explicit catch-up window', async () => {
    const schedule = await until('the schedule', () =>
      describeReconciliationSchedule({ temporal: stack.client }, 'orders', shopId),
    );
    assert.equal(schedule.scheduleId, `reconcile-orders:${shopId}`);
    assert.equal(schedule.paused, false);
    assert.deepEqual(schedule.intervals, [{ everyMs: 3_600_000, offsetMs: 0 }]);
    assert.equal(schedule.overlap, 'SKIP');
    assert.equal(schedule.catchupWindowMs, 600_000);
    const viewer = await stack.call('POST', '/v1/api-keys', { name: 'recon-viewer', role: 'viewer' });
    const seen = await stack.call('GET', `/v1/shops/${shopId}/reconciliation`, undefined, viewer.json.key);
    assert.equal(seen.status, 200);
    assert.equal(seen.json.schedule.scheduleId, schedule.scheduleId);
    assert.deepEqual(seen.json.runs, []);
    const refused = await stack.call('POST', `/v1/shops/${shopId}/reconciliation/trigger`, {}, viewer.json.key);
    assert.equal(refused.status, 403, 'triggering is for operators');
  });

  test('orders whose webhooks were dropped are started by the run, each exactly once; the watermark is set', async () => {
    await admin('/faults', { webhooks: { dropProbability: 1 } });
    for (let i = 0; i < 3; i++) {
      const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: skuId }], paid: true });
      orderIds.push(placed.id);
    }
    const { deliveries } = (await admin('/webhooks')) as { deliveries: { state: string; body: string }[] };
    const ours = deliveries.filter((d) => orderIds.includes(String(JSON.parse(d.body).data?.order_id)));
    assert.ok(ours.length >= 3, 'TikTok sent the order webhooks');
    assert.ok(
      ours.every((d) => d.state === 'dropped_by_fault'),
      'and every one was dropped',
    );
    // Dropped at the source (every delivery above is final: dropped_by_fault), so no waiting is needed to know that
    // nothing arrived: no inbox row and no workflow.
    const inbox = await stack.database
      .db('webhook_inbox')
      .where({ shop_id: shopId })
      .whereRaw(`event->'data'->>'order_id' = any(?)`, [orderIds]);
    assert.deepEqual(inbox, [], 'no webhook reached us');
    for (const orderId of orderIds) assert.deepEqual(await executions(orderId), [], 'no order workflow');

    const run = await reconcile();
    assert.equal(run.workflowId.startsWith(`reconcile-orders:${shopId}`), true);
    assert.equal(run.seen, 3);
    assert.equal(run.started, 3);
    assert.equal(run.signalled, 0);
    assert.equal(run.alreadyClosed, 0);
    assert.equal(run.watermarkBefore, null);
    assert.ok(run.watermarkAfter, 'the watermark is set');
    for (const orderId of orderIds) {
      assert.equal((await executions(orderId)).length, 1, `one workflow for ${orderId}`);
      const view = await until('the order workflow view', async () => {
        const r = await stack.call('GET', `/v1/orders/${shopId}/${orderId}`);
        return r.json?.state === 'ON_HOLD' ? r.json : undefined;
      });
      assert.equal(view.acknowledged, false);
    }
  });

  test('run again: nothing new is started; running workflows are signalled, read the order back and hand it off; the watermark moves', async () => {
    const first = (await completedRuns())[0]!;
    // The remorse window ends on TikTok's clock: the orders move to AWAITING_SHIPMENT, the webhooks are dropped.
    await admin('/clock/advance', { seconds: 3601 });
    const run = await reconcile();
    assert.equal(run.seen, 3);
    assert.equal(run.started, 0, 'nothing new started');
    assert.equal(run.signalled, 3);
    assert.equal(run.alreadyClosed, 0);
    assert.equal(run.watermarkBefore, first.watermarkAfter);
    assert.ok(Date.parse(run.watermarkAfter!) >= Date.parse(first.watermarkAfter!) + 3_600_000, 'the watermark moved');
    assert.equal(Date.parse(run.searchedFrom), Date.parse(first.watermarkAfter!) - 120_000, 'searched with overlap');
    for (const orderId of orderIds) {
      await until('the hand-off', async () => {
        const row = await stack.database.db('warehouse_outbox').where({ shop_id: shopId, order_id: orderId }).first();
        return row !== undefined;
      });
      assert.equal((await executions(orderId)).length, 1, `still one workflow for ${orderId}`);
    }
    const watermark = await stack.database
      .db('reconciliation_watermarks')
      .where({ shop_id: shopId, kind: 'orders' })
      .first();
    assert.equal(watermark.updated_since.toISOString(), run.watermarkAfter);
  });

  test('a completed order is left alone (ALLOW_DUPLICATE_FAILED_ONLY) and counted', async () => {
    const [orderId] = orderIds;
    // The hand-off finishes with the external reference on TikTok; shipments are accepted from then on.
    const shipped = await until('the shipment to be accepted', async () => {
      const r = await stack.call('POST', `/v1/orders/${shopId}/${orderId}/shipments`, {
        packages: [{ trackingNumber: '1Z999AA10123456784', carrier: 'UPS' }],
      });
      return r.status === 409 && /not yet handed/.test(JSON.stringify(r.json)) ? undefined : r;
    });
    assert.equal(shipped.status, 200, JSON.stringify(shipped.json));
    await admin(`/orders/${orderId}/carrier-scan`, {});
    // The IN_TRANSIT webhook is dropped too: the next run signals the workflow, which reads it back and finishes.
    const third = await reconcile();
    assert.equal(third.started, 0);
    const result = await stack.client.workflow.getHandle(orderWorkflowId(shopId, orderId!)).result();
    assert.equal(result.outcome, 'dispatched');
    const fourth = await reconcile();
    assert.equal(fourth.started, 0);
    assert.equal(fourth.alreadyClosed, 1, 'the dispatched order is not started again');
    assert.equal(fourth.signalled, fourth.seen - 1);
    assert.equal((await executions(orderId!)).length, 1);
  });

  test('an order whose workflow failed (here: was terminated) is started again by the next run', async () => {
    const orderId = orderIds[1]!;
    const handle = stack.client.workflow.getHandle(orderWorkflowId(shopId, orderId));
    await handle.terminate('test: the order workflow failed');
    const run = await reconcile();
    assert.equal(run.started, 1, JSON.stringify(run));
    assert.equal(run.alreadyClosed, 1, 'the dispatched order is still left alone');
    await until('the new run listed', async () => (await executions(orderId)).length === 2);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    assert.equal((await executions(orderIds[0]!)).length, 1, 'the completed order was not started again');
  });

  test("the schedule is paused while the shop's authorization is revoked and resumes when it is authorized again", async () => {
    const shop = stack.client.workflow.getHandle(shopWorkflowId(shopId));
    await shop.signal(authorizationChangedSignal, {
      status: 'revoked',
      reason: 'test revoke',
      at: new Date().toISOString(),
    });
    const paused = await until('paused', async () => {
      const s = await describeReconciliationSchedule({ temporal: stack.client }, 'orders', shopId);
      return s?.paused ? s : undefined;
    });
    assert.match(paused.note ?? '', /authorization revoked: test revoke/);
    const refused = await stack.call('GET', `/v1/shops/${shopId}/reconciliation`);
    assert.equal(refused.json.schedule.paused, true);
    await shop.signal(authorizationChangedSignal, {
      status: 'authorized',
      reason: 'test',
      at: new Date().toISOString(),
    });
    await until(
      'resumed',
      async () =>
        (await describeReconciliationSchedule({ temporal: stack.client }, 'orders', shopId))?.paused === false,
    );
  });
});
