import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/knex';
import { createShopRepository } from '../../db/shops';
import type { AuthorizationLinks } from '../../integrations/tiktok/authorizationLinks';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import type { NotificationInput, Notifier } from '../../notifications/notifier';
import { policy, SUPPORTED_REGIONS } from '../../policy';
import { UNSUPPORTED_REGION } from '../../workflows/shared/failureTypes';
import { shopWorkflowId } from '../../workflows/ids';

/** The shopLifecycle workflow's activities: region policy, registration, authorization, re-authorization links. */
export function createShopActivities(deps: {
  db: Db;
  tokens: TokenStore;
  notifier: Notifier;
  authorizationLinks: AuthorizationLinks;
}) {
  const shops = createShopRepository(deps.db);
  return {
    /** The policy values a shop's processes start from; read through an activity so history records them. */
    loadRegionPolicy(region: string): Promise<{ timezone: string; currency: string }> {
      if (!(SUPPORTED_REGIONS as readonly string[]).includes(region)) {
        throw ApplicationFailure.nonRetryable(`region ${region} is not supported`, UNSUPPORTED_REGION);
      }
      return Promise.resolve({
        timezone: policy<string>(region, 'region.timezone').value,
        currency: policy<string>(region, 'region.currency').value,
      });
    },

    async recordShop(shop: { shopId: string; region: string; displayName: string }): Promise<void> {
      await shops.record({ ...shop, workflowId: shopWorkflowId(shop.shopId) });
    },

    /** Pauses (revoked) or resumes (authorized) every outbound TikTok call for the shop. */
    async applyShopAuthorization(shopId: string, status: 'authorized' | 'revoked', reason: string): Promise<void> {
      await deps.tokens.setShopAuthorization(shopId, status, reason);
    },

    async createAuthorizationLink(shopId: string): Promise<string> {
      return (await deps.authorizationLinks.create('reauthorize', shopId)).url;
    },

    async notify(input: NotificationInput): Promise<void> {
      await deps.notifier.notify(input);
    },
  };
}

export type ShopActivities = ReturnType<typeof createShopActivities>;
