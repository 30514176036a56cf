import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { ReturnRequestActivities } from '../../activities/returnRequest';
import { NON_RETRYABLE_TIKTOK_FAILURES, RETURN_NOT_FOUND, SHOP_NOT_CONNECTED } from '../shared/failureTypes';
import type { ShopSettingsActivities } from '../../activities/shopSettings';
import type { StoredFileActivities } from '../../activities/storedFiles';
import type { ShopSettings } from '../../shopSettings/schema';

/** The shop's settings as the return workflow reads them (shopSettings/schema.ts). */
export type ReturnSettings = ShopSettings;

/**
 * The return's activities. TikTok's permanent failures (a refused decision: 25001044, invalid status) stop retrying
 * and reach the workflow, which reads the return back; transient ones retry.
 */
const RETURN_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [
      ...NON_RETRYABLE_TIKTOK_FAILURES,
      SHOP_NOT_CONNECTED,
      RETURN_NOT_FOUND,
      'FileNotFound',
      'NotAnImage',
    ],
  },
};

export const returnActivities = proxyActivities<
  ReturnRequestActivities & ShopSettingsActivities & StoredFileActivities
>(RETURN_ACTIVITY_OPTIONS);
