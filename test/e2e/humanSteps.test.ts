// The shared case contract end to end (issue 15 item 3): a buyer cancels an order the warehouse already has, the order
// workflow opens a human step (human_steps row), the CLI — a child process, as an operator runs it — lists it and
// decides it through POST /v1/human-steps/:id/decision, the workflow's update approves the cancellation on the TikTok
// emulator and closes the step with who decided. Invalid input is the workflow's 422 (exit code 1), a closed step 409.
// The CLI's settings commands go to the shop settings routes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { REPO_ROOT } from '../../config';
import { orderWorkflowId } from '../../workflows/ids';
import { captureServer, startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

const CLI = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe('human steps: an order cancellation decided through the CLI', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let wms: Awaited<ReturnType<typeof captureServer>>;
  let orderId: string;
  let stepId: string;

  /** `node dist/cli/main.js …` against the test stack, as `npm run cli -- …` runs it. */
  const cli = (...args: string[]): Promise<CliRun> =>
    new Promise((resolve) => {
      const childEnv = { ...process.env, OPS_API_URL: es.stack.baseUrl, OPS_API_KEY: es.stack.adminKey };
      execFile(process.execPath, [CLI, ...args], { env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });

  before(async () => {
    env = await devServerEnv();
    wms = await captureServer();
    es = await startEmulatorStack(env, {
      appKey: 'e2e_steps_app_key',
      appSecret: 'e2e_steps_app_secret_0123456789ab',
      shopName: 'Steps Beauty',
      sellerName: 'Steps Seller',
      env: { WMS_URL: `${wms.url}/orders`, WMS_SIGNING_SECRET: 'wms-signing-secret-0123456789' },
    });
    await es.connect();
  });
  after(async () => {
    await es?.stop();
    wms?.close();
    await env?.teardown();
  });

  test('the buyer cancels after the hand-off: the workflow opens a human step the CLI lists', async () => {
    const placed = await es.admin('/orders', { shop_id: es.shopId, items: [{ sku_id: es.skuId }], paid: true });
    orderId = placed.id;
    await until(
      'the order workflow',
      async () => (await es.stack.call('GET', `/v1/orders/${es.shopId}/${orderId}`)).status === 200,
    );
    await es.admin('/clock/advance', { seconds: 3601 }); // the remorse window ends: handed to the warehouse
    await until('the hand-off', async () => {
      const view = (await es.stack.call('GET', `/v1/orders/${es.shopId}/${orderId}`)).json;
      return view?.acknowledged === true;
    });
    const cancel = await es.admin(`/orders/${orderId}/buyer-cancel`, {});
    const step = await until('the human step', async () => {
      const r = await es.stack.call('GET', `/v1/human-steps?shopId=${es.shopId}&open=true`);
      return r.json.steps.find((s: { caseId: string }) => s.caseId === orderId);
    });
    stepId = step.id;
    assert.deepEqual(
      [step.caseKind, step.workflowId, step.stepKey, step.updateName, step.severity, step.closedAt],
      [
        'order_cancellation',
        orderWorkflowId(es.shopId, orderId),
        `cancellation:${cancel.cancel_id}`,
        'cancellationDecision',
        'warning',
        null,
      ],
    );
    assert.ok(Date.parse(step.dueAt) > Date.now(), 'due in the future');

    const listed = await cli('steps', 'list', '--shop', es.shopId, '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { id: string }[]).map((s) => s.id),
      [stepId],
    );
    const table = await cli('steps', 'list', '--kind', 'order_cancellation');
    assert.equal(table.code, 0, table.stderr);
    const line = table.stdout.split('\n').find((l) => l.startsWith(`${stepId} `));
    assert.match(line ?? '', /order_cancellation .* open +Buyer asks to cancel order/);
    assert.match(line ?? '', / (\d+d \d+h|\d+h \d{2}m) /, 'the time left');
  });

  test('input the workflow refuses: 422 with its message, exit code 1, nothing on stdout', async () => {
    const refused = await cli('steps', 'decide', stepId, '--input', '{"stopped": "maybe"}');
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.equal(refused.stderr.trim(), 'ApiError 422 invalid_decision: stopped must be true or false');
    const asJson = await cli('steps', 'decide', stepId, '--input', '{"stopped": true, "refund": 1}', '--json');
    assert.equal(asJson.code, 1);
    assert.deepEqual(JSON.parse(asJson.stdout), {
      error: { name: 'ApiError', status: 422, code: 'invalid_decision', message: 'the answer: unknown field refund' },
    });
    // Who decides comes from the key, never from the body.
    const forged = await es.stack.call('POST', `/v1/human-steps/${stepId}/decision`, {
      stopped: true,
      decidedBy: 'someone else',
    });
    assert.equal(forged.status, 400);
    const usage = await cli('steps', 'decide', stepId);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^UsageError: give the decision as --input/);
  });

  test('the decision: approved on TikTok, the step closed with who decided, a second decision 409', async () => {
    const decided = await cli('steps', 'decide', stepId, '--input', '{"stopped": true}', '--json');
    assert.equal(decided.code, 0, decided.stderr);
    const out = JSON.parse(decided.stdout);
    assert.equal(out.result.outcome, 'approved');
    assert.equal(out.updateName, 'cancellationDecision');
    assert.match(out.decidedBy, /^bootstrap admin \(key [0-9a-f-]{36}\)$/);
    assert.equal((await es.admin(`/orders/${orderId}`)).status, 'CANCELLED');

    const step = await until('the step closed', async () => {
      const r = await es.stack.call('GET', `/v1/human-steps/${stepId}`);
      return r.json.closedAt ? r.json : undefined;
    });
    assert.deepEqual(
      [step.outcome, step.decidedBy, step.decision],
      ['decided', out.decidedBy, { stopped: true, outcome: 'approved' }],
    );
    const shown = await cli('steps', 'show', stepId);
    assert.match(shown.stdout, new RegExp(`closed .*: decided by ${out.decidedBy.replace(/[()]/g, '\\$&')}`));

    const again = await cli('steps', 'decide', stepId, '--input', '{"stopped": true}');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^ApiError 409 step_closed: step \d+ is closed \(decided at /);
    const open = await cli('steps', 'list', '--shop', es.shopId, '--json');
    assert.deepEqual(JSON.parse(open.stdout), [], 'nothing open any more');
  });

  test('settings show and set through the CLI: the shop settings routes, If-Match answered 412 when stale', async () => {
    const shown = await cli('settings', 'show', es.shopId, '--json');
    assert.equal(shown.code, 0, shown.stderr);
    const before = JSON.parse(shown.stdout);
    assert.equal(before.shopId, es.shopId);
    const patch = JSON.stringify({ returns: { criticalBeforeDeadline: '2h' } });
    const set = await cli(
      'settings',
      'set',
      es.shopId,
      '--patch',
      patch,
      '--if-match',
      String(before.version),
      '--json',
    );
    assert.equal(set.code, 0, set.stderr);
    const after = JSON.parse(set.stdout);
    assert.deepEqual([after.version, after.settings.returns.criticalBeforeDeadline], [before.version + 1, '2h']);
    const stale = await cli('settings', 'set', es.shopId, '--patch', patch, '--if-match', String(before.version));
    assert.equal(stale.code, 1);
    assert.equal(stale.stdout, '');
    assert.match(stale.stderr, /^ApiError 412 precondition_failed: /);
  });
});
