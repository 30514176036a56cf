// Returns end to end on the dev server, the TikTok emulator and the HTTP API, with the REAL activities:
// emulator return → RETURN_STATUS_CHANGE webhook → inbox → relay → returnRequest → the shop's settings decide (auto-
// approve) or a person decides through the API (a rejection with an uploaded evidence image) → the emulator shows the
// decision; the buyer ships back and the receipt is decided too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { returnWorkflowId } from '../../workflows/ids';
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
