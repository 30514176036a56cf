// The return workflow's clocks on the time-skipping server: the 48-hour race (a decision just before TikTok's deadline
// is sent, one at it is refused with DeadlinePassed and TikTok's own approval is recorded), the escalations at the
// shop's offsets and the critical page 1 h before, the shop's auto-approve, the buyer shipping back, a withdrawn request
// and TikTok refusing a decision. TikTok, settings, human steps and the file store are stand-ins with the real
// activity names (test/helpers would be the place once another process needs them).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { returnWorkflowId } from '../../workflows/ids';
import {
  decideReturnUpdate,
  getReturnQuery,
  returnStatusChangedSignal,
  type ReturnDecisionInput,
  type ReturnSnapshot,
} from '../../workflows/returnRequest/messages';
import { DEFAULT_SHOP_SETTINGS } from '../../shopSettings/schema';
import type { ReturnSettings } from '../../workflows/returnRequest/proxies';
import { returnRequest } from '../../workflows/returnRequest/workflow';
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
const MINUTE = 60_000;
const SHOP = 'shop-rt';
const EVIDENCE = 'e'.repeat(64);
const REASONS = [{ name: 'seller_reject_return_product_used', text: 'Used' }];

type FakeReturn = Omit<ReturnSnapshot, 'returnId' | 'region' | 'buyerEscalationWindowMs'> & {
  /** The next decision TikTok refuses (as 25001044 does), with this message. */
  refuseNext?: string;
};

interface Call {
  name: string;
  input: any;
}

/** TikTok's returns as the stand-in activities read and change them, and every call made. */
function fakeReturnWorld() {
  const returns = new Map<string, FakeReturn>();
  const calls = new Map<string, Call[]>();
  let settings: ReturnSettings = defaultSettings();
  const log = (returnId: string, name: string, input: unknown) =>
    calls.set(returnId, [...(calls.get(returnId) ?? []), { name, input }]);
  const byWorkflow = (workflowId: string) => workflowId.split(':')[2]!;
  const activities = {
    readReturn(input: { shopId: string; returnId: string }): Promise<ReturnSnapshot> {
      log(input.returnId, 'readReturn', input);
      const { refuseNext: _refuse, ...rest } = returns.get(input.returnId)!;
      const snapshot = { ...structuredClone(rest), returnId: input.returnId, region: 'US' };
      return Promise.resolve({ ...snapshot, buyerEscalationWindowMs: 240 * HOUR });
    },
    readRejectReasons(input: { returnId: string }) {
      log(input.returnId, 'readRejectReasons', input);
      return Promise.resolve(REASONS);
    },
    sendReturnDecision(input: { returnId: string; decision: string; buyerKeepItem?: boolean }): Promise<void> {
      log(input.returnId, 'sendReturnDecision', input);
      const r = returns.get(input.returnId)!;
      if (r.refuseNext) {
        const message = r.refuseNext;
        r.refuseNext = undefined;
        return Promise.reject(ApplicationFailure.create({ type: 'TikTokStateConflict', message, nonRetryable: true }));
      }
      r.nextAction = undefined;
      if (input.decision === 'APPROVE_RETURN') r.status = input.buyerKeepItem ? SUCCESS : 'AWAITING_BUYER_SHIP';
      else if (input.decision.startsWith('APPROVE_')) r.status = SUCCESS;
      else r.status = input.decision === 'REJECT_RECEIVED_PACKAGE' ? 'REJECT_RECEIVE_PACKAGE' : REJECTED;
      return Promise.resolve();
    },
    recordReturnCase: (input: { returnId: string }) => Promise.resolve(log(input.returnId, 'recordReturnCase', input)),
    recordReturnDecision: (input: { returnId: string }) =>
      Promise.resolve(log(input.returnId, 'recordReturnDecision', structuredClone(input))),
    notifyReturn: (input: { returnId: string }) => Promise.resolve(log(input.returnId, 'notifyReturn', input)),
    readShopSettings: (_input: { shopId: string }) => Promise.resolve(settings),
    openHumanStep(input: { caseId: string }) {
      log(input.caseId, 'openHumanStep', input);
      return Promise.resolve({ stepId: '1' });
    },
    closeHumanStep: (input: { workflowId: string }) =>
      Promise.resolve(log(byWorkflow(input.workflowId), 'closeHumanStep', input)),
    buildEvidenceBundle(input: { caseId: string }) {
      log(input.caseId, 'buildEvidenceBundle', input);
      return Promise.resolve({
        bundleId: `eb_${input.caseId}`,
        fileId: 'b'.repeat(64),
        sha256: 'b'.repeat(64),
        pageCount: 2,
        sizeBytes: 4096,
        dataAsOf: '2026-01-01T00:00:00.000Z',
        builtAt: '2026-01-01T00:00:01.000Z',
      });
    },
    uploadEvidenceToTikTok: (input: { shopId: string; fileId: string }) =>
      Promise.resolve({
        uri: `tos-evidence/${input.fileId.slice(0, 8)}`,
        width: 640,
        height: 480,
        mimeType: 'image/png',
      }),
  };
  return {
    returns,
    calls,
    activities,
    set settings(s: ReturnSettings) {
      settings = s;
    },
  };
}

