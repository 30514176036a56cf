import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { InventoryFeedActivities } from '../../activities/inventoryFeed';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';
import { URGENT } from '../shared/taskPriority';

type InventoryActivities = InventoryFeedActivities;

const retry = { nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED] };
// The snapshot is one PostgreSQL read: a local activity (a marker in the workflow task) instead of an activity task
// the server must schedule and dispatch on every round.
export const localSnapshot = proxyLocalActivities<InventoryActivities>({
  startToCloseTimeout: '20 seconds',
  localRetryThreshold: '10 seconds',
  retry,
}).loadInventorySnapshot;
// Push and read-back as one activity (its own confirmation loop): a third of the server's work per push.
const pushAndConfirmOptions: ActivityOptions = {
  // Push (15 s at most in the rate budget) plus CONFIRM_ATTEMPTS read-backs a second apart.
  startToCloseTimeout: '45 seconds',
  heartbeatTimeout: '20 seconds',
  retry: { ...retry, initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};
const pushOptions: ActivityOptions = {
  // Out-of-stock pushes must be confirmed within 60 s: short attempts, fast retries.
  startToCloseTimeout: '15 seconds',
  retry: { ...retry, initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};
export const { pushAndConfirmInventory } = proxyActivities<InventoryActivities>(pushAndConfirmOptions);
export const { setProductListing, readProductListing } = proxyActivities<InventoryActivities>(pushOptions);
/** Stock-outs leave the task queue ahead of every other task (workflows/shared/taskPriority.ts). */
export const urgent = {
  pushAndConfirmInventory: proxyActivities<InventoryActivities>({ ...pushAndConfirmOptions, priority: URGENT })
    .pushAndConfirmInventory,
  setProductListing: proxyActivities<InventoryActivities>({ ...pushOptions, priority: URGENT }).setProductListing,
};
