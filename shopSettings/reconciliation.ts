import type { Duration } from '@temporalio/common';
import type { AppConfig } from '../config';
import type { Db } from '../db/knex';
import type { ReconciliationKind } from '../db/reconciliation';
import { createShopSettingsRepository } from '../db/shopSettings';
import { effectiveShopSettings } from './schema';

/**
 * The interval of a shop's reconciliation Schedule of `kind`: orders at the deployment's ORDER_RECONCILE_INTERVAL,
 * returns at the shop's own `reconciliation.returnsEvery` setting (a demo shop compresses it).
 */
export async function reconciliationInterval(
  deps: { db: Db; cfg: Pick<AppConfig, 'ORDER_RECONCILE_INTERVAL'> },
  kind: ReconciliationKind,
  shopId: string,
): Promise<Duration> {
  if (kind === 'orders') return deps.cfg.ORDER_RECONCILE_INTERVAL as Duration;
  const stored = await createShopSettingsRepository(deps.db).get(shopId);
  return effectiveShopSettings(stored?.settings).reconciliation.returnsEvery as Duration;
}