const SUCCESS = 'RETURN_OR_REFUND_REQUEST_SUCCESS';
const REJECTED = 'REFUND_OR_RETURN_REQUEST_REJECT';

/** The defaults a shop that never changed anything gets (escalations 24 h and 6 h, critical 1 h, nothing automatic). */
const defaultSettings = (): ReturnSettings => structuredClone<ReturnSettings>(DEFAULT_SHOP_SETTINGS);

/** The ApplicationFailure inside an update's failure (the validator's refusal or the handler's error). */
describe('returnRequest on the time-skipping server', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const cfg = testConfig();
  let world: ReturnType<typeof fakeReturnWorld>;

  beforeEach(async () => {
    world = fakeReturnWorld();
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

  const calls = (returnId: string, name: string) =>
    (world.calls.get(returnId) ?? []).filter((c) => c.name === name).map((c) => c.input);

  /** A return TikTok waits on (deadline 48 h from now unless given), and its workflow. */
  async function start(
    r: Partial<FakeReturn> & { action?: string; deadlineInMs?: number } = {},
  ): Promise<{ returnId: string; handle: WorkflowHandle<typeof returnRequest>; deadline: string }> {
    const now = await env.currentTimeMs();
    const returnId = uniqueId('r');
    const deadline = new Date(now + (r.deadlineInMs ?? 48 * HOUR)).toISOString();
    const { action, deadlineInMs: _d, ...fake } = r;
    world.returns.set(returnId, {
      orderId: 'o-1',
      type: 'RETURN_AND_REFUND',
      status: 'RETURN_OR_REFUND_REQUEST_PENDING',
      reason: 'damaged',
      refund: { amount: '19.99', currency: 'USD' },
      nextAction: { action: action ?? 'SELLER_RESPOND_RETURN', deadline, deadlineSource: 'tiktok' },
      ...fake,
    });
    const handle = await client.workflow.start(returnRequest, {
      workflowId: returnWorkflowId(SHOP, returnId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId: SHOP, returnId }],
    });
    return { returnId, handle, deadline };
  }

  const asked = (returnId: string, action = 'SELLER_RESPOND_RETURN') =>
    until(`the human step for ${action}`, () =>
      calls(returnId, 'openHumanStep').find((s) => s.stepKey === `decide:${action}`),
    );
  const decide = (handle: WorkflowHandle, input: Omit<ReturnDecisionInput, 'decidedBy'>) =>
    handle.executeUpdate(decideReturnUpdate, { args: [{ decidedBy: 'key:ops', ...input }] });
  const reject = { decision: 'reject' as const, rejectReason: REASONS[0]!.name, evidenceFileIds: [EVIDENCE] };

  test('a rejection ten seconds before the deadline is sent with its evidence; the case waits for arbitration', async () => {
    const { returnId, handle, deadline } = await start();
    const step = await asked(returnId);
    assert.equal(step.dueAt, deadline, 'the step is due at the deadline TikTok states');
    assert.equal(step.updateName, 'decideReturn');
    assert.equal(step.caseKind, 'return');
    assert.deepEqual(step.context.allowedDecisions, ['approve', 'reject']);
    assert.deepEqual(step.context.rejectReasons, REASONS);
    // Up to 10 s before TikTok's deadline on the server's clock (the steps before took some real seconds).
    await env.sleep(Date.parse(deadline) - (await env.currentTimeMs()) - 10_000);
    const result = await decide(handle, reject);
    assert.equal(result.outcome, 'rejected');
    assert.equal(result.tiktokDecision, 'REJECT_RETURN');
    assert.equal(result.status, REJECTED);
    const [sent] = calls(returnId, 'sendReturnDecision');
    assert.equal(sent.rejectReason, REASONS[0]!.name);
    assert.deepEqual(sent.images, [
      { image_id: 'tos-evidence/eeeeeeee', mime_type: 'image/png', width: 640, height: 480 },
    ]);
    assert.equal(sent.workflowId, returnWorkflowId(SHOP, returnId));
    const closed = calls(returnId, 'closeHumanStep');
    assert.deepEqual(
      closed.map((c) => [c.stepKey, c.outcome, c.decidedBy]),
      [['decide:SELLER_RESPOND_RETURN', 'decided', 'key:ops']],
    );
    // The rejection sent, its evidence bundle is built for the dispute that may follow (issue 16).
    const bundle = await until('the bundle built', () => calls(returnId, 'buildEvidenceBundle')[0]);
    assert.deepEqual(bundle, {
      shopId: SHOP,
      caseKind: 'return',
      caseId: returnId,
      orderId: 'o-1',
      requestedBy: 'key:ops',
    });
    let bundles = (await handle.query(getReturnQuery)).bundles;
    for (let i = 0; !bundles && i < 400; i++) {
      await new Promise((r) => setTimeout(r, 50));
      bundles = (await handle.query(getReturnQuery)).bundles;
    }
    assert.equal(bundles?.[0]?.bundleId, `eb_${returnId}`);
    const decided = calls(returnId, 'recordReturnDecision').at(-1);
    assert.equal(decided.channel, 'person');
    assert.equal(decided.outcome, 'rejected');
    assert.ok(Date.parse(decided.decidedAt) < Date.parse(deadline));
    // A second decision on the same action: nothing is pending any more.
    await assert.rejects(decide(handle, { decision: 'approve' }), (err: unknown) => {
      assert.ok(err instanceof WorkflowUpdateFailedError);
      assert.equal(failureOf(err)?.type, 'InvalidDecision');
      return true;
    });
    // Rejected: followed until the buyer's escalation window ends (10 days), then closed.
    await env.sleep(241 * HOUR);
    const outcome = await handle.result();
    assert.equal(outcome.status, REJECTED);
    assert.equal(calls(returnId, 'recordReturnCase').at(-1).closed, true);
  });

  test('at the deadline a decision is refused with DeadlinePassed; TikTok approves: recorded, step expired, critical page', async () => {
    const { returnId, handle, deadline } = await start({ type: 'REFUND', action: 'SELLER_RESPOND_REFUND' });
    await asked(returnId, 'SELLER_RESPOND_REFUND');
    await env.sleep(48 * HOUR);
    await assert.rejects(decide(handle, reject), (err: unknown) => {
      assert.ok(err instanceof WorkflowUpdateFailedError);
      const failure = failureOf(err);
      assert.equal(failure?.type, 'DeadlinePassed');
      assert.match(failure?.message ?? '', /has passed/);
      return true;
    });
    await until('the platform approval recorded', () =>
      calls(returnId, 'recordReturnDecision').find((d) => d.channel === 'platform'),
    );
    const platform = calls(returnId, 'recordReturnDecision').at(-1);
    assert.deepEqual(
      [platform.outcome, platform.decision, platform.decidedAt],
      ['auto_approved_by_platform', 'APPROVE_REFUND', deadline],
    );
    await until('the step closed', () => calls(returnId, 'closeHumanStep').length > 0);
    assert.equal(calls(returnId, 'closeHumanStep')[0].outcome, 'expired');
    const expired = calls(returnId, 'notifyReturn').find((n) => n.kind.startsWith('expired:'));
    assert.equal(expired.severity, 'critical');
    assert.deepEqual(expired.recipients, ['operations', 'owner']);
    assert.equal(calls(returnId, 'sendReturnDecision').length, 0, 'nothing was sent to TikTok');
    assert.equal((await handle.query(getReturnQuery)).risk, 'late');
    // TikTok's approval arrives as a status change; the case ends.
    const r = world.returns.get(returnId)!;
    r.status = SUCCESS;
    r.nextAction = undefined;
    await handle.signal(returnStatusChangedSignal, { status: SUCCESS, updateTime: 0 });
    assert.equal((await handle.result()).status, SUCCESS);
  });

  test('escalations fire at the shop offsets (24 h, 6 h) and critical 1 h before the deadline', async () => {
    const { returnId, handle } = await start();
    await asked(returnId);
    const pages = () => calls(returnId, 'notifyReturn').map((n) => [n.kind, n.severity, n.recipients.join('+')]);
    await env.sleep(24 * HOUR - MINUTE);
    assert.deepEqual(pages(), []);
    await env.sleep(2 * MINUTE);
    await until('T-24h', () => pages().length === 1);
    assert.deepEqual(pages(), [['escalation:SELLER_RESPOND_RETURN:24h', 'warning', 'operations']]);
    assert.equal((await handle.query(getReturnQuery)).risk, 'at_risk');
    await env.sleep(18 * HOUR);
    await until('T-6h', () => pages().length === 2);
    await env.sleep(5 * HOUR);
    await until('T-1h', () => pages().length === 3);
    assert.deepEqual(pages().slice(1), [
      ['escalation:SELLER_RESPOND_RETURN:6h', 'warning', 'operations'],
      ['escalation:SELLER_RESPOND_RETURN:1h', 'critical', 'operations+owner'],
    ]);
    // Decided in the last hour: applied, no expiry page.
    const result = await decide(handle, { decision: 'approve' });
    assert.equal(result.outcome, 'approved');
    assert.equal(calls(returnId, 'notifyReturn').length, 3);
  });

  test("the shop's auto-approve: a low-value refund-only request is approved with no person asked", async () => {
    const s = defaultSettings();
    s.returns.autoApprove = {
      enabled: true,
      maxRefund: { amount: '25', currency: 'USD' },
      reasons: ['damaged'],
      types: ['REFUND'],
    };
    world.settings = s;
    const { returnId, handle } = await start({ type: 'REFUND', action: 'SELLER_RESPOND_REFUND' });
    const outcome = await handle.result();
    assert.equal(outcome.status, SUCCESS);
    assert.deepEqual(
      calls(returnId, 'sendReturnDecision').map((c) => c.decision),
      ['APPROVE_REFUND'],
    );
    assert.equal(calls(returnId, 'openHumanStep').length, 0);
    const d = calls(returnId, 'recordReturnDecision').at(-1);
    assert.deepEqual([d.channel, d.outcome, d.decidedBy], ['auto', 'approved', 'auto']);
    // Over the limit: a person is asked.
    const big = await start({
      type: 'REFUND',
      action: 'SELLER_RESPOND_REFUND',
      refund: { amount: '25.01', currency: 'USD' },
    });
    const step = await asked(big.returnId, 'SELLER_RESPOND_REFUND');
    assert.match(step.context.autoApprove, /over the limit/);
  });

  test('the buyer ships back: the receipt is another decision; the refund ends the case', async () => {
    const { returnId, handle } = await start();
    await asked(returnId);
    assert.equal((await decide(handle, { decision: 'approve' })).status, 'AWAITING_BUYER_SHIP');
    await env.sleep(3 * 24 * HOUR);
    const now = await env.currentTimeMs();
    const r = world.returns.get(returnId)!;
    r.status = 'BUYER_SHIPPED_ITEM';
    r.nextAction = {
      action: 'SELLER_RESPOND_RECEIVE_PACKAGE',
      deadline: new Date(now + 48 * HOUR).toISOString(),
      deadlineSource: 'tiktok',
    };
    await handle.signal(returnStatusChangedSignal, { status: r.status, updateTime: 0 });
    const step = await asked(returnId, 'SELLER_RESPOND_RECEIVE_PACKAGE');
    assert.deepEqual(step.context.allowedDecisions, ['approve', 'reject']);
    const result = await decide(handle, { decision: 'approve' });
    assert.deepEqual([result.tiktokDecision, result.status], ['APPROVE_RECEIVED_PACKAGE', SUCCESS]);
    const outcome = await handle.result();
    assert.deepEqual(
      outcome.decisions.map((d) => [d.action, d.channel, d.outcome]),
      [
        ['SELLER_RESPOND_RETURN', 'person', 'approved'],
        ['SELLER_RESPOND_RECEIVE_PACKAGE', 'person', 'approved'],
      ],
    );
  });

  // No clock in these three: one test (one test server) for all.
  test('the buyer cancels while a person is asked (withdrawn); TikTok refuses a decision (superseded); an arbitration is followed to its ruling', async () => {
    const { returnId, handle } = await start();
    await asked(returnId);
    const r = world.returns.get(returnId)!;
    r.status = 'RETURN_OR_REFUND_REQUEST_CANCEL';
    r.nextAction = undefined;
    await handle.signal(returnStatusChangedSignal, { status: r.status, updateTime: 0 });
    const outcome = await handle.result();
    assert.equal(outcome.status, 'RETURN_OR_REFUND_REQUEST_CANCEL');
    assert.equal(outcome.decisions[0]!.outcome, 'withdrawn');
    assert.equal(calls(returnId, 'closeHumanStep')[0].outcome, 'withdrawn');

    const refused = await start({ refuseNext: 'The return cannot be approved' });
    await asked(refused.returnId);
    const result = await decide(refused.handle, { decision: 'approve' });
    assert.equal(result.outcome, 'superseded');
    assert.match(result.reason!, /cannot be approved/);
    assert.equal(calls(refused.returnId, 'closeHumanStep')[0].outcome, 'superseded');
    assert.ok(calls(refused.returnId, 'readReturn').length >= 2, 'read back after the refusal');

    // A rejection the buyer escalates: followed through arbitration (IN_PROGRESS) to TikTok's ruling.
    const disputed = await start();
    await asked(disputed.returnId);
    assert.equal((await decide(disputed.handle, reject)).status, REJECTED);
    const d = world.returns.get(disputed.returnId)!;
    d.arbitrationStatus = 'IN_PROGRESS';
    await disputed.handle.signal(returnStatusChangedSignal, { status: d.status, updateTime: 0 });
    await until('arbitration seen', () => calls(disputed.returnId, 'recordReturnCase').at(-1)?.arbitrationStatus);
    d.arbitrationStatus = 'SUPPORT_BUYER';
    d.status = SUCCESS;
    await disputed.handle.signal(returnStatusChangedSignal, { status: d.status, updateTime: 0 });
    const ruled = await disputed.handle.result();
    assert.deepEqual([ruled.status, ruled.arbitrationStatus], [SUCCESS, 'SUPPORT_BUYER']);
  });
});
