import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createInventoryActivities } from '../../activities/inventory';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../../temporal/failureTypes';

const retry = { nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED] };
export const { loadInventorySnapshot } = proxyActivities<ReturnType<typeof createInventoryActivities>>({
  startToCloseTimeout: '20 seconds',
  retry,
});
// The snapshot is one PostgreSQL read: a local activity (a marker in the workflow task) instead of an activity task
// the server must schedule and dispatch on every round. Patched: earlier histories replay as they ran.
export const LOCAL_SNAPSHOT_PATCH = 'inventory-local-snapshot';
export const localSnapshot = proxyLocalActivities<ReturnType<typeof createInventoryActivities>>({
  startToCloseTimeout: '20 seconds',
  localRetryThreshold: '10 seconds',
  retry,
}).loadInventorySnapshot;
// Push and read-back as one activity (its own confirmation loop): a third of the server's work per push. Patched.
export const PUSH_AND_CONFIRM_PATCH = 'inventory-push-and-confirm';
export const { pushAndConfirmInventory } = proxyActivities<ReturnType<typeof createInventoryActivities>>({
  // Push (15 s at most in the rate budget) plus CONFIRM_ATTEMPTS read-backs a second apart.
  startToCloseTimeout: '45 seconds',
  heartbeatTimeout: '20 seconds',
  retry: { ...retry, initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
export const { pushInventory, confirmInventory, setProductListing, readProductListing } = proxyActivities<
  ReturnType<typeof createInventoryActivities>
>({
  // Out-of-stock pushes must be confirmed within 60 s: short attempts, fast retries.
  startToCloseTimeout: '15 seconds',
  retry: { ...retry, initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
