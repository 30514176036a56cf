import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { AppConfig } from '../../config';
import type { TikTokSettings } from '../../config/tiktok';
import type { TikTokAuth } from '../../integrations/tiktok/auth';
import { getAuthorizedShops } from '../../integrations/tiktok/authorization';
import type { TikTokClient } from '../../integrations/tiktok/client';
import { webhookEventTypeSchema } from '../../integrations/tiktok/events';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { SUPPORTED_REGIONS } from '../../policy';
import { registerShop } from '../../temporal/shopRegistration';
import { UNSUPPORTED_REGION } from '../../workflows/shared/failureTypes';
import { authorizationChangedSignal } from '../../workflows/shopLifecycle/messages';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

export interface ConnectedShop {
  shopId: string;
  region: string;
  name: string;
  supported: boolean;
}

export function createShopConnectionActivities(deps: {
  cfg: AppConfig;
  temporal: Client;
  tiktok: { client: TikTokClient; auth: TikTokAuth; settings: TikTokSettings };
  tokens: TokenStore;
}) {
  return {
    /** Spends the single-use auth code and stores the tokens in the same step, so a retry never needs the code. */
    async exchangeAuthCode(code: string): Promise<{ openId: string; sellerName: string | null }> {
      const grant = await deps.tiktok.auth.exchangeAuthCode(code);
      const openId = await deps.tokens.saveGrant(grant);
      return { openId, sellerName: grant.sellerName };
    },

    /** Get Authorized Shops (ref §3.3, docs/tiktok-shop-api-sources.md): learns each shop's cipher and stores it. */
    async fetchAuthorizedShops(openId: string): Promise<ConnectedShop[]> {
      const accessToken = await deps.tokens.accessTokenForSeller(openId);
      const shops = await getAuthorizedShops(deps.tiktok.client, { accessToken });
      await deps.tokens.saveShops(openId, shops);
      return shops.map((s) => ({
        shopId: s.shopId,
        region: s.region ?? '',
        name: s.name ?? s.code ?? s.shopId,
        supported: (SUPPORTED_REGIONS as readonly string[]).includes(s.region ?? ''),
      }));
    },

    /** The same path as POST /v1/shops, then tells the shop's workflow it is authorized (again). */
    async registerConnectedShop(shop: ConnectedShop, at: string): Promise<void> {
      if (!shop.supported) {
        throw ApplicationFailure.nonRetryable(
          `shop ${shop.shopId} is in unsupported region ${shop.region}`,
          UNSUPPORTED_REGION,
        );
      }
      const handle = await registerShop(deps, { shopId: shop.shopId, region: shop.region, displayName: shop.name });
      await handle.signal(authorizationChangedSignal, {
        status: 'authorized',
        reason: 'seller authorized the app',
        at,
      });
    },

    /** Event API: points every subscribed event type of the shop at our webhook receiver. */
    async subscribeShopWebhooks(shopId: string): Promise<string[]> {
      const shop = await deps.tokens.shopRef(shopId);
      const address = `${deps.tiktok.settings.publicBaseUrl}/webhooks/tiktok`;
      const types = deps.cfg.TIKTOK_WEBHOOK_EVENTS.split(',').map((t) => webhookEventTypeSchema.parse(t.trim()));
      for (const eventType of types) {
        await callEndpoint(deps.tiktok.client, endpoints.updateShopWebhook, shop, { address, event_type: eventType });
      }
      return types;
    },
  };
}
