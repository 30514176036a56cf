import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TypedSearchAttributes } from '@temporalio/common';
import { parse } from 'yaml';
import { codecAllowedHosts, loadConfig, REPO_ROOT } from '../../config';
import { ALL_SEARCH_ATTRIBUTES, RETIRED_SEARCH_ATTRIBUTES } from '../../workflows/shared/searchAttributes';

// No Docker engine runs here, so the deployment file is checked by reading it.
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
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
  for (const name of ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'web', 'api', 'worker', 'relay'])
    svc(name);
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
  assert.equal(envOf('temporal').POSTGRES_SEEDS, 'postgresql');
  assert.equal(envOf('temporal').POSTGRES_PWD, pg.POSTGRES_PASSWORD);
  assert.equal(envOf('temporal-ui').TEMPORAL_ADDRESS, 'temporal:7233');
});

test('only the API and the authenticating proxy are published; Temporal, PostgreSQL and the Web UI stay inside', () => {
  const published = Object.entries(compose.services)
    .filter(([, s]) => (s.ports ?? []).length > 0)
    .map(([name]) => name)
    .sort();
  assert.deepEqual(published, ['api', 'web']);
  assert.deepEqual(svc('api').ports, [`3000:${envOf('api').API_PORT}`]);
});

/** The repository file a service mounts at `target`. */
function mounted(service: string, target: string): string {
  const volume = (svc(service).volumes ?? []).find((v) => v.split(':')[1] === target);
  assert.ok(volume, `${service} mounts ${target}`);
  const file = path.join(REPO_ROOT, volume.split(':')[0]!);
  assert.ok(fs.existsSync(file), `${file} exists`);
  return fs.readFileSync(file, 'utf8');
}

test('Temporal honours task priorities with as many keys as the processes use (issue 12 item 9)', () => {
  const configPath = envOf('temporal').DYNAMIC_CONFIG_FILE_PATH!;
  const dynamic = parse(mounted('temporal', path.posix.join('/etc/temporal', configPath))) as Record<
    string,
    Array<{ value: unknown }>
  >;
  assert.equal(dynamic['matching.useNewMatcher']?.[0]?.value, true);
  const levels = dynamic['matching.priorityLevels']?.[0]?.value;
  assert.equal(typeof levels, 'number');
  assert.ok((levels as number) > 5, 'more keys than the default 5, as the dev server has');
  for (const name of ['api', 'worker', 'relay']) assert.equal(loadConfig(envOf(name)).TEMPORAL_PRIORITY_LEVELS, levels);
});

test('the Web UI and the codec endpoint are reachable only through the API-key check (issue 13 item 4)', () => {
  const api = envOf('api');
  const cfg = loadConfig(api);
  assert.equal(cfg.CODEC_AUTH, 'api-key', 'the codec endpoint checks the key itself too');
  const caddyfile = mounted('web', '/etc/caddy/Caddyfile')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .join('\n');
  const codecUpstream = `api:${cfg.CODEC_PORT}`;
  const site = /^:(\d+) \{\nroute \{\n([\s\S]*)\n\}\n\}$/m.exec(caddyfile.slice(caddyfile.indexOf('\n:') + 1));
  assert.ok(site, 'one site whose handlers run in order (route)');
  const [, listen, handlers] = site;
  // The check comes first and covers every path: the UI and /codec alike.
  assert.ok(
    handlers!.startsWith(`forward_auth ${codecUpstream} {\nuri /auth\n}\n`),
    'every request is first checked by GET /auth of the codec endpoint',
  );
  assert.match(handlers!, new RegExp(`handle_path /codec/\\* \\{\\nreverse_proxy ${codecUpstream}\\n\\}`));
  assert.match(handlers!, /handle \{\nreverse_proxy temporal-ui:8080\n\}/);

  const webPort = svc('web').ports?.[0];
  assert.ok(webPort && containerPort(webPort) === listen);
  const ui = envOf('temporal-ui');
  const codecEndpoint = new URL(ui.TEMPORAL_CODEC_ENDPOINT!);
  assert.equal(codecEndpoint.port, hostPort(webPort), 'the browser reaches the codec endpoint through the proxy');
  assert.equal(codecEndpoint.pathname, '/codec');
  assert.ok(codecAllowedHosts(cfg).includes(codecEndpoint.host), 'the codec endpoint accepts the proxy Host');
  assert.equal(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS, 'true', "the browser's credentials go with each decode");
  assert.equal(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN, 'false', 'no OIDC token would replace them');
  // Operators may read every workflow through the proxy, but terminate, reset, signal or Schedule changes stay with
  // the API and its roles: the UI is read-only.
  assert.equal(ui.TEMPORAL_DISABLE_WRITE_ACTIONS, 'true', 'the Web UI makes no write actions');
});

test('processes get longer to stop than their own shutdown grace (issue 13 item 8)', () => {
  for (const name of ['api', 'worker', 'relay']) {
    const grace = loadConfig(envOf(name)).SHUTDOWN_GRACE_SECONDS;
    const period = /^(\d+)s$/.exec(svc(name).stop_grace_period ?? '');
    assert.ok(period && Number(period[1]) > grace, `${name}: stop_grace_period above ${grace}s`);
  }
});

test('the setup job registers exactly the search attributes the code uses, after removing the retired ones', () => {
  const command = interpolate((svc('temporal-setup').command ?? []).join(' '));
  const registered = [...command.matchAll(/(\w+)=(\w+)/g)].map(([, n, t]) => `${n}=${t}`).sort();
  const expected = ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`).sort();
  assert.deepEqual(registered, expected);
  const retired = /for old in ([\w ]+); do\s+temporal operator search-attribute remove /.exec(command);
  assert.ok(retired, 'a loop removes the retired attributes');
  assert.deepEqual(retired[1]!.trim().split(/\s+/).sort(), [...RETIRED_SEARCH_ATTRIBUTES].sort());
  assert.ok(command.indexOf('search-attribute remove') < command.indexOf('search-attribute create'), 'removed first');
});
