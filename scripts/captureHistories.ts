/**
 * Refreshes the replay fixtures in test/fixtures/histories from real runs on a throwaway dev server.
 * Run deliberately (`npm run capture-histories`) when a workflow changes on purpose; the replay test then proves
 * that histories recorded by the previous code still replay (or that a patch() is needed).
 * Histories are captured without the encryption codec: fixtures hold only synthetic data and no key is committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import pino from 'pino';
import { loadConfig, REPO_ROOT } from '../config';
import { buildDependencies } from '../workers/dependencies';
import { temporalCliPath } from '../config/tools';
import { dropDatabase, ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate } from '../db/knex';
import { freePort, startEmbeddedPostgres } from '../db/embeddedPostgres';
import { ALL_SEARCH_ATTRIBUTES } from '../temporal/searchAttributes';
import { WORKFLOWS_PATH } from '../workers/createWorker';
import { getShopQuery, registerShopSignal, shopLifecycle } from '../workflows/shopLifecycle';

const OUT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'histories');
const TASK_QUEUE = 'capture';

type Scenario = (client: Client) => Promise<WorkflowHandle>;

async function until(fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('scenario did not reach its state');
}

const scenarios: Record<string, Scenario> = {
  'shopLifecycle-register-and-rename': async (client) => {
    const registration = { shopId: '7495000000000001', region: 'US', displayName: 'Fixture Shop' };
    const handle = await client.workflow.start(shopLifecycle, {
      workflowId: 'shop:7495000000000001',
      taskQueue: TASK_QUEUE,
      args: [{ registration }],
    });
    await handle.signal(registerShopSignal, { ...registration, displayName: 'Fixture Shop Renamed' });
    await until(async () => (await handle.query(getShopQuery)).displayName === 'Fixture Shop Renamed');
    return handle;
  },
  'shopLifecycle-continue-as-new': async (client) => {
    const registration = { shopId: '7495000000000002', region: 'US', displayName: 'v0' };
    const handle = await client.workflow.start(shopLifecycle, {
      workflowId: 'shop:7495000000000002',
      taskQueue: TASK_QUEUE,
      args: [{ registration, maxHistoryEvents: 12 }],
    });
    for (let i = 1; i <= 3; i++) {
      await handle.signal(registerShopSignal, { ...registration, displayName: `v${i}` });
      await until(async () => (await handle.query(getShopQuery)).displayName === `v${i}`);
    }
    // The first run, which ended in continue-as-new.
    return client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
  },
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const work = fs.mkdtempSync('/tmp/tso-capture-');
  fs.chmodSync(work, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(work, 'pg'),
    port: await freePort(),
    passwordFile: path.join(work, 'pw'),
  });
  const url = await ensureDatabase(pg.url, 'capture');
  const db = createDb(url, 4);
  await migrate(db);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
    },
  });
  const cfg = loadConfig({ NODE_ENV: 'test', DATA_DIR: path.join(work, 'data'), TEMPORAL_TASK_QUEUE: TASK_QUEUE });
  const deps = buildDependencies(cfg, { db, temporal: env.client, logger: pino({ level: 'silent' }) });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(deps),
  });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  await worker.runUntil(async () => {
    for (const [name, scenario] of Object.entries(scenarios)) {
      const handle = await scenario(env.client);
      const history = await handle.fetchHistory();
      const file = path.join(OUT_DIR, `${name}.json`);
      const json = { workflowId: handle.workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
      fs.writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
      process.stdout.write(`wrote ${path.relative(REPO_ROOT, file)} (${history.events?.length} events)\n`);
    }
  });
  await deps.close();
  await env.teardown();
  await db.destroy();
  await dropDatabase(pg.url, 'capture');
  await pg.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
