// The commit step of the monthly tax process as a workflow of its own, for the benchmark and the resume test: it calls
// commitSellerOwedTransactions until the month is done, each call resuming from its heartbeat after a worker dies.
// Bundled by bench/taxCommitWorker.ts (workflowsPath); not a product workflow type.
import { proxyActivities } from '@temporalio/workflow';
import type { CommitSellerOwedInput, CommitSellerOwedResult, TaxCommitCounts } from '../activities/taxCommit';

type TaxCommitActivities = {
  commitSellerOwedTransactions(input: CommitSellerOwedInput): Promise<CommitSellerOwedResult>;
};

export interface TaxCommitDriverInput extends Omit<CommitSellerOwedInput, 'cursor'> {
  /** How soon a silent (killed) worker's activity is retried elsewhere. */
  heartbeatTimeoutMs: number;
}

export interface TaxCommitDriverResult extends TaxCommitCounts {
  activityCalls: number;
  cursor: number;
}

export async function taxCommitDriver(input: TaxCommitDriverInput): Promise<TaxCommitDriverResult> {
  const { heartbeatTimeoutMs, ...commit } = input;
  const { commitSellerOwedTransactions } = proxyActivities<TaxCommitActivities>({
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: { initialInterval: '200 ms', maximumInterval: '2 s', backoffCoefficient: 2 },
  });
  const total: TaxCommitDriverResult = {
    seen: 0,
    created: 0,
    replaced: 0,
    skipped: 0,
    rejected: 0,
    refunds: 0,
    activityCalls: 0,
    cursor: 0,
  };
  for (;;) {
    const r = await commitSellerOwedTransactions({ ...commit, cursor: total.cursor });
    total.activityCalls++;
    for (const k of ['seen', 'created', 'replaced', 'skipped', 'rejected', 'refunds'] as const) total[k] += r[k];
    total.cursor = r.cursor;
    if (r.done) return total;
  }
}
