// Shop settings through the HTTP API (issue 15 item 2): defaults, a change audited with who and before/after, the
// If-Match precondition, shop scopes and roles, and the activity workflows read them with.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { DEFAULT_SHOP_SETTINGS } from '../../shopSettings/schema';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { startTestStack, type TestStack } from '../helpers/stack';

describe('shop settings through the HTTP API (dev server + PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  let shopA: string;
  let shopB: string;
  const keys: Record<'operator' | 'viewer' | 'operatorOfB', { id: string; key: string; name: string }> = {} as never;

  const settingsOf = (shopId: string, rest = '') => `/v1/shops/${shopId}/settings${rest}`;

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    shopA = uniqueId('shopA');
    shopB = uniqueId('shopB');
    for (const shopId of [shopA, shopB]) {
      const res = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: shopId });
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }
    for (const [slot, name, role, shopIds] of [
      ['operator', 'settings-operator', 'operator', undefined],
      ['viewer', 'settings-viewer', 'viewer', undefined],
      ['operatorOfB', 'operator-of-b', 'operator', [shopB]],
    ] as const) {
      const res = await stack.call('POST', '/v1/api-keys', { name, role, shopIds });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      keys[slot] = { id: res.json.id, key: res.json.key, name };
    }
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('a shop that never changed its settings gets the defaults, version 0', async () => {
    const res = await stack.call('GET', settingsOf(shopA), undefined, keys.viewer.key);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      shopId: shopA,
      version: 0,
      settings: DEFAULT_SHOP_SETTINGS,
      updatedAt: null,
      updatedBy: null,
    });
    assert.equal(res.headers.get('etag'), '"0"');
    const changes = await stack.call('GET', settingsOf(shopA, '/changes'), undefined, keys.viewer.key);
    assert.deepEqual(changes.json, { shopId: shopA, changes: [] });
  });

  test('a change is merged into the settings, audited with who and before/after, and read by the activity', async () => {
    const patch = {
      returns: {
        autoApprove: {
          enabled: true,
          maxRefund: { amount: '25.00' },
          reasons: ['ecom_order_delivered_refund_and_return_reason_damaged_product'],
        },
      },
    };
    const res = await stack.call('PATCH', settingsOf(shopA), patch, keys.operator.key);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.version, 1);
    assert.equal(res.json.updatedBy, 'settings-operator');
    assert.equal(res.headers.get('etag'), '"1"');
    assert.deepEqual(res.json.settings.returns.autoApprove, {
      enabled: true,
      maxRefund: { amount: '25.00', currency: 'USD' },
      reasons: ['ecom_order_delivered_refund_and_return_reason_damaged_product'],
      types: ['REFUND'],
    });
    assert.deepEqual(res.json.settings.returns.escalations, DEFAULT_SHOP_SETTINGS.returns.escalations);

    const changes = await stack.call('GET', settingsOf(shopA, '/changes'), undefined, keys.viewer.key);
    assert.equal(changes.status, 200);
    assert.equal(changes.json.changes.length, 1);
    const [change] = changes.json.changes;
    assert.equal(change.version, 1);
    assert.equal(change.changedBy, 'settings-operator');
    assert.equal(change.changedByKeyId, keys.operator.id);
    assert.deepEqual(change.changed, [
      'returns.autoApprove.enabled',
      'returns.autoApprove.maxRefund.amount',
      'returns.autoApprove.reasons',
    ]);
    assert.deepEqual(change.before, DEFAULT_SHOP_SETTINGS);
    assert.deepEqual(change.after, res.json.settings);

    // What workflows get: the registered activity, on the worker's real dependencies.
    const activities = createActivities(stack.deps);
    assert.deepEqual(await activities.readShopSettings({ shopId: shopA }), res.json.settings);
    assert.deepEqual(await activities.readShopSettings({ shopId: shopB }), DEFAULT_SHOP_SETTINGS);

    // Lists are replaced, not merged; a PATCH that changes nothing writes no version.
    const escalations = [{ beforeDeadline: '2h', severity: 'critical' }];
    const replaced = await stack.call('PATCH', settingsOf(shopA), { returns: { escalations } }, keys.operator.key);
    assert.equal(replaced.json.version, 2);
    assert.deepEqual(replaced.json.settings.returns.escalations, escalations);
    const same = await stack.call('PATCH', settingsOf(shopA), { returns: { escalations } }, keys.operator.key);
    assert.equal(same.status, 200);
    assert.equal(same.json.version, 2);
    const rows = await stack.database.db('shop_settings_changes').where({ shop_id: shopA }).orderBy('version');
    assert.deepEqual(
      rows.map((r: { version: number; changed_by: string }) => [r.version, r.changed_by]),
      [
        [1, 'settings-operator'],
        [2, 'settings-operator'],
      ],
    );
    const newest = await stack.call('GET', settingsOf(shopA, '/changes?limit=1'), undefined, keys.viewer.key);
    assert.deepEqual(
      newest.json.changes.map((c: { version: number }) => c.version),
      [2],
    );
    const older = await stack.call('GET', settingsOf(shopA, '/changes?before=2'), undefined, keys.viewer.key);
    assert.deepEqual(
      older.json.changes.map((c: { version: number }) => c.version),
      [1],
    );
  });

  test('If-Match: a change made on an older version is refused (412) and writes nothing', async () => {
    const shop = uniqueId('shopIfMatch');
    assert.equal((await stack.call('POST', '/v1/shops', { shopId: shop, region: 'US', displayName: 'x' })).status, 201);
    const patch = (body: unknown, ifMatch?: string) =>
      stack.call('PATCH', settingsOf(shop), body, keys.operator.key, ifMatch ? { 'if-match': ifMatch } : {});
    assert.equal((await patch({ paging: { warning: ['first'] } }, '"0"')).status, 200);
    const stale = await patch({ paging: { warning: ['stale'] } }, '"0"');
    assert.equal(stale.status, 412);
    assert.equal(stale.json.error.code, 'precondition_failed');
    assert.match(stale.json.error.message, /version 1, not 0/);
    const read = await stack.call('GET', settingsOf(shop), undefined, keys.viewer.key);
    assert.deepEqual(read.json.settings.paging.warning, ['first']);
    assert.equal((await patch({ paging: { warning: ['second'] } }, '1')).status, 200);
    assert.equal((await patch({ paging: { warning: ['x'] } }, 'version-two')).status, 400);

    // Two writers on the same version at once: one wins, the other is told to read again.
    const raced = await Promise.all([
      patch({ paging: { warning: ['racer-1'] } }, '"2"'),
      patch({ paging: { warning: ['racer-2'] } }, '"2"'),
    ]);
    assert.deepEqual(raced.map((r) => r.status).sort(), [200, 412]);
    const changes = await stack.call('GET', settingsOf(shop, '/changes'), undefined, keys.viewer.key);
    assert.deepEqual(
      changes.json.changes.map((c: { version: number }) => c.version),
      [3, 2, 1],
    );
  });

  test('invalid settings are 400 with the issue at the setting, and nothing is written', async () => {
    const res = await stack.call(
      'PATCH',
      settingsOf(shopB),
      { returns: { criticalBeforeDeadline: '0s', autoApprove: { maxRefund: { amount: '10.999' } } } },
      keys.operator.key,
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.error.issues.map((i: { path: string[] }) => i.path.join('.')).sort(), [
      'returns.autoApprove.maxRefund.amount',
      'returns.criticalBeforeDeadline',
    ]);
    const notAnObject = await stack.call('PATCH', settingsOf(shopB), [1, 2], keys.operator.key);
    assert.equal(notAnObject.status, 400);
    const read = await stack.call('GET', settingsOf(shopB), undefined, keys.viewer.key);
    assert.equal(read.json.version, 0);
    const rows = await stack.database.db('shop_settings_changes').where({ shop_id: shopB });
    assert.equal(rows.length, 0);
  });

  test("a key scoped to another shop gets 404 for this shop's settings; a viewer cannot change them", async () => {
    for (const [method, path, body] of [
      ['GET', settingsOf(shopA), undefined],
      ['PATCH', settingsOf(shopA), { paging: { warning: ['intruder'] } }],
      ['GET', settingsOf(shopA, '/changes'), undefined],
    ] as const) {
      const res = await stack.call(method, path, body, keys.operatorOfB.key);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.match(res.json.error.message, /for this API key/);
    }
    // The same key reads and changes its own shop.
    const own = await stack.call('PATCH', settingsOf(shopB), { paging: { warning: ['b-team'] } }, keys.operatorOfB.key);
    assert.equal(own.status, 200);
    assert.equal(own.json.updatedBy, 'operator-of-b');

    const viewer = await stack.call('PATCH', settingsOf(shopA), { paging: { warning: ['v'] } }, keys.viewer.key);
    assert.equal(viewer.status, 403);
    const read = await stack.call('GET', settingsOf(shopA), undefined, keys.viewer.key);
    assert.ok(!read.json.settings.paging.warning.includes('intruder'));
    assert.ok(!read.json.settings.paging.warning.includes('v'));

    const unknown = uniqueId('shopUnknown');
    const missing = await stack.call('GET', settingsOf(unknown), undefined, keys.operator.key);
    assert.equal(missing.status, 404);
    assert.match(missing.json.error.message, /not registered/);
    assert.equal((await stack.call('PATCH', settingsOf(unknown), {}, keys.operator.key)).status, 404);
  });
});
