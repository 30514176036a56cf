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

test('production refuses weak or all-zero secrets', () => {
  const strongKey = (seed: number) =>
    Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 73 + seed * 29 + 5) % 256)).toString('base64');
  const production = {
    NODE_ENV: 'production',
    PAYLOAD_CODEC_KEYS: `k1:${strongKey(1)}`,
    SECRETS_ENCRYPTION_KEY: `s1:${strongKey(2)}`,
    ADMIN_API_KEY: 'tso_Xq7vK2mP9wR4tZ8nB3cL6yH1',
    TIKTOK_APP_KEY: 'app_key',
    TIKTOK_APP_SECRET: 'app_secret',
    PUBLIC_BASE_URL: 'https://ops.example.com',
  };
  assert.doesNotThrow(() => loadConfig(production));
  const zero = Buffer.alloc(32).toString('base64');
  for (const [variable, value] of [
    ['ADMIN_API_KEY', '000000000000000000000000'],
    ['ADMIN_API_KEY', 'aaaaaaaaaaaabbbbbbbbbbbbbbbb'],
    ['ADMIN_API_KEY', 'tso_changeme_changeme_changeme'],
    ['PAYLOAD_CODEC_KEYS', `k1:${zero}`],
    ['SECRETS_ENCRYPTION_KEY', `s1:${strongKey(3)},s0:${Buffer.alloc(32, 7).toString('base64')}`],
  ] as const) {
    assert.throws(
      () => loadConfig({ ...production, [variable]: value }),
      (err: unknown) => err instanceof ConfigError && err.message.includes(variable),
      `${variable}=${value} accepted`,
    );
    // Development keeps working with whatever a developer typed.
    assert.doesNotThrow(() => loadConfig({ ...production, NODE_ENV: 'development', [variable]: value }));
  }
});
