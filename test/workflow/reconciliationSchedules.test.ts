// The shop's reconciliation Schedules against a settings change racing their creation (dev server, PostgreSQL): the
// PATCH commits while ensureReconciliationSchedules runs, its hook finds no Schedule yet, and the Schedule must still
// end at the new interval. CI once lost this race (the returns bench's shop reconciled every 15 minutes instead of
// every second).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client, ScheduleOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createReconciliationActivities } from '../../activities/reconciliation';
import { createShopRepository } from '../../db/shops';
import { createShopSettingsRepository } from '../../db/shopSettings';
import { effectiveShopSettings, mergeShopSettings } from '../../shopSettings/schema';
import {
  applyReconciliationSettings,
  describeReconciliationSchedule,
  reconciliationScheduleId,
  RECONCILIATION_KINDS,
} from '../../temporal/reconciliation';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { devServerEnv, encryptedClient, testConfig, uniqueId } from '../helpers/temporal';

describe('reconciliation Schedules: a settings change during their creation is not lost', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let client: Client;
  const cfg = testConfig();
  const shopIds: string[] = [];

  before(async () => {
    database = await testDatabase();
    env = await devServerEnv();
    client = encryptedClient(env, cfg);
  });
  after(async () => {
    for (const shopId of shopIds) {
      for (const kind of RECONCILIATION_KINDS) {
        await client.schedule
          .getHandle(reconciliationScheduleId(kind, shopId))
          .delete()
          .catch(() => undefined);
      }
    }
    await env?.teardown();
    await database?.drop();
  });

  /** What PATCH /v1/shops/:shopId/settings does: commit, then its hook. */
  const patchReturnsEvery = async (shopId: string, returnsEvery: string): Promise<boolean> => {
    const result = await createShopSettingsRepository(database.db).update(shopId, {
      author: { name: 'test', keyId: null },
      next: (stored) => {
        const before = effectiveShopSettings(stored?.settings);
        return { before, after: mergeShopSettings(before, { reconciliation: { returnsEvery } }) };
      },
    });
    assert.equal(result.outcome, 'updated');
    const stored = result.outcome === 'updated' ? result.stored : undefined;
    return applyReconciliationSettings({ temporal: client }, shopId, effectiveShopSettings(stored?.settings));
  };

  test('the change committed between the read of the setting and the Schedule creation wins', async () => {
    const shopId = uniqueId('race');
    shopIds.push(shopId);
    await createShopRepository(database.db).record({ shopId, region: 'US', displayName: 'Race', workflowId: 'x' });

    // The activity has read the default (15m); before its create reaches the server, the PATCH commits and its hook
    // looks for the Schedule.
    const create = client.schedule.create.bind(client.schedule);
    let hookFoundSchedule: boolean | undefined;
    client.schedule.create = async (options: ScheduleOptions) => {
      if (options.scheduleId === reconciliationScheduleId('returns', shopId) && hookFoundSchedule === undefined) {
        hookFoundSchedule = await patchReturnsEvery(shopId, '1s');
      }
      return create(options);
    };
    try {
      await createReconciliationActivities({ cfg, db: database.db, temporal: client }).ensureReconciliationSchedules(
        shopId,
      );
    } finally {
      client.schedule.create = create;
    }

    assert.equal(hookFoundSchedule, false, 'the race happened: the hook ran before the Schedule existed');
    const returns = await describeReconciliationSchedule({ temporal: client }, 'returns', shopId);
    assert.deepEqual(returns?.intervals, [{ everyMs: 1000, offsetMs: 0 }], 'the setting committed meanwhile');
    const orders = await describeReconciliationSchedule({ temporal: client }, 'orders', shopId);
    assert.deepEqual(orders?.intervals, [
      { everyMs: msToNumber(cfg.ORDER_RECONCILE_INTERVAL as Duration), offsetMs: 0 },
    ]);
  });
});
