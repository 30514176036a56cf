// What a return reconciliation run recovers, on the dev server against the in-process TikTok emulator: it starts the
// returnRequest workflows of returns whose RETURN_STATUS_CHANGE webhooks were dropped (a return whose webhook arrived
// is not signalled again), keeps the returns out of its own history, leaves the watermark where it was when the
// search fails and recovers what that run missed on the next one. The Schedule itself: returnReconciliation.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { createDataConverter } from '../../temporal/connection';
import { orderReconciliationScheduleId, returnReconciliationScheduleId, returnWorkflowId } from '../../workflows/ids';
import { getReturnQuery } from '../../workflows/returnRequest/messages';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

const APP_KEY = 'return_recovery_app_key';
const APP_SECRET = 'return_recon_app_secret_0123456789ab';
const USPS = '7117858858072016686'; // ref §6.3 example provider

interface RunView {
  workflowId: string;
  runId: string;
  status: string;
  seen: number;
  started: number;
  signalled: number;
  alreadyClosed: number;
  alreadyNotified: number;
  watermarkBefore: string | null;
  watermarkAfter: string | null;
  searchedFrom: string;
  error: string | null;
}

describe('return reconciliation: a Schedule per shop recovers returns whose webhooks were dropped', () => {
  let env: TestWorkflowEnvironment;
  let world: EmulatorStack;
  let stack: TestStack;
  let shopId: string;
  /** Delivered orders, each good for one return. */
  const delivered: string[] = [];
  const returnIds: string[] = [];

  const admin = (path: string, body?: unknown) => world.admin(path, body);
  const executions = async (returnId: string) => {
    const runs: string[] = [];
    const query = `WorkflowId = '${returnWorkflowId(shopId, returnId)}'`;
    for await (const wf of stack.client.workflow.list({ query })) runs.push(wf.runId);
    return runs;
  };
  const finishedRuns = async () =>
    (await stack.call('GET', `/v1/shops/${shopId}/returns/reconciliation?limit=50`)).json.runs.filter(
      (r: RunView) => r.status !== 'running',
    ) as RunView[];
  /** Triggers the schedule through the API and waits for that run to finish; returns its row. */
  const reconcile = async (): Promise<RunView> => {
    const before = (await finishedRuns()).length;
    const r = await stack.call('POST', `/v1/shops/${shopId}/returns/reconciliation/trigger`, {});
    assert.equal(r.status, 202, JSON.stringify(r.json));
    const runs = await until('the reconciliation run', async () => {
      const done = await finishedRuns();
      return done.length > before ? done : undefined;
    });
    return runs[0]!;
  };
  const openReturn = async (orderId: string): Promise<string> => {
    const opened = await admin(`/orders/${orderId}/returns`, { return_type: 'REFUND' });
    returnIds.push(opened.return_id);
    return opened.return_id as string;
  };
  const returnWebhooks = async (returnId: string) =>
    ((await admin('/webhooks')).deliveries as { state: string; body: string }[]).filter(
      (d) => String(JSON.parse(d.body).data?.return_id) === returnId,
    );
  before(async () => {
    env = await devServerEnv();
    world = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Return Recon Beauty',
      sellerName: 'Return Recon',
      products: ([warehouse]) => [
        {
          title: 'Toner',
          skus: [{ seller_sku: 'TONER-1', price: '12.00', inventory: [{ warehouse_id: warehouse, quantity: 50 }] }],
        },
      ],
      // Long enough that only the test's triggers run the orders' schedule.
      env: { ORDER_RECONCILE_INTERVAL: '1h' },
    });
    ({ stack, shopId } = world);
    await world.connect();
    // Orders reach delivery with their webhooks dropped: no order workflow takes part in this test.
    await admin('/faults', { webhooks: { dropProbability: 1 } });
    for (let i = 0; i < 4; i++) {
      const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: world.skuId }], paid: true });
      delivered.push(placed.id);
    }
    await admin('/clock/advance', { seconds: 3601 });
    const shop = await stack.deps.tokens.shopRef(shopId);
    for (const [n, orderId] of delivered.entries()) {
      await callEndpoint(stack.deps.tiktok.client, endpoints.markPackageAsShipped, shop, {
        order_id: orderId,
        tracking_number: `94001000000002${n}`,
        shipping_provider_id: USPS,
      });
      await admin(`/orders/${orderId}/carrier-scan`, {});
      await admin(`/orders/${orderId}/deliver`, {});
    }
  });

  after(async () => {
    for (const returnId of returnIds) {
      await stack?.client.workflow
        .getHandle(returnWorkflowId(shopId, returnId))
        .terminate('test over')
        .catch(() => undefined);
    }
    for (const id of [returnReconciliationScheduleId(shopId), orderReconciliationScheduleId(shopId)]) {
      await stack?.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
    await world?.stop();
    await env?.teardown();
  });

  test('returns whose webhooks were dropped get their workflows from the run; one whose webhook arrived is not signalled', async () => {
    const dropped = [await openReturn(delivered[0]!), await openReturn(delivered[1]!)];
    for (const returnId of dropped) {
      const sent = await returnWebhooks(returnId);
      assert.ok(sent.length >= 1, 'TikTok sent the return webhook');
      assert.ok(
        sent.every((d) => d.state === 'dropped_by_fault'),
        'and it was dropped',
      );
      assert.deepEqual(await executions(returnId), [], 'no return workflow');
    }
    await admin('/faults', { webhooks: { dropProbability: 0 } });
    const arrived = await openReturn(delivered[2]!);
    await until('the webhook routed to its workflow', async () => (await executions(arrived)).length === 1);
    await admin('/faults', { webhooks: { dropProbability: 1 } });

    const run = await reconcile();
    assert.equal(run.status, 'completed', JSON.stringify(run));
    assert.equal(run.workflowId.startsWith(`reconcile-returns:${shopId}`), true);
    assert.equal(run.seen, 3);
    assert.equal(run.started, 2, 'the two dropped ones');
    assert.equal(run.alreadyNotified, 1, 'the one whose webhook arrived');
    assert.equal(run.signalled, 0);
    assert.equal(run.watermarkBefore, null);
    assert.ok(run.watermarkAfter, 'the watermark is set');
    for (const returnId of [...dropped, arrived]) {
      assert.equal((await executions(returnId)).length, 1, `one workflow for ${returnId}`);
    }

    // The returns stay in the activity: the run's history (decoded) names none of them.
    const history = await stack.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const codec = createDataConverter(stack.cfg).payloadCodecs![0]!;
    const payloads = (history.events ?? []).flatMap((e) => [
      ...(e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
      ...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
      ...(e.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []),
    ]);
    assert.ok(payloads.length >= 6, 'begin, a page and finish: inputs and results');
    const text = (await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString()).join('\n');
    assert.match(text, /"started":2/);
    for (const returnId of [...dropped, arrived]) assert.ok(!text.includes(returnId), `${returnId} not in the history`);
    const activities = (history.events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    assert.deepEqual(activities, ['beginReconciliationRun', 'reconcileReturnsPage', 'finishReconciliationRun']);
  });

  test('a failed search leaves the watermark where it was; the next run recovers the return it missed', async () => {
    const [first] = await finishedRuns();
    // The return workflows started so far have read their return and wait for a person: none of them reads
    // Search Returns while the fault below is armed (it must hit the reconciliation's search).
    for (const returnId of returnIds) {
      const handle = stack.client.workflow.getHandle(returnWorkflowId(shopId, returnId));
      await until(
        `${returnId} waiting for a person`,
        async () => (await handle.query(getReturnQuery)).pending?.awaitingPerson,
      );
    }
    const missed = await openReturn(delivered[3]!);
    // Answered with a code the client does not retry (TikTokApiError): the run fails.
    await admin('/faults', {
      pathPattern: '/return_refund/202309/returns/search',
      errorBurst: { count: 1, httpStatus: 200, code: 12345678 },
    });
    const failed = await reconcile();
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /12345678/);
    assert.equal(failed.watermarkAfter, first!.watermarkAfter, 'the watermark stayed');
    const watermark = await stack.database
      .db('reconciliation_watermarks')
      .where({ shop_id: shopId, kind: 'returns' })
      .first();
    assert.equal(watermark.updated_since.toISOString(), first!.watermarkAfter);
    assert.deepEqual(await executions(missed), [], 'nothing started by the failed run');

    await admin('/faults/reset', {});
    const recovered = await reconcile();
    assert.equal(recovered.status, 'completed', JSON.stringify(recovered));
    assert.equal(recovered.watermarkBefore, first!.watermarkAfter);
    assert.equal(Date.parse(recovered.searchedFrom), Date.parse(first!.watermarkAfter!) - 120_000, 'with overlap');
    assert.equal(recovered.started, 1, 'the return the failed run missed');
    // TikTok's update_time has whole seconds: the missed return may share the first watermark's second (CI saw it).
    assert.ok(Date.parse(recovered.watermarkAfter!) >= Date.parse(first!.watermarkAfter!), 'the watermark moved on');
    assert.equal((await executions(missed)).length, 1);
  });
});
