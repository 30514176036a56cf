// Product audit webhooks (type 37) through the inbox and the relay's routes (webhooks/routes.ts) on the dev server: the
// event carries only a product id; our product → category mapping (db/productCategories.ts) names the category, and
// the `productAudit` signal reaches `ungating:<shopId>:<categoryId>` (temporal/categoryUngating.ts). An unmapped product
// and a category without an application are recorded, not lost, and start no workflow; a category change (type 18)
// maps the product and delivers what was recorded. The workflow here is a running
// execution with no worker (the server takes signals for it): what is asserted is what its history received.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { createDeadLetterRepository } from '../../db/deadLetters';
import { createProductCategoryRepository } from '../../db/productCategories';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import { createWebhookRelay } from '../../webhooks/relay';
import { ingestTikTokWebhook } from '../../webhooks/tiktokInbox';
import { categoryUngatingWorkflowId } from '../../workflows/ids';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, uniqueId } from '../helpers/temporal';

const settings = { appKey: 'audit_key', appSecret: 'audit_secret_0123456789' };

function auditWebhook(shopId: string, productId: string, status: string, reasons: string[], at: number): Buffer {
  // The product id as a JSON number, as the page's example sends it.
  return Buffer.from(
    `{"type":37,"tts_notification_id":"n-${productId}-${status}-${at}","shop_id":"${shopId}","timestamp":${at},` +
      `"data":{"product_id":${productId},"audit":{"status":"${status}","pre_approved_reasons":${JSON.stringify(reasons)}},"update_time":${at}}}`,
  );
}

