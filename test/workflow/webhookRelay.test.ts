import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { createDeadLetterRepository } from '../../db/deadLetters';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import type { TikTokWebhookEvent } from '../../integrations/tiktok/webhooks';
import { createWebhookRelay } from '../../webhooks/relay';
import type { WebhookRoute } from '../../webhooks/routes';
import { ingestTikTokWebhook } from '../../webhooks/tiktokInbox';
import { testDatabase, type TestDatabase } from '../helpers/database';

const settings = { appKey: 'relay_key', appSecret: 'relay_secret_0123456789' };

function orderEvent(orderId: string, status: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: 1,
      tts_notification_id: `n-${orderId}-${status}`,
      shop_id: '7495',
      timestamp: 1_790_000_000,
      data: { order_id: orderId, order_status: status, is_on_hold_order: false, update_time: 1_790_000_000 },
    }),
  );
}

describe('webhook inbox and relay (PostgreSQL)', () => {
  let database: TestDatabase;
  const ingest = (body: Buffer) =>
    ingestTikTokWebhook({ db: database.db, settings, deadLetters: createDeadLetterRepository(database.db) }, body, {
      authorization: computeWebhookSignature({ ...settings, rawBody: body }),
    });
  const relayWith = (routes: Record<string, WebhookRoute>) =>
    createWebhookRelay({
      db: database.db,
      databaseUrl: database.url,
      temporal: {} as Client,
      taskQueue: 'unused',
      logger: pino({ level: 'silent' }),
      routes,
    });

  before(async () => {
    database = await testDatabase();
  });
  after(async () => {
    await database?.drop();
  });

  test('kinds without a route stay unrouted, and are routed by themselves once a route exists', async () => {
    for (const id of ['1', '2']) assert.equal((await ingest(orderEvent(id, 'AWAITING_SHIPMENT'))).status, 200);
    assert.equal(await relayWith({}).drainOnce(), 2);
    const statuses = await database.db('webhook_inbox').pluck('status');
    assert.deepEqual(statuses, ['unrouted', 'unrouted']);

    const delivered: string[] = [];
    const newRelease = relayWith({
      ORDER_STATUS_CHANGE: (event: TikTokWebhookEvent) => {
        if (event.kind === 'ORDER_STATUS_CHANGE') delivered.push(event.data.order_id);
        return Promise.resolve({ status: 'routed', workflowIds: [`order:7495:${delivered.at(-1)}`] });
      },
    });
    assert.equal(await newRelease.requeueNewlyRoutable(), 2);
    await newRelease.drainOnce();
    assert.deepEqual(delivered.sort(), ['1', '2']);
    const rows = await database.db('webhook_inbox').orderBy('id');
    assert.deepEqual(
      rows.map((r: { status: string; workflow_id: string }) => [r.status, r.workflow_id]),
      [
        ['routed', 'order:7495:1'],
        ['routed', 'order:7495:2'],
      ],
    );
  });

  test('a failed delivery is kept and retried later, never dropped', async () => {
    await ingest(orderEvent('3', 'AWAITING_SHIPMENT'));
    let calls = 0;
    const flaky = relayWith({
      ORDER_STATUS_CHANGE: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('temporal unavailable'))
          : Promise.resolve({ status: 'routed', workflowIds: ['x'] });
      },
    });
    await flaky.drainOnce();
    let row = await database.db('webhook_inbox').where('dedup_key', 'n-3-AWAITING_SHIPMENT').first();
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, /temporal unavailable/);
    await database
      .db('webhook_inbox')
      .where({ id: row.id })
      .update({ next_attempt_at: new Date(0) });
    await flaky.drainOnce();
    row = await database.db('webhook_inbox').where({ id: row.id }).first();
    assert.equal(row.status, 'routed');
  });

  test('two relays never deliver the same row twice', async () => {
    for (let i = 10; i < 60; i++) await ingest(orderEvent(String(i), 'AWAITING_SHIPMENT'));
    const seen: string[] = [];
    const route: WebhookRoute = async (event) => {
      if (event.kind === 'ORDER_STATUS_CHANGE') seen.push(event.data.order_id);
      await new Promise((r) => setTimeout(r, 5));
      return { status: 'routed', workflowIds: ['w'] };
    };
    const [a, b] = [relayWith({ ORDER_STATUS_CHANGE: route }), relayWith({ ORDER_STATUS_CHANGE: route })];
    await Promise.all([a.drainOnce(), b.drainOnce(), a.drainOnce(), b.drainOnce()]);
    assert.equal(seen.length, 50);
    assert.equal(new Set(seen).size, 50);
  });

  test('a row claimed by a relay that died is delivered by another once its lease runs out', async () => {
    await ingest(orderEvent('80', 'AWAITING_SHIPMENT'));
    await ingest(orderEvent('81', 'AWAITING_SHIPMENT'));
    // 80's relay died after claiming it long ago; 81 is claimed by a relay that is still within its lease.
    await database
      .db('webhook_inbox')
      .where('dedup_key', 'n-80-AWAITING_SHIPMENT')
      .update({
        status: 'delivering',
        next_attempt_at: new Date(Date.now() - 1_000),
      });
    await database
      .db('webhook_inbox')
      .where('dedup_key', 'n-81-AWAITING_SHIPMENT')
      .update({
        status: 'delivering',
        next_attempt_at: new Date(Date.now() + 60_000),
      });
    const seen: string[] = [];
    const relay = relayWith({
      ORDER_STATUS_CHANGE: (event: TikTokWebhookEvent) => {
        if (event.kind === 'ORDER_STATUS_CHANGE') seen.push(event.data.order_id);
        return Promise.resolve({ status: 'routed', workflowIds: ['w'] });
      },
    });
    await relay.drainOnce();
    assert.deepEqual(seen, ['80']);
    const statuses = await database
      .db('webhook_inbox')
      .whereIn('dedup_key', ['n-80-AWAITING_SHIPMENT', 'n-81-AWAITING_SHIPMENT'])
      .orderBy('id')
      .pluck('status');
    assert.deepEqual(statuses, ['routed', 'delivering']);
  });

  test('one slow delivery holds up no other row', async () => {
    await database.db('webhook_inbox').del();
    let releaseSlow!: () => void;
    const slowDone = new Promise<void>((r) => (releaseSlow = r));
    const relay = createWebhookRelay({
      db: database.db,
      databaseUrl: database.url,
      temporal: {} as Client,
      taskQueue: 'unused',
      logger: pino({ level: 'silent' }),
      concurrency: 4,
      batchSize: 4,
      pollMs: 50,
      routes: {
        ORDER_STATUS_CHANGE: async (event: TikTokWebhookEvent) => {
          if (event.kind === 'ORDER_STATUS_CHANGE' && event.data.order_id === '90') await slowDone;
          return { status: 'routed', workflowIds: ['w'] };
        },
      },
    });
    for (let i = 90; i < 110; i++) await ingest(orderEvent(String(i), 'AWAITING_SHIPMENT'));
    await relay.start();
    try {
      const deadline = Date.now() + 10_000;
      let routed = 0;
      while (Date.now() < deadline) {
        routed = (await database.db('webhook_inbox').where({ status: 'routed' }).pluck('id')).length;
        if (routed === 19) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(routed, 19, 'every row but the slow one is routed while it is in flight');
      const slow = await database.db('webhook_inbox').where('dedup_key', 'n-90-AWAITING_SHIPMENT').first();
      assert.equal(slow.status, 'delivering');
    } finally {
      releaseSlow();
      await relay.stop();
    }
    const slow = await database.db('webhook_inbox').where('dedup_key', 'n-90-AWAITING_SHIPMENT').first();
    assert.equal(slow.status, 'routed');
  });

  test('a delivery that outlived its lease leaves the row to the relay that took it over', async () => {
    await ingest(orderEvent('120', 'AWAITING_SHIPMENT'));
    const relay = relayWith({
      ORDER_STATUS_CHANGE: async () => {
        // Meanwhile the lease ran out and another relay claimed the row (a new lease end).
        await database
          .db('webhook_inbox')
          .where('dedup_key', 'n-120-AWAITING_SHIPMENT')
          .update({ next_attempt_at: database.db.raw("now() + interval '1 minute'") });
        return { status: 'routed', workflowIds: ['late'] };
      },
    });
    await relay.drainOnce();
    const row = await database.db('webhook_inbox').where('dedup_key', 'n-120-AWAITING_SHIPMENT').first();
    assert.equal(row.status, 'delivering', 'the late outcome is not written over the new lease');
    assert.equal(row.workflow_id, null);
  });
});
