import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { REDACT_PATHS } from '../../api/logger';

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
