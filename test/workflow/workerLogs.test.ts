// Issue 14 item 7: workflow and activity logs go through the same pino logger and redaction as the API, as JSON
// (the worker installs its Runtime with workers/runtime.ts).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { log as activityLog } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { createLogger } from '../../logging/logger';
import { installRuntime } from '../../workers/runtime';
import { until } from '../helpers/until';
import { uniqueId } from '../helpers/temporal';

test('a workflow line and an activity line come out as JSON lines with buyer data and tokens redacted', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  // The worker's own setup (workers/main.ts): installed before any connection of this process.
  installRuntime(createLogger('info', sink).child({ process: 'worker' }));
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  assert.ok(address, 'TEST_TEMPORAL_ADDRESS is set by npm test');
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default' });
  try {
    const taskQueue = uniqueId('logs');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./fixtures/loggingWorkflows'),
        logger: new DefaultLogger('WARN'),
      }),
      activities: {
        logFromActivity: (orderId: string) => {
          activityLog.info('activity line', {
            orderId,
            access_token: 'TTP_secret_token',
            buyer: { phone_number: '555' },
          });
          return Promise.resolve();
        },
      },
    });
    const workflowId = uniqueId('logs');
    await worker.runUntil(env.client.workflow.execute('loggingWorkflow', { taskQueue, workflowId, args: ['576'] }));
    // Forwarded lines are buffered up to 100 ms by the Runtime before they reach the logger.
    await until('both lines logged', () =>
      Promise.resolve(lines.some((l) => l.includes('activity line')) && lines.some((l) => l.includes('workflow line'))),
    );
  } finally {
    await env.teardown();
  }

  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const workflowLine = parsed.find((l) => l.msg === 'workflow line');
  const activityLine = parsed.find((l) => l.msg === 'activity line');
  assert.ok(workflowLine && activityLine, lines.join('\n'));
  assert.equal(workflowLine.sdkComponent, 'workflow');
  assert.equal(workflowLine.workflowType, 'loggingWorkflow');
  assert.equal(workflowLine.level, 40);
  assert.equal(workflowLine.orderId, '576');
  assert.equal(workflowLine.buyer_email, '[redacted]');
  assert.deepEqual(workflowLine.order, { recipient_address: '[redacted]' });
  assert.equal(activityLine.sdkComponent, 'activity');
  assert.equal(activityLine.activityType, 'logFromActivity');
  assert.equal(activityLine.level, 30);
  assert.equal(activityLine.access_token, '[redacted]');
  assert.equal(activityLine.taskToken, '[redacted]');
  assert.deepEqual(activityLine.buyer, { phone_number: '[redacted]' });
  for (const line of [workflowLine, activityLine]) {
    assert.equal(line.service, 'tiktok-shop-ops');
    assert.equal(line.process, 'worker');
  }
  const out = lines.join('\n');
  for (const secret of ['jane@example.com', '1 Main St', 'TTP_secret_token', '"555"'])
    assert.ok(!out.includes(secret), `${secret} leaked`);
});
