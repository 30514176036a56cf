import { proxyActivities } from '@temporalio/workflow';
import type { createShopConnectionActivities } from '../../activities/shopConnection';
import { NON_RETRYABLE_TIKTOK_FAILURES, UNSUPPORTED_REGION } from '../shared/failureTypes';
import type { ShopConnectionInput, ShopConnectionResult } from './messages';

const activities = proxyActivities<ReturnType<typeof createShopConnectionActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, UNSUPPORTED_REGION] },
});

/**
 * A seller authorized the app (OAuth callback): exchange the code, learn the seller's shops and their ciphers,
 * register each shop (starting or updating its shopLifecycle) and subscribe it to our webhooks.
 */
export async function shopConnection(input: ShopConnectionInput): Promise<ShopConnectionResult> {
  const { openId, sellerName } = await activities.exchangeAuthCode(input.code);
  const shops = await activities.fetchAuthorizedShops(openId);
  const at = new Date().toISOString();
  const connected: ShopConnectionResult['shops'] = [];
  for (const shop of shops.filter((s) => s.supported)) {
    await activities.registerConnectedShop(shop, at);
    connected.push({ ...shop, webhooks: await activities.subscribeShopWebhooks(shop.shopId) });
  }
  return {
    sellerName,
    shops: [...connected, ...shops.filter((s) => !s.supported).map((s) => ({ ...s, webhooks: [] }))],
  };
}
