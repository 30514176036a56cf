import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orderAcknowledgment';
import type { OrderInventoryActivities } from '../../activities/orderInventory';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../../temporal/failureTypes';
import { ORDER_NOT_FOUND, UNKNOWN_CARRIER } from './types';

/**
 * The order activities. TikTok's permanent failures stop retrying; ShopAuthorizationPaused (revoked consent) and
 * transient failures retry until the seller authorizes again or TikTok answers.
 */
const options: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED, UNKNOWN_CARRIER, ORDER_NOT_FOUND],
  },
};
export const orderActivities = proxyActivities<OrderActivities & OrderInventoryActivities>(options);

/** The same activities with a task priority (temporal/taskPriority.ts); without one, the default. */
export function orderActivitiesWith(
  priority: Pick<ActivityOptions, 'priority' | 'allowEagerDispatch'> | undefined,
): typeof orderActivities {
  return priority
    ? proxyActivities<OrderActivities & OrderInventoryActivities>({ ...options, ...priority })
    : orderActivities;
}

/**
 * The same activities run as local activities: the short PostgreSQL-only steps (and the pure policy lookup). They
 * run in the workflow task that asks for them and are recorded as one marker, instead of an activity task the server
 * must schedule, dispatch and complete; the server is a flash sale's bottleneck. Anything that calls TikTok, the WMS
 * or a notification channel stays a normal activity (own retries, rate budget, heartbeats).
 */
export const orderLocalActivities = proxyLocalActivities<OrderActivities & OrderInventoryActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [SHOP_NOT_CONNECTED, ORDER_NOT_FOUND],
  },
});

/**
 * The order's two latency-critical TikTok steps as local activities, the only TikTok calls that are: the first read
 * of a new order (its clocks, and the units to hold on the inventory feed from its first sight) and the hand-off
 * (readAndHandOff: Get Order Detail, outbox row, WMS, external reference). A local activity starts in the workflow
 * task that decides it, with no activity task to schedule, dispatch and complete: a task-queue round trip and a
 * workflow task fewer each. Their wait in the rate budget is short (urgentBudgetDeadline); a failure retries here for
 * 10 s, then on server timers, with TikTok's permanent failures not retried.
 */
export const orderUrgentLocal = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '10 seconds',
  retry: options.retry,
});
