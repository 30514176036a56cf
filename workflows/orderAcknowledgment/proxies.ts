import {
  ActivityFailure,
  proxyActivities,
  proxyLocalActivities,
  TimeoutFailure,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { OrderActivities, OrderInventoryActivities } from '../../activities/orderAcknowledgment';
import type { Duration } from '@temporalio/common';
import {
  NON_RETRYABLE_TIKTOK_FAILURES,
  ORDER_NOT_FOUND,
  SHOP_NOT_CONNECTED,
  UNKNOWN_CARRIER,
} from '../shared/failureTypes';
import { URGENT } from '../shared/taskPriority';

/**
 * The order activities. TikTok's permanent failures stop retrying; ShopAuthorizationPaused (revoked consent) and
 * transient failures retry until the seller authorizes again or TikTok answers.
 */
export const ORDER_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  // A worker that dies mid-activity stops heartbeating (activities/index.ts wraps these activities with liveness
  // heartbeats every 5 s): the server retries the activity elsewhere after 20 s instead of waiting out the 5 minutes.
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED, UNKNOWN_CARRIER, ORDER_NOT_FOUND],
  },
};
const options = ORDER_ACTIVITY_OPTIONS;
export const orderActivities = proxyActivities<OrderActivities & OrderInventoryActivities>(options);

/** The same activities with a task priority (workflows/shared/taskPriority.ts); without one, the default. */
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

/** How long the order's urgent TikTok calls stay local activities before they continue as normal activities. */
export const URGENT_LOCAL_SCHEDULE_TO_CLOSE = '5 minutes';

/**
 * The order's two latency-critical TikTok steps as local activities, the only TikTok calls that are: the first read
 * of a new order (its clocks, and the units to hold on the inventory feed from its first sight) and the hand-off
 * (readAndHandOff: Get Order Detail, outbox row, WMS, external reference). A local activity starts in the workflow
 * task that decides it, with no activity task to schedule, dispatch and complete: a task-queue round trip and a
 * workflow task fewer each. Their wait in the rate budget is short (urgentBudgetDeadline); a failure retries here for
 * 10 s, then on server timers, with TikTok's permanent failures not retried, for URGENT_LOCAL_SCHEDULE_TO_CLOSE (Core
 * notices it when the backoff in progress ends: measured, a 3 s limit ended at 31 s, after backoffs of 1, 2, 4, 8, 16 s);
 * then the call continues as a normal activity with the same urgent priority (test/workflow/urgentLocalTimeout.test.ts).
 */
export function urgentLocalActivities(
  scheduleToCloseTimeout: Duration = URGENT_LOCAL_SCHEDULE_TO_CLOSE,
): Pick<OrderActivities, 'readOrder' | 'readAndHandOff'> {
  const local = proxyLocalActivities<OrderActivities>({
    startToCloseTimeout: '1 minute',
    // Bounds the local attempts (the first 10 s in the workflow task, then on server timers): a TikTok or WMS outage
    // must not keep the call a local activity forever, whose attempts no worker but this one can pick up and nothing
    // outside the history shows. After it, the call goes on as a normal activity.
    scheduleToCloseTimeout,
    localRetryThreshold: '10 seconds',
    retry: options.retry,
  });
  return {
    readOrder: (...args) =>
      localThenRemote(
        () => local.readOrder(...args),
        () => urgentRemote.readOrder(...args),
      ),
    readAndHandOff: (...args) =>
      localThenRemote(
        () => local.readAndHandOff(...args),
        () => urgentRemote.readAndHandOff(...args),
      ),
  };
}
const urgentRemote = proxyActivities<OrderActivities>({ ...options, priority: URGENT });

/** The local call; when its schedule-to-close runs out, the same call as a normal (urgent) activity. */
async function localThenRemote<T>(local: () => Promise<T>, remote: () => Promise<T>): Promise<T> {
  try {
    return await local();
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) return remote();
    throw err;
  }
}

export const orderUrgentLocal = urgentLocalActivities();
