// The seller's sales-tax registrations through the HTTP API (issue 20 item 2): create, replace, read, list, remove;
// validation (state, frequency, date); roles and shop scope; the date kept as the calendar date that was sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { startTestStack, type TestStack } from '../helpers/stack';

describe('tax registrations through the HTTP API (dev server + PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  let shopA: string;
  let shopB: string;
  const keys: Record<'operator' | 'viewer' | 'operatorOfB', string> = {} as never;
  const regs = (shopId: string, state = '') => `/v1/shops/${shopId}/tax/registrations${state ? `/${state}` : ''}`;

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    shopA = uniqueId('taxA');
    shopB = uniqueId('taxB');
    for (const shopId of [shopA, shopB]) {
      const res = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: shopId });
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }
    for (const [slot, role, shopIds] of [
      ['operator', 'operator', undefined],
      ['viewer', 'viewer', undefined],
      ['operatorOfB', 'operator', [shopB]],
    ] as const) {
      const res = await stack.call('POST', '/v1/api-keys', { name: `tax-${slot}`, role, shopIds });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      keys[slot] = res.json.key;
    }
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('PUT creates (201) then replaces (200); GET reads one and the list; DELETE removes (204, then 404)', async () => {
    const body = { permitNumber: '32012345678', filingFrequency: 'monthly', startDate: '2026-03-01' };
    const created = await stack.call('PUT', regs(shopA, 'tx'), body, keys.operator);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.state, 'TX');
    assert.equal(created.json.startDate, '2026-03-01');
    assert.equal(created.json.permitNumber, '32012345678');
    assert.match(created.json.updatedBy, /^tax-operator \(key /);
    const replaced = await stack.call(
      'PUT',
      regs(shopA, 'TX'),
      { ...body, filingFrequency: 'quarterly' },
      keys.operator,
    );
    assert.equal(replaced.status, 200);
    assert.equal(replaced.json.filingFrequency, 'quarterly');
    await stack.call('PUT', regs(shopA, 'CA'), { ...body, startDate: '2025-12-31' }, keys.operator);

    const one = await stack.call('GET', regs(shopA, 'TX'), undefined, keys.viewer);
    assert.equal(one.status, 200);
    assert.equal(one.json.filingFrequency, 'quarterly');
    const list = await stack.call('GET', regs(shopA), undefined, keys.viewer);
    assert.deepEqual(
      list.json.registrations.map((r: { state: string; startDate: string }) => [r.state, r.startDate]),
      [
        ['CA', '2025-12-31'],
        ['TX', '2026-03-01'],
      ],
    );

    assert.equal((await stack.call('DELETE', regs(shopA, 'TX'), undefined, keys.operator)).status, 204);
    assert.equal((await stack.call('DELETE', regs(shopA, 'TX'), undefined, keys.operator)).status, 404);
    assert.equal((await stack.call('GET', regs(shopA, 'TX'), undefined, keys.viewer)).status, 404);
  });

  test('a state without a sales tax, an unknown frequency or a bad date is a 400', async () => {
    const ok = { permitNumber: 'P-1', filingFrequency: 'monthly', startDate: '2026-03-01' };
    assert.equal((await stack.call('PUT', regs(shopA, 'OR'), ok, keys.operator)).status, 400);
    assert.equal(
      (await stack.call('PUT', regs(shopA, 'NY'), { ...ok, filingFrequency: 'weekly' }, keys.operator)).status,
      400,
    );
    assert.equal(
      (await stack.call('PUT', regs(shopA, 'NY'), { ...ok, startDate: '2026-02-30' }, keys.operator)).status,
      400,
    );
    assert.equal((await stack.call('PUT', regs(shopA, 'NY'), { ...ok, extra: 1 }, keys.operator)).status, 400);
  });

  test('a viewer cannot change; a key of shop B neither sees nor changes shop A', async () => {
    const body = { permitNumber: 'P-2', filingFrequency: 'annual', startDate: '2026-01-01' };
    assert.equal((await stack.call('PUT', regs(shopA, 'WA'), body, keys.viewer)).status, 403);
    assert.equal((await stack.call('GET', regs(shopA), undefined, keys.operatorOfB)).status, 404);
    assert.equal((await stack.call('PUT', regs(shopA, 'WA'), body, keys.operatorOfB)).status, 404);
    assert.equal((await stack.call('PUT', regs(shopB, 'WA'), body, keys.operatorOfB)).status, 201);
  });
});
