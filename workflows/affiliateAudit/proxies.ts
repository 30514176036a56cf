import { proxyActivities } from '@temporalio/workflow';
import type { AffiliateAuditActivities } from '../../activities/affiliateAudit';
import type { AffiliateSyncActivities } from '../../activities/affiliateSync';
import type { ShopSettingsActivities } from '../../activities/shopSettings';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';

const nonRetryableErrorTypes = [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED, 'ActionNotFound'];

/** SQL over a page of the period's rows, and the bookkeeping: seconds each, retried. */
export const auditActivities = proxyActivities<AffiliateAuditActivities & ShopSettingsActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes },
});

/**
 * An approved action on TikTok. A worker that dies between the call and the record is noticed within the heartbeat
 * timeout (activities/index.ts wraps these in liveness heartbeats) and the action is retried elsewhere: the activity
 * reads its own record and TikTok's state first, so the retry never acts twice.
 */
export const actionActivities = proxyActivities<Pick<AffiliateAuditActivities, 'applyAffiliateAction'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20, nonRetryableErrorTypes },
});

/** The affiliate data's sync (activities/affiliateSync/): pages through TikTok under the rate budget, counts back. */
export const syncActivities = proxyActivities<AffiliateSyncActivities>({
  startToCloseTimeout: '15 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes },
});
