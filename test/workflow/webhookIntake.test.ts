// The webhook receiver's edge: a bad signed event among good ones, rejected and forged requests (PostgreSQL, HTTP).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { REDACT_PATHS } from '../../api/logger';
import { createDeadLetterRepository } from '../../db/deadLetters';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import { testDatabase, type TestDatabase } from '../helpers/database';

const settings = { appKey: 'intake_key', appSecret: 'intake_secret_0123456789' };

function orderEvent(notificationId: string, orderId: string): string {
  return JSON.stringify({
    type: 1,
    tts_notification_id: notificationId,
    shop_id: '7495',
    timestamp: 1_790_000_000,
    data: { order_id: orderId, order_status: 'AWAITING_SHIPMENT', is_on_hold_order: false, update_time: 1_790_000_000 },
  });
}

describe('webhook intake (PostgreSQL, HTTP)', () => {
  let database: TestDatabase;
  let server: http.Server;
  let base: string;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    database = await testDatabase();
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    const deps = {
      db: database.db,
      logger: pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink),
      config: { TEMPORAL_TASK_QUEUE: 'q' },
      temporal: { connection: {}, options: { namespace: 'default' } },
      tiktok: { ...settings, publicBaseUrl: 'http://localhost' },
      apiKeys: { authenticate: () => Promise.resolve(undefined) },
      deadLetters: createDeadLetterRepository(database.db),
      authorizationLinks: {},
    } as unknown as ApiDeps;
    server = http.createServer(createApp(deps));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  const send = (body: string, authorization = computeWebhookSignature({ ...settings, rawBody: body })) =>
    fetch(`${base}/webhooks/tiktok`, { method: 'POST', headers: { authorization }, body }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
    }));

  test('one unstorable signed event in a group commit: the others get 200, it is dead-lettered and logged', async () => {
    const good = Array.from({ length: 20 }, (_, i) => orderEvent(`good-${i}`, `57${i}`));
    const bad = {
      nul: orderEvent('bad-nul', '57\u0000x'), // escaped by JSON.stringify: jsonb refuses \u0000
      longId: orderEvent(`bad-${'9'.repeat(400)}`, '577'), // dedup key over its 300 characters
      surrogate: orderEvent('bad-surrogate', '57\ud800'), // a lone surrogate: jsonb refuses it, no check before
    };
    // The first write goes alone; everything sent while it is in flight shares the next statement.
    const all = [orderEvent('pilot', '500'), ...good, ...Object.values(bad)];
    const answers = await Promise.all(all.map((body) => send(body)));

    assert.deepEqual(
      answers.slice(0, 21).map((a) => a.status),
      Array(21).fill(200),
    );
    assert.deepEqual(
      answers.slice(21).map((a) => a.status),
      [400, 400, 400],
    );
    const stored = await database.db('webhook_inbox').pluck('dedup_key');
    assert.deepEqual(new Set(stored), new Set(['pilot', ...good.map((_, i) => `good-${i}`)]));

    const letters = await database.db('dead_letters').orderBy('id').select('id', 'reason', 'raw_body');
    assert.equal(letters.length, 3);
    for (const body of Object.values(bad)) {
      assert.ok(
        letters.some((l: { raw_body: string }) => l.raw_body === body),
        `kept raw: ${body.slice(0, 60)}`,
      );
    }
    const logged = lines.filter((l) => l.msg === 'webhook rejected').map((l) => Number(l.deadLetterId));
    assert.deepEqual(logged.sort(), letters.map((l: { id: string }) => Number(l.id)).sort());
  });
});
