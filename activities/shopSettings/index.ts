import type { Db } from '../../db/knex';
import { createShopSettingsRepository } from '../../db/shopSettings';
import { effectiveShopSettings, type ShopSettings } from '../../shopSettings/schema';

/**
 * Shop settings for workflows: shared by every human-in-the-loop process (returns now; appeals, audits later), so
 * this folder belongs to no single workflow type. A workflow reads them when a case starts and passes them on; a
 * change made while a case runs applies to the cases that start after it.
 */
export function createShopSettingsActivities(deps: { db: Db }) {
  const settings = createShopSettingsRepository(deps.db);
  return {
    /** The shop's effective settings: its saved settings over the defaults (the defaults when it saved none). */
    async readShopSettings(input: { shopId: string }): Promise<ShopSettings> {
      const stored = await settings.get(input.shopId);
      return effectiveShopSettings(stored?.settings);
    },
  };
}

export type ShopSettingsActivities = ReturnType<typeof createShopSettingsActivities>;
