import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getShopQuery, registerShopSignal } from '../../workflows/shopLifecycle/messages';
import { shopLifecycle } from '../../workflows/shopLifecycle/workflow';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { encryptedClient, testConfig, timeSkippingEnv, uniqueId } from '../helpers/temporal';
import { startTestWorker } from '../helpers/worker';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
const cfg = testConfig();

before(async () => {
  env = await timeSkippingEnv();
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
  await env?.teardown();
});

test('a shop workflow lives through 90 skipped days and keeps its registration clock', async () => {
  const worker = await startTestWorker(env, { cfg, db: database.db });
  const client = encryptedClient(env, cfg);
  const shopId = uniqueId('shop');
  try {
    const handle = await client.workflow.start(shopLifecycle, {
      workflowId: `shop:${shopId}`,
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ registration: { shopId, region: 'US', displayName: 'Day 0' } }],
    });
    let state = await waitFor(() => handle.query(getShopQuery));
    const startedAt = await env.currentTimeMs();
    await env.sleep('90 days');
    assert.ok((await env.currentTimeMs()) - startedAt >= 90 * 86_400_000, 'the test server skipped time');
    await handle.signal(registerShopSignal, { shopId, region: 'US', displayName: 'Day 90' });
    state = await waitFor(async () => {
      const s = await handle.query(getShopQuery);
      if (s.displayName !== 'Day 90') throw new Error('not yet');
      return s;
    });
    const elapsed = Date.parse(state.updatedAt) - Date.parse(state.registeredAt);
    assert.ok(elapsed >= 90 * 86_400_000, `workflow time follows the skipped clock (elapsed ${elapsed} ms)`);
    assert.equal((await handle.describe()).status.name, 'RUNNING');
  } finally {
    await worker.stop();
  }
});

async function waitFor<T>(fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 100; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw last;
}
