import { proxyActivities } from '@temporalio/workflow';
import type { CategoryUngatingActivities } from '../../activities/categoryUngating';
import type { CategoryUngatingPlatformActivities } from '../../activities/categoryUngating/platform';
import type { ShopSettingsActivities } from '../../activities/shopSettings';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';

export const ungatingActivities = proxyActivities<
  CategoryUngatingActivities & CategoryUngatingPlatformActivities & ShopSettingsActivities
>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [
      ...NON_RETRYABLE_TIKTOK_FAILURES,
      SHOP_NOT_CONNECTED,
      'UnknownCategoryRequirement',
      'CertificateNotFound',
      'CertificationNotInCategory',
    ],
  },
});