describe('product audit webhooks → categoryUngating (PostgreSQL, dev server)', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  const shopId = `7495${Date.now() % 1e6}`;
  const category = '700439';
  const started: string[] = [];

  before(async () => {
    env = await devServerEnv();
    database = await testDatabase();
    // A connected shop (routes skip the events of shops that are not).
    await database.db('tiktok_authorizations').insert({
      open_id: 'seller-1',
      key_id: 'k1',
      access_token_enc: Buffer.from('x'),
      access_token_expires_at: new Date(Date.now() + 86_400_000),
      refresh_token_enc: Buffer.from('x'),
      refresh_token_expires_at: new Date(Date.now() + 86_400_000),
    });
    await database
      .db('tiktok_shops')
      .insert({ shop_id: shopId, open_id: 'seller-1', shop_cipher: 'ROW_x', region: 'US' });
  });
  after(async () => {
    for (const id of started)
      await env.client.workflow
        .getHandle(id)
        .terminate('test done')
        .catch(() => undefined);
    await database?.drop();
    await env?.teardown();
  });

  const relay = () =>
    createWebhookRelay({
      db: database.db,
      databaseUrl: database.url,
      temporal: env.client,
      taskQueue: 'unused',
      logger: pino({ level: 'silent' }),
      // One delivery at a time: the signals' order is asserted.
      concurrency: 1,
    });
  const ingest = async (body: Buffer) => {
    const r = await ingestTikTokWebhook(
      { db: database.db, settings, deadLetters: createDeadLetterRepository(database.db) },
      body,
      { authorization: computeWebhookSignature({ ...settings, rawBody: body }) },
    );
    assert.equal(r.status, 200);
  };

  test('a mapped product’s audit reaches its category’s workflow as productAudit; others are recorded', async () => {
    const repo = createProductCategoryRepository(database.db);
    // 19-digit ids: they must survive the JSON number in the webhook.
    const mapped = '1729582039475661234';
    const unmapped = '1729582039475669999';
    const otherCategory = '1729582039475665555';
    await repo.upsert([
      {
        shop_id: shopId,
        product_id: mapped,
        category_id: category,
        category_chain: [{ id: category, local_name: 'Vitamins & Minerals' }],
        product_status: 'PENDING',
        audit_status: 'PRE_APPROVED',
        source: 'get_product',
      },
      {
        shop_id: shopId,
        product_id: otherCategory,
        category_id: '602002',
        category_chain: [],
        product_status: 'ACTIVATE',
        audit_status: 'APPROVED',
        source: 'get_product',
      },
    ]);
    const workflowId = categoryUngatingWorkflowId(shopId, category);
    assert.equal(workflowId, `ungating:${shopId}:${category}`);
    // The application's workflow is running (no worker polls its queue here).
    await env.client.workflow.start('categoryUngating', {
      workflowId,
      taskQueue: uniqueId('no-worker'),
      args: [{ shopId, categoryId: category }],
    });
    started.push(workflowId);

    const at = 1_790_000_000;
    await ingest(auditWebhook(shopId, mapped, 'FAILED', [], at));
    await ingest(auditWebhook(shopId, mapped, 'PRE_APPROVED', ['RESTRICTED_CATEGORY_PENDING'], at + 60));
    await ingest(auditWebhook(shopId, unmapped, 'APPROVED', [], at));
    await ingest(auditWebhook(shopId, otherCategory, 'AUDITING', [], at));
    assert.equal(await relay().drainOnce(), 4);

    const inbox = await database.db('webhook_inbox').orderBy('id').select('status', 'workflow_id', 'last_error');
    assert.deepEqual(
      inbox.map((r: { status: string }) => r.status),
      ['routed', 'routed', 'skipped', 'skipped'],
    );
    assert.equal(inbox[0].workflow_id, workflowId);
    assert.match(inbox[2].last_error, /not in the category mapping yet/);
    assert.match(inbox[3].last_error, /no category application runs for 602002/);

    // What the workflow received, in order.
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const signals = (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a !== null && a !== undefined)
      .map((a) => ({
        name: a.signalName,
        arg: JSON.parse(Buffer.from(a.input!.payloads![0]!.data!).toString('utf8')) as unknown,
      }));
    assert.deepEqual(signals, [
      {
        name: 'productAudit',
        arg: { productId: mapped, status: 'FAILED', reasons: [], at: new Date(at * 1000).toISOString() },
      },
      {
        name: 'productAudit',
        arg: {
          productId: mapped,
          status: 'PRE_APPROVED',
          reasons: ['RESTRICTED_CATEGORY_PENDING'],
          at: new Date((at + 60) * 1000).toISOString(),
        },
      },
    ]);

    // Every event is kept with its outcome; none started a workflow.
    const events = await repo.auditEvents(shopId);
    assert.deepEqual(
      events.map((e) => [e.product_id, e.audit_status, e.outcome, e.category_id]).sort(),
      [
        [mapped, 'FAILED', 'routed', category],
        [mapped, 'PRE_APPROVED', 'routed', category],
        [otherCategory, 'AUDITING', 'no_application', '602002'],
        [unmapped, 'APPROVED', 'unmapped', null],
      ].sort(),
    );
    await assert.rejects(
      env.client.workflow.getHandle(categoryUngatingWorkflowId(shopId, '602002')).describe(),
      WorkflowNotFoundError,
    );
    assert.equal(await repo.categoryOf(shopId, mapped), category);
    assert.equal((await repo.productsOf(shopId, category))[0]?.audit_status, 'PRE_APPROVED');

    // A category change (type 18) maps the unmapped product: its recorded event reaches the workflow now.
    await ingest(
      Buffer.from(
        JSON.stringify({
          type: 18,
          tts_notification_id: `n-cat-${unmapped}`,
          shop_id: shopId,
          timestamp: at + 120,
          data: {
            product_id: unmapped,
            previous_category_id: '600001',
            current_category_id: category,
            update_time: at + 120,
          },
        }),
      ),
    );
    assert.equal(await relay().drainOnce(), 1);
    assert.equal(await repo.categoryOf(shopId, unmapped), category);
    const replayed = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const last = (replayed.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter(Boolean)
      .at(-1);
    assert.deepEqual(JSON.parse(Buffer.from(last!.input!.payloads![0]!.data!).toString('utf8')), {
      productId: unmapped,
      status: 'APPROVED',
      reasons: [],
      at: new Date(at * 1000).toISOString(),
    });
    assert.deepEqual(
      (await repo.auditEvents(shopId, { productId: unmapped })).map((e) => [e.outcome, e.workflow_id]),
      [['routed', workflowId]],
    );
  });
});
