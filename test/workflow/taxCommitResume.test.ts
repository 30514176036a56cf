// Issue 20 item 3: the commit of a month's seller-owed transactions to AvaTax survives a worker killed mid-batch. The
// worker is a separate process (bench/taxCommitWorker.ts) SIGKILLed while the emulator holds part of a batch's
// requests; those requests then complete at the engine (an engine that took a transaction whose answer was lost). A new
// worker resumes from the heartbeat and the ledger: every transaction exists once at the engine, and only the batch
// in flight was sent again (createoradjust adjusts those in place).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TaxCommitDriverInput, TaxCommitDriverResult } from '../../bench/taxCommitWorkflow';
import { startTaxCommitWorker, syntheticSellerOwed, type TaxCommitWorkerProcess } from '../../bench/taxCommitWorld';
import { createTaxEngineCommitRepository } from '../../db/taxEngineCommits';
import { startAvaTaxEmulator, type RunningAvaTaxEmulator } from '../../emulators/avatax/server';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { until } from '../helpers/until';

const N = 600;
const BATCH = 50;
const PERIOD = '2026-11';

describe('tax commit: a worker killed mid-batch resumes with no duplicate', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let emulator: RunningAvaTaxEmulator;
  const workers: TaxCommitWorkerProcess[] = [];

  before(async () => {
    env = await devServerEnv();
    database = await testDatabase();
    emulator = await startAvaTaxEmulator({ accountId: '1100000042', licenseKey: 'LICENSE-42' });
  });
  after(async () => {
    for (const w of workers) await w.stop();
    await emulator?.close();
    await database?.drop();
    await env?.teardown();
  });

  const gate = async (body: object): Promise<{ held: number }> =>
    (await (
      await fetch(`${emulator.url}/__admin/gate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { held: number };
  const calls = async (): Promise<Record<string, number>> =>
    (await (await fetch(`${emulator.url}/__admin/calls`)).json()) as Record<string, number>;

  test('kill during batch 3, resume, every transaction once; a second run sends nothing', async () => {
    const shopId = uniqueId('shop');
    const ledger = createTaxEngineCommitRepository(database.db);
    assert.equal(await ledger.stage(shopId, PERIOD, syntheticSellerOwed(N, PERIOD)), N);
    // Two batches pass, then 20 calls of the third; the next calls wait at the emulator, unanswered.
    await gate({ afterCalls: 2 * BATCH + 20 });

    const taskQueue = uniqueId('tax-commit');
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AVATAX_ACCOUNT_ID: '1100000042',
      AVATAX_LICENSE_KEY: 'LICENSE-42',
      AVATAX_BASE_URL: emulator.url,
    };
    const first = await startTaxCommitWorker(workerEnv);
    workers.push(first);
    const input: TaxCommitDriverInput = {
      shopId,
      engine: 'avatax',
      period: PERIOD,
      batchSize: BATCH,
      maxTransactions: 250,
      heartbeatTimeoutMs: 3_000,
    };
    const handle = await env.client.workflow.start('taxCommitDriver', {
      taskQueue,
      workflowId: uniqueId('tax-commit'),
      args: [input],
    });

    // The engine's concurrency (8) of the third batch's calls are held: the worker is mid-batch.
    await until('eight requests held', async () => (await gate({})).held === 8, 30_000);
    const atKill = await ledger.counts(shopId, 'avatax', PERIOD);
    assert.equal(atKill.committed, 2 * BATCH, 'two batches recorded before the kill');
    await first.kill();
    // The held requests now complete at the engine; their answers go nowhere.
    await gate({ open: true });
    await until(
      'held requests completed',
      async () => (await calls())['POST /api/v2/transactions/createoradjust 200'] === 2 * BATCH + 28,
      10_000,
    );

    workers.push(await startTaxCommitWorker(workerEnv));
    const result = (await handle.result()) as TaxCommitDriverResult;

    assert.equal(result.seen, N);
    assert.equal(result.rejected, 0);
    assert.equal(result.created + result.replaced + result.skipped, N);
    // Exactly the third batch's 28 transactions the engine had taken were sent again, and adjusted in place.
    assert.equal(result.replaced, 28);
    const state = (await (await fetch(`${emulator.url}/__admin/state`)).json()) as {
      count: number;
      transactions: { code: string; version: number; status: string }[];
    };
    assert.equal(state.count, N);
    assert.equal(new Set(state.transactions.map((t) => t.code)).size, N);
    assert.equal(state.transactions.filter((t) => t.version === 2).length, 28);
    assert.ok(state.transactions.every((t) => t.status === 'Committed' && t.version <= 2));
    assert.equal((await calls())['POST /api/v2/transactions/createoradjust 200'], N + 28);
    const done = await ledger.counts(shopId, 'avatax', PERIOD);
    assert.equal(done.committed, N);
    assert.equal(done.byAction.adjusted, 28);
    assert.ok(done.engineTax > 0);

    // The month again: the ledger holds every code, so nothing reaches the engine.
    const again = (await env.client.workflow.execute('taxCommitDriver', {
      taskQueue,
      workflowId: uniqueId('tax-commit-again'),
      args: [input],
    })) as TaxCommitDriverResult;
    assert.deepEqual([again.seen, again.skipped, again.created, again.replaced], [N, N, 0, 0]);
    assert.equal((await calls())['POST /api/v2/transactions/createoradjust 200'], N + 28);
  });
});
