import { proxyActivities } from '@temporalio/workflow';
import type { MonthlyTaxReportActivities } from '../../activities/monthlyTaxReport';
import type { CommitSellerOwedInput, CommitSellerOwedResult } from '../../activities/taxCommit';
import type { TaxReportActivities } from '../../activities/taxReport';
import type { TaxDataActivities } from '../../activities/taxHistoryBackfill';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from '../shared/failureTypes';

interface TaxCommitActivities {
  commitSellerOwedTransactions(input: CommitSellerOwedInput): Promise<CommitSellerOwedResult>;
}

const nonRetryableErrorTypes = [
  'InvalidTaxPeriod',
  'TaxEngineNotConfigured',
  'TaxReportNotFound',
  'TaxReportAbandoned',
  'TaxReportNotApproved',
  'TaxReportStatus',
];

/**
 * Settings, the report (activities/taxReport/: each computeTaxReportStep call pages through the month's lines by
 * cursor with heartbeats and answers counts; called again until `done`), its staging and status: PostgreSQL, retried.
 */
export const reportActivities = proxyActivities<MonthlyTaxReportActivities & TaxReportActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes },
});

/**
 * The commit to the tax engine: each call commits up to a few thousand transactions in batches, heartbeating its
 * cursor, so a worker that dies is noticed within the heartbeat timeout and the retry resumes at its last batch
 * (activities/taxCommit/; the ledger and the engines' idempotency make a re-sent transaction a no-op).
 */
export const commitActivities = proxyActivities<TaxCommitActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes },
});

/**
 * The month's TikTok data (activities/taxData/): Finance API lines and FBT presence, paged under the shop's rate
 * budget with a heartbeat per page; counts back. Stored in PostgreSQL, where the report reads them.
 */
export const syncActivities = proxyActivities<TaxDataActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED],
  },
});
