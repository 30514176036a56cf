import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { REDACT_PATHS } from '../../logging/logger';

test('secrets and buyer data are redacted from log lines', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  log.info({
    req: { headers: { authorization: 'Bearer tso_secret', 'x-tts-access-token': 'TTP_token' } },
    order: { recipient_address: { full_address: '1 Main St' }, buyer_email: 'jane@example.com', id: '576' },
    token: { access_token: 'TTP_abc', refresh_token: 'TTP_def' },
  });
  const out = lines.join('');
  for (const secret of ['tso_secret', 'TTP_token', '1 Main St', 'jane@example.com', 'TTP_abc', 'TTP_def']) {
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  }
  assert.ok(out.includes('"576"'), 'non-sensitive fields stay');
});

test('the OAuth callback request is logged without its code and state (nor in a later Referer)', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
  // Only what the callback route and the request logger touch; an unknown state answers 400 before any workflow.
  const deps = {
    logger,
    config: { TEMPORAL_TASK_QUEUE: 'q' },
    temporal: { connection: {}, options: { namespace: 'default' } },
    tiktok: { publicBaseUrl: 'http://localhost' },
    apiKeys: { authenticate: () => Promise.resolve(null) },
    deadLetters: { record: () => Promise.resolve(1) },
    authorizationLinks: { consume: () => Promise.resolve(undefined) },
  } as unknown as ApiDeps;
  const server = http.createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const callback = `${base}/oauth/tiktok/callback?code=SECRETCODE123&state=SECRETSTATE456&locale=en`;
    const res = await fetch(callback);
    assert.equal(res.status, 400);
    await res.arrayBuffer();
    const next = await fetch(`${base}/favicon.ico`, { headers: { referer: callback } });
    await next.arrayBuffer();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const out = lines.join('');
  const logged = lines.map((l) => JSON.parse(l) as { req?: { url?: string } }).filter((l) => l.req);
  assert.equal(logged.length, 2, out);
  assert.match(logged[0]!.req!.url!, /^\/oauth\/tiktok\/callback\?code=.*&locale=en$/, 'the path stays readable');
  for (const secret of ['SECRETCODE123', 'SECRETSTATE456'])
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
});
