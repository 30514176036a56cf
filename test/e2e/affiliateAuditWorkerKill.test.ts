// An approved affiliate action survives a worker killed between TikTok applying the call and our record of it. The
// worker is the product's own process (dist/workers/main.js), SIGKILLed while the emulator holds the answer to Remove
// Creator From Open Collaboration it has already applied; a new worker takes the activity over after its heartbeat
// timeout, finds the action marked `calling`, and completes it: the person's decision is answered once, the creator
// is removed on TikTok (the first removal stands), the step closed once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPO_ROOT } from '../../config';
import { getAffiliateAuditQuery } from '../../workflows/affiliateAudit/messages';
import { affiliateAuditWorkflowId } from '../../workflows/ids';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';
import { startTestWorker, type TestWorker } from '../helpers/worker';

const APP_KEY = 'e2e_affkill_app_key';
const APP_SECRET = 'e2e_affkill_app_secret_0123456789';
const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The product's worker as a process of its own, resolved once it polls. */
async function workerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'workers', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 60 s:\n${out.slice(-3000)}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/worker started/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}:\n${out.slice(-3000)}`)));
  });
  return child;
}

describe('affiliate audit: an approved removal survives a worker killed between the call and its record', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let child: ChildProcess | undefined;
  let replacement: TestWorker | undefined;

  before(async () => {
    env = await devServerEnv();
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Affiliate Kill',
      sellerName: 'Affiliate Kill Seller',
    });
    await es.connect();
  });
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await replacement?.stop();
    await es?.stop();
    await env?.teardown();
  });

  test('SIGKILL while TikTok holds the applied removal: retried elsewhere, applied once, answered once', async () => {
    const { stack, admin, shopId } = es;
    await admin('/affiliate/seed', { shop_id: shopId });
    const period = `${day(Date.now() - 21 * DAY_MS)}..${day(Date.now() + DAY_MS)}`;
    assert.equal((await stack.call('POST', `/v1/shops/${shopId}/affiliate-audits`, { period })).status, 202);
    const handle = stack.client.workflow.getHandle(affiliateAuditWorkflowId(shopId, period));
    await until(
      'the audit waiting for decisions',
      async () => (await handle.query(getAffiliateAuditQuery).catch(() => undefined))?.stage === 'awaiting_decisions',
      90_000,
    );
    const steps = await stack.call('GET', `/v1/human-steps?shopId=${shopId}&caseKind=affiliate_audit&open=true`);
    const removal = (steps.json.steps as any[]).find((s) => s.context?.kind === 'remove_creator');
    assert.ok(removal, 'a removal to approve');

    // From here the product's worker is a process of its own (the in-process one stops polling).
    stack.worker.shutdown();
    child = await workerProcess({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: stack.cfg.DATA_DIR,
      DATABASE_URL: stack.database.url,
      TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: stack.cfg.TEMPORAL_TASK_QUEUE,
      TIKTOK_APP_KEY: APP_KEY,
      TIKTOK_APP_SECRET: APP_SECRET,
      TIKTOK_API_BASE_URL: es.emulator.url,
      TIKTOK_AUTH_BASE_URL: es.emulator.url,
      TIKTOK_AUTHORIZE_URL: `${es.emulator.url}/open/authorize`,
      PUBLIC_BASE_URL: stack.cfg.PUBLIC_BASE_URL,
    });
    // TikTok applies the next removal and never answers it.
    await admin('/faults', { pathPattern: 'remove_creator', responseLost: { count: 1, probability: 0, mode: 'hold' } });

    const decision = stack.call('POST', `/v1/human-steps/${removal.id}/decision`, {
      actionId: removal.context.actionId,
      decision: 'approve',
    });
    const removals = async () =>
      ((await admin('/record/mutations')).mutations as any[]).filter(
        (m) => m.action === 'remove_creator_from_open_collaboration' && m.applied,
      );
    await until('the removal applied on TikTok, its answer held', async () => (await removals()).length === 1, 30_000);
    const row = await stack.database.db('affiliate_audit_actions').where({ id: removal.context.actionId }).first();
    assert.equal(row.status, 'calling', 'killed between the call and the record');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    await admin('/faults/reset', {});

    replacement = await startTestWorker(env, { cfg: stack.cfg, db: stack.database.db });
    const answered = await decision;
    assert.equal(answered.status, 200, JSON.stringify(answered.json));
    assert.equal(answered.json.result.outcome, 'applied');
    assert.equal(answered.json.result.detail.retried, true);

    const done = await stack.database.db('affiliate_audit_actions').where({ id: removal.context.actionId }).first();
    assert.deepEqual([done.status, done.calls], ['applied', 2]);
    // The retry called again and TikTok kept the first removal (Remove Creator answers success when it stands).
    const applied = await removals();
    assert.equal(applied.length, 2);
    assert.equal(applied[0].responseLost, true);
    const { open } = await admin(`/affiliate/collaborations?shop_id=${shopId}`);
    const collab = (open as any[]).find((c) => c.id === removal.context.openCollaborationId);
    assert.deepEqual(Object.keys(collab.removedCreators), [removal.context.creatorOpenId]);
    const step = await stack.database.db('human_steps').where({ id: removal.id }).first();
    assert.equal(step.outcome, 'decided');
    const view = await handle.query(getAffiliateAuditQuery);
    assert.equal(view.actions.find((a) => a.actionId === removal.context.actionId)?.status, 'applied');
  });
});
