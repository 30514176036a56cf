// Returns end to end on the dev server, the TikTok emulator and the HTTP API, with the REAL activities:
// emulator return → RETURN_STATUS_CHANGE webhook → inbox → relay → returnRequest → the shop's settings decide (auto-
// approve) or a person decides through the API (a rejection with an uploaded evidence image) → the emulator shows the
// decision; the buyer ships back and the receipt is decided too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { returnWorkflowId } from '../../workflows/ids';
import { captureServer, startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
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
  let wms: Awaited<ReturnType<typeof captureServer>>;
  let admin: EmulatorStack['admin'];
  let shopId: string;
  let skuId: string;
  const delivered: string[] = [];

  before(async () => {
    env = await devServerEnv();
    wms = await captureServer();
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Return Beauty',
      sellerName: 'Return Seller',
      env: { WMS_URL: `${wms.url}/orders`, WMS_SIGNING_SECRET: 'wms-signing-secret-0123456789' },
    });
    ({ stack, admin, shopId, skuId } = es);
    await es.connect();
    // Three delivered orders to return: paid, handed to the warehouse after the remorse window, shipped through the
    // API, scanned and delivered by the carrier.
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      orders.push((await admin('/orders', { shop_id: shopId, items: [{ sku_id: skuId }], paid: true })).id);
    }
    await admin('/clock/advance', { seconds: 3601 });
    for (const [i, orderId] of orders.entries()) {
      const body = { packages: [{ trackingNumber: `1Z999AA1012345678${i}`, carrier: 'UPS' }] };
      await until(`order ${orderId} shipped`, async () => {
        const r = await stack.call('POST', `/v1/orders/${shopId}/${orderId}/shipments`, body);
        return r.status === 200 ? true : undefined;
      });
      await admin(`/orders/${orderId}/carrier-scan`, {});
      await admin(`/orders/${orderId}/deliver`, {});
      delivered.push(orderId);
    }
  });

  after(async () => {
    await es?.stop();
    wms?.close();
    await env?.teardown();
  });

  /** The emulator's own view of a return (Search Returns through the product's client would go through our code). */
  const onTikTok = (returnId: string) => admin(`/returns/${returnId}`);
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
    const opened = await admin(`/orders/${delivered[0]}/returns`, { return_type: 'REFUND', reason: DAMAGED });
    const returnId: string = opened.return_id;
    const handle = stack.client.workflow.getHandle(returnWorkflowId(shopId, returnId));
    const outcome = await handle.result();
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
    const opened = await admin(`/orders/${delivered[1]}/returns`, { return_type: 'RETURN_AND_REFUND' });
    const returnId: string = opened.return_id;
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
    assert.equal(ret.reject_reason ?? ret.rejection?.reason, reason);
    const images = ret.images ?? ret.rejection?.images;
    assert.equal(images.length, 1);
    assert.equal(images[0].width, 800);
    const row = await stack.database.db('return_decisions').where({ shop_id: shopId, return_id: returnId }).first();
    assert.equal(row.channel, 'person');
    assert.match(row.decided_by, /^key:/);
    assert.ok(Number(row.latency_ms) >= 0);
  });

  test('the buyer ships the item back: the receipt is decided by a person too, and the refund ends the case', async () => {
    const opened = await admin(`/orders/${delivered[2]}/returns`, { return_type: 'RETURN_AND_REFUND' });
    const returnId: string = opened.return_id;
    await awaitingPerson(returnId, 'SELLER_RESPOND_RETURN');
    const url = `/v1/shops/${shopId}/returns/${returnId}/decision`;
    const approved = await stack.call('POST', url, { decision: 'approve' });
    assert.equal(approved.status, 200, JSON.stringify(approved.json));
    assert.equal(approved.json.status, 'AWAITING_BUYER_SHIP');
    await admin(`/returns/${returnId}/buyer-ship`, {});
    await awaitingPerson(returnId, 'SELLER_RESPOND_RECEIVE_PACKAGE');
    const received = await stack.call('POST', url, { decision: 'approve' });
    assert.equal(received.status, 200, JSON.stringify(received.json));
    assert.deepEqual([received.json.tiktokDecision, received.json.status], [
      'APPROVE_RECEIVED_PACKAGE',
      'RETURN_OR_REFUND_REQUEST_SUCCESS',
    ]);
    const outcome = await stack.client.workflow.getHandle(returnWorkflowId(shopId, returnId)).result();
    assert.equal(outcome.decisions.length, 2);
    assert.equal((await onTikTok(returnId)).return_status, 'RETURN_OR_REFUND_REQUEST_SUCCESS');
    const closed = await stack.database.db('return_cases').where({ shop_id: shopId, return_id: returnId }).first();
    assert.ok(closed.closed_at, 'the case is closed');
  });
});
