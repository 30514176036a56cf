import { proxyActivities } from '@temporalio/workflow';
import type { MonthlyTaxReportActivities } from '../../activities/monthlyTaxReport';
import type { CommitSellerOwedInput, CommitSellerOwedResult } from '../../activities/taxCommit';
import type { TaxEngineChoice, TaxReportSummary } from './messages';

/**
 * The report activities (activities/taxReport/, the tax-report part of issue 20), as this workflow calls them. Each
 * `computeTaxReportStep` call pages through the month's lines in PostgreSQL by cursor with heartbeats and answers
 * counts; the workflow calls again until `done`.
 */
export interface TaxReportActivities {
  computeTaxReportStep(input: {
    shopId: string;
    period: string;
    timeZone: string;
    cursor?: string;
  }): Promise<{ done: boolean; cursor?: string; progress: { lines: number }; summary?: TaxReportSummary }>;
  stageTaxReportCommit(input: {
    shopId: string;
    reportId: string;
    engine: Exclude<TaxEngineChoice, 'none'>;
  }): Promise<{ staged: number }>;
  setTaxReportStatus(input: {
    reportId: string;
    status: 'approved' | 'committed' | 'rejected' | 'expired';
    by?: string;
  }): Promise<void>;
}

interface TaxCommitActivities {
  commitSellerOwedTransactions(input: CommitSellerOwedInput): Promise<CommitSellerOwedResult>;
}

const nonRetryableErrorTypes = ['InvalidTaxPeriod', 'TaxEngineNotConfigured', 'TaxReportNotFound'];

/** Settings, the report's bookkeeping and its staging: PostgreSQL, seconds each, retried. */
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
