// The order reconciliation's input, result and progress query, and the shapes its activities report.
import { defineQuery } from '@temporalio/workflow';

export interface OrderReconciliationInput {
  shopId: string;
}

/** One order from Search Orders: ids, status and TikTok's update time only (no buyer data). */
export interface ReconciledOrder {
  orderId: string;
  status: string;
  /** TikTok's update_time, unix seconds. */
  updateTime: number;
}

export interface ReconciliationCounts {
  /** Order workflows this run started: their webhooks never arrived (or arrived nowhere), or their last run failed. */
  started: number;
  /** Running order workflows told to read their order back. */
  signalled: number;
  /** Completed order workflows, left alone (ALLOW_DUPLICATE_FAILED_ONLY). */
  alreadyClosed: number;
  /** Running order workflows whose order status already reached them by webhook: not signalled again. */
  alreadyNotified?: number;
}

export interface OrderReconciliationResult extends ReconciliationCounts {
  shopId: string;
  seen: number;
  pages: number;
  searchedFrom: string;
  watermarkBefore: string | null;
  watermarkAfter: string | null;
}

export const getReconciliationProgressQuery =
  defineQuery<Partial<OrderReconciliationResult>>('getReconciliationProgress');
