// The return reconciliation's run on the dev server, its bookkeeping real (PostgreSQL) and its page activity scripted:
// the watermark moves only when every page succeeded, to the newest update of any page, and the next run searches
// from it minus the overlap; a failed page fails the run and its row says so, with what the pages before it did.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createReconciliationActivities, RECONCILE_OVERLAP_SECONDS } from '../../activities/reconciliation';
import { createReconciliationRepository } from '../../db/reconciliation';
import { createDataConverter } from '../../temporal/connection';
import { returnReconciliationScheduleId } from '../../workflows/ids';
import type { ReconciledPage } from '../../workflows/returnReconciliation/messages';
import { returnReconciliation } from '../../workflows/returnReconciliation/workflow';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, encryptedClient, testConfig, uniqueId, workflowBundle } from '../helpers/temporal';

type PageCall = { shopId: string; updateTimeGe: number; pageToken?: string };

describe('return reconciliation: the watermark moves only after every page succeeded', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const cfg = testConfig();
  const shopId = uniqueId('shop');
  const calls: PageCall[] = [];
  /** What each page call answers, by its token ('' for the first page). */
  let script: Record<string, ReconciledPage | Error> = {};
  let runNumber = 0;

  const run = async () => {
    runNumber += 1;
    return client.workflow.start(returnReconciliation, {
      workflowId: `${returnReconciliationScheduleId(shopId)}-run-${runNumber}`,
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId }],
    });
  };
  const repository = () => createReconciliationRepository(database.db, 'returns');
  const page = (p: Partial<ReconciledPage>): ReconciledPage => ({
    started: 0,
    signalled: 0,
    alreadyClosed: 0,
    alreadyNotified: 0,
    seen: 0,
    ...p,
  });

  before(async () => {
    database = await testDatabase();
    env = await devServerEnv();
    client = encryptedClient(env, cfg);
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: {
        ...createReconciliationActivities({ cfg, db: database.db, temporal: client }),
        reconcileReturnsPage: (input: PageCall): Promise<ReconciledPage> => {
          calls.push(input);
          const answer = script[input.pageToken ?? ''];
          if (answer instanceof Error) return Promise.reject(answer);
          if (!answer) return Promise.reject(new Error(`no page ${input.pageToken}`));
          return Promise.resolve(answer);
        },
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

  test('the second page fails: the run fails, no watermark is set, the row keeps the first page and the error', async () => {
    script = {
      '': page({ seen: 2, started: 2, maxUpdateTime: 1_800_000_100, nextPageToken: 'p2' }),
      p2: ApplicationFailure.nonRetryable('Search Returns refused', 'TikTokApiError'),
    };
    const handle = await run();
    await assert.rejects(handle.result());
    assert.equal(await repository().watermark(shopId), undefined, 'no watermark after a failed run');
    const [row] = await repository().latestRuns(shopId, 1);
    assert.equal(row!.status, 'failed');
    assert.equal(row!.pages, 1);
    assert.equal(row!.seen, 2);
    assert.equal(row!.workflows_started, 2);
    assert.match(row!.error ?? '', /Search Returns refused/);
    assert.equal(row!.watermark_after, null);
    // A first run looks back over TikTok's 48-hour response window.
    const first = calls[0]!;
    assert.equal(first.pageToken, undefined);
    assert.ok(Math.abs(first.updateTimeGe - (Date.now() / 1000 - 48 * 3600)) < 120, String(first.updateTimeGe));
    assert.deepEqual(
      calls.map((c) => c.pageToken),
      [undefined, 'p2'],
    );
  });

  test('both pages succeed: the watermark is the newest update of either page; counts add up', async () => {
    calls.length = 0;
    script = {
      '': page({ seen: 2, started: 1, alreadyNotified: 1, maxUpdateTime: 1_800_000_100, nextPageToken: 'p2' }),
      p2: page({ seen: 3, signalled: 2, alreadyClosed: 1, maxUpdateTime: 1_800_000_500 }),
    };
    const result = await (await run()).result();
    assert.equal(result.watermarkBefore, null);
    assert.equal(result.watermarkAfter, new Date(1_800_000_500 * 1000).toISOString());
    assert.deepEqual(
      [result.pages, result.seen, result.started, result.signalled, result.alreadyClosed, result.alreadyNotified],
      [2, 5, 1, 2, 1, 1],
    );
    const [row] = await repository().latestRuns(shopId, 1);
    assert.equal(row!.status, 'completed');
    assert.equal(row!.already_notified, 1);
    assert.equal(row!.watermark_after?.toISOString(), result.watermarkAfter);
    // The orders' watermark of the same shop is another row: untouched.
    assert.equal(await createReconciliationRepository(database.db, 'orders').watermark(shopId), undefined);
  });

  test('the next run searches from the watermark minus the overlap; an empty search leaves the watermark', async () => {
    calls.length = 0;
    script = { '': page({}) };
    const result = await (await run()).result();
    assert.equal(calls[0]!.updateTimeGe, 1_800_000_500 - RECONCILE_OVERLAP_SECONDS);
    assert.equal(result.watermarkBefore, new Date(1_800_000_500 * 1000).toISOString());
    assert.equal(result.watermarkAfter, result.watermarkBefore);
    assert.equal(result.seen, 0);
  });
});
