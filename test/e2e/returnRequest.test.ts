// Returns end to end on the dev server, the TikTok emulator and the HTTP API, with the REAL activities:
// emulator return → RETURN_STATUS_CHANGE webhook → inbox → relay → returnRequest → the shop's settings decide (auto-
// approve) or a person decides through the API (a rejection with an uploaded evidence image) → the emulator shows the
// decision; the buyer ships back and the receipt is decided too. A buyer's cancellation stays with the order's workflow,
// and an open return is found in Temporal visibility by the shared case attributes (docs/case-contract.md).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TikTokWebhookEvent } from '../../integrations/tiktok/webhooks';
import { WEBHOOK_ROUTES } from '../../webhooks/routes';
import { orderWorkflowId, returnWorkflowId } from '../../workflows/ids';
import { CaseId, CaseStage } from '../../workflows/shared/searchAttributes';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import { pngHeader } from '../helpers/imageBytes';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';

const APP_KEY = 'e2e_return_app_key';
const APP_SECRET = 'e2e_return_app_secret_0123456789ab';
const DAMAGED = 'ecom_order_delivered_refund_and_return_reason_damaged_product';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('returns from webhook to decision on TikTok (emulator → inbox → relay → workflow → API → emulator)', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let stack: TestStack;
  let admin: EmulatorStack['admin'];
  let shopId: string;
  let skuId: string;

  before(async () => {
    env = await devServerEnv();
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Return Beauty',
      sellerName: 'Return Seller',
    });
    ({ stack, admin, shopId, skuId } = es);
    await es.connect();
  });

  /** The buyer opens a return on a delivered order the emulator creates on the spot (no order webhooks). */
  async function openReturn(returnType: 'REFUND' | 'RETURN_AND_REFUND', reason = DAMAGED): Promise<string> {
    const out = await admin('/returns/bulk', {
      shop_id: shopId,
      returns: [{ sku_id: skuId, return_type: returnType, reason }],
    });
    assert.deepEqual(out.refused, []);
    return out.opened[0].return_id as string;
  }

  after(async () => {
    await es?.stop();
    await env?.teardown();
  });

  /** The emulator's own view of a return (Search Returns through the product's client would go through our code). */
  const onTikTok = (returnId: string) => admin(`/returns/${returnId}`);
  /** The return's workflow result, once the webhook has started it (through the inbox and the relay). */
  const finished = async (returnId: string) => {
    const handle = stack.client.workflow.getHandle(returnWorkflowId(shopId, returnId));
    await until('the return workflow from the webhook', () => handle.describe());
    return handle.result();
  };
  const view = (returnId: string) => stack.call('GET', `/v1/shops/${shopId}/returns/${returnId}`);
  const awaitingPerson = (returnId: string, action: string) =>
    until(`a person asked to answer ${action}`, async () => {
      const r = await view(returnId);
      return r.json?.pending?.action === action && r.json.pending.awaitingPerson ? r.json : undefined;
    });

  test("the shop's settings approve a low-value refund-only request: the emulator shows it refunded by the seller", async () => {
    const patched = await stack.call('PATCH', `/v1/shops/${shopId}/settings`, {
      returns: {
        autoApprove: {
          enabled: true,
          maxRefund: { amount: '25.00', currency: 'USD' },
          reasons: [DAMAGED],
          types: ['REFUND'],
        },
      },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.json));
    const returnId = await openReturn('REFUND');
    const outcome = await finished(returnId);
    assert.equal(outcome.status, 'RETURN_OR_REFUND_REQUEST_SUCCESS');
    assert.deepEqual(
      outcome.decisions.map((d: { channel: string; decision: string }) => [d.channel, d.decision]),
      [['auto', 'APPROVE_REFUND']],
    );
    const ret = await onTikTok(returnId);
    assert.equal(ret.return_status, 'RETURN_OR_REFUND_REQUEST_SUCCESS');
    assert.equal(ret.role, 'SELLER', 'decided by the seller, not auto-approved by TikTok');
    const row = await stack.database.db('return_decisions').where({ shop_id: shopId, return_id: returnId }).first();
    assert.deepEqual([row.channel, row.outcome, row.decision], ['auto', 'approved', 'APPROVE_REFUND']);
    // The idempotency key is derived from the workflow and the action: a retry could not decide twice.
    const record = await admin('/record/mutations');
    const approvals = record.mutations.filter(
      (m: { path: string; applied: boolean }) => m.path.includes(`/returns/${returnId}/approve`) && m.applied,
    );
    assert.equal(approvals.length, 1);
    assert.match(approvals[0].idempotencyKey, new RegExp(`^return:${shopId}:${returnId}:SELLER_RESPOND_REFUND`));
  });

  test('a person rejects a return with an uploaded evidence image through the API: the emulator shows the images', async () => {
    // Auto-approve does not cover returns with shipping back: a person is asked.
    const returnId = await openReturn('RETURN_AND_REFUND');
    const pending = await awaitingPerson(returnId, 'SELLER_RESPOND_RETURN');
    assert.deepEqual(pending.pending.allowedDecisions, ['approve', 'reject']);
    const reason: string = pending.pending.rejectReasons[0].name;
    const listed = await stack.call('GET', `/v1/shops/${shopId}/returns`);
    const listedCase = listed.json.returns.find((r: { returnId: string }) => r.returnId === returnId);
    assert.equal(listedCase?.stage, 'awaiting_decision');

    const form = new FormData();
    form.append('file', new Blob([pngHeader(800, 600)], { type: 'image/png' }), 'scratch.png');
    const upload = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}` },
      body: form,
    });
    assert.equal(upload.status, 201, await upload.clone().text());
    const { fileId } = (await upload.json()) as { fileId: string };

    const url = `/v1/shops/${shopId}/returns/${returnId}/decision`;
    const noEvidence = await stack.call('POST', url, { decision: 'reject', rejectReason: reason });
    assert.equal(noEvidence.status, 422, JSON.stringify(noEvidence.json));
    assert.match(noEvidence.json.error.message, /evidence/);
    const ownName = await stack.call('POST', url, { decision: 'approve', decidedBy: 'somebody else' });
    assert.equal(ownName.status, 400);
    const decided = await stack.call('POST', url, {
      decision: 'reject',
      rejectReason: reason,
      comment: 'Scratched by the buyer',
      evidenceFileIds: [fileId],
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    assert.deepEqual([decided.json.outcome, decided.json.tiktokDecision], ['rejected', 'REJECT_RETURN']);
    const ret = await onTikTok(returnId);
    assert.equal(ret.return_status, 'REFUND_OR_RETURN_REQUEST_REJECT');
    assert.equal(ret.rejection.reject_reason, reason);
    assert.equal(ret.rejection.comment, 'Scratched by the buyer');
    assert.equal(ret.rejection.images.length, 1);
    assert.equal(ret.rejection.images[0].width, 800);
    const row = await stack.database.db('return_decisions').where({ shop_id: shopId, return_id: returnId }).first();
    assert.equal(row.channel, 'person');
    assert.match(row.decided_by, /\(key [0-9a-f-]+\)$/);
    assert.ok(Number(row.latency_ms) >= 0);
  });

  test('the buyer ships the item back: the receipt is decided by a person too, and the refund ends the case', async () => {
    const returnId = await openReturn('RETURN_AND_REFUND');
    await awaitingPerson(returnId, 'SELLER_RESPOND_RETURN');
    const url = `/v1/shops/${shopId}/returns/${returnId}/decision`;
    const approved = await stack.call('POST', url, { decision: 'approve' });
    assert.equal(approved.status, 200, JSON.stringify(approved.json));
    assert.equal(approved.json.status, 'AWAITING_BUYER_SHIP');
    await admin(`/returns/${returnId}/buyer-ship`, {});
    await awaitingPerson(returnId, 'SELLER_RESPOND_RECEIVE_PACKAGE');
    const received = await stack.call('POST', url, { decision: 'approve' });
    assert.equal(received.status, 200, JSON.stringify(received.json));
    assert.deepEqual(
      [received.json.tiktokDecision, received.json.status],
      ['APPROVE_RECEIVED_PACKAGE', 'RETURN_OR_REFUND_REQUEST_SUCCESS'],
    );
    const outcome = await finished(returnId);
    assert.equal(outcome.decisions.length, 2);
    assert.equal((await onTikTok(returnId)).return_status, 'RETURN_OR_REFUND_REQUEST_SUCCESS');
    const closed = await stack.database.db('return_cases').where({ shop_id: shopId, return_id: returnId }).first();
    assert.ok(closed.closed_at, 'the case is closed');
  });

  test('an open return awaiting a person is listed by the case attributes by its deadline, and not once decided', async () => {
    const returnId = await openReturn('RETURN_AND_REFUND');
    const workflowId = returnWorkflowId(shopId, returnId);
    const pending = await awaitingPerson(returnId, 'SELLER_RESPOND_RETURN');
    const deadline = Date.parse(pending.pending.deadline);
    // The query docs/case-contract.md and README.md give for the open cases due before a time.
    const dueBefore = (t: number) =>
      `CaseKind = 'return' AND CaseRisk != 'done' AND NextDeadline < "${new Date(t).toISOString()}"`;
    const listed = async (query: string) => {
      const found = new Map<string, { id?: string; stage?: string }>();
      for await (const wf of stack.client.workflow.list({ query })) {
        const sa = wf.typedSearchAttributes;
        found.set(wf.workflowId, { id: sa.get(CaseId), stage: sa.get(CaseStage) });
      }
      return found;
    };
    // Visibility is eventually consistent: wait (bounded) until the upsert shows.
    const open = await until('the open return in visibility', async () =>
      (await listed(dueBefore(deadline + 1_000))).get(workflowId),
    );
    assert.deepEqual(open, { id: returnId, stage: 'awaiting_decision' });
    // NextDeadline is TikTok's deadline itself: a bound at it leaves the case out (same upsert, so no lag here).
    assert.equal((await listed(dueBefore(deadline))).has(workflowId), false);

    const decided = await stack.call('POST', `/v1/shops/${shopId}/returns/${returnId}/decision`, {
      decision: 'approve',
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.json));
    assert.equal(decided.json.status, 'AWAITING_BUYER_SHIP', 'decided, yet the case goes on (not done)');
    await until('the decided return off the list', async () =>
      (await listed(dueBefore(deadline + 1_000))).has(workflowId) ? undefined : true,
    );
    const still = await listed(`WorkflowId = '${workflowId}' AND CaseRisk != 'done'`);
    assert.equal(still.get(workflowId)?.stage, 'AWAITING_BUYER_SHIP', 'still open, only nothing is due from us');
  });

  test("a buyer's cancellation stays with the order's workflow: no return case is started or decided for it", async () => {
    const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: skuId }], paid: true });
    const orderId: string = placed.id;
    const order = () => stack.call('GET', `/v1/orders/${shopId}/${orderId}`);
    await until('the order workflow', async () => (await order()).status === 200);
    // Still in its remorse window (ON_HOLD): TikTok cancels at once and tells us by CANCELLATION_STATUS_CHANGE.
    const { cancel_id: cancelId } = await admin(`/orders/${orderId}/buyer-cancel`, {});
    const inbox = stack.database
      .db('webhook_inbox')
      .where({ shop_id: shopId, kind: 'CANCELLATION_STATUS_CHANGE' })
      .whereRaw(`event->'data'->>'cancel_id' = ?`, [cancelId]);
    const rows = await until('the cancellation webhook routed', async () => {
      const rs = await inbox.clone();
      return rs.length > 0 && rs.every((r: { status: string }) => r.status === 'routed') ? rs : undefined;
    });
    // Signalled to the order's workflow only (the relay stores every workflow a row went to), which sees it cancelled.
    for (const row of rows) assert.equal(row.workflow_id, orderWorkflowId(shopId, orderId));
    await until('the order workflow sees the cancellation', async () => (await order()).json?.state === 'CANCELLED');
    // The return route refuses such an event outright, were it ever handed one.
    const event = (typeof rows[0].event === 'string' ? JSON.parse(rows[0].event) : rows[0].event) as TikTokWebhookEvent;
    const ctx = { db: stack.database.db, temporal: stack.client, taskQueue: stack.cfg.TEMPORAL_TASK_QUEUE };
    assert.deepEqual(await WEBHOOK_ROUTES.RETURN_STATUS_CHANGE!(event, ctx), {
      status: 'skipped',
      reason: 'not a return event: CANCELLATION_STATUS_CHANGE',
    });

    // A return reconciliation run after it (Search Returns) starts nothing for the cancellation either.
    const runs = async () =>
      (await stack.call('GET', `/v1/shops/${shopId}/returns/reconciliation?limit=50`)).json.runs.filter(
        (r: { status: string }) => r.status !== 'running',
      ).length as number;
    const before = await runs();
    const triggered = await stack.call('POST', `/v1/shops/${shopId}/returns/reconciliation/trigger`, {});
    assert.equal(triggered.status, 202, JSON.stringify(triggered.json));
    await until('the reconciliation run', async () => (await runs()) > before);

    await assert.rejects(
      stack.client.workflow.getHandle(returnWorkflowId(shopId, cancelId)).describe(),
      WorkflowNotFoundError,
    );
    const returnCases = await stack.database.db('return_cases').where({ shop_id: shopId, order_id: orderId });
    assert.deepEqual(returnCases, [], 'no return case for the cancelled order');
    const steps = await stack.database.db('human_steps').where({ shop_id: shopId, case_kind: 'return' });
    assert.deepEqual(
      steps.filter((s: { case_id: string }) => s.case_id === cancelId),
      [],
    );
  });

  test('a compressed window runs out undecided: TikTok approves it itself, recorded and paged; a late decision is 409', async () => {
    // The emulator's response window, compressed (its admin rules): the product takes the deadline from the return.
    await admin('/rules', { returnResponseWindowMs: 4_000 });
    try {
      const returnId = await openReturn('RETURN_AND_REFUND');
      const pending = await awaitingPerson(returnId, 'SELLER_RESPOND_RETURN');
      assert.ok(Date.parse(pending.pending.deadline) - Date.now() < 5_000, 'the deadline TikTok states');
      const row = await until('TikTok approval recorded', async () => {
        const r = await stack.database.db('return_decisions').where({ shop_id: shopId, return_id: returnId }).first();
        return r?.channel === 'platform' ? r : undefined;
      });
      assert.deepEqual([row.outcome, row.decision], ['auto_approved_by_platform', 'APPROVE_RETURN']);
      const late = await stack.call('POST', `/v1/shops/${shopId}/returns/${returnId}/decision`, {
        decision: 'approve',
      });
      assert.equal(late.status, 409, JSON.stringify(late.json));
      assert.equal(late.json.error.code, 'deadline_passed');
      const paged = await stack.database.db('notifications').where({ shop_id: shopId, kind: 'return_expired' }).first();
      assert.equal(paged.severity, 'critical');
      const ret = await until('TikTok approved it', async () => {
        const r = await onTikTok(returnId);
        return r.return_status === 'AWAITING_BUYER_SHIP' ? r : undefined;
      });
      assert.equal(ret.role, 'SYSTEM');
    } finally {
      await admin('/rules', { returnResponseWindowMs: 48 * 3_600_000 });
    }
  });

  test('a case Temporal no longer keeps is answered from return_cases; an unknown return is 404', async () => {
    const returnId = 'r-retained-long-ago';
    await stack.database.db('return_cases').insert({
      shop_id: shopId,
      return_id: returnId,
      order_id: 'o-1',
      return_type: 'REFUND',
      refund_amount: '12.5',
      refund_currency: 'USD',
      status: 'RETURN_OR_REFUND_REQUEST_SUCCESS',
      workflow_id: returnWorkflowId(shopId, returnId),
      closed_at: new Date(),
    });
    await stack.database.db('return_decisions').insert({
      shop_id: shopId,
      return_id: returnId,
      action: 'SELLER_RESPOND_REFUND',
      opened_at: new Date(Date.now() - 60_000),
      decided_at: new Date(),
      latency_ms: 60_000,
      channel: 'person',
      decided_by: 'ops (key 1)',
      decision: 'APPROVE_REFUND',
      outcome: 'approved',
    });
    const recorded = await view(returnId);
    assert.equal(recorded.status, 200, JSON.stringify(recorded.json));
    assert.equal(recorded.json.recorded, true);
    assert.deepEqual(recorded.json.refund, { amount: '12.5000', currency: 'USD' });
    assert.deepEqual(
      recorded.json.decisions.map((d: { channel: string; latencyMs: number }) => [d.channel, d.latencyMs]),
      [['person', 60_000]],
    );
    assert.equal((await view('r-never-seen')).status, 404);
  });
});
