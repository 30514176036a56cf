// The return reconciliation's Schedule on the dev server, with the in-process TikTok emulator: connecting the shop
// creates `reconcile-returns:<shopId>` at the shop's `reconciliation.returnsEvery` setting, a change of that setting
// changes the Schedule at once (no restart), the routes are shop-scoped, and the Schedule pauses with the shop's
// authorization. What a run recovers: returnReconciliationRecovery.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { describeReconciliationSchedule } from '../../temporal/reconciliation';
import { orderReconciliationScheduleId, returnReconciliationScheduleId, shopWorkflowId } from '../../workflows/ids';
import { authorizationChangedSignal } from '../../workflows/shopLifecycle/messages';
import { startEmulatorStack, type EmulatorStack } from '../helpers/emulatorStack';
import type { TestStack } from '../helpers/stack';
import { devServerEnv } from '../helpers/temporal';
import { until } from '../helpers/until';

const APP_KEY = 'return_recon_app_key';
const APP_SECRET = 'return_recon_app_secret_0123456789ab';

describe("return reconciliation: a Schedule per shop at the shop's own interval", () => {
  let env: TestWorkflowEnvironment;
  let world: EmulatorStack;
  let stack: TestStack;
  let shopId: string;

  const schedule = () => describeReconciliationSchedule({ temporal: stack.client }, 'returns', shopId);
  const patchSettings = async (patch: unknown) => {
    const r = await stack.call('PATCH', `/v1/shops/${shopId}/settings`, patch);
    assert.equal(r.status, 200, JSON.stringify(r.json));
  };

  before(async () => {
    env = await devServerEnv();
    world = await startEmulatorStack(env, {
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      shopName: 'Return Recon Beauty',
      sellerName: 'Return Recon',
      products: ([warehouse]) => [
        {
          title: 'Toner',
          skus: [{ seller_sku: 'TONER-1', price: '12.00', inventory: [{ warehouse_id: warehouse, quantity: 50 }] }],
        },
      ],
      // Long enough that only the test's triggers run the orders' schedule.
      env: { ORDER_RECONCILE_INTERVAL: '1h' },
    });
    ({ stack, shopId } = world);
    await world.connect();
  });

  after(async () => {
    for (const id of [returnReconciliationScheduleId(shopId), orderReconciliationScheduleId(shopId)]) {
      await stack?.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    }
    await world?.stop();
    await env?.teardown();
  });

  test("connecting the shop creates its schedule at the setting's default; changing the setting changes it", async () => {
    const created = await until('the schedule', schedule);
    assert.equal(created.scheduleId, `reconcile-returns:${shopId}`);
    assert.equal(created.paused, false);
    assert.deepEqual(created.intervals, [{ everyMs: 15 * 60_000, offsetMs: 0 }], 'reconciliation.returnsEvery: 15m');
    assert.equal(created.overlap, 'SKIP');
    await patchSettings({ reconciliation: { returnsEvery: '24h' } });
    const changed = await schedule();
    assert.deepEqual(changed?.intervals, [{ everyMs: 86_400_000, offsetMs: 0 }], 'the new setting, without a restart');
    assert.equal(changed?.paused, false);

    const viewer = await stack.call('POST', '/v1/api-keys', { name: 'return-recon-viewer', role: 'viewer' });
    const seen = await stack.call('GET', `/v1/shops/${shopId}/returns/reconciliation`, undefined, viewer.json.key);
    assert.equal(seen.status, 200);
    assert.equal(seen.json.kind, 'returns');
    assert.equal(seen.json.schedule.scheduleId, created.scheduleId);
    assert.deepEqual(seen.json.schedule.intervals, [{ everyMs: 86_400_000, offsetMs: 0 }]);
    assert.deepEqual(seen.json.runs, []);
    const refused = await stack.call('POST', `/v1/shops/${shopId}/returns/reconciliation/trigger`, {}, viewer.json.key);
    assert.equal(refused.status, 403, 'triggering is for operators');
    const other = await stack.call('POST', '/v1/api-keys', { name: 'other-shop', role: 'operator', shopIds: ['9'] });
    const hidden = await stack.call('GET', `/v1/shops/${shopId}/returns/reconciliation`, undefined, other.json.key);
    assert.equal(hidden.status, 404, "another shop's key does not see this shop");
  });

  test("the schedule pauses with the shop's authorization; a setting changed meanwhile applies, paused", async () => {
    const shop = stack.client.workflow.getHandle(shopWorkflowId(shopId));
    await shop.signal(authorizationChangedSignal, {
      status: 'revoked',
      reason: 'test revoke',
      at: new Date().toISOString(),
    });
    const paused = await until('paused', async () => {
      const s = await schedule();
      return s?.paused ? s : undefined;
    });
    assert.match(paused.note ?? '', /authorization revoked: test revoke/);
    await patchSettings({ reconciliation: { returnsEvery: '12h' } });
    const changed = await schedule();
    assert.equal(changed?.paused, true, 'still paused');
    assert.deepEqual(changed?.intervals, [{ everyMs: 43_200_000, offsetMs: 0 }]);
    await shop.signal(authorizationChangedSignal, {
      status: 'authorized',
      reason: 'test',
      at: new Date().toISOString(),
    });
    const resumed = await until('resumed', async () => {
      const s = await schedule();
      return s?.paused === false ? s : undefined;
    });
    assert.deepEqual(resumed.intervals, [{ everyMs: 43_200_000, offsetMs: 0 }], 'the setting in force');
  });
});
