import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { startTestStack, type TestStack } from '../helpers/stack';

describe('shops through the HTTP API (dev server + PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  let viewerKey: string;

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    const created = await stack.call('POST', '/v1/api-keys', { name: 'dashboard', role: 'viewer' });
    assert.equal(created.status, 201);
    viewerKey = created.json.key;
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('GET /healthz checks PostgreSQL and Temporal', async () => {
    const res = await stack.call('GET', '/healthz', undefined, null);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.checks, { postgres: { ok: true }, temporal: { ok: true } });
  });

  test('registration starts one shopLifecycle per shop and is idempotent', async () => {
    const shopId = uniqueId('shop');
    const body = { shopId, region: 'US', displayName: 'Acme Beauty' };
    const first = await stack.call('POST', '/v1/shops', body);
    assert.equal(first.status, 201);
    assert.equal(first.json.displayName, 'Acme Beauty');
    assert.equal(first.json.policy.timezone, 'America/Los_Angeles');
    const again = await stack.call('POST', '/v1/shops', body);
    assert.equal(again.status, 200);
    assert.equal(again.json.registeredAt, first.json.registeredAt);

    const runs = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "shop:${shopId}"` })) runs.push(wf);
    assert.equal(runs.length, 1, 'a second registration must not start a second workflow');

    const renamed = await stack.call('POST', '/v1/shops', { ...body, displayName: 'Acme Beauty US' });
    assert.equal(renamed.status, 200);
    const read = await stack.call('GET', `/v1/shops/${shopId}`, undefined, viewerKey);
    assert.equal(read.status, 200);
    assert.equal(read.json.displayName, 'Acme Beauty US');
    const list = await stack.call('GET', '/v1/shops', undefined, viewerKey);
    assert.ok(list.json.shops.some((s: { shopId: string }) => s.shopId === shopId));
  });

  test('unknown shop is 404', async () => {
    const res = await stack.call('GET', `/v1/shops/${uniqueId('missing')}`);
    assert.equal(res.status, 404);
    assert.equal(res.json.error.code, 'not_found');
  });

  test('an invalid body is 400 with the zod issue, and is kept in the dead-letter table', async () => {
    const raw = JSON.stringify({ shopId: 'has spaces', region: 'MARS' });
    const res = await stack.call('POST', '/v1/shops', raw);
    assert.equal(res.status, 400);
    const paths = res.json.error.issues.map((i: { path: string[] }) => i.path.join('.'));
    assert.deepEqual(paths.sort(), ['displayName', 'region', 'shopId']);
    const malformed = await stack.call('POST', '/v1/shops', '{"shopId": ');
    assert.equal(malformed.status, 400);
    const dead = await stack.database.db('dead_letters').orderBy('id');
    assert.deepEqual(
      dead.map((d: { raw_body: string }) => d.raw_body),
      [raw, '{"shopId": '],
    );
    const listed = await stack.call('GET', '/v1/dead-letters');
    assert.equal(listed.json.deadLetters.length, 2);
    assert.match(listed.json.deadLetters[0].source, /POST \/v1\/shops/);
  });

  test('no key is 401, a viewer may read but not register (403), a revoked key is 401', async () => {
    const body = { shopId: uniqueId('shop'), region: 'US', displayName: 'X' };
    assert.equal((await stack.call('POST', '/v1/shops', body, null)).status, 401);
    assert.equal((await stack.call('POST', '/v1/shops', body, 'tso_not-a-key')).status, 401);
    const forbidden = await stack.call('POST', '/v1/shops', body, viewerKey);
    assert.equal(forbidden.status, 403);
    assert.equal((await stack.call('GET', '/v1/api-keys', undefined, viewerKey)).status, 403);

    const op = await stack.call('POST', '/v1/api-keys', { name: 'ops', role: 'operator' });
    assert.equal((await stack.call('POST', '/v1/shops', body, op.json.key)).status, 201);
    assert.equal((await stack.call('DELETE', `/v1/api-keys/${op.json.id}`)).status, 200);
    assert.equal((await stack.call('GET', '/v1/shops', undefined, op.json.key)).status, 401);
    const keys = await stack.call('GET', '/v1/api-keys');
    assert.ok(keys.json.apiKeys.every((k: Record<string, unknown>) => !('key' in k) && !('keyHash' in k)));
  });

  test('stored history holds only encrypted payloads: the display name is absent', async () => {
    const shopId = uniqueId('shop');
    const secretName = `Plaintext Probe ${shopId}`;
    assert.equal(
      (await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: secretName })).status,
      201,
    );
    // Read the raw history with a client that has no codec.
    const history = await env.client.workflow.getHandle(`shop:${shopId}`).fetchHistory();
    const raw = JSON.stringify(history);
    assert.ok(!raw.includes(secretName), 'display name leaked into history');
    assert.ok(!raw.includes(Buffer.from(secretName).toString('base64').slice(0, 12)), 'display name leaked (base64)');
    const encodings = new Set<string>();
    const collect = (v: unknown): void => {
      if (v && typeof v === 'object') {
        const meta = (v as { metadata?: Record<string, Uint8Array> }).metadata;
        if (meta?.encoding && (v as { data?: unknown }).data !== undefined) {
          encodings.add(Buffer.from(meta.encoding).toString());
        }
        Object.values(v).forEach(collect);
      }
    };
    history.events?.forEach((e) => {
      collect(e.workflowExecutionStartedEventAttributes?.input);
      collect(e.workflowExecutionSignaledEventAttributes?.input);
      collect(e.activityTaskScheduledEventAttributes?.input);
      collect(e.activityTaskCompletedEventAttributes?.result);
    });
    assert.deepEqual([...encodings], ['binary/encrypted']);
  });
});
