import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/knex';
import { policy, SUPPORTED_REGIONS } from '../policy';
import { shopWorkflowId } from '../workflows/ids';

export function createShopActivities(deps: { db: Db }) {
  return {
    /** The policy values a shop's processes start from; read through an activity so history records them. */
    loadRegionPolicy(region: string): Promise<{ timezone: string; currency: string }> {
      if (!(SUPPORTED_REGIONS as readonly string[]).includes(region)) {
        throw ApplicationFailure.nonRetryable(`region ${region} is not supported`, 'UnsupportedRegion');
      }
      return Promise.resolve({
        timezone: policy<string>(region, 'region.timezone').value,
        currency: policy<string>(region, 'region.currency').value,
      });
    },

    async recordShop(shop: { shopId: string; region: string; displayName: string }): Promise<void> {
      await deps
        .db('shops')
        .insert({
          shop_id: shop.shopId,
          region: shop.region,
          display_name: shop.displayName,
          workflow_id: shopWorkflowId(shop.shopId),
        })
        .onConflict('shop_id')
        .merge({ region: shop.region, display_name: shop.displayName, updated_at: deps.db.fn.now() });
    },
  };
}
