import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config';

test('defaults select the embedded stack', () => {
  const cfg = loadConfig({});
  assert.equal(cfg.API_PORT, 3000);
  assert.equal(cfg.TEMPORAL_NAMESPACE, 'default');
  assert.deepEqual(cfg.embedded, { postgres: true, temporal: true });
});

test('TEMPORAL_ADDRESS and DATABASE_URL select existing services', () => {
  const cfg = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', DATABASE_URL: 'postgres://u:p@db:5432/ops' });
  assert.deepEqual(cfg.embedded, { postgres: false, temporal: false });
});

test('a bad value stops start-up with a message naming the variable', () => {
  assert.throws(
    () => loadConfig({ API_PORT: 'eighty' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /API_PORT/);
      return true;
    },
  );
  assert.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ TEMPORAL_TLS: 'maybe' }), /TEMPORAL_TLS/);
});

test('production never generates secrets', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      for (const v of [
        'PAYLOAD_CODEC_KEYS',
        'SECRETS_ENCRYPTION_KEY',
        'ADMIN_API_KEY',
        'TIKTOK_APP_KEY',
        'PUBLIC_BASE_URL',
      ])
        assert.match(err.message, new RegExp(v));
      return true;
    },
  );
});

test('a client certificate needs its key', () => {
  assert.throws(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/tls/client.pem' }), /TEMPORAL_TLS_KEY_PATH/);
});

test('TikTok settings are checked at start-up', () => {
  assert.throws(() => loadConfig({ TIKTOK_RATE_LIMITS: 'fulfillment=fast' }), /TIKTOK_RATE_LIMITS/);
  assert.doesNotThrow(() => loadConfig({ TIKTOK_RATE_LIMITS: 'default=50/1s;fulfillment=100/60s' }));
  assert.throws(() => loadConfig({ TIKTOK_APP_KEY: 'abc' }), /TIKTOK_APP_SECRET/);
  assert.throws(() => loadConfig({ NOTIFY_WEBHOOK_URL: 'not-a-url' }), /NOTIFY_WEBHOOK_URL/);
});
