import { proxyActivities } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orderAcknowledgment';
import type { OrderInventoryActivities } from '../../activities/orderInventory';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../../temporal/failureTypes';
import { ORDER_NOT_FOUND, UNKNOWN_CARRIER } from './types';

/**
 * The order activities. TikTok's permanent failures stop retrying; ShopAuthorizationPaused (revoked consent) and
 * transient failures retry until the seller authorizes again or TikTok answers.
 */
export const orderActivities = proxyActivities<OrderActivities & OrderInventoryActivities>({
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED, UNKNOWN_CARRIER, ORDER_NOT_FOUND],
  },
});
