// The run every reconciliation makes (orderReconciliation, returnReconciliation): open the run from the shop's
// watermark, reconcile every page of what TikTok updated since (watermark minus an overlap), then close the run,
// moving the watermark only when every page succeeded. Each workflow says how a page is searched and reconciled.
import { ActivityFailure, defineQuery, setHandler, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED } from './failureTypes';

const retry = { nonRetryableErrorTypes: [...NON_RETRYABLE_TIKTOK_FAILURES, SHOP_NOT_CONNECTED] };
/** The run's bookkeeping (PostgreSQL). */
export const BOOKKEEPING_ACTIVITY_OPTIONS: ActivityOptions = { startToCloseTimeout: '30 seconds', retry };
/** A search page and its start-or-signals: TikTok's transient failures are retried, its refusals fail the run. */
export const SEARCH_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, initialInterval: '1 second', maximumInterval: '1 minute' },
};

/** What a reconciliation searches: a shop's orders or its returns (db/reconciliation.ts stores both). */
export type ReconciliationKind = 'orders' | 'returns';

export interface ReconciliationCounts {
  /** Workflows this run started: their webhooks never arrived (or arrived nowhere), or their last run failed. */
  started: number;
  /** Running workflows told to read their order or return back. */
  signalled: number;
  /** Completed workflows, left alone (ALLOW_DUPLICATE_FAILED_ONLY). */
  alreadyClosed: number;
  /** Running workflows whose status already reached them by webhook: not signalled again. */
  alreadyNotified?: number;
}

export interface ReconciliationResult extends ReconciliationCounts {
  shopId: string;
  seen: number;
  pages: number;
  searchedFrom: string;
  watermarkBefore: string | null;
  watermarkAfter: string | null;
}

export const getReconciliationProgressQuery = defineQuery<Partial<ReconciliationResult>>('getReconciliationProgress');

/** One page searched and reconciled: its counts, the items it saw for the first time, where the search goes next. */
export interface ReconciledPage extends ReconciliationCounts {
  seen: number;
  /** Highest TikTok update_time on the page (unix seconds); undefined on an empty page. */
  maxUpdateTime?: number;
  nextPageToken?: string;
}

export interface ReconciliationRunRef {
  kind: ReconciliationKind;
  shopId: string;
  workflowId: string;
  runId: string;
}

/** The run's bookkeeping activities (activities/reconciliation/): the watermark and the run's row. */
export interface ReconciliationBookkeeping {
  beginReconciliationRun(run: ReconciliationRunRef): Promise<{ watermark: string | null; updateTimeGe: number }>;
  finishReconciliationRun(
    input: ReconciliationRunRef & {
      status: 'completed' | 'failed';
      maxUpdateTime?: number;
      pages: number;
      seen: number;
      counts: ReconciliationCounts;
      error?: string;
    },
  ): Promise<{ watermark: string | null }>;
}

/**
 * One run of the shop's reconciliation of `kind`: every page from TikTok's search (updated since the watermark minus
 * the overlap) goes through `reconcilePage`, then the watermark moves to the newest update seen. A failed page fails
 * the run and leaves the watermark where it was, so the next run searches the same window again.
 */
export async function reconcileSinceWatermark(
  kind: ReconciliationKind,
  shopId: string,
  bookkeeping: ReconciliationBookkeeping,
  reconcilePage: (updateTimeGe: number, pageToken: string | undefined) => Promise<ReconciledPage>,
): Promise<ReconciliationResult> {
  const { workflowId, runId } = workflowInfo();
  const run: ReconciliationRunRef = { kind, shopId, workflowId, runId };
  const counts: ReconciliationCounts = { started: 0, signalled: 0, alreadyClosed: 0, alreadyNotified: 0 };
  let seen = 0;
  let pages = 0;
  let maxUpdateTime: number | undefined;
  let searchedFrom = '';
  setHandler(getReconciliationProgressQuery, () => ({ shopId, ...counts, seen, pages, searchedFrom }));

  const begun = await bookkeeping.beginReconciliationRun(run);
  searchedFrom = new Date(begun.updateTimeGe * 1000).toISOString();
  try {
    let pageToken: string | undefined;
    do {
      const page = await reconcilePage(begun.updateTimeGe, pageToken);
      pages += 1;
      seen += page.seen;
      if (page.maxUpdateTime !== undefined) maxUpdateTime = Math.max(maxUpdateTime ?? 0, page.maxUpdateTime);
      counts.started += page.started;
      counts.signalled += page.signalled;
      counts.alreadyClosed += page.alreadyClosed;
      counts.alreadyNotified = (counts.alreadyNotified ?? 0) + (page.alreadyNotified ?? 0);
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (err) {
    if (err instanceof ActivityFailure) {
      // The watermark stays where it was: the next run searches the same window again.
      await bookkeeping.finishReconciliationRun({
        ...run,
        status: 'failed',
        pages,
        seen,
        counts,
        error: err.cause?.message ?? err.message,
      });
    }
    throw err;
  }
  const finished = await bookkeeping.finishReconciliationRun({
    ...run,
    status: 'completed',
    maxUpdateTime,
    pages,
    seen,
    counts,
  });
  return {
    shopId,
    ...counts,
    seen,
    pages,
    searchedFrom,
    watermarkBefore: begun.watermark,
    watermarkAfter: finished.watermark,
  };
}
