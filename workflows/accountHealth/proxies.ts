import { proxyActivities } from '@temporalio/workflow';
import type { AccountHealthActivities } from '../../activities/accountHealth';

/**
 * The account-health activities: PostgreSQL reads and writes (and one Temporal signal), quick and idempotent. A
 * refresh that keeps failing is given up after a few attempts: the workflow tries again later by itself, so a broken
 * database never piles retries onto the refreshes it owes.
 */
export const accountHealthActivities = proxyActivities<AccountHealthActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});
