// The dispute clocks on the time-skipping server: an appeal is due 21 days after the dispute's decision (the policy
// row, read through readAppealWindow), reminded at the shop's offsets (72 h and 24 h warnings, a critical page 4 h
// before that raises the step), expired at the deadline when nobody recorded a submission; a chargeback's deadline is
// its notice's, its bundle is built at once and the submission and outcome are the human steps' updates. Evidence,
// settings, human steps and the notifier are stand-ins with the real activity names.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { DEFAULT_SHOP_SETTINGS } from '../../shopSettings/schema';
import { chargeback } from '../../workflows/chargeback/workflow';
import { disputeAppeal } from '../../workflows/disputeAppeal/workflow';
import { chargebackWorkflowId, disputeAppealWorkflowId } from '../../workflows/ids';
import {
  getDisputeCaseQuery,
  recordOutcomeUpdate,
  recordSubmissionUpdate,
} from '../../workflows/shared/disputeMessages';
import {
  applicationFailureOf as failureOf,
  bundledWorker,
  encryptedClient,
  testConfig,
  timeSkippingEnv,
  uniqueId,
  until,
} from '../helpers/temporal';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHOP = 'shop-dp';

interface Call {
  name: string;
  input: any;
}

function fakeWorld() {
  const calls: Call[] = [];
  let bundleFails = false;
  const log = (name: string, input: unknown) => calls.push({ name, input: structuredClone(input) });
  const activities = {
    readAppealWindow: (input: unknown) => {
      log('readAppealWindow', input);
      return Promise.resolve({ region: 'US', windowMs: 21 * DAY, source: 'After-Sale Dispute Escalation Policy' });
    },
    readShopSettings: () => Promise.resolve(structuredClone(DEFAULT_SHOP_SETTINGS)),
    recordDisputeCase: (input: unknown) => Promise.resolve(log('recordDisputeCase', input)),
    notifyDispute: (input: unknown) => Promise.resolve(log('notifyDispute', input)),
    openHumanStep: (input: { stepKey: string }) => {
      log('openHumanStep', input);
      return Promise.resolve({ stepId: input.stepKey === 'submit' ? '11' : '12' });
    },
    closeHumanStep: (input: unknown) => Promise.resolve(log('closeHumanStep', input)),
    trackOrderShipment: (input: { orderId: string }) => {
      log('trackOrderShipment', input);
      return Promise.resolve({ carrier: 'USPS', trackingCode: `TRK${input.orderId}`, status: 'delivered', scans: [] });
    },
    buildEvidenceBundle: (input: { caseId: string }) => {
      log('buildEvidenceBundle', input);
      if (bundleFails)
        return Promise.reject(ApplicationFailure.create({ message: 'no order o-missing', nonRetryable: true }));
      return Promise.resolve({
        bundleId: `eb_${input.caseId}`,
        fileId: 'f'.repeat(64),
        sha256: 'f'.repeat(64),
        pageCount: 3,
        sizeBytes: 12_345,
        dataAsOf: '2026-01-01T00:00:00.000Z',
        builtAt: '2026-01-01T00:00:01.000Z',
      });
    },
  };
  return {
    calls,
    activities,
    of: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input),
    set bundleFails(v: boolean) {
      bundleFails = v;
    },
  };
}

