import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { getShopQuery, registerShopSignal } from '../../workflows/shopLifecycle/messages';
import { shopLifecycle } from '../../workflows/shopLifecycle/workflow';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, encryptedClient, testConfig, uniqueId } from '../helpers/temporal';
import { startTestWorker } from '../helpers/worker';

describe('shopLifecycle on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  const cfg = testConfig();

  before(async () => {
    env = await devServerEnv();
    database = await testDatabase();
  });
  after(async () => {
    await database?.drop();
    await env?.teardown();
  });

  async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
    const w = await startTestWorker(env, { cfg, db: database.db });
    try {
      return await fn();
    } finally {
      await w.stop();
    }
  }

  test('continues as new when its history grows, keeping the state and the shop row', async () => {
    const client = encryptedClient(env, cfg);
    const shopId = uniqueId('shop');
    const registration = { shopId, region: 'US', displayName: 'v0' };
    await withWorker(async () => {
      const handle = await client.workflow.start(shopLifecycle, {
        workflowId: `shop:${shopId}`,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        args: [{ registration, maxHistoryEvents: 20 }],
      });
      const firstRunId = handle.firstExecutionRunId;
      for (let i = 1; i <= 6; i++) {
        await handle.signal(registerShopSignal, { ...registration, displayName: `v${i}` });
        // wait until applied, so the history really grows by one activity round per signal
        for (let tries = 0; tries < 100; tries++) {
          const s = await handle.query(getShopQuery).catch(() => undefined);
          if (s?.displayName === `v${i}`) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const desc = await client.workflow.getHandle(`shop:${shopId}`).describe();
      assert.notEqual(desc.runId, firstRunId, 'expected at least one continue-as-new');
      const state = await client.workflow.getHandle(`shop:${shopId}`).query(getShopQuery);
      assert.equal(state.displayName, 'v6');
      assert.equal(state.region, 'US');
    });
    const row = await database.db('shops').where({ shop_id: shopId }).first();
    assert.equal(row.display_name, 'v6');
  });

  test('an unsupported region fails registration without retrying forever', async () => {
    const client = encryptedClient(env, cfg);
    const shopId = uniqueId('shop');
    await withWorker(async () => {
      const handle = await client.workflow.start(shopLifecycle, {
        workflowId: `shop:${shopId}`,
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        args: [{ registration: { shopId, region: 'ZZ', displayName: 'x' } }],
      });
      await assert.rejects(handle.result(), (err: Error) => {
        assert.match(
          String((err.cause as Error | undefined)?.message ?? err.message),
          /region ZZ is not supported|Activity task failed/,
        );
        return true;
      });
    });
  });
});
