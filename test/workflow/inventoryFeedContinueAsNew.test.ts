// inventoryFeed's continue-as-new (issue 12 item 2) on the dev server, with fake activities and a small history
// threshold: a retry still owed crosses continue-as-new and runs at its time with no new signal, and a steady stream
// of signals (the feed never idle) still continues-as-new.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { SnapshotSku } from '../../activities/inventoryFeed';
import { inventoryFeed } from '../../workflows/inventoryFeed/workflow';
import { stockChangedSignal } from '../../workflows/inventoryFeed/messages';
import { devServerEnv, uniqueId, workflowBundle } from '../helpers/temporal';
import { until } from '../helpers/until';

const SKU: SnapshotSku = {
  sellerSku: 'CAN-1',
  skuId: 'sku-can-1',
  warehouseIds: ['wh-1'],
  onHand: { 'wh-1': 5 },
  safetyBuffer: 0,
  feedVersion: 0,
  stockEventAt: null,
  sequences: { 'wh-1': 1 },
};

describe('inventoryFeed continue-as-new', () => {
  let env: TestWorkflowEnvironment;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueId('feed-can');
  /** Push calls per product, with the time each was made. */
  const pushes = new Map<string, number[]>();
  /** Products whose pushes TikTok never confirms, each push taking 400 ms (signals arrive while it is out). */
  const slowAndUnconfirmed = new Set<string>();

  before(async () => {
    env = await devServerEnv();
    client = env.client;
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        loadInventorySnapshot: () =>
          Promise.resolve({
            skus: [SKU],
            settings: { zeroAccepted: true, deactivateWhenAllVariantsOut: false, maxQuantity: 999_999 },
          }),
        readProductListing: () => Promise.resolve('ACTIVATE'),
        pushAndConfirmInventory: async (input: { productId: string; skus: { sellerSku: string; skuId: string }[] }) => {
          if (slowAndUnconfirmed.has(input.productId)) await new Promise((r) => setTimeout(r, 400));
          const calls = pushes.get(input.productId) ?? [];
          calls.push(Date.now());
          pushes.set(input.productId, calls);
          // The first push of a product is never confirmed by the read-back; the retry is.
          const confirmed = calls.length > 1 && !slowAndUnconfirmed.has(input.productId) ? [SKU.skuId] : [];
          return {
            logIds: Object.fromEntries(input.skus.map((s) => [s.sellerSku, String(calls.length)])),
            stale: [],
            failed: [],
            zeroRefused: false,
            productInactive: false,
            confirmed,
            sent: {},
            unseenSold: {},
            unchanged: [],
          };
        },
      },
    });
    running = worker.run();
  });

  after(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  });

  const runs = async (workflowId: string): Promise<WorkflowExecutionInfo[]> => {
    const out: WorkflowExecutionInfo[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) out.push(w);
    return out;
  };

  test('an unconfirmed push is retried at its time after continue-as-new, without any new signal', async () => {
    const productId = uniqueId('p');
    const workflowId = `inventory:test:${productId}`;
    const handle = await client.workflow.start(inventoryFeed, {
      workflowId,
      taskQueue,
      args: [{ shopId: 'test', productId, coalesceMs: 10, recheckMs: 3_000, maxHistoryEvents: 10 }],
    });
    await until('the first (unconfirmed) push', () => Promise.resolve((pushes.get(productId)?.length ?? 0) >= 1));
    const firstAt = pushes.get(productId)![0]!;
    // The first round's history passes 10 events: the run continues-as-new while the retry is still owed.
    await until('a continued-as-new run', async () => {
      const d = await client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe();
      return d.status.name === 'CONTINUED_AS_NEW';
    });
    // No signal is sent: the retry must come from the carried due time alone.
    const calls = await until('the retried push', () => {
      const c = pushes.get(productId) ?? [];
      return Promise.resolve(c.length >= 2 ? c : undefined);
    });
    const delay = calls[1]! - firstAt;
    assert.ok(delay >= 2_500 && delay < 15_000, `the retry ran ${delay} ms after the first push (due after 3,000)`);
    const latest = await handle.describe();
    assert.equal(latest.status.name, 'RUNNING');
    assert.notEqual(latest.runId, handle.firstExecutionRunId, 'the retry ran in a later run');
    await handle.terminate('test done');
  });

  test('a steady stream of stock signals still continues-as-new once the history is large', async () => {
    const productId = uniqueId('p');
    slowAndUnconfirmed.add(productId);
    const workflowId = `inventory:test:${productId}`;
    const handle = await client.workflow.start(inventoryFeed, {
      workflowId,
      taskQueue,
      args: [{ shopId: 'test', productId, coalesceMs: 10, recheckMs: 60_000, maxHistoryEvents: 60 }],
    });
    // A signal every 100 ms while each push takes 400 ms: the feed is dirty every time a round ends.
    let stop = false;
    const stream = (async () => {
      while (!stop) {
        await handle.signal(stockChangedSignal, { sellerSkus: [SKU.sellerSku], at: new Date().toISOString() });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      await until(
        'a continue-as-new under the stream',
        async () =>
          (await client.workflow.getHandle(workflowId, handle.firstExecutionRunId).describe()).status.name ===
          'CONTINUED_AS_NEW',
        30_000,
      );
    } finally {
      stop = true;
      await stream;
    }
    const all = await until('the runs listed', async () => {
      const r = await runs(workflowId);
      return r.length >= 2 ? r : undefined;
    });
    for (const r of all.filter((x) => x.status.name === 'CONTINUED_AS_NEW')) {
      assert.ok((r.historyLength ?? 0) < 200, `a run ended at ${r.historyLength} events (threshold 60)`);
    }
    await handle.terminate('test done');
  });
});