/** The ApplicationFailure inside an update's failure (the validator's refusal). */
describe('dispute cases on the time-skipping server', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const cfg = testConfig();
  let world: ReturnType<typeof fakeWorld>;

  beforeEach(async () => {
    world = fakeWorld();
    env = await timeSkippingEnv();
    client = encryptedClient(env, cfg);
    worker = await bundledWorker(env, cfg, world.activities);
    running = worker.run();
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  async function openAppeal(decidedDaysAgo: number) {
    const now = await env.currentTimeMs();
    const disputeId = uniqueId('d');
    const decidedAt = new Date(now - decidedDaysAgo * DAY).toISOString();
    const handle = await client.workflow.start(disputeAppeal, {
      workflowId: disputeAppealWorkflowId(SHOP, disputeId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [
        {
          shopId: SHOP,
          disputeId,
          disputeType: 'return_refund',
          orderId: 'o-1',
          returnId: 'r-1',
          decision: 'Refund the buyer in full',
          decidedAt,
          amount: '30.00',
          currency: 'USD',
          openedBy: 'ops (key 1)',
        },
      ],
    });
    const deadline = new Date(Date.parse(decidedAt) + 21 * DAY).toISOString();
    return { disputeId, handle, decidedAt, deadline };
  }

  const submitStep = () =>
    until('the submit step', () => world.of('openHumanStep').find((s) => s.stepKey === 'submit'));

  test('an appeal is due 21 days after the decision; reminders at 72 h, 24 h, 4 h; a submission 1 min before is kept', async () => {
    const { handle, deadline, disputeId } = await openAppeal(1);
    const step = await submitStep();
    assert.equal(step.dueAt, deadline, 'due 21 days after the decision');
    assert.equal(step.caseKind, 'dispute_appeal');
    assert.equal(step.updateName, 'recordSubmission');
    assert.equal(step.context.bundle.bundleId, `eb_${disputeId}`);
    assert.equal(step.context.bundle.download, `/v1/shops/${SHOP}/evidence-bundles/eb_${disputeId}/content`);
    assert.deepEqual(world.of('buildEvidenceBundle')[0], {
      shopId: SHOP,
      caseKind: 'dispute_appeal',
      caseId: disputeId,
      orderId: 'o-1',
      requestedBy: 'ops (key 1)',
    });
    // The carrier history is fetched before the bundle is built (the bundle reads the stored history).
    const order = world.calls
      .map((c) => c.name)
      .filter((n) => n === 'trackOrderShipment' || n === 'buildEvidenceBundle');
    assert.deepEqual(order, ['trackOrderShipment', 'buildEvidenceBundle']);
    assert.equal(world.of('notifyDispute').length, 0);

    // 19 days 23 h later (1 h before the 72 h reminder): nothing yet; then the 72 h one.
    await env.sleep(Date.parse(deadline) - 72 * HOUR - (await env.currentTimeMs()) - HOUR);
    assert.equal(world.of('notifyDispute').length, 0);
    await env.sleep(2 * HOUR);
    const first = await until('the 72 h reminder', () => world.of('notifyDispute')[0]);
    assert.deepEqual([first.kind, first.severity, first.recipients], ['reminder:72h', 'warning', ['operations']]);
    await env.sleep(48 * HOUR);
    await until('the 24 h reminder', () => world.of('notifyDispute')[1]);
    await env.sleep(20 * HOUR);
    const critical = await until('the 4 h page', () => world.of('notifyDispute')[2]);
    assert.deepEqual([critical.kind, critical.severity], ['reminder:4h', 'critical']);
    assert.deepEqual(critical.recipients, ['operations', 'owner']);
    const raised = await until('the step raised', () =>
      world.of('openHumanStep').find((s) => s.severity === 'critical'),
    );
    assert.equal(raised.stepKey, 'submit');
    const atRisk = await handle.query(getDisputeCaseQuery);
    assert.equal(atRisk.risk, 'at_risk');
    assert.deepEqual(atRisk.reminded, ['submit:72h', 'submit:24h', 'submit:4h']);

    await env.sleep(Date.parse(deadline) - (await env.currentTimeMs()) - 60_000);
    const view = await handle.executeUpdate(recordSubmissionUpdate, {
      args: [{ decidedBy: 'ops (key 1)', reference: 'SC-APPEAL-1' }],
    });
    assert.equal(view.stage, 'submitted');
    assert.equal(view.submission?.reference, 'SC-APPEAL-1');
    assert.ok(Date.parse(view.submission.submittedAt) < Date.parse(deadline));
    const closed = world.of('closeHumanStep')[0];
    assert.deepEqual([closed.stepKey, closed.outcome, closed.decidedBy], ['submit', 'decided', 'ops (key 1)']);
    await until('the outcome step', () => world.of('openHumanStep').find((s) => s.stepKey === 'outcome'));

    // An outcome that is not allowed: InvalidDecision, nothing recorded.
    await assert.rejects(
      handle.executeUpdate(recordOutcomeUpdate, {
        args: [{ decidedBy: 'ops (key 1)', outcome: 'partially_won', amountRecovered: '31.00' }],
      }),
      (err: unknown) => {
        assert.ok(err instanceof WorkflowUpdateFailedError);
        assert.equal(failureOf(err)?.type, 'InvalidDecision');
        return true;
      },
    );
    const done = await handle.executeUpdate(recordOutcomeUpdate, {
      args: [{ decidedBy: 'ops (key 1)', outcome: 'partially_won', amountRecovered: '12.00' }],
    });
    assert.deepEqual([done.stage, done.risk, done.outcome?.amountRecovered], ['partially_won', 'done', '12.00']);
    const result = await handle.result();
    assert.deepEqual(
      [result.outcome, result.amountRecovered, result.bundleId],
      ['partially_won', '12.00', `eb_${disputeId}`],
    );
    const last = world.of('recordDisputeCase').at(-1);
    assert.deepEqual(
      [last.stage, last.outcome, last.amountRecovered, last.closed, last.submissionReference],
      ['partially_won', 'partially_won', '12.00', true, 'SC-APPEAL-1'],
    );
  });

  test('nobody submits: at the deadline the appeal is expired, its step closed so, paged as critical', async () => {
    const { handle, deadline } = await openAppeal(20.5);
    await submitStep();
    // Opened 12 h before the deadline: the 72 h and 24 h reminders are due at once, and only the later one pages.
    const late = await until('the catch-up reminder', () => world.of('notifyDispute')[0]);
    assert.equal(late.kind, 'reminder:24h');
    await env.sleep(Date.parse(deadline) - (await env.currentTimeMs()) + 1000);
    const result = await handle.result();
    assert.deepEqual([result.stage, result.outcome], ['expired', 'expired']);
    const closed = world.of('closeHumanStep')[0];
    assert.deepEqual([closed.stepKey, closed.outcome, closed.decidedAt], ['submit', 'expired', deadline]);
    const expired = world.of('notifyDispute').find((n) => n.kind === 'expired');
    assert.equal(expired.severity, 'critical');
    assert.deepEqual(
      world.of('notifyDispute').map((n) => n.kind),
      ['reminder:24h', 'reminder:4h', 'expired'],
    );
    assert.equal(world.of('recordDisputeCase').at(-1).stage, 'expired');
  });

  test("a chargeback is due at its notice's deadline; a bundle that cannot be built leaves the step open with why", async () => {
    world.bundleFails = true;
    const now = await env.currentTimeMs();
    const chargebackId = uniqueId('cb');
    const responseDeadline = new Date(now + 7 * DAY).toISOString();
    const handle = await client.workflow.start(chargeback, {
      workflowId: chargebackWorkflowId(SHOP, chargebackId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [
        {
          shopId: SHOP,
          chargebackId,
          orderId: 'o-missing',
          reason: 'Item not received',
          amount: '42.50',
          currency: 'USD',
          noticeDate: new Date(now - HOUR).toISOString(),
          responseDeadline,
          network: 'Visa',
          openedBy: 'ops (key 1)',
        },
      ],
    });
    const step = await submitStep();
    assert.equal(step.dueAt, responseDeadline);
    assert.equal(step.caseKind, 'chargeback');
    assert.equal(step.context.bundle, null);
    assert.match(step.context.bundleError, /no order o-missing/);
    assert.equal(world.of('notifyDispute')[0].kind, 'bundle_failed');
    // An outcome before any submission is refused (the case is not there yet).
    await assert.rejects(
      handle.executeUpdate(recordOutcomeUpdate, { args: [{ decidedBy: 'ops (key 1)', outcome: 'won' }] }),
      (err: unknown) => failureOf(err)?.type === 'Refused',
    );
    await handle.executeUpdate(recordSubmissionUpdate, { args: [{ decidedBy: 'ops (key 1)' }] });
    const won = await handle.executeUpdate(recordOutcomeUpdate, {
      args: [{ decidedBy: 'ops (key 1)', outcome: 'won' }],
    });
    assert.equal(won.outcome?.amountRecovered, '42.50', 'won: the whole amount');
    assert.equal((await handle.result()).outcome, 'won');
    const recorded = world.of('recordDisputeCase').at(-1);
    assert.deepEqual(recorded.details, { network: 'Visa' });
    assert.equal(recorded.deadline, responseDeadline);
  });
});
