// Every SLA and cancellation branch of orderAcknowledgment on the time-skipping server. TikTok, the outbox and the
// notifier are a fake with the real activity names; the deadlines come from the REAL planOrderClocks activity, so
// the policy rows (dispatchDeadline, escalationTimes) are what the workflow sees.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { WorkflowFailedError, WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createDataConverter } from '../../temporal/connection';
import { startOrSignalOrderWorkflow } from '../../temporal/orderStart';
import {
  cancellationChangedSignal,
  cancellationDecisionUpdate,
  getOrderQuery,
  orderStatusChangedSignal,
  shippedUpdate,
} from '../../workflows/orderAcknowledgment/messages';
import { orderAcknowledgment } from '../../workflows/orderAcknowledgment/workflow';
import { orderWorkflowId } from '../../workflows/ids';
import { fakeOrderWorld, type FakeOrder } from '../helpers/fakeOrderWorld';
import { encryptedClient, testConfig, timeSkippingEnv, uniqueId, workflowBundle } from '../helpers/temporal';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SHOP = 'shop-ts';

// Each test gets a time-skipping server of its own (see timeSkippingEnv): a test's timers and workflows can never
// hold up another's clock, and a test simply ends; its workflows go with its server.
describe('orderAcknowledgment on the time-skipping server', { timeout: 240_000 }, () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const cfg = testConfig();
  const world = fakeOrderWorld();

  beforeEach(async () => {
    env = await timeSkippingEnv();
    client = encryptedClient(env, cfg);
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: world.activities,
      dataConverter: createDataConverter(cfg),
    });
    running = worker.run();
  });
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  const calls = (orderId: string, name?: string) =>
    (world.calls.get(orderId) ?? []).filter((c) => name === undefined || c.name === name);
  const tasks = (orderId: string) => calls(orderId, 'notifyOperators').map((c) => c.input.kind as string);
  /** The human-step record as the workflow wrote it: opens (key, severity) and closes (key, outcome, who). */
  const opened = (orderId: string) =>
    calls(orderId, 'openHumanStep').map((c) => [c.input.stepKey, c.input.updateName, c.input.severity]);
  const closed = (orderId: string) =>
    calls(orderId, 'closeHumanStep').map((c) => [c.input.stepKey, c.input.outcome, c.input.decidedBy]);
  const events = (orderId: string) =>
    calls(orderId, 'recordDispatchEvent').map((c) => ({ kind: c.input.kind, onTime: c.input.onTime }));

  async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function start(order: Omit<FakeOrder, 'paidAt'> & { paidAgoMs?: number; ttsInMs?: number }) {
    const now = await env.currentTimeMs();
    const orderId = uniqueId('o');
    const { paidAgoMs, ttsInMs, ...fake } = order;
    world.orders.set(orderId, {
      ...fake,
      paidAt: now - (paidAgoMs ?? 2 * HOUR),
      ttsSlaAt: ttsInMs === undefined ? undefined : now + ttsInMs,
    });
    const handle = await client.workflow.start(orderAcknowledgment, {
      workflowId: orderWorkflowId(SHOP, orderId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId: SHOP, orderId }],
    });
    return { orderId, handle, now };
  }
  // The hand-off's last steps: the external reference (with the outbox and WMS) and the hold of the order's units.
  const acknowledged = (orderId: string) =>
    until(
      'the acknowledgment',
      () => calls(orderId, 'registerExternalReference').length > 0 && calls(orderId, 'commitOrderUnits').length > 0,
    );
  async function scan(handle: WorkflowHandle, orderId: string) {
    world.orders.get(orderId)!.status = 'IN_TRANSIT';
    await handle.signal(orderStatusChangedSignal, { status: 'IN_TRANSIT', updateTime: 0 });
  }
  const ship = (handle: WorkflowHandle) =>
    handle.executeUpdate(shippedUpdate, { args: [{ packages: [{ trackingNumber: '1Z999', carrier: 'UPS' }] }] });

  test('on time: acknowledged, shipped, scanned; no escalation, dispatch recorded on time', async () => {
    const { orderId, handle } = await start({ status: 'AWAITING_SHIPMENT', ttsInMs: 30 * HOUR });
    await acknowledged(orderId);
    assert.deepEqual(
      calls(orderId).map((c) => c.name),
      ['readOrder', 'writeOutbox', 'sendToWms', 'registerExternalReference', 'commitOrderUnits'],
    );
    assert.ok(calls(orderId, 'writeOutbox').length === 1, 'one outbox write');
    const shipped = await ship(handle);
    assert.equal(shipped[0]!.packageId, 'pkg-0');
    // The held unit is released by the shipment, once: the carrier scan later releases nothing more.
    assert.deepEqual(
      calls(orderId, 'releaseOrderUnits').map((c) => [c.input.reason, c.input.lines.map((l: any) => l.lineItemId)]),
      [['shipped', ['li-1']]],
    );
    await env.sleep('1 hour');
    await scan(handle, orderId);
    const result = await handle.result();
    assert.deepEqual(result, { outcome: 'dispatched', status: 'IN_TRANSIT', onTime: true });
    assert.deepEqual(tasks(orderId), []);
    assert.deepEqual(events(orderId), [
      { kind: 'ready_to_ship', onTime: true },
      { kind: 'dispatched', onTime: true },
    ]);
    assert.equal(calls(orderId, 'recordTracking').length, 1);
    assert.deepEqual([opened(orderId), closed(orderId)], [[], []], 'nobody was asked anything');
    assert.equal(calls(orderId, 'releaseOrderUnits').length, 1, 'released once');
  });

  test('a repeated shipment report (warehouse retry) joins the first: one mark call, the same packages', async () => {
    const { orderId, handle } = await start({ status: 'AWAITING_SHIPMENT', ttsInMs: 30 * HOUR });
    await acknowledged(orderId);
    const [first, again] = await Promise.all([ship(handle), ship(handle)]);
    const third = await ship(handle);
    assert.deepEqual(again, first);
    assert.deepEqual(third, first);
    assert.equal(calls(orderId, 'shipPackages').length, 1, 'TikTok is told once');
    assert.equal(calls(orderId, 'releaseOrderUnits').length, 1);
  });

  test('each escalation offset fires (T-24h, T-12h, T-4h), then the deadline records a late dispatch', async () => {
    const { orderId, handle, now } = await start({ status: 'AWAITING_SHIPMENT', ttsInMs: 30 * HOUR });
    await acknowledged(orderId);
    const view = await handle.query(getOrderQuery);
    assert.equal(view.carrierScanBy, new Date(now + 30 * HOUR).toISOString());
    assert.equal(view.risk, 'on_track');

    await env.sleep(6 * HOUR + MINUTE);
    await until('T-24h', () => tasks(orderId).includes('escalation:24h'));
    assert.deepEqual(tasks(orderId), ['escalation:24h']);
    assert.equal((await handle.query(getOrderQuery)).risk, 'at_risk');
    await env.sleep(12 * HOUR);
    await until('T-12h', () => tasks(orderId).includes('escalation:12h'));
    await env.sleep(8 * HOUR);
    await until('T-4h', () => tasks(orderId).includes('escalation:4h'));
    const last = calls(orderId, 'notifyOperators').find((c) => c.input.kind === 'escalation:4h')!;
    assert.equal(last.input.severity, 'critical');
    // One dispatch step (update `shipped`), raised by each escalation, due at the carrier-scan deadline.
    assert.deepEqual(opened(orderId), [
      ['dispatch', 'shipped', 'warning'],
      ['dispatch', 'shipped', 'warning'],
      ['dispatch', 'shipped', 'critical'],
    ]);
    const step = calls(orderId, 'openHumanStep')[0]!.input;
    assert.deepEqual(
      [step.caseKind, step.caseId, step.workflowId, step.dueAt],
      ['order_dispatch', orderId, orderWorkflowId(SHOP, orderId), view.carrierScanBy],
    );
    assert.ok(!events(orderId).some((e) => e.kind === 'late'), 'not late before the deadline');
    await env.sleep(4 * HOUR);
    await until('late', () => events(orderId).some((e) => e.kind === 'late'));
    assert.ok(tasks(orderId).includes('late_dispatch'));
    assert.equal((await handle.query(getOrderQuery)).risk, 'late');
    assert.equal(calls(orderId, 'openHumanStep').at(-1)!.input.title, `Order ${orderId} missed its dispatch deadline`);

    await handle.executeUpdate(shippedUpdate, {
      args: [{ packages: [{ trackingNumber: '1Z999', carrier: 'UPS' }], decidedBy: 'ops@example.test' }],
    });
    await until('the step closed', () => closed(orderId).length > 0);
    assert.deepEqual(closed(orderId), [['dispatch', 'decided', 'ops@example.test']], 'shipping late still answers it');
    await scan(handle, orderId);
    const result = await handle.result();
    assert.equal(result.onTime, false);
    assert.deepEqual(events(orderId), [
      { kind: 'late', onTime: undefined },
      { kind: 'ready_to_ship', onTime: false },
      { kind: 'dispatched', onTime: false },
    ]);
    assert.deepEqual(tasks(orderId), ['escalation:24h', 'escalation:12h', 'escalation:4h', 'late_dispatch']);
  });

  test('a dispatch after the last escalation but before the deadline is a near-miss', async () => {
    const { orderId, handle } = await start({ status: 'AWAITING_SHIPMENT', ttsInMs: 30 * HOUR });
    await acknowledged(orderId);
    await env.sleep(27 * HOUR);
    await until('T-4h', () => tasks(orderId).includes('escalation:4h'));
    await ship(handle);
    await scan(handle, orderId);
    const result = await handle.result();
    assert.equal(result.onTime, true);
    assert.deepEqual(
      events(orderId).map((e) => e.kind),
      ['ready_to_ship', 'dispatched', 'near_miss'],
    );
  });

  test('ON_HOLD is ended by the status webhook, without waiting for the remorse timer', async () => {
    const { orderId, handle } = await start({ status: 'ON_HOLD', paidAgoMs: 0 });
    await until('ON_HOLD', async () => (await handle.query(getOrderQuery)).state === 'ON_HOLD');
    const before = await env.currentTimeMs();
    world.orders.get(orderId)!.status = 'AWAITING_SHIPMENT';
    await handle.signal(orderStatusChangedSignal, { status: 'AWAITING_SHIPMENT', updateTime: 0 });
    await acknowledged(orderId);
    assert.ok((await env.currentTimeMs()) - before < 30 * MINUTE, 'no remorse timer was needed');
  });

  test('forward status webhooks: one activity reads and hands off, shipped needs no read, the scan reads with tracking', async () => {
    const { orderId, handle } = await start({ status: 'ON_HOLD', paidAgoMs: 0, ttsInMs: 30 * HOUR });
    await until('ON_HOLD', async () => (await handle.query(getOrderQuery)).state === 'ON_HOLD');
    world.orders.get(orderId)!.status = 'AWAITING_SHIPMENT';
    await handle.signal(orderStatusChangedSignal, { status: 'AWAITING_SHIPMENT', updateTime: 0 });
    await acknowledged(orderId);
    await ship(handle);
    await handle.signal(orderStatusChangedSignal, { status: 'AWAITING_COLLECTION', updateTime: 0 });
    await until('AWAITING_COLLECTION', async () => (await handle.query(getOrderQuery)).state === 'AWAITING_COLLECTION');
    await scan(handle, orderId);
    assert.deepEqual(await handle.result(), { outcome: 'dispatched', status: 'IN_TRANSIT', onTime: true });
    const scheduled = (await handle.fetchHistory()).events!.flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
    );
    // The first read and the hand-off's read and step are local activities: no activity task for them.
    assert.deepEqual(scheduled, ['shipPackages', 'readDispatchedOrder']);
    assert.equal(calls(orderId, 'readAndHandOff').length, 1);
    assert.equal(calls(orderId, 'readOrder').length, 3, 'first read, hand-off read, scan read: none for the shipment');
    assert.equal(calls(orderId, 'writeOutbox').length, 1);
    assert.equal(calls(orderId, 'recordTracking').length, 1);
  });

  test('ON_HOLD with a lost webhook: the timer at the end of the remorse window reads the order back', async () => {
    const { orderId, handle } = await start({ status: 'ON_HOLD', paidAgoMs: 0 });
    await until('first read', () => calls(orderId, 'readOrder').length > 0);
    world.orders.get(orderId)!.status = 'AWAITING_SHIPMENT'; // TikTok moved on; the webhook never arrives
    await env.sleep(30 * MINUTE);
    // A query is answered once the workflow has handled everything up to now (timers that fired included).
    const inside = await handle.query(getOrderQuery);
    assert.deepEqual([inside.state, inside.acknowledged], ['ON_HOLD', false], 'nothing is done inside the window');
    assert.equal(calls(orderId, 'writeOutbox').length, 0);
    await env.sleep(31 * MINUTE);
    await acknowledged(orderId);
  });

  test('still ON_HOLD after the window and the webhook lost: read again, each wait doubling; handed off on that read', async () => {
    const { orderId, handle } = await start({ status: 'ON_HOLD', paidAgoMs: 0 });
    await until('first read', () => calls(orderId, 'readOrder').length > 0);
    await env.sleep(60 * MINUTE + 3_000); // the window (policy: 1 hour) and its 2 s grace: read back, still ON_HOLD
    await until('the read after the window', () => calls(orderId, 'readOrder').length >= 2);
    world.orders.get(orderId)!.status = 'AWAITING_SHIPMENT'; // TikTok moves on; this webhook is lost too
    await env.sleep(30_000);
    await acknowledged(orderId);
    const scheduled = (await handle.fetchHistory()).events!.flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
    );
    assert.deepEqual(scheduled, [], 'the first read and the clock reads are local activities');
    const clockReads = calls(orderId, 'readAndHandOff').length;
    assert.equal(calls(orderId, 'writeOutbox').length, 1);
    assert.equal(
      calls(orderId, 'writeOutbox')[0]!.input.reuseRecentRead,
      true,
      'the clock read hands off on the same read',
    );
    assert.ok(
      clockReads >= 2 && clockReads <= 6,
      `read back a few times with a doubling wait, not in a loop (${clockReads})`,
    );
  });

  test('cancelled during ON_HOLD: ends cleanly, the warehouse never hears of it', async () => {
    const { orderId, handle } = await start({ status: 'ON_HOLD', paidAgoMs: 0 });
    await until('first read', () => calls(orderId, 'readOrder').length > 0);
    world.orders.get(orderId)!.status = 'CANCELLED';
    await handle.signal(orderStatusChangedSignal, { status: 'CANCELLED', updateTime: 0 });
    assert.deepEqual(await handle.result(), { outcome: 'cancelled', status: 'CANCELLED' });
    assert.equal(calls(orderId, 'writeOutbox').length, 0);
  });

  test('fulfilled by TikTok: tracked only (no outbox, no shipment accepted, no escalation)', async () => {
    const { orderId, handle } = await start({
      status: 'AWAITING_SHIPMENT',
      fulfilledByTikTok: true,
      ttsInMs: 30 * HOUR,
    });
    // The first read must have reached the workflow (not only started): until then it cannot know the order is FBT.
    await until('the order known as FBT', async () => (await handle.query(getOrderQuery)).fulfilledByTikTok);
    await assert.rejects(ship(handle), (err: Error) =>
      /fulfilled by TikTok/.test(String((err.cause as Error | undefined)?.message)),
    );
    await env.sleep(31 * HOUR);
    await scan(handle, orderId);
    assert.deepEqual(await handle.result(), { outcome: 'fbt_tracked', status: 'IN_TRANSIT' });
    for (const name of ['writeOutbox', 'notifyOperators', 'openHumanStep', 'recordDispatchEvent', 'shipPackages']) {
      assert.equal(calls(orderId, name).length, 0, name);
    }
  });

  test('start-or-signal (webhook relay, reconciliation) starts a failed order workflow again, never a completed one', async () => {
    const deps = { temporal: client, taskQueue: cfg.TEMPORAL_TASK_QUEUE };
    const statusSignal = (orderId: string, status: string) =>
      startOrSignalOrderWorkflow(deps, SHOP, orderId, orderStatusChangedSignal, { status, updateTime: 0 });

    const failed = await start({ status: 'AWAITING_SHIPMENT', ttsInMs: 30 * HOUR, unreadable: true });
    await assert.rejects(failed.handle.result(), WorkflowFailedError);
    world.orders.get(failed.orderId)!.unreadable = false;
    assert.equal(await statusSignal(failed.orderId, 'AWAITING_SHIPMENT'), 'started');
    const restarted = await failed.handle.describe();
    assert.equal(restarted.status.name, 'RUNNING');
    assert.notEqual(restarted.runId, failed.handle.firstExecutionRunId, 'a new run');
    await acknowledged(failed.orderId);

    const completed = await start({ status: 'IN_TRANSIT', ttsInMs: 30 * HOUR });
    assert.equal((await completed.handle.result()).outcome, 'dispatched');
    assert.equal(await statusSignal(completed.orderId, 'DELIVERED'), 'closed');
    const after = await completed.handle.describe();
    assert.equal(after.status.name, 'COMPLETED');
    assert.equal(after.runId, completed.handle.firstExecutionRunId, 'not started again');
  });

  test('business days and holidays: paid Thu 24 Dec 20:00 Pacific (Christmas on a Friday) is due Tue 29 Dec 23:59 Pacific, and the clock runs to it', async () => {
    // The first year ahead of the server's clock whose 24 December is a Thursday (2026, then 2037, …): the server
    // skips to the payment, so the test does not depend on today's date.
    const now = await env.currentTimeMs();
    let year = new Date(now).getUTCFullYear();
    while (new Date(Date.UTC(year, 11, 24)).getUTCDay() !== 4 || Date.UTC(year, 11, 25, 4) <= now + HOUR) year += 1;
    const paidAt = Date.UTC(year, 11, 25, 4); // Thu 24 Dec 20:00 PST (UTC−8)
    // dispatchDeadline(): Fri 25 Christmas, the weekend skipped → Mon 28 = 1, Tue 29 = 2; end of day Pacific.
    const due = Date.UTC(year, 11, 30, 7, 59, 59, 999);
    await env.sleep(paidAt - now);
    const orderId = uniqueId('xmas');
    world.orders.set(orderId, { status: 'AWAITING_SHIPMENT', paidAt });
    const handle = await client.workflow.start(orderAcknowledgment, {
      workflowId: orderWorkflowId(SHOP, orderId),
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      args: [{ shopId: SHOP, orderId }],
    });
    await acknowledged(orderId);
    let view = await handle.query(getOrderQuery);
    assert.equal(view.carrierScanBy, new Date(due).toISOString(), 'no tts_sla_time: our business-day clock');
    assert.equal(view.readyToShipBy, new Date(due).toISOString());

    // Christmas and the weekend pass without an escalation: the first is 24 h before the deadline. (A query is
    // answered after the workflow has handled every timer that fired, so it shows whatever the clock did by now.)
    const skipTo = async (t: number) => env.sleep(t - (await env.currentTimeMs()));
    await skipTo(due - 24 * HOUR - MINUTE);
    view = await handle.query(getOrderQuery);
    assert.deepEqual([view.risk, view.escalated], ['on_track', []], 'nothing before Mon 28 Dec 23:59 Pacific');
    await skipTo(due - MINUTE);
    view = await handle.query(getOrderQuery);
    assert.deepEqual([view.risk, view.escalated], ['at_risk', ['24h', '12h', '4h']], 'every escalation, not late');
    await skipTo(due + MINUTE);
    await until('late', async () => (await handle.query(getOrderQuery)).risk === 'late');
    await until('the late event', () => calls(orderId, 'recordDispatchEvent').length > 0);
    const late = calls(orderId, 'recordDispatchEvent').map((c) => c.input);
    assert.deepEqual(
      late.map((e) => [e.kind, e.deadline]),
      [['late', new Date(due).toISOString()]],
    );
    const lateAt = Date.parse(late[0].occurredAt);
    assert.ok(lateAt >= due && lateAt <= due + MINUTE, `late at the deadline (${late[0].occurredAt})`);
    await until('the late task', () => tasks(orderId).includes('late_dispatch'));
    assert.deepEqual(tasks(orderId), ['escalation:24h', 'escalation:12h', 'escalation:4h', 'late_dispatch']);
  });

  describe('cancellation requests', () => {
    test('approved at once while the order is not yet with the warehouse', async () => {
      const now = await env.currentTimeMs();
      const orderId = uniqueId('o');
      world.orders.set(orderId, {
        status: 'AWAITING_SHIPMENT',
        paidAt: now - 2 * HOUR,
        cancellation: { cancelId: `c-${orderId}`, deadline: now + 48 * HOUR },
      });
      const handle = await client.workflow.start(orderAcknowledgment, {
        workflowId: orderWorkflowId(SHOP, orderId),
        taskQueue: cfg.TEMPORAL_TASK_QUEUE,
        args: [{ shopId: SHOP, orderId }],
      });
      assert.deepEqual(await handle.result(), { outcome: 'cancelled', status: 'CANCELLED' });
      assert.equal(calls(orderId, 'approveCancellation').length, 1);
      assert.equal(calls(orderId, 'writeOutbox').length, 0, 'never handed to the warehouse');
    });

    async function requestAfterHandOff(opts: { deadlineInMs?: number } = {}) {
      const started = await start({ status: 'AWAITING_SHIPMENT', ttsInMs: 100 * HOUR });
      await acknowledged(started.orderId);
      const cancelId = `c-${started.orderId}`;
      world.orders.get(started.orderId)!.cancellation = {
        cancelId,
        deadline: (await env.currentTimeMs()) + (opts.deadlineInMs ?? 48 * HOUR),
      };
      await started.handle.signal(cancellationChangedSignal, {
        cancelId,
        cancelStatus: 'CANCELLATION_REQUEST_PENDING',
      });
      await until('the warehouse is asked', () => tasks(started.orderId).includes(`cancellation:${cancelId}`));
      return { ...started, cancelId };
    }

    test('approved once the warehouse confirms it stopped the parcel; the warehouse is told', async () => {
      const { orderId, handle, cancelId } = await requestAfterHandOff();
      const step = calls(orderId, 'openHumanStep')[0]!.input;
      assert.deepEqual(
        [step.caseKind, step.stepKey, step.updateName, step.inputSchema.required],
        ['order_cancellation', `cancellation:${cancelId}`, 'cancellationDecision', ['stopped']],
      );
      const answer = await handle.executeUpdate(cancellationDecisionUpdate, {
        args: [{ stopped: true, decidedBy: 'wms-key' }],
      });
      assert.equal(answer.outcome, 'approved');
      await until('the step closed', () => closed(orderId).length > 0);
      assert.deepEqual(closed(orderId), [[`cancellation:${cancelId}`, 'decided', 'wms-key']]);
      assert.deepEqual(calls(orderId, 'closeHumanStep')[0]!.input.decision, { stopped: true, outcome: 'approved' });
      assert.deepEqual(await handle.result(), { outcome: 'cancelled', status: 'CANCELLED' });
      const outbox = calls(orderId, 'writeOutbox');
      assert.equal(outbox.at(-1)!.input.cancelled, true, 'the outbox row is re-sent as cancelled');
      assert.deepEqual(
        calls(orderId, 'releaseOrderUnits').map((c) => c.input.reason),
        ['cancelled'],
        'the units held at hand-off are released',
      );
    });

    test('rejected with a reason from Get Reject Reasons when the parcel already left', async () => {
      const { orderId, handle } = await requestAfterHandOff();
      const answer = await handle.executeUpdate(cancellationDecisionUpdate, { args: [{ stopped: false }] });
      assert.deepEqual(answer, {
        outcome: 'rejected',
        reason: 'seller_reject_apply_product_has_been_packed',
        cancelId: `c-${orderId}`,
      });
      assert.equal(calls(orderId, 'approveCancellation').length, 0);
      assert.equal((await handle.query(getOrderQuery)).state, 'AWAITING_SHIPMENT');
    });

    test('an answer that is not a decision is refused as InvalidDecision; the step stays open', async () => {
      const { orderId, handle } = await requestAfterHandOff();
      for (const input of [{ stopped: 'yes' }, { stopped: true, refund: 1 }, { stopped: true, decidedBy: '' }]) {
        await assert.rejects(
          handle.executeUpdate(cancellationDecisionUpdate, { args: [input as never] }),
          (err: Error) => (err.cause as { type?: string }).type === 'InvalidDecision',
          JSON.stringify(input),
        );
      }
      assert.deepEqual(closed(orderId), []);
    });

    /**
     * The buyer's webhook makes the workflow read the order back; the warehouse's answer is accepted while that read
     * is on its way, and the read then finds `change` applied on TikTok. Returns the answer's result, or fails after
     * 10 s instead of hanging (before the fix the update waited forever for an outcome of a request that was gone).
     */
    async function answerDuringRead(change: (o: FakeOrder) => void) {
      const started = await requestAfterHandOff();
      const { orderId, handle, cancelId } = started;
      let open!: () => void;
      world.gates.set(orderId, new Promise<void>((r) => (open = r)));
      const reads = calls(orderId, 'readOrder').length;
      await handle.signal(cancellationChangedSignal, { cancelId, cancelStatus: 'CANCELLATION_REQUEST_CANCELLED' });
      await until('the read after the webhook', () => calls(orderId, 'readOrder').length > reads);
      const update = await handle.startUpdate(cancellationDecisionUpdate, {
        args: [{ stopped: true }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      change(world.orders.get(orderId)!);
      world.gates.delete(orderId);
      open();
      let timer: NodeJS.Timeout | undefined;
      const answer = await Promise.race([
        update.result(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the cancellation decision never completed')), 10_000);
        }),
      ]).finally(() => clearTimeout(timer));
      return { ...started, answer };
    }

    test('withdrawn by the buyer after the warehouse answered: the answer resolves "withdrawn", the order goes on', async () => {
      const { orderId, handle, cancelId, answer } = await answerDuringRead((o) => (o.cancellation = undefined));
      assert.equal(answer.outcome, 'withdrawn');
      assert.equal(answer.cancelId, cancelId);
      await until('the step closed', () => closed(orderId).length > 0);
      assert.deepEqual(closed(orderId), [[`cancellation:${cancelId}`, 'withdrawn', undefined]]);
      assert.match(answer.reason ?? '', /no longer pending on TikTok \(order AWAITING_SHIPMENT\)/);
      const view = await handle.query(getOrderQuery);
      assert.equal(view.cancellation, undefined);
      assert.equal(view.state, 'AWAITING_SHIPMENT');
      assert.equal(calls(orderId, 'approveCancellation').length, 0, 'nothing to approve');
      await ship(handle);
      await scan(handle, orderId);
      assert.deepEqual(await handle.result(), { outcome: 'dispatched', status: 'IN_TRANSIT', onTime: true });
    });

    test('replaced by a new request after the warehouse answered: "superseded", the new request is asked anew', async () => {
      const { orderId, handle, cancelId, answer } = await answerDuringRead(
        (o) => (o.cancellation = { cancelId: 'c-newer', deadline: o.cancellation!.deadline }),
      );
      assert.deepEqual(answer, {
        outcome: 'superseded',
        reason: `request ${cancelId} was replaced by c-newer`,
        cancelId,
      });
      await until('the warehouse is asked about the new request', () =>
        tasks(orderId).includes('cancellation:c-newer'),
      );
      const view = await handle.query(getOrderQuery);
      assert.equal(view.cancellation?.cancelId, 'c-newer');
      assert.deepEqual(closed(orderId), [[`cancellation:${cancelId}`, 'superseded', undefined]]);
      assert.deepEqual(
        opened(orderId).map(([key]) => key),
        [`cancellation:${cancelId}`, 'cancellation:c-newer'],
      );
      assert.equal(view.cancellation?.outcome, undefined, 'the old answer is not applied to the new request');
      assert.equal(calls(orderId, 'approveCancellation').length, 0);
    });

    test('the order is dispatched before the answer is applied: "superseded", and the workflow closes', async () => {
      const { handle, cancelId, answer } = await answerDuringRead((o) => (o.status = 'IN_TRANSIT'));
      assert.deepEqual(answer, {
        outcome: 'superseded',
        reason: 'the order closed as IN_TRANSIT before a decision',
        cancelId,
      });
      assert.equal((await handle.result()).status, 'IN_TRANSIT');
    });

    test('no answer from the warehouse: decided by rule before the request deadline (shipped → reject)', async () => {
      const { orderId, handle } = await requestAfterHandOff({ deadlineInMs: 10 * HOUR });
      await ship(handle);
      await env.sleep(7 * HOUR);
      // Answered after every timer that fired by now: no decision yet (the rule decides at deadline − 2 h).
      const undecided = await handle.query(getOrderQuery);
      assert.deepEqual(
        [undecided.cancellation?.outcome, undecided.cancellation?.waitingForWarehouse],
        [undefined, true],
      );
      assert.equal(calls(orderId, 'rejectCancellation').length, 0, 'not before the decision time');
      await env.sleep(1 * HOUR + MINUTE); // deadline − 2 h margin
      await until('the rule decides', () => calls(orderId, 'rejectCancellation').length > 0);
      const before = await env.currentTimeMs();
      const view = await handle.query(getOrderQuery);
      assert.equal(view.cancellation?.outcome, 'rejected');
      assert.ok(before < Date.parse(view.cancellation?.deadline ?? ''), 'decided before the request deadline');
      await until('the step closed', () => closed(orderId).length > 0);
      assert.deepEqual(closed(orderId), [[`cancellation:c-${orderId}`, 'auto', undefined]], 'decided by rule');
      // The step's due time was the rule's: a late answer is refused as DeadlinePassed (the API's 409).
      const due = calls(orderId, 'openHumanStep')[0]!.input.dueAt as string;
      assert.equal(Date.parse(due), Date.parse(view.cancellation.deadline!) - 2 * HOUR);
      await assert.rejects(
        handle.executeUpdate(cancellationDecisionUpdate, { args: [{ stopped: true, decidedBy: 'late-key' }] }),
        (err: Error) =>
          (err.cause as { type?: string }).type === 'DeadlinePassed' &&
          (err.cause as Error).message === `the answer was due by ${due}; the request is decided by rule now`,
      );
    });

    test('no answer and not shipped: approved by rule before the request deadline', async () => {
      const { orderId, handle } = await requestAfterHandOff({ deadlineInMs: 10 * HOUR });
      await env.sleep(8 * HOUR + MINUTE);
      assert.deepEqual(await handle.result(), { outcome: 'cancelled', status: 'CANCELLED' });
      assert.equal(calls(orderId, 'approveCancellation').length, 1);
    });
  });
});
