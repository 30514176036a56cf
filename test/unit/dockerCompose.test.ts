import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TypedSearchAttributes } from '@temporalio/common';
import { parse } from 'yaml';
import { loadConfig, REPO_ROOT } from '../../config';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/searchAttributes';

// No Docker engine runs here, so the deployment file is checked by reading it.
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const svc = (name: string): Service => {
  const s = compose.services[name];
  assert.ok(s, `service ${name} missing`);
  return s;
};

// Values an operator provides in .env, shaped as the product expects them.
// A key shaped like a generated one: production refuses all-zero or repetitive keys (config/secretStrength.ts).
const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256)).toString('base64');
const ENV_FILE: Record<string, string> = {
  POSTGRES_PASSWORD: 'pw',
  PAYLOAD_CODEC_KEYS: `k1:${key}`,
  SECRETS_ENCRYPTION_KEY: `s1:${key}`,
  ADMIN_API_KEY: 'tso_admin_key_with_enough_characters',
  TIKTOK_APP_KEY: 'app_key',
  TIKTOK_APP_SECRET: 'app_secret',
  PUBLIC_BASE_URL: 'https://ops.example.com',
  NOTIFY_WEBHOOK_URL: '',
};
/** Compose interpolation: ${VAR}, ${VAR:?message}, ${VAR:-default}, and $$ as a literal dollar. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{([A-Z0-9_]+)(?::[?-][^}]*)?\}/g, (_, name: string) => {
      const v = ENV_FILE[name];
      assert.ok(v !== undefined, `compose uses \${${name}} that .env does not document`);
      return v;
    })
    .replace(/\$\$/g, '$');
}
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(svc(name).environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
const hostPort = (mapping: string) => mapping.split(':')[0];
const containerPort = (mapping: string) => mapping.split(':').at(-1);

test('the deployment has every service of the architecture', () => {
  for (const name of ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'api', 'worker', 'relay']) svc(name);
  assert.equal(svc('api').build, '.');
  assert.ok(fs.existsSync(path.join(REPO_ROOT, 'Dockerfile')));
  for (const name of ['api', 'worker', 'relay']) {
    const script = svc(name).command?.at(-1);
    assert.ok(
      script && fs.existsSync(path.join(REPO_ROOT, script)),
      `${name} runs ${script}, which the build produces`,
    );
  }
});

test('the API, worker and relay environments pass the production configuration check', () => {
  for (const name of ['api', 'worker', 'relay']) {
    const cfg = loadConfig(envOf(name));
    assert.equal(cfg.NODE_ENV, 'production');
    assert.deepEqual(cfg.embedded, { postgres: false, temporal: false });
  }
});

test('webhook inbox rows are relayed by the relay service, not twice by the worker too', () => {
  assert.equal(loadConfig(envOf('worker')).WEBHOOK_RELAY_IN_WORKER, false);
  assert.equal(svc('relay').command?.at(-1), 'dist/workers/relay.js');
});

test('addresses and ports agree between services', () => {
  const pg = envOf('postgresql');
  for (const name of ['api', 'worker', 'relay']) {
    const env = envOf(name);
    const db = new URL(env.DATABASE_URL!);
    assert.equal(db.hostname, 'postgresql');
    assert.equal(db.port, '5432');
    assert.equal(db.username, pg.POSTGRES_USER);
    assert.equal(decodeURIComponent(db.password), pg.POSTGRES_PASSWORD);
    assert.equal(db.pathname, `/${pg.POSTGRES_DB}`);
    assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
  }
  assert.ok(svc('temporal').ports?.some((p) => containerPort(p) === '7233'));
  assert.equal(envOf('temporal').POSTGRES_SEEDS, 'postgresql');
  assert.equal(envOf('temporal').POSTGRES_PWD, pg.POSTGRES_PASSWORD);
  assert.equal(envOf('temporal-ui').TEMPORAL_ADDRESS, 'temporal:7233');

  const api = envOf('api');
  const apiPorts = svc('api').ports ?? [];
  assert.ok(
    apiPorts.some((p) => containerPort(p) === api.API_PORT),
    'API port published',
  );
  const codecPublished = apiPorts.find((p) => containerPort(p) === api.CODEC_PORT);
  assert.ok(codecPublished, 'codec port published');
  assert.equal(api.CODEC_HOST, '0.0.0.0');
  assert.equal(api.CODEC_AUTH, 'api-key', 'a published codec endpoint requires credentials');

  const ui = envOf('temporal-ui');
  const uiPublished = svc('temporal-ui').ports?.[0];
  assert.ok(uiPublished);
  assert.equal(new URL(ui.TEMPORAL_CODEC_ENDPOINT!).port, hostPort(codecPublished));
  assert.equal(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN, 'true');
  assert.equal(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS, 'true');
  assert.ok(api.CODEC_CORS_ORIGINS!.split(',').includes(`http://localhost:${hostPort(uiPublished)}`));
});

test('the setup job registers exactly the search attributes the code uses', () => {
  const command = interpolate((svc('temporal-setup').command ?? []).join(' '));
  const registered = [...command.matchAll(/(\w+)=(\w+)/g)].map(([, n, t]) => `${n}=${t}`).sort();
  const expected = ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`).sort();
  assert.deepEqual(registered, expected);
});
