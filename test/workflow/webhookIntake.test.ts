// The webhook receiver's edge: a bad signed event among good ones, rejected and forged requests (PostgreSQL, HTTP).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { REDACT_PATHS } from '../../logging/logger';
import { createDeadLetterRepository } from '../../db/deadLetters';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import { testDatabase, type TestDatabase } from '../helpers/database';

const VALID_KEY = 'tso_valid_key_0123456789abcdef';
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
      config: { TEMPORAL_TASK_QUEUE: 'q', AUTH_FAILURE_LIMIT: 3, AUTH_FAILURE_WINDOW_SECONDS: 600 },
      temporal: { connection: {}, options: { namespace: 'default' } },
      tiktok: { ...settings, publicBaseUrl: 'http://localhost' },
      apiKeys: {
        authenticate: (key: string) =>
          Promise.resolve(key === VALID_KEY ? { id: '1', name: 'ops', role: 'operator', shopIds: null } : null),
      },
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

  // The API trusts X-Forwarded-For from loopback (trust proxy): each test sends from an address of its own.
  const send = (
    body: string,
    authorization = computeWebhookSignature({ ...settings, rawBody: body }),
    from = '198.51.100.1',
  ) =>
    fetch(`${base}/webhooks/tiktok`, {
      method: 'POST',
      headers: { authorization, 'x-forwarded-for': from },
      body,
    }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
    }));
  const letters = (where: Record<string, unknown>) =>
    database
      .db('dead_letters')
      .where(where)
      .orderBy('id')
      .select<
        { id: string; raw_body: string; body_sha256: string; body_bytes: number; raw_kept: boolean; count: number }[]
      >('id', 'raw_body', 'body_sha256', 'body_bytes', 'raw_kept', 'count');

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

  test('forged webhooks keep a hash, the first 4 KB and a count; past the limit 429, a signed one still 200', async () => {
    const from = '203.0.113.7';
    const forged = orderEvent('forged', '1'.repeat(20)).replace('}', `, "pad": "${'x'.repeat(10_000)}"}`);
    const forgery = 'f'.repeat(64);
    assert.equal((await send(forged, forgery, from)).status, 401);
    assert.equal((await send(forged, forgery, from)).status, 401);
    const [row] = await letters({ remote_address: from });
    assert.equal(row!.raw_kept, false);
    assert.equal(row!.raw_body, forged.slice(0, 4096), 'only the first 4 KB');
    assert.equal(row!.body_bytes, Buffer.byteLength(forged));
    assert.equal(row!.body_sha256, crypto.createHash('sha256').update(forged).digest('hex'));
    assert.equal(row!.count, 2, 'the same body again only counts');

    assert.equal((await send('{"other": 1}', forgery, from)).status, 401); // the third failure: the limit is 3
    const refused = await send('{"more": 2}', forgery, from);
    assert.equal(refused.status, 429);
    assert.equal((await letters({ remote_address: from })).length, 2, 'nothing stored past the limit');
    for (let i = 0; i < 3; i++) {
      assert.equal((await send(orderEvent(`signed-${i}`, `60${i}`), undefined, from)).status, 200, 'never limited');
    }
    const replay = await database.db('dead_letters').where({ remote_address: from }).first<{ id: string }>();
    const res = await fetch(`${base}/v1/dead-letters/${replay.id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${VALID_KEY}`, 'x-forwarded-for': '192.0.2.50' },
    });
    assert.equal(res.status, 409, 'a truncated body cannot be replayed');
  });

  test('rejected API bodies: raw only with a valid key; without one hash + 4 KB, and 429 after repeated 401s', async () => {
    const body = `{"shopId": "7495", ${'x'.repeat(6_000)}`; // not JSON
    const post = (from: string, authorization?: string) =>
      fetch(`${base}/v1/shops`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': from,
          ...(authorization ? { authorization } : {}),
        },
        body,
      });
    assert.equal((await post('192.0.2.1', `Bearer ${VALID_KEY}`)).status, 400);
    const [withKey] = await letters({ remote_address: '', raw_body: body });
    assert.ok(withKey, 'kept raw for an authenticated caller');
    assert.equal(withKey.raw_kept, true);

    assert.equal((await post('192.0.2.2')).status, 400);
    const [anonymous] = await letters({ remote_address: '192.0.2.2' });
    assert.equal(anonymous!.raw_kept, false);
    assert.equal(anonymous!.raw_body, body.slice(0, 4096));

    // A made-up key is no key: the repository answers null for it.
    assert.equal((await post('192.0.2.4', 'Bearer tso_made_up')).status, 400);
    const [madeUp] = await letters({ remote_address: '192.0.2.4' });
    assert.equal(madeUp!.raw_kept, false, 'a made-up key does not keep the raw body');
    assert.equal(madeUp!.raw_body, body.slice(0, 4096));

    // Failed authentications of one address: 401 up to the limit (3, the bad body above was one), then 429.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/v1/shops`, {
        headers: { authorization: 'Bearer tso_wrong_key_0000000000000', 'x-forwarded-for': '192.0.2.2' },
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 429]);
    const other = await fetch(`${base}/v1/shops`, { headers: { 'x-forwarded-for': '192.0.2.3' } });
    assert.equal(other.status, 401, 'another address is not limited');
  });
});
