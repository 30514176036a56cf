import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerShop } from '../../temporal/shopRegistration';
import { temporalCliPath } from '../../config/tools';
import { freePort } from '../../db/embeddedPostgres';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/shared/searchAttributes';
import { getShopQuery, type ShopState } from '../../workflows/shopLifecycle/messages';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { encryptedClient, testConfig, uniqueId } from '../helpers/temporal';
import { startTestWorker } from '../helpers/worker';

// A dev server of this test's own, on a SQLite file, so it can be stopped and started again.
let database: TestDatabase;
const cfg = testConfig();
const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tso-restart-')), 'temporal.sqlite');

before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

async function startServer(port: number): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      port,
      dbFilename: dbFile,
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'],
    },
  });
}

async function startWorker(env: TestWorkflowEnvironment): Promise<{ stop(): Promise<void> }> {
  return startTestWorker(env, { cfg, db: database.db });
}

async function stateWhen(env: TestWorkflowEnvironment, shopId: string, ok: (s: ShopState) => boolean) {
  const handle = encryptedClient(env, cfg).workflow.getHandle(`shop:${shopId}`);
  for (let i = 0; i < 200; i++) {
    const s = await handle.query(getShopQuery).catch(() => undefined);
    if (s && ok(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('workflow state never matched');
}

test('a registered shop survives a worker and server restart and keeps working', async () => {
  const port = await freePort();
  const shopId = uniqueId('shop');
  const env1 = await startServer(port);
  const worker1 = await startWorker(env1);
  await registerShop({ temporal: encryptedClient(env1, cfg), cfg }, { shopId, region: 'US', displayName: 'Before' });
  const before = await stateWhen(env1, shopId, (s) => s.displayName === 'Before');
  await worker1.stop();
  await env1.teardown();

  const env2 = await startServer(port);
  const worker2 = await startWorker(env2);
  try {
    const restored = await stateWhen(env2, shopId, () => true);
    assert.deepEqual(restored, before);
    await registerShop({ temporal: encryptedClient(env2, cfg), cfg }, { shopId, region: 'US', displayName: 'After' });
    const updated = await stateWhen(env2, shopId, (s) => s.displayName === 'After');
    assert.equal(updated.registeredAt, before.registeredAt);
    const runs: string[] = [];
    for await (const wf of env2.client.workflow.list({ query: `WorkflowId = "shop:${shopId}"` })) runs.push(wf.runId);
    assert.equal(runs.length, 1);
  } finally {
    await worker2.stop();
    await env2.teardown();
  }
});
