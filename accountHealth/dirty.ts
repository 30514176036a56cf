import { createAccountHealthRepository } from '../db/accountHealth';
import type { Db } from '../db/knex';
import type { OnShopHealthDirty } from './model';

/**
 * Marks the shop's account health dirty and, only on its move from clean to dirty, calls the hook (the accountHealth
 * workflow's signal): a flash sale costs one signal per refresh, not one per order. A failed hook is reported through
 * `warn` and the mark undone, so the next event tries again; the caller's own step never fails for it.
 */
export async function markShopHealthDirty(
  db: Db,
  shopId: string,
  hook: OnShopHealthDirty | undefined,
  warn: (message: string, meta: Record<string, unknown>) => void,
): Promise<void> {
  const repo = createAccountHealthRepository(db);
  const now = new Date();
  if (!(await repo.markDirty(shopId, now)) || !hook) return;
  try {
    await hook(shopId);
  } catch (err) {
    await repo.clearDirty(shopId, now);
    warn('account health not signalled', { shopId, error: err instanceof Error ? err.message : String(err) });
  }
}
