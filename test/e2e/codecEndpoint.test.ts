// The codec endpoint as the real `temporal` CLI and the Web UI use it (issue 12 item 7, issue 13 items 3 and 4).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { codecAllowedHosts, ConfigError, loadConfig } from '../../config';
import { temporalCliPath } from '../../config/tools';
import { createCodecServer, type CodecServerOptions } from '../../api/codecServer';
import { freePort } from '../../db/embeddedPostgres';
import { createDataConverter } from '../../temporal/connection';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { startTestStack, type TestStack } from '../helpers/stack';

const run = promisify(execFile);

describe('codec endpoint (dev server + PostgreSQL + the temporal CLI)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const servers: http.Server[] = [];
  const warnings: string[] = [];

  /** A codec endpoint on a loopback port of its own; returns its base URL. */
  async function startCodec(auth: 'none' | 'api-key', extra: Partial<CodecServerOptions> = {}): Promise<string> {
    const port = await freePort();
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const server = http.createServer(
      createCodecServer({
        codec: createDataConverter(stack.cfg).payloadCodecs![0]!,
        corsOrigins: ['http://localhost:8233'],
        auth,
        allowedHosts: codecAllowedHosts({ CODEC_PORT: port, CODEC_ALLOWED_HOSTS: undefined }),
        apiKeys: stack.apiDeps.apiKeys,
        deadLetters: stack.apiDeps.deadLetters,
        logger,
        ...extra,
      }),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${port}`;
  }

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
  });
  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await stack?.stop();
    await env?.teardown();
  });

  const cli = (...args: string[]) =>
    run(temporalCliPath(), [...args, '--address', process.env.TEST_TEMPORAL_ADDRESS!, '--namespace', 'default'], {
      timeout: 30_000,
    });

  async function newShop(): Promise<string> {
    const shopId = uniqueId('shop');
    const created = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: 'Codec Beauty' });
    assert.equal(created.status, 201);
    return shopId;
  }

  test('the CLI queries without arguments (an empty payload list arrives as {}) and reads the decoded result', async () => {
    const codecUrl = await startCodec('none');
    const shopId = await newShop();
    const query = ['workflow', 'query', '-w', `shop:${shopId}`, '--type', 'getShop', '-o', 'json'];
    const { stdout } = await cli(...query, '--codec-endpoint', codecUrl);
    const out = JSON.parse(stdout) as { queryResult: Array<{ shopId: string; displayName: string }> };
    assert.equal(out.queryResult[0]!.shopId, shopId);
    assert.equal(out.queryResult[0]!.displayName, 'Codec Beauty');
  });

  test('with api-key auth the CLI needs an agency-wide operator key (--codec-auth)', async () => {
    const codecUrl = await startCodec('api-key');
    const shopId = await newShop();
    const operator = await stack.call('POST', '/v1/api-keys', { name: 'ops desk', role: 'operator' });
    assert.equal(operator.status, 201);
    const query = ['workflow', 'query', '-w', `shop:${shopId}`, '--type', 'getShop', '-o', 'json'];
    await assert.rejects(cli(...query, '--codec-endpoint', codecUrl), /Unauthorized|401/);
    const { stdout } = await cli(...query, '--codec-endpoint', codecUrl, '--codec-auth', `Bearer ${operator.json.key}`);
    assert.equal((JSON.parse(stdout) as { queryResult: Array<{ shopId: string }> }).queryResult[0]!.shopId, shopId);
  });

  test('credentials and roles: decode needs an operator key, encode (of anything) an admin key; Basic carries the key too', async () => {
    const codecUrl = await startCodec('api-key');
    const key = async (role: string) => (await stack.call('POST', '/v1/api-keys', { name: role, role })).json.key;
    const [viewer, operator] = [await key('viewer'), await key('operator')];
    const plain = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: '' }] };
    const post = (op: string, authorization?: string, body: unknown = plain) =>
      fetch(`${codecUrl}/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(body),
      });

    const anonymous = await post('decode');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal((await post('decode', 'Bearer tso_not_a_key_at_all_000000')).status, 401);
    assert.equal((await post('decode', `Bearer ${viewer}`)).status, 403);
    assert.equal((await post('decode', `Bearer ${operator}`)).status, 200);
    assert.equal((await post('encode', `Bearer ${operator}`)).status, 403, 'encode is admin-only');
    assert.equal((await post('encode', `Bearer ${operator}`, {})).status, 200, 'an empty list carries nothing');
    assert.equal((await post('encode', `Bearer ${stack.adminKey}`)).status, 200);
    const basic = `Basic ${Buffer.from(`ops:${operator}`).toString('base64')}`;
    assert.equal((await post('decode', basic)).status, 200);
    // The reverse proxy's check (docker-compose.yml, forward_auth).
    const check = (authorization?: string) =>
      fetch(`${codecUrl}/auth`, { headers: authorization ? { authorization } : {} });
    assert.equal((await check()).status, 401);
    assert.equal((await check(`Bearer ${viewer}`)).status, 403);
    assert.equal((await check(basic)).status, 204);
  });

  test('failed keys are limited per address, as on the API: 429 past AUTH_FAILURE_LIMIT', async () => {
    const codecUrl = await startCodec('api-key', { failureLimit: { limit: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${codecUrl}/auth`, { headers: { authorization: `Bearer tso_guess_${i}_000000000000` } });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
  });

  test('a shop-scoped key is refused: the Web UI lists every shop', async () => {
    const codecUrl = await startCodec('api-key');
    const scoped = await stack.call('POST', '/v1/api-keys', { name: 'brand ops', role: 'admin', shopIds: ['7495'] });
    assert.equal(scoped.status, 201);
    const res = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${scoped.json.key}` },
      body: '{}',
    });
    assert.equal(res.status, 403);
  });

  test('undecodable payloads are answered 400 and logged; a foreign Host is refused; empty lists round-trip', async () => {
    const codecUrl = await startCodec('none');
    const [encrypted] = await createDataConverter(stack.cfg).payloadCodecs![0]!.encode([
      defaultPayloadConverter.toPayload({ buyer: 'Jane' }),
    ]);
    const tampered = Buffer.from(encrypted!.data!);
    tampered[tampered.length - 1]! ^= 0xff;
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
          data: tampered.toString('base64'),
        },
      ],
    };
    const before = warnings.length;
    const bad = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'undecodable_payload');
    assert.ok(warnings.slice(before).some((l) => l.includes('payload refused')));

    const empty = await fetch(`${codecUrl}/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(empty.status, 200);
    assert.deepEqual(await empty.json(), { payloads: [] });

    // DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 still sends its own Host.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${codecUrl}/decode`,
        { method: 'POST', headers: { host: 'evil.example:8888', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(rebound, 421);
  });

  test('wildcard origins and unauthenticated non-loopback endpoints are refused at start', async () => {
    await assert.rejects(startCodec('none', { corsOrigins: ['*'] }), /wildcard/);
    assert.throws(() => loadConfig({ CODEC_CORS_ORIGINS: '*' }), ConfigError);
    assert.throws(() => loadConfig({ CODEC_HOST: '0.0.0.0', CODEC_AUTH: 'none' }), /CODEC_AUTH/);
    assert.throws(
      () => loadConfig({ CODEC_HOST: '0.0.0.0', CODEC_AUTH: 'api-key' }),
      /CODEC_ALLOWED_HOSTS/,
      'a published endpoint names the hosts it answers to',
    );
    const published = loadConfig({ CODEC_HOST: '0.0.0.0', CODEC_AUTH: 'api-key', CODEC_ALLOWED_HOSTS: 'ops.example' });
    assert.deepEqual(codecAllowedHosts(published), ['ops.example']);
  });
});
