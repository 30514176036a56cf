import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import { captureServer, startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';

const APP_KEY = 'e2e_app_key';
const APP_SECRET = 'e2e_app_secret_abcdef0123456789';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('connecting a TikTok shop end to end (emulator → callback → workflows → webhooks)', () => {
  let env: TestWorkflowEnvironment;
  let es: EmulatorStack;
  let stack: TestStack;
  let admin: EmulatorStack['admin'];
  let chat: Awaited<ReturnType<typeof captureServer>>;
  const chatMessages = () => chat.requests.map((r) => JSON.parse(r.body) as { text: string });
  let shopId: string;
  let skuId: string;

  before(async () => {
    env = await devServerEnv();
    chat = await captureServer();
    es = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'E2E Beauty',
      sellerName: 'E2E Seller',
      env: { NOTIFY_WEBHOOK_URL: `${chat.url}/hooks/ops` },
    });
    ({ stack, admin, shopId, skuId } = es);
  });

  after(async () => {
    await es?.stop();
    chat?.close();
    await env?.teardown();
  });

  test('the consent link and callback register the shop, learn its cipher and subscribe its webhooks', async () => {
    const result = await es.connect();
    assert.equal(result.status, 'connected');
    assert.equal(result.sellerName, 'E2E Seller');
    const shop = result.shops.find((s: { shopId: string }) => s.shopId === shopId);
    assert.ok(shop, JSON.stringify(result));
    assert.ok(shop.webhooks.includes('ORDER_STATUS_CHANGE'));

    const state = await until('authorized shop state', async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}`);
      return r.json?.authorization === 'authorized' ? r.json : undefined;
    });
    assert.equal(state.displayName, 'E2E Beauty');
    const row = await stack.database.db('tiktok_shops').where({ shop_id: shopId }).first();
    assert.match(row.shop_cipher, /\w+/);
    const auth = await stack.database.db('tiktok_authorizations').where({ open_id: row.open_id }).first();
    assert.ok(!auth.access_token_enc.toString('latin1').includes('TTP_'), 'tokens are stored encrypted');

    // The connection's outcome stays readable by its workflow id (what a slow callback answers with).
    const outcome = await stack.call('GET', `/v1/shop-connections/${encodeURIComponent(result.workflowId)}`);
    assert.equal(outcome.status, 200, JSON.stringify(outcome.json));
    assert.equal(outcome.json.status, 'connected');
    assert.equal(outcome.json.sellerName, 'E2E Seller');
    assert.deepEqual(
      outcome.json.shops.map((s: { shopId: string }) => s.shopId),
      result.shops.map((s: { shopId: string }) => s.shopId),
    );
    const unknown = await stack.call('GET', `/v1/shop-connections/${encodeURIComponent('shop-connection:unknown')}`);
    assert.equal(unknown.status, 404);

    // The same callback again (a used state) is refused.
    const reused = await fetch(`${stack.baseUrl}/oauth/tiktok/callback?code=abc&state=nope`);
    assert.equal(reused.status, 400);
  });

  test('signed order webhooks from the emulator land in the inbox and are routed to the order workflow', async () => {
    const placed = await admin('/orders', { shop_id: shopId, items: [{ sku_id: skuId }], paid: true });
    const rows = await until('order webhooks in the inbox', async () => {
      const r = await stack.database.db('webhook_inbox').where({ kind: 'ORDER_STATUS_CHANGE', shop_id: shopId });
      return r.length > 0 && r.every((x: { status: string }) => x.status === 'routed') ? r : undefined;
    });
    assert.ok(rows.some((r: any) => r.event.data.order_id === placed.id));
    assert.ok(rows.every((r: any) => r.workflow_id === `order:${shopId}:${r.event.data.order_id}`));
    const listed = await stack.call('GET', '/v1/webhooks/inbox?status=routed');
    assert.ok(listed.json.counts.routed >= 1);
  });

  test('a tampered signature is answered 401 and kept in the dead-letter table; replay re-verifies it', async () => {
    const body = JSON.stringify({ type: 1, tts_notification_id: 'forged-1', shop_id: shopId, timestamp: 1, data: {} });
    const forged = await fetch(`${stack.baseUrl}/webhooks/tiktok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'f'.repeat(64) },
      body,
    });
    assert.equal(forged.status, 401);
    const letters = await stack.call('GET', '/v1/dead-letters?source=webhook:tiktok');
    const letter = letters.json.deadLetters.find((d: { reason: string }) => d.reason === 'invalid webhook signature');
    assert.ok(letter);
    const detail = await stack.call('GET', `/v1/dead-letters/${letter.id}`);
    assert.equal(detail.json.raw_body, body);
    const replay = await stack.call('POST', `/v1/dead-letters/${letter.id}/replay`, {});
    assert.equal(replay.status, 422);

    // Well signed but malformed: 400, also kept.
    const malformed = '{"type": "one"}';
    const bad = await fetch(`${stack.baseUrl}/webhooks/tiktok`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: computeWebhookSignature({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: malformed }),
      },
      body: malformed,
    });
    assert.equal(bad.status, 400);
  });

  test('a duplicate delivery is acknowledged once and counted', async () => {
    const body = JSON.stringify({
      type: 6,
      tts_notification_id: `dup-${crypto.randomBytes(4).toString('hex')}`,
      shop_id: 'unknown-shop',
      timestamp: Math.floor(Date.now() / 1000),
      data: { message: 'test' },
    });
    const post = () =>
      fetch(`${stack.baseUrl}/webhooks/tiktok`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: computeWebhookSignature({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: body }),
        },
        body,
      });
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 200);
    const row = await until('the duplicate row to be handled', async () => {
      const r = await stack.database.db('webhook_inbox').where({ shop_id: 'unknown-shop' }).first();
      return r?.status === 'skipped' ? r : undefined;
    });
    assert.equal(row.deliveries, 2);
  });

  test('a revoked authorization pauses the shop, notifies (row + chat webhook), and re-authorization resumes it', async () => {
    const row = await stack.database.db('tiktok_shops').where({ shop_id: shopId }).first();
    await admin('/tokens/revoke', { open_id: row.open_id, deauthorize: true });
    const state = await until('revoked shop state', async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}`);
      return r.json?.authorization === 'revoked' ? r.json : undefined;
    });
    assert.match(state.authorizationReason, /deauthorized/);
    // Outbound calls for the shop now wait (retryable failure) until the seller authorizes again.
    await assert.rejects(stack.deps.tokens.shopRef(shopId), /paused until the seller authorizes again/);
    const notes = await until('a critical notification', async () => {
      const r = await stack.call('GET', `/v1/notifications?shopId=${shopId}`);
      return r.json.notifications.find((n: { kind: string }) => n.kind === 'authorization_revoked');
    });
    assert.equal(notes.severity, 'critical');
    const relink = notes.links[0].url as string;
    assert.match(relink, /open\/authorize\?service_id=/);
    const chatted = await until('the chat message', () =>
      Promise.resolve(chatMessages().find((m) => m.text.includes('TikTok authorization lost'))),
    );
    assert.match(chatted.text, /Re-authorize/);

    // The seller follows the link from the notification.
    assert.equal((await es.consent(relink)).status, 'connected');
    await until('authorized again', async () => {
      const r = await stack.call('GET', `/v1/shops/${shopId}`);
      return r.json?.authorization === 'authorized' ? true : undefined;
    });
    await until('a restored notification', async () => {
      const r = await stack.call('GET', `/v1/notifications?shopId=${shopId}`);
      return r.json.notifications.find((n: { kind: string }) => n.kind === 'authorization_restored');
    });
    const ack = await stack.call('POST', `/v1/notifications/${notes.id}/ack`, {});
    assert.equal(ack.status, 200);
    assert.ok(ack.json.acknowledged_at);
  });
});
