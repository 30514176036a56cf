// Issue 12 item 3: local activities that call TikTok get a schedule-to-close; past it the order's urgent read
// continues as a normal activity instead of retrying as a local activity forever.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { devServerEnv, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
before(async () => {
  env = await devServerEnv();
});
after(async () => {
  await env?.teardown();
});

test('a local TikTok read failing past its schedule-to-close continues as a normal activity', async (t) => {
  const taskQueue = uniqueId('urgent-local');
  const calls: { local: boolean; at: number }[] = [];
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/urgentLocalWorkflows'),
      logger: new DefaultLogger('WARN'),
    }),
    activities: {
      // TikTok is down for the local attempts; the same read as a normal activity succeeds.
      readOrder: () => {
        const local = Context.current().info.isLocal;
        calls.push({ local, at: Date.now() });
        return local ? Promise.reject(new Error('TikTok unavailable')) : Promise.resolve({ status: 'read remotely' });
      },
    },
  });
  const started = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute('urgentLocalRead', {
      taskQueue,
      workflowId: uniqueId('urgent-local'),
      args: ['3 seconds'],
      workflowExecutionTimeout: '1 minute',
    }),
  );
  t.diagnostic(`calls: ${JSON.stringify(calls.map((c) => ({ local: c.local, afterMs: c.at - started })))}`);
  assert.equal(result, 'read remotely');
  const local = calls.filter((c) => c.local);
  assert.ok(local.length >= 2, `${local.length} local attempts`);
  assert.ok(calls.at(-1)!.at - started >= 2_500, 'the local attempts went on until the schedule-to-close');
  assert.equal(calls.filter((c) => !c.local).length, 1);
});
